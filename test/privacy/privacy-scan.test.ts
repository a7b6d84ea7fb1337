import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { generateKeyEntry } from '../../common/encryption-keys';
import { freshDatabase } from '../api/support';
import {
  childEnv,
  startApiProcess,
  startWorkerProcess,
  waitFor,
  type ChildProcessHandle,
} from '../../tools/toolchain/processes';
import { Client as PgClient } from 'pg';
import { freePort, startDevServer, startTemporalServer, type DevServer } from '../../tools/toolchain';

/** `npm run test:cluster`: the real Temporal server, its state in PostgreSQL databases of this test's own. */
const onCluster = process.env.TEMPORAL_SERVER === 'cluster';
const temporalDatabases = ((prefix) => [prefix, `${prefix}_visibility`])(
  `temporal_privacy_${randomBytes(4).toString('hex')}`,
);

/** Every value of every row of every table of a Temporal database: blobs as their bytes, the rest as text. */
async function temporalRows(database: string): Promise<{ name: string; bytes: Buffer }[]> {
  const url = new URL(process.env.BEREIK_TEST_DATABASE_URL as string);
  url.pathname = `/${database}`;
  const client = new PgClient({ connectionString: url.toString() });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    const found: { name: string; bytes: Buffer }[] = [];
    for (const { name } of tables.rows) {
      const { rows } = await client.query<Record<string, unknown>>(`SELECT * FROM ${name}`);
      const values = rows.flatMap((row) =>
        Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v) ?? ''))),
      );
      found.push({ name: `Temporal ${database}.${name}`, bytes: Buffer.concat(values) });
    }
    return found;
  } finally {
    await client.end();
  }
}

