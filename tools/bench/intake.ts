import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NativeConnection, Runtime, DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../../common/codec';
import { generateKeyEntry, parseEncryptionKeys } from '../../common/encryption-keys';
import { createLogger } from '../../common/logger';
import { createPool } from '../../db/connection';
import { migrate } from '../../db/migrate';
import { createPersistenceActivities } from '../../activities/persistence';
import { createResidentLinkActivities } from '../../activities/resident-link';
import type { CaseActivities } from '../../activities/types';
import type { SignalInput } from '../../domain/signal';
import { startApi } from '../../api/main';
import { DELIVERY_CONCURRENCY } from '../../api/intake';
import { Client, Connection } from '@temporalio/client';
import { countCasesSavedByWorkflows } from '../../db/read-model';
import { ensurePostgresBinaries, freePort, startPostgres, say } from '../toolchain';
import { CpuAccount } from './cpu';
import { loadAverage, parseServerKinds, startBenchServer, type BenchServerKind } from './server';

const USAGE = `npm run bench:intake -- [--signals 10000] [--shared-every 10] [--timeout 300] [--wait 60] [--no-worker] [--no-anchor] [--server dev,cluster]

Posts one batch of signals to the real API (in-process) with a real worker running the case workflow, and prints
throughput and latency. Uses DATABASE_URL and TEMPORAL_ADDRESS when set, else starts a throwaway PostgreSQL cluster
and, for each --server in turn, a Temporal server on it: 'dev' (the dev server, in memory, the default) or 'cluster'
(the real server on that PostgreSQL, deploy/temporal/), and stops everything it started when done. --timeout bounds each post, --wait how long to
watch the workflows write the read model afterwards, --no-worker measures intake alone. First, on the same server,
the anchor: a bare signalWithStart loop (as many workflows, the API's concurrency, small plain payloads, a task
queue nobody polls); intake is reported as a fraction of it (--no-anchor skips it).`;

const INTAKE_KEY = `bench-intake-${randomBytes(8).toString('hex')}`;

/** Channel activities that succeed at once: the benchmark measures intake, not Twilio. */
function quietActivities(base: Pick<CaseActivities, 'persistCase' | 'residentLink'>): CaseActivities {
  return {
    checkResidency: async () => 'resident',
    lookupDebtServices: async () => ({ known: false, trajectory: false }),
    enrichPhone: async () => ({ telefoon: null }),
    lookupLineType: async () => ({ mobile: true }),
    sendMessage: async (input) => ({ providerRef: `bench-${input.messageKey}`, sent: true }),
    placeCall: async (input) => ({ providerRef: `bench-${input.callKey}` }),
    createVisitTask: async () => undefined,
    warmHandover: async () => undefined,
    createConversationTask: async () => undefined,
    closeWorkItem: async () => undefined,
    remindTeam: async () => undefined,
    ...base,
  };
}

/** `count` signals at distinct addresses, except that every `sharedEvery`-th one joins the previous household. */
export function benchSignals(count: number, sharedEvery: number, runId: string): SignalInput[] {
  const partners = ['Energie', 'Water', 'Zorg', 'Huur', 'CAK Zorgverzekeringen'] as const;
  let household = 0;
  return Array.from({ length: count }, (_, i) => {
    if (sharedEvery <= 0 || i % sharedEvery !== 0 || i === 0) household += 1;
    const postcode = `${1000 + Math.floor(household / 500)}${String.fromCharCode(65 + (household % 26))}${String.fromCharCode(65 + (Math.floor(household / 26) % 26))}`;
    return {
      ID: `BENCH-${runId}-${i}`,
      signaaldatum: '2027-03-01',
      bedrag: 100 + (i % 40) * 75,
      crisissignaal: false,
      signaalpartner: { type: partners[i % partners.length]! },
      client: {
        Voorletters: 'B.',
        Achternaam: `Bench${i}`,
        Straatnaam: 'Benchstraat',
        Huisnummer: String((household % 500) + 1),
        Postcode: postcode,
        Plaatsnaam: 'Haarlem',
        telefoon: `+316${String(10_000_000 + i).slice(-8)}`,
      },
    };
  });
}

