import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { dataConverterFor } from '../../common/codec';
import { generateKeyEntry, parseEncryptionKeys, type Keyring } from '../../common/encryption-keys';
import type { CaseView } from '../../domain/case';
import type { SignalInput } from '../../domain/signal';
import {
  ensureTemporalCli,
  freePort,
  startSupervisedDevServer,
  startSupervisedTemporalServer,
  type DevServer,
  type SupervisedDevServer,
} from '../../tools/toolchain';
import { freshDatabase, requireEnv } from '../api/support';
import { ACCOUNT, TOKEN, type TwilioPeers } from '../channels/support/twilio-peers';
import {
  childEnv,
  startApiProcess,
  startWorkerProcess,
  waitFor,
  type ChildProcessHandle,
} from '../../tools/toolchain/processes';

/**
 * One bereik deployment for a resilience test: its own database, task queue, keys and secrets, with the worker and
 * the API as real child processes (as `npm start` runs them) against a Temporal server the test chooses.
 */

export const INTAKE_KEY = 'resilience-intake-0518-key';
export const STAFF_KEY = 'resilience-staff-0518-key-x';

export interface Deployment {
  label: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  db: { url: string; pool: Pool };
  keyring: Keyring;
  taskQueue: string;
  apiUrl: string;
  worker: ChildProcessHandle | null;
  api: (ChildProcessHandle & { url: string }) | null;
  /** A client of the deployment's Temporal server with the deployment's payload codec. */
  client(): Promise<Client>;
  startWorker(): Promise<ChildProcessHandle>;
  startApi(): Promise<ChildProcessHandle & { url: string }>;
  /** Points the deployment at another Temporal address (for processes started after this call). */
  setTemporalAddress(address: string): void;
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  temporalAddress: string;
  twilio?: TwilioPeers;
  env?: Record<string, string>;
  /** Keep DATA_DIR (logs) after stop; it is kept anyway when `stop` is called with a failing test. */
  keepDir?: boolean;
}

export async function createDeployment(label: string, options: DeploymentOptions): Promise<Deployment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bereik-${label}-`));
  chmodSync(dir, 0o755);
  const db = await freshDatabase(label);
  const keyEntry = generateKeyEntry(`k${randomBytes(3).toString('hex')}`);
  const keyring = parseEncryptionKeys(keyEntry);
  const taskQueue = `${label}-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const twilio = options.twilio
    ? {
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: '+3197010000001',
        TWILIO_WHATSAPP_FROM: '+3197010000002',
        TWILIO_CALLER_ID: '+3197010000003',
        TWILIO_CALL_CENTRE_NUMBER: '+3197010000004',
        TWILIO_API_URL: options.twilio.api.url,
        TWILIO_LOOKUPS_URL: options.twilio.lookups.url,
      }
    : {};
  const env = childEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    PORT: String(port),
    PUBLIC_BASE_URL: apiUrl,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS: `${INTAKE_KEY}:0518:intake,${STAFF_KEY}:0518:staff`,
    MUNICIPALITY_POLICIES: '0518:drill',
    MATCHING_WINDOW: '2s',
    ENCRYPTION_KEYS: keyEntry,
    CASE_ID_SECRET: randomBytes(24).toString('base64url'),
    RESIDENT_LINK_SECRET: randomBytes(24).toString('base64url'),
    PHONE_INDEX_SECRET: randomBytes(24).toString('base64url'),
    ...twilio,
    ...options.env,
  });

  const clients: { connection: Connection; client: Client; address: string }[] = [];
  const deployment: Deployment = {
    label,
    dir,
    env,
    db,
    keyring,
    taskQueue,
    apiUrl,
    worker: null,
    api: null,
    async client() {
      const address = env.TEMPORAL_ADDRESS as string;
      const known = clients.find((c) => c.address === address);
      if (known) return known.client;
      const connection = await Connection.connect({ address });
      const client = new Client({ connection, namespace: 'default', dataConverter: dataConverterFor(keyring) });
      clients.push({ connection, client, address });
      return client;
    },
    async startWorker() {
      deployment.worker = await startWorkerProcess(env, path.join(dir, 'logs', 'worker.log'));
      return deployment.worker;
    },
    async startApi() {
      deployment.api = await startApiProcess(env, path.join(dir, 'logs', 'api.log'));
      return deployment.api;
    },
    setTemporalAddress(address: string) {
      env.TEMPORAL_ADDRESS = address;
    },
    async stop() {
      await Promise.all([deployment.worker?.stop(), deployment.api?.stop()]);
      for (const { connection } of clients) await connection.close().catch(() => undefined);
      await db.drop();
      if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return deployment;
}

/**
 * A Temporal dev server of the test's own, persisted to a SQLite file and supervised as `npm start` supervises it:
 * killed, it comes back on the same port and file by itself.
 */
/**
 * A Temporal server of the test's own, restarted by a supervisor when it dies: the dev server on a SQLite file in
 * `dir`, or with TEMPORAL_SERVER=cluster (npm run test:cluster) the real server on databases of its own in the
 * test PostgreSQL.
 */
export async function ownDevServer(dir: string): Promise<SupervisedDevServer> {
  if (onCluster)
    return startSupervisedTemporalServer({
      postgresUrl: requireEnv('BEREIK_TEST_DATABASE_URL'),
      dir: path.join(dir, 'logs'),
      databasePrefix: `temporal_${randomBytes(4).toString('hex')}`,
    });
  const binary = process.env.TEMPORAL_CLI_PATH ?? (await ensureTemporalCli());
  return startSupervisedDevServer({
    binary,
    port: await freePort(),
    dbFile: path.join(dir, 'temporal', 'temporal.db'),
    logFile: path.join(dir, 'logs', 'temporal.log'),
  });
}

/** kill -9 of the dev server, waiting until it is gone. */
export async function killDevServer(server: DevServer): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => server.process.once('exit', () => resolve()));
  server.process.kill('SIGKILL');
  await gone;
}