/** Distinctive personal values, and the forms they could leak in. */
const RESIDENT = {
  Voorletters: 'Q.X.',
  Achternaam: 'Zzyxqplaintext',
  Geboortedatum: '1961-07-04',
  Burgerservicenummer: '123456782',
  Straatnaam: 'Geheimstraatweg',
  Huisnummer: '77',
  Postcode: '9999ZZ',
  Plaatsnaam: 'Verborgenstad',
  telefoon: '+31612398765',
  email: 'marked.person@example.org',
};
const MARKERS = [
  'Zzyxqplaintext',
  'Geheimstraatweg',
  'Verborgenstad',
  '612398765',
  'marked.person@example.org',
  'marked.person',
  '9999ZZ',
  '9999 ZZ',
  '123456782',
  '1961-07-04',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Every marker, as UTF-8 and as UTF-16 (SQLite and Java can store either), with the files it was found in. */
function leaks(haystacks: { name: string; bytes: Buffer }[]): string[] {
  const found: string[] = [];
  for (const marker of MARKERS) {
    for (const encoding of ['utf8', 'utf16le'] as const) {
      const needle = Buffer.from(marker, encoding);
      for (const { name, bytes } of haystacks)
        if (bytes.includes(needle)) found.push(`${marker} (${encoding}) in ${name}`);
    }
  }
  return found;
}

describe('privacy: personal data appears nowhere outside encryption', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bereik-privacy-'));
  const dataDir = path.join(root, '.data');
  let devServer: DevServer;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let worker: ChildProcessHandle | undefined;
  let api: (ChildProcessHandle & { url: string }) | undefined;

  beforeAll(async () => {
    mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
    [devServer, db] = await Promise.all([
      onCluster
        ? startTemporalServer({
            postgresUrl: process.env.BEREIK_TEST_DATABASE_URL as string,
            dir: path.join(dataDir, 'logs'),
            databasePrefix: temporalDatabases[0],
          })
        : startDevServer({
            binary: process.env.TEMPORAL_CLI_PATH as string,
            port: await freePort(),
            dbFile: path.join(dataDir, 'temporal.db'),
            logFile: path.join(dataDir, 'logs', 'temporal.log'),
          }),
      freshDatabase('privacy'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([worker?.stop(), api?.stop()]);
    await Promise.all([devServer?.stop(), db?.drop()]);
    rmSync(root, { recursive: true, force: true });
  });

  test('after intake and outreach: not in the Temporal server database, logs, metrics, workflow IDs or search attributes', async () => {
    const workerMetricsPort = await freePort();
    const env = childEnv({
      DATA_DIR: dataDir,
      OUTBOX_DIR: path.join(root, '.outbox'),
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: `privacy-${randomBytes(4).toString('hex')}`,
      PORT: String(await freePort()),
      API_KEYS: 'privacy-intake-key-0518:0518:intake,privacy-staff-key-05188:0518:staff',
      MUNICIPALITY_POLICIES: '0518:drill',
      MATCHING_WINDOW: '2s',
      ENCRYPTION_KEYS: generateKeyEntry('privacy'),
      LOG_LEVEL: 'debug',
      WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetricsPort}`,
    });
    [worker, api] = await Promise.all([
      startWorkerProcess(env, path.join(dataDir, 'logs', 'worker.log')),
      startApiProcess(env, path.join(dataDir, 'logs', 'api.log')),
    ]);
    const post = await fetch(`${api.url}/v1/signals`, {
      method: 'POST',
      headers: { Authorization: 'Bearer privacy-intake-key-0518', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        signals: [
          {
            ID: 'PRIV-1',
            signaaldatum: '2026-11-20',
            bedrag: 800,
            crisissignaal: false,
            signaalpartner: { type: 'Energie' },
            client: RESIDENT,
          },
          // A rejected signal echoes its field paths, never its values.
          {
            ID: 'PRIV-2',
            signaaldatum: 'yesterday',
            bedrag: 10,
            signaalpartner: { type: 'Water' },
            client: { ...RESIDENT, Postcode: 'Zzyxqplaintext' },
          },
        ],
      }),
    });
    const intake = (await post.json()) as { results: { status: string; case?: string }[] };
    const body = JSON.stringify(intake);
    expect(intake.results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(MARKERS.filter((m) => body.includes(m))).toEqual([]);
    const caseId = intake.results[0]?.case as string;

    // Let the case reach outreach: an invitation (the letter) and the first call of the drill round.
    const staff = { Authorization: 'Bearer privacy-staff-key-05188' };
    await waitFor(
      'the first contact attempts',
      async () => {
        const view = (await (await fetch(`${api!.url}/v1/cases/${caseId}`, { headers: staff })).json()) as {
          attempts?: { soort: string }[];
          nextAction?: { type: string };
        };
        return (view.attempts?.length ?? 0) > 0 && view.nextAction?.type === 'call' ? view : null;
      },
      90_000,
      500,
    );
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const workerMetrics = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    expect(workerMetrics).toMatch(/workflow_task_execution_latency/);
    const caseView = await (await fetch(`${api.url}/v1/cases/${caseId}`, { headers: staff })).text();

    const connection = await Connection.connect({ address: devServer.address });
    const listed: string[] = [];
    try {
      for await (const execution of new Client({ connection }).workflow.list()) {
        listed.push(
          execution.workflowId,
          execution.taskQueue,
          JSON.stringify(execution.searchAttributes ?? {}),
          JSON.stringify(execution.typedSearchAttributes ?? {}),
        );
      }
    } finally {
      await connection.close();
    }
    expect(listed.some((l) => l.includes(caseId))).toBe(true);

    // Stop everything so the SQLite file and its WAL and the logs are complete, then search all of DATA_DIR.
    await Promise.all([worker.stop(), api.stop()]);
    await devServer.stop();
    const files = filesUnder(dataDir);
    const temporalState = onCluster
      ? (await Promise.all(temporalDatabases.map(temporalRows))).flat()
      : files.filter((f) => /temporal\.db/.test(f)).map((f) => ({ name: f, bytes: readFileSync(f) }));
    expect(files.some((f) => f.endsWith(onCluster ? 'temporal-server.log' : 'temporal.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('worker.log'))).toBe(true);
    const haystacks = [
      ...temporalState,
      ...files.map((f) => ({ name: path.relative(root, f), bytes: readFileSync(f) })),
      { name: '/metrics', bytes: Buffer.from(metrics) },
      { name: 'worker /metrics', bytes: Buffer.from(workerMetrics) },
      { name: 'GET /v1/cases/{case}', bytes: Buffer.from(caseView) },
      { name: 'workflow listing', bytes: Buffer.from(listed.join('\n')) },
    ];
    expect(leaks(haystacks)).toEqual([]);
    // Controls: the search finds plaintext, and the database really holds this case's payloads, encrypted.
    expect(leaks([{ name: 'control', bytes: Buffer.from(JSON.stringify(RESIDENT)) }]).length).toBeGreaterThanOrEqual(
      MARKERS.length - 2,
    );
    const temporalBytes = Buffer.concat(temporalState.map((t) => t.bytes));
    expect(temporalBytes.includes(Buffer.from(caseId))).toBe(true);
    expect(temporalBytes.includes(Buffer.from('binary/encrypted'))).toBe(true);

    // The read model holds them only sealed: every row of every table, the personal ones included.
    const tables = (
      await db.pool.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'",
      )
    ).rows.map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['case_personal', 'signals', 'team_tasks', 'audit_log', 'sent_messages']),
    );
    const rows: { name: string; bytes: Buffer }[] = [];
    for (const table of tables) {
      const dump = await db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
      rows.push({ name: `PostgreSQL ${table}`, bytes: Buffer.from(dump.rows.map((r) => r.row).join('\n')) });
    }
    expect(rows.find((r) => r.name === 'PostgreSQL case_personal')!.bytes.length).toBeGreaterThan(0);
    expect(leaks(rows)).toEqual([]);
  });
});
