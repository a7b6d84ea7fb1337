import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { databaseUrlFrom } from './connection';
import { loadConfig } from '../config';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrateOptions {
  /** Receives node-pg-migrate's progress lines; silent by default. */
  log?: (line: string) => void;
}

// node-pg-migrate 9 is ESM-only, and jest's CommonJS module system cannot load ESM. A worker thread runs under
// plain Node, so the same code path works in the API, the CLI and the tests.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const lines = [];
const log = (...args) => lines.push(args.map(String).join(' '));
import(workerData.moduleUrl)
  .then(({ runner }) => runner({
    databaseUrl: workerData.databaseUrl,
    dir: workerData.dir,
    migrationsTable: workerData.table,
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    logger: { debug: () => {}, info: log, warn: log, error: log },
  }))
  .then((ran) => parentPort.postMessage({ ok: true, ran: ran.map((m) => m.name), lines }))
  .catch((error) => parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error), lines }));
`;

type WorkerAnswer = { ok: true; ran: string[]; lines: string[] } | { ok: false; message: string; lines: string[] };

/**
 * Applies every pending migration in db/migrations in one transaction. Safe to call from several processes at once
 * (an advisory lock serialises them) and on every start (applied migrations are skipped). Returns the names it ran.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const moduleUrl = pathToFileURL(require.resolve('node-pg-migrate')).href;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { moduleUrl, databaseUrl, dir: MIGRATIONS_DIR, table: MIGRATIONS_TABLE },
  });
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`migration worker exited with code ${code} before answering`)));
  }).finally(() => void worker.terminate());
  for (const line of answer.lines) options.log?.(line);
  if (!answer.ok) throw new Error(`database migration failed: ${answer.message}`);
  return answer.ran;
}

if (require.main === module) {
  const databaseUrl = databaseUrlFrom(loadConfig());
  migrate(databaseUrl, { log: (line) => console.log(line) })
    .then((ran) => console.log(ran.length ? `applied ${ran.join(', ')}` : 'database is up to date'))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