export const onCluster = process.env.TEMPORAL_SERVER === 'cluster';

export const sharedTemporalAddress = () => requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS');

// ------------------------------------------------------------------------------------------------------------------
// HTTP

export interface IntakeResponse {
  status: number;
  results: { ID: string | null; status: 'accepted' | 'duplicate' | 'rejected'; case?: string; errors?: unknown[] }[];
}

export async function postSignals(apiUrl: string, signals: unknown[], timeoutMs = 120_000): Promise<IntakeResponse> {
  const response = await fetch(`${apiUrl}/v1/signals`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INTAKE_KEY}` },
    body: JSON.stringify({ signals }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { results?: IntakeResponse['results'] };
  if (response.status !== 202 || !body.results)
    throw new Error(`intake answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return { status: response.status, results: body.results };
}

export async function postEvent(
  apiUrl: string,
  caseId: string,
  event: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${apiUrl}/v1/cases/${caseId}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${STAFF_KEY}` },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Posts the event until the case accepts it (200): a 409 means the case is not there yet (e.g. no call waiting). */
export async function postEventUntilAccepted(
  apiUrl: string,
  caseId: string,
  event: Record<string, unknown>,
  timeoutMs = 60_000,
): Promise<void> {
  let last = '';
  await waitFor(
    `case ${caseId} to accept ${JSON.stringify(event)}`,
    async () => {
      const { status, body } = await postEvent(apiUrl, caseId, event);
      last = `${status} ${JSON.stringify(body)}`;
      if (status !== 200 && status !== 409 && status !== 503) throw new Error(last);
      return status === 200;
    },
    timeoutMs,
    500,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (last answer: ${last})`);
  });
}

