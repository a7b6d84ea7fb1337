import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { generateKeyEntry, parseEncryptionKeys } from '../../common/encryption-keys';
import { createLogger } from '../../common/logger';
import { createPool } from '../../db/connection';
import { insertConsoleSession } from '../../db/console';
import { migrate } from '../../db/migrate';
import { startApi } from '../../api/main';
import { tokenHash } from '../../api/console/session';
import { ensurePostgresBinaries, ensureTemporalCli, freePort, startDevServer, startPostgres, say } from '../toolchain';
import { seedConsoleCases } from './console-seed';

const USAGE = `npm run bench:console -- [--cases 10000] [--requests 200] [--timeout 900]

Seeds --cases open cases of one municipality, and a tenth as many of another, straight into a throwaway PostgreSQL
through the db/ functions (tools/bench/console-seed.ts: a saved view, sealed contact details, visit and handover
work items, some done, claimed or with a breached deadline, audited staff events). Starts the API on 127.0.0.1 with
a Temporal dev server (in memory, no worker: the cases have no running workflow, so a case page asks Temporal, hears
"not found" and shows the read model's view). Then times --requests GETs, one at a time, of the queue of a member of
team visits, of an admin's queue (every team) and of random case pages (contact details decrypted). Prints p50, p95
and max per page, and the machine's load average at start and end. Exits 1 when a p95 is over 300 ms; stops by itself
after --timeout seconds.`;

const MUNICIPALITY = '0518';
const OTHER_MUNICIPALITY = '0363';
const P95_GOAL_MS = 300;
const REQUEST_TIMEOUT_MS = 30_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

export async function benchConsole(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '200' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cases = Number(values.cases);
  const requests = Number(values.requests);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(cases > 0 && requests > 0 && timeoutMs > 0)) {
    console.error(USAGE);
    return 2;
  }
  const loadAtStart = loadAverage();
  console.log(`load average at start (1, 5, 15 min): ${loadAtStart} on ${os.cpus().length} cores`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bereik-bench-console-'));
  chmodSync(workDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    stops.length = 0;
  };
  const watchdog = setTimeout(() => {
    say(`time limit of ${values.timeout} s reached; stopping`);
    void stopAll().finally(() => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(3);
    });
  }, timeoutMs);
  watchdog.unref();
  try {
    say('starting a throwaway PostgreSQL and a Temporal dev server ...');
    const [cluster, server] = await Promise.all([
      (async () =>
        startPostgres({
          binDir: await ensurePostgresBinaries(),
          dataDir: path.join(workDir, 'pg'),
          port: await freePort(),
          database: 'bereik_bench',
          throwaway: true,
        }))(),
      (async () =>
        startDevServer({
          binary: await ensureTemporalCli(),
          port: await freePort(),
          logFile: path.join(workDir, 'temporal.log'),
        }))(),
    ]);
    stops.push(
      () => cluster.stop(),
      () => server.stop(),
    );
    await migrate(cluster.url);
    const keyring = parseEncryptionKeys(generateKeyEntry('bench'));
    const caseIdSecret = randomBytes(24).toString('base64url');
    const pool = createPool(cluster.url, { max: 10 });
    stops.push(() => pool.end());

    const others = Math.ceil(cases / 10);
    say(`seeding ${cases} open cases of ${MUNICIPALITY} and ${others} of ${OTHER_MUNICIPALITY}, with work items ...`);
    const seedStart = Date.now();
    const now = Date.now();
    const ids = await seedConsoleCases(pool, { municipality: MUNICIPALITY, cases, keyring, caseIdSecret, now });
    await seedConsoleCases(pool, { municipality: OTHER_MUNICIPALITY, cases: others, keyring, caseIdSecret, now });
    await pool.query('ANALYZE');
    say(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: workDir,
      PORT: '0',
      DATABASE_URL: cluster.url,
      TEMPORAL_ADDRESS: server.address,
      CASE_ID_SECRET: caseIdSecret,
      RESIDENT_LINK_SECRET: randomBytes(24).toString('base64url'),
      PHONE_INDEX_SECRET: randomBytes(24).toString('base64url'),
      OIDC_ISSUER: 'http://127.0.0.1:1/',
      OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
      MUNICIPALITY_POLICIES: '',
    });
    const api = await startApi(config, { keyring, migrated: true, logger: createLogger('bench', 'warn') });
    stops.push(() => api.close());
    if (new URL(api.url).hostname !== '127.0.0.1') throw new Error(`the API is not on 127.0.0.1: ${api.url}`);

    // Signed-in sessions as the OpenID callback would have created them: a member of the visits team, and an admin.
    const signIn = async (teams: string[], role: 'staff' | 'admin') => {
      const token = randomBytes(32).toString('base64url');
      await insertConsoleSession(pool, tokenHash(token), {
        municipality: MUNICIPALITY,
        subject: `bench-${role}`,
        teams,
        role,
        csrfToken: randomBytes(32).toString('base64url'),
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      return { cookie: `bereik_console=${token}` };
    };
    const staff = await signIn(['visits'], 'staff');
    const admin = await signIn(['visits'], 'admin');

    // Each answer is checked, so the figures are of pages that show what they should.
    const time = async (url: string, headers: Record<string, string>, expect: RegExp): Promise<number> => {
      const started = performance.now();
      const response = await fetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await response.text();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
      if (!expect.test(body)) throw new Error(`${new URL(url).pathname} lacks what it should show`);
      if (body.includes(`case-${OTHER_MUNICIPALITY}-`)) throw new Error('a page shows another municipality');
      return elapsed;
    };
    const fullQueue = /Te laat \((\d+)\)[\s\S]*Later \(\d+\)/;
    const queuePage = () => time(`${api.url}/console/`, staff, fullQueue);
    const adminQueuePage = () => time(`${api.url}/console/`, admin, /warme overdracht/);
    const casePage = () => {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      return time(`${api.url}/console/zaken/${id}`, staff, /telefoon\s*<a class="utrecht-link/);
    };
    for (let i = 0; i < 10; i += 1) {
      await queuePage();
      await adminQueuePage();
      await casePage();
    }
    const samples = { queue: [] as number[], 'queue admin': [] as number[], 'case page': [] as number[] };
    for (let i = 0; i < requests; i += 1) samples.queue.push(await queuePage());
    for (let i = 0; i < requests; i += 1) samples['queue admin'].push(await adminQueuePage());
    for (let i = 0; i < requests; i += 1) samples['case page'].push(await casePage());

    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `console pages, ${cases} open cases, ${requests} requests per page, one at a time, ${os.cpus().length} cores:`,
    );
    let worstP95 = 0;
    for (const [label, list] of Object.entries(samples)) {
      const sorted = [...list].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      worstP95 = Math.max(worstP95, p95);
      console.log(
        `${label.padEnd(12)} n=${sorted.length}  p50 ${f(percentile(sorted, 50))}  p95 ${f(p95)}  max ${f(sorted.at(-1)!)}`,
      );
    }
    console.log(`load average at start ${loadAtStart}, at end ${loadAverage()} (1, 5, 15 min)`);
    console.log(`goal: p95 at most ${P95_GOAL_MS} ms: ${worstP95 <= P95_GOAL_MS ? 'met' : 'NOT met'}`);
    return worstP95 <= P95_GOAL_MS ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}