export async function benchIntake(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      signals: { type: 'string', default: '10000' },
      'shared-every': { type: 'string', default: '10' },
      timeout: { type: 'string', default: '300' },
      'no-worker': { type: 'boolean', default: false },
      'no-anchor': { type: 'boolean', default: false },
      wait: { type: 'string', default: '60' },
      server: { type: 'string', default: 'dev' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = Number(values.signals);
  const sharedEvery = Number(values['shared-every']);
  const timeoutMs = Number(values.timeout) * 1000;
  const waitMs = Number(values.wait) * 1000;
  const kinds = parseServerKinds(values.server);
  if (
    !kinds ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > 10_000 ||
    !Number.isInteger(sharedEvery) ||
    !(timeoutMs > 0) ||
    !(waitMs >= 0)
  ) {
    console.error(`invalid arguments\n\n${USAGE}`);
    return 2;
  }

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const loadAtStart = loadAverage();
  const reports: string[] = [];
  let ok = true;
  for (const kind of kinds) {
    const run = await intakeOn(kind, { count, sharedEvery, timeoutMs, waitMs, values });
    reports.push(...run.lines, '');
    ok &&= run.ok;
  }
  console.log('');
  console.log(`${new Date().toISOString()}  load average at start ${loadAtStart}, at end ${loadAverage()}`);
  for (const line of reports) console.log(line);
  return ok ? 0 : 1;
}

interface IntakeRun {
  count: number;
  sharedEvery: number;
  timeoutMs: number;
  waitMs: number;
  values: { 'no-worker'?: boolean; 'no-anchor'?: boolean };
}

/** One full measurement (anchor before, post, re-post, anchor after, read model) on a server of `kind`. */
async function intakeOn(
  kind: BenchServerKind,
  { count, sharedEvery, timeoutMs, waitMs, values }: IntakeRun,
): Promise<{ lines: string[]; ok: boolean }> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bereik-bench-'));
  // Run as root, PostgreSQL runs as `postgres` and must be able to reach its data directory inside.
  chmodSync(workDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | null = null;
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const stop of stops.reverse())
        await stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
      rmSync(workDir, { recursive: true, force: true });
    })());
  // Whatever hangs, the servers this run started are stopped before the process goes.
  const abort = (reason: string) => {
    console.error(reason);
    void stopAll().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(
    () => abort('benchmark did not finish in time; stopping'),
    2 * timeoutMs + waitMs + 180_000,
  );
  const onSignal = () => abort('interrupted; stopping');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let databaseUrl = process.env.DATABASE_URL;
    let postgresPid: number | undefined;
    if (!databaseUrl) {
      say('starting a throwaway PostgreSQL ...');
      const cluster = await startPostgres({
        binDir: await ensurePostgresBinaries(),
        dataDir: path.join(workDir, 'pg'),
        port: await freePort(),
        database: 'bereik_bench',
        throwaway: true,
      });
      stops.push(() => cluster.stop());
      databaseUrl = cluster.url;
      postgresPid = Number(readFileSync(path.join(workDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    }
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let serverLabel = `given server ${temporalAddress}`;
    const cpu = new CpuAccount();
    cpu.add('bench (API + worker + loops)', process.pid);
    if (!temporalAddress) {
      say(`starting a Temporal server (${kind}) ...`);
      const server = await startBenchServer(kind, databaseUrl, workDir);
      stops.push(() => server.stop());
      temporalAddress = server.address;
      serverLabel = server.label;
      cpu.add('temporal server', server.pid);
    }
    await migrate(databaseUrl);
    cpu.add('postgres', postgresPid);

    const keyring = parseEncryptionKeys(generateKeyEntry('bench'));
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: workDir,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: `bench-${randomBytes(4).toString('hex')}`,
      API_KEYS: `${INTAKE_KEY}:0518:intake`,
      CASE_ID_SECRET: randomBytes(24).toString('base64url'),
      RESIDENT_LINK_SECRET: randomBytes(24).toString('base64url'),
      PHONE_INDEX_SECRET: randomBytes(24).toString('base64url'),
      MUNICIPALITY_POLICIES: '',
    });

    say('bundling the workflow code and starting a worker ...');
    const pool = createPool(databaseUrl, { max: 20 });
    stops.push(() => pool.end());
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: new DefaultLogger('WARN'),
    });
    const connection = await NativeConnection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    const worker = !values['no-worker']
      ? await Worker.create({
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowBundle: bundle,
          maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
          dataConverter: dataConverterFor(keyring),
          activities: quietActivities({
            ...createPersistenceActivities({ pool, keyring, phoneIndexSecret: config.PHONE_INDEX_SECRET }),
            ...createResidentLinkActivities({
              secret: config.RESIDENT_LINK_SECRET!,
              publicBaseUrl: 'http://127.0.0.1',
            }),
          }),
        })
      : null;
    if (worker) {
      const running = worker.run();
      stops.push(async () => {
        worker.shutdown();
        await running;
      });
    }

    const api = await startApi(config, { keyring, migrated: true, logger: createLogger('api', 'warn') });
    stops.push(() => api.close());

    // The anchor: what the server takes from a bare signalWithStart loop at the API's concurrency. Run before and
    // after the intake (a busy machine drifts); intake is compared with their mean.
    const bareClient = values['no-anchor']
      ? null
      : new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    if (bareClient) stops.push(() => bareClient.connection.close());
    const bareLoop = async (label: string) => {
      if (!bareClient) return null;
      const bareQueue = `bench-bare-${label}-${randomBytes(4).toString('hex')}`;
      say(`anchor (${label}): ${count} bare signalWithStart calls, ${DELIVERY_CONCURRENCY} at a time ...`);
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: DELIVERY_CONCURRENCY }, async () => {
          for (let i = next++; i < count; i = next++) {
            await bareClient.workflow.signalWithStart('bareWorkflow', {
              workflowId: `${bareQueue}-${i}`,
              taskQueue: bareQueue,
              args: [{ municipality: '0518', round: 1 }],
              signal: 'signalReceived',
              signalArgs: [{ ID: `BARE-${i}`, receivedAt: new Date().toISOString() }],
            });
          }
        }),
      );
      return { ms: performance.now() - started };
    };
    const bareBefore = await bareLoop('before');

    const runId = randomBytes(3).toString('hex');
    const signals = benchSignals(count, sharedEvery, runId);
    const households = new Set(signals.map((s) => `${s.client.Postcode}|${s.client.Huisnummer}`)).size;
    const body = JSON.stringify({ signals });
    say(`posting ${count} signals (${households} households, ${(body.length / 1024 / 1024).toFixed(1)} MB) ...`);

    const post = async () => {
      const started = performance.now();
      const response = await fetch(`${api.url}/v1/signals`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INTAKE_KEY}` },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await response.json()) as { results?: { status: string }[] };
      const ms = performance.now() - started;
      if (response.status !== 202 || !json.results)
        throw new Error(`intake answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
      const byStatus: Record<string, number> = {};
      for (const r of json.results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return { ms, byStatus };
    };

    const intakeStarted = performance.now();
    const first = await post();
    say(`first post answered in ${(first.ms / 1000).toFixed(2)} s: ${JSON.stringify(first.byStatus)}`);
    const again = await post();
    const bareAfter = await bareLoop('after');
    const bare = bareBefore && bareAfter ? { ms: (bareBefore.ms + bareAfter.ms) / 2 } : null;

    // The workflows' own pace (first activation and first read-model write per case): reported, bounded, not judged.
    let persisted = 0;
    const cpuAtWatch = cpu.snapshot();
    const persistStarted = performance.now();
    const persistedBefore = worker ? await countCasesSavedByWorkflows(pool, '0518') : 0;
    if (worker && waitMs > 0) {
      say(`watching the workflows persist their cases for up to ${waitMs / 1000} s ...`);
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        persisted = await countCasesSavedByWorkflows(pool, '0518');
        if (persisted >= households) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const watchedS = (performance.now() - persistStarted) / 1000;
    const cpuDuringWatch = cpu.report(cpuAtWatch);
    const sinceFirstPostS = (performance.now() - intakeStarted) / 1000;

    const rate = (r: { ms: number }) =>
      `${(r.ms / 1000).toFixed(2)} s   ${Math.round(count / (r.ms / 1000))} signals/s`;
    const lines: string[] = [];
    lines.push(`intake of ${count} signals in one request (${households} households) on the ${serverLabel}`);
    if (bareBefore && bareAfter) {
      lines.push(`  bare before:  ${rate(bareBefore)}   (anchor: signalWithStart, ${DELIVERY_CONCURRENCY} at a time)`);
      lines.push(`  bare after:   ${rate(bareAfter)}`);
    }
    lines.push(
      `  first post:   ${rate(first)}   ${JSON.stringify(first.byStatus)}${bare ? `   ${(bare.ms / first.ms).toFixed(2)}x the bare loops' mean` : ''}`,
    );
    lines.push(`  re-post:      ${rate(again)}   ${JSON.stringify(again.byStatus)}`);
    if (worker && waitMs > 0) {
      lines.push(
        `  read model:   ${persisted}/${households} cases written by their workflows, ${persistedBefore} of them before the watch; ${sinceFirstPostS.toFixed(1)} s after the first post began: ${(persisted / sinceFirstPostS).toFixed(1)} cases/s overall, ${((persisted - persistedBefore) / watchedS).toFixed(1)} cases/s during the ${watchedS.toFixed(1)} s watch`,
      );
      lines.push(`  CPU while the read model filled: ${JSON.stringify(cpuDuringWatch)}`);
    }
    const ok = first.byStatus.accepted === count && again.byStatus.duplicate === count;
    if (!ok) lines.push('  NOT OK: expected every signal accepted on the first post and duplicate on the second');
    return { lines, ok };
  } finally {
    await stopAll();
    clearTimeout(watchdog);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