export async function caseView(apiUrl: string, caseId: string): Promise<{ source: string | null; view: CaseView }> {
  const response = await fetch(`${apiUrl}/v1/cases/${caseId}`, {
    headers: { Authorization: `Bearer ${STAFF_KEY}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (response.status !== 200) throw new Error(`case view answered ${response.status}: ${await response.text()}`);
  return { source: response.headers.get('x-bereik-source'), view: (await response.json()) as CaseView };
}

// ------------------------------------------------------------------------------------------------------------------
// Read model and SentStore

export async function phoneAttempts(
  pool: Pool,
  caseRef: string,
): Promise<{ seq: number; bereikt: boolean; at: Date }[]> {
  const result = await pool.query<{ seq: number; bereikt: boolean; at: Date }>(
    `SELECT seq, bereikt, at FROM contact_attempts WHERE case_ref = $1 AND soort = 'Telefoon' ORDER BY seq`,
    [caseRef],
  );
  return result.rows;
}

export async function callRecords(pool: Pool, caseRef: string): Promise<{ key: string; state: string; at: Date }[]> {
  const result = await pool.query<{ key: string; state: string; at: Date }>(
    `SELECT key, state, at FROM sent_messages WHERE key LIKE $1 ORDER BY key`,
    [`call:${caseRef}:call:%`],
  );
  return result.rows;
}

/** The SentStore's record of one call attempt (first technical try), once the provider accepted it. */
export async function waitForCallPlaced(
  pool: Pool,
  caseRef: string,
  attempt: number,
  timeoutMs: number,
): Promise<{ key: string; at: Date }> {
  const key = `call:${caseRef}:call:${attempt}:0`;
  return waitFor(
    `call ${attempt} of ${caseRef} to be placed`,
    async () => {
      const row = (
        await pool.query<{ key: string; state: string; at: Date }>(
          'SELECT key, state, at FROM sent_messages WHERE key = $1',
          [key],
        )
      ).rows[0];
      if (row && row.state !== 'sent' && row.state !== 'pending') throw new Error(`call record ${key} is ${row.state}`);
      return row?.state === 'sent' ? row : null;
    },
    timeoutMs,
    250,
  );
}

/** Calls the provider (Prism behind the recording proxy) received for a case, by call key. */
export function providerCallKeys(twilio: TwilioPeers, caseId: string): string[] {
  return twilio
    .callsPlaced()
    .map((r) => new URL(r.form.get('StatusCallback') ?? 'http://none/').searchParams)
    .filter((q) => q.get('case') === caseId)
    .map((q) => q.get('key') ?? '')
    .sort();
}

/** How often each activity type was scheduled and completed in a workflow's history, and any failed workflow tasks. */
export async function historyFacts(
  client: Client,
  workflowId: string,
): Promise<{ scheduled: Record<string, number>; completed: Record<string, number>; workflowTaskFailures: number }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduledType = new Map<string, string>();
  const scheduled: Record<string, number> = {};
  const completed: Record<string, number> = {};
  let workflowTaskFailures = 0;
  for (const event of history.events ?? []) {
    const id = String(event.eventId);
    const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (type) {
      scheduledType.set(id, type);
      scheduled[type] = (scheduled[type] ?? 0) + 1;
    }
    const done = event.activityTaskCompletedEventAttributes?.scheduledEventId;
    if (done !== undefined && done !== null) {
      const name = scheduledType.get(String(done)) ?? '?';
      completed[name] = (completed[name] ?? 0) + 1;
    }
    if (event.workflowTaskFailedEventAttributes) workflowTaskFailures += 1;
  }
  return { scheduled, completed, workflowTaskFailures };
}

// ------------------------------------------------------------------------------------------------------------------
// Signals

let seq = 0;

/** A signal for the standard segment (EUR 640 energy arrears) with a mobile number, at house number `house`. */
export function standardSignal(runId: string, house: number, overrides: Partial<SignalInput> = {}): SignalInput {
  seq += 1;
  return {
    ID: `RES-${runId}-${seq}`,
    signaaldatum: '2027-03-05',
    bedrag: 640,
    crisissignaal: false,
    signaalpartner: { type: 'Energie', naam: 'Energiebedrijf' },
    client: {
      Voorletters: 'R.',
      Achternaam: 'Veerkracht',
      Straatnaam: 'Herstartlaan',
      Huisnummer: String(house),
      Postcode: '3011AB',
      Plaatsnaam: 'Den Haag',
      telefoon: `+3161${String(1_000_000 + house).slice(-7)}`,
    },
    ...overrides,
  };
}

export const MINUTE = 60_000;

/** Progress lines on stderr with seconds since the start, when BEREIK_RESILIENCE_TRACE=1. */
export function tracer(label: string): (message: string) => void {
  const started = Date.now();
  return (message: string) => {
    if (process.env.BEREIK_RESILIENCE_TRACE)
      process.stderr.write(
        `[${label} +${((Date.now() - started) / 1000).toFixed(1)}s ${new Date().toISOString().slice(11, 23)}] ${message}\n`,
      );
  };
}
