import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { provision } from './provision';
import {
  clusterStopCommand,
  ensurePostgresBinaries,
  ensureTemporalCli,
  say,
  startPostgres,
  startSupervisedDevServer,
  startSupervisedTemporalServer,
  stopLeftoverCluster,
} from './toolchain';
import { reclaimEarlierRun, startLifeline, type Lifeline } from './toolchain/lifeline';
import { brpSpecDir, startPrism, startSmtpSink, twilioSpecDir } from './toolchain/local-peers';
import { projectRoot } from './toolchain/paths';
import { assertPortsFree } from './toolchain/ports';
import { waitForWorkerPolling } from './toolchain/task-queue';

/**
 * `npm start`: the whole service on this machine. PostgreSQL and the Temporal dev server (unless DATABASE_URL or
 * TEMPORAL_ADDRESS point elsewhere), then the worker and the API. The dev server, worker and API are supervised: a
 * killed one comes back and the cases go on. State lives under DATA_DIR, so the next start finds the same cases.
 * Ctrl-C stops everything; so does a closed terminal or a SIGKILL of npm start (see toolchain/lifeline.ts).
 */
const stops: { name: string; stop: () => Promise<void> }[] = [];
let lifeline: Lifeline | null = null;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping ...');
  const failed: string[] = [];
  for (const { name, stop } of stops.reverse()) {
    await withinStopTime(stop()).catch((error: unknown) => {
      failed.push(name);
      say(`stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  if (failed.length) {
    // The watchdog sees this process end without a release and tries again; the next start reclaims the rest.
    say(`stopped, except ${failed.join(', ')} (see above)`);
    process.exit(code || 1);
  }
  lifeline?.release();
  say('stopped');
  process.exit(code);
}

/** No stop may hang the shutdown: one that takes longer is reported, and the watchdog ends what is left. */
function withinStopTime(stopping: Promise<void>, ms = 45_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not stop within ${ms / 1000} s`)), ms);
  });
  return Promise.race([stopping, late]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const config = loadConfig();
  // A closed terminal sends SIGHUP; its output is gone then, which must not stop the shutdown.
  process.stdout.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  const realServer = !config.TEMPORAL_ADDRESS && config.TEMPORAL_SERVER === 'cluster';
  await provision({
    temporalCli: !config.TEMPORAL_ADDRESS && !realServer,
    temporalServer: realServer,
    testServer: false,
    postgres: !config.DATABASE_URL,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: config.DATA_DIR,
    CODEC_LOCAL_TOKEN: randomBytes(24).toString('base64url'),
  };

  // What an earlier start on this DATA_DIR left behind (it was killed, its terminal closed) is ours to end.
  mkdirSync(config.DATA_DIR, { recursive: true });
  const recordFile = path.join(config.DATA_DIR, 'npm-start.json');
  for (const line of await reclaimEarlierRun(recordFile)) say(line);
  const pgBinDir = config.DATABASE_URL ? null : await ensurePostgresBinaries();
  const pgDataDir = path.join(config.DATA_DIR, 'postgres');
  if (pgBinDir) {
    const leftover = await stopLeftoverCluster({ binDir: pgBinDir, dataDir: pgDataDir });
    if (leftover) say(leftover);
  }
  // Anything else on our ports is not ours: say so now, not after half the service started.
  await assertPortsFree([
    { port: config.PORT, variable: 'PORT' },
    ...(config.OIDC_ISSUER ? [] : [{ port: config.OIDC_DEV_PORT, variable: 'OIDC_DEV_PORT' }]),
    ...(pgBinDir ? [{ port: config.PG_PORT, variable: 'PG_PORT' }] : []),
    ...(config.TEMPORAL_ADDRESS
      ? []
      : [
          { port: config.TEMPORAL_PORT, variable: 'TEMPORAL_PORT' },
          ...(realServer ? [] : [{ port: config.TEMPORAL_UI_PORT, variable: 'TEMPORAL_UI_PORT' }]),
        ]),
  ]);
  const own = startLifeline({
    recordFile,
    logFile: path.join(config.DATA_DIR, 'logs', 'watchdog.log'),
    onLaunchersGone: () => {
      if (stopping) return;
      say('npm start was ended from outside; stopping');
      void shutdown(1);
    },
  });
  lifeline = own;
  const ownGroup = { ownProcessGroup: true, onProcess: (pid: number) => own.adopt(pid) };

  let databaseUrl = config.DATABASE_URL;
  if (pgBinDir) {
    say(`starting PostgreSQL on 127.0.0.1:${config.PG_PORT} (data in ${pgDataDir}) ...`);
    own.atOrphanedExit(clusterStopCommand({ binDir: pgBinDir, dataDir: pgDataDir }));
    const cluster = await startPostgres({
      binDir: pgBinDir,
      dataDir: pgDataDir,
      port: config.PG_PORT,
      database: 'bereik',
    });
    stops.push({ name: 'PostgreSQL', stop: () => cluster.stop() });
    databaseUrl = cluster.url;
  }
  if (!databaseUrl) throw new Error('no database: DATABASE_URL is unset and no local cluster was started');
  env.DATABASE_URL = databaseUrl;
  const { migrate } = await import('../db/migrate');
  await migrate(databaseUrl);
  say('database migrations applied');

  let temporalAddress = config.TEMPORAL_ADDRESS;
  let uiUrl: string | null = null;
  if (realServer) {
    say(`starting the Temporal server (PostgreSQL, deploy/temporal/) on 127.0.0.1:${config.TEMPORAL_PORT} ...`);
    const server = await startSupervisedTemporalServer(
      { postgresUrl: databaseUrl, dir: path.join(config.DATA_DIR, 'logs'), port: config.TEMPORAL_PORT, ...ownGroup },
      say,
    );
    stops.push({ name: 'the Temporal server', stop: () => server.stop() });
    temporalAddress = server.address;
  } else if (!temporalAddress) {
    say(`starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} ...`);
    const server = await startSupervisedDevServer(
      {
        binary: await ensureTemporalCli(),
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: path.join(config.DATA_DIR, 'temporal.db'),
        codecEndpoint: `http://localhost:${config.PORT}/codec/local/${env.CODEC_LOCAL_TOKEN}/codec`,
        logFile: path.join(config.DATA_DIR, 'logs', 'temporal.log'),
        ...ownGroup,
      },
      say,
    );
    stops.push({ name: 'the Temporal dev server', stop: () => server.stop() });
    temporalAddress = server.address;
    uiUrl = server.uiUrl;
  }
  env.TEMPORAL_ADDRESS = temporalAddress;

  const peers = await startLocalPeers(config, env, ownGroup);
  if (!config.OIDC_ISSUER) peers.push(await startLocalOidcProvider(config, env));

  const workerLaunchedAt = new Date();
  const worker = supervise('worker', 'worker/main.ts', env, own);
  stops.push({ name: 'the worker', stop: () => worker.stop() });
  const api = supervise('api', 'api/main.ts', env, own);
  stops.push({ name: 'the API', stop: () => api.stop() });

  const apiUrl = `http://localhost:${config.PORT}`;
  await waitForHealthy(`${apiUrl}/healthz`, 120_000);
  // Healthy is the API; ready is also a worker polling the task queue, or a signal would sit there unanswered.
  await waitForWorkerPolling({
    address: temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    since: workerLaunchedAt,
    timeoutMs: 180_000,
  });
  say('ready:');
  say(`  API              ${apiUrl}  (health: ${apiUrl}/healthz, OpenAPI: ${apiUrl}/openapi.json)`);
  say(`  staff console    ${config.publicBaseUrl}/console/`);
  if (uiUrl) say(`  Temporal Web UI  ${uiUrl}  (this machine only)`);
  say(`  Temporal         ${temporalAddress}  (worker polling ${config.TEMPORAL_TASK_QUEUE})`);
  say(`  PostgreSQL       ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  for (const line of peers) say(`  ${line}`);
  say(`  letters          ${config.PRINT_QUEUE_DIR ?? path.join(config.OUTBOX_DIR, 'print-queue')}`);
  say('press Ctrl-C to stop');
}

/**
 * Development without accounts: when Twilio or SMTP are not configured, local peers take their place, so the whole
 * outreach runs for real on this machine and nothing reaches a resident. Prism serves Twilio's own OpenAPI contract
 * (when the specs are found); e-mail lands as .eml files in DATA_DIR/outbox.
 */
async function startLocalPeers(
  config: ReturnType<typeof loadConfig>,
  env: NodeJS.ProcessEnv,
  group: { ownProcessGroup: boolean; onProcess: (pid: number) => void },
): Promise<string[]> {
  const lines: string[] = [];
  if (!config.SMTP_URL) {
    const outbox = path.join(config.OUTBOX_DIR, 'mail');
    const smtp = await startSmtpSink(outbox);
    stops.push({ name: 'the SMTP sink', stop: () => smtp.stop() });
    env.SMTP_URL = smtp.url;
    lines.push(`e-mail (local)   ${outbox}`);
  }
  if (!config.TWILIO_ACCOUNT_SID) {
    // Local credentials and numbers: a Prism mock checks that auth is present, not what it is.
    Object.assign(env, {
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN ?? 'local-development-token',
      TWILIO_FROM: env.TWILIO_FROM ?? '+3197010000001',
      TWILIO_WHATSAPP_FROM: env.TWILIO_WHATSAPP_FROM ?? '+3197010000002',
      TWILIO_CALLER_ID: env.TWILIO_CALLER_ID ?? '+3197010000003',
      TWILIO_CALL_CENTRE_NUMBER: env.TWILIO_CALL_CENTRE_NUMBER ?? '+3197010000004',
    });
    const specDir = twilioSpecDir();
    if (config.TWILIO_API_URL) {
      lines.push(
        `Twilio (yours)   ${config.TWILIO_API_URL}${config.TWILIO_LOOKUPS_URL ? ` (Lookups ${config.TWILIO_LOOKUPS_URL})` : ''}`,
      );
    } else if (specDir) {
      say("starting Prism with Twilio's API contract (local, nothing is sent) ...");
      const [api, lookups] = await Promise.all([
        startPrism(path.join(specDir, 'twilio_api_v2010.json'), 120_000, group),
        startPrism(path.join(specDir, 'twilio_lookups_v2.json'), 120_000, group),
      ]);
      stops.push({ name: 'Prism', stop: () => api.stop() }, { name: 'Prism (Lookups)', stop: () => lookups.stop() });
      Object.assign(env, { TWILIO_API_URL: api.url, TWILIO_LOOKUPS_URL: lookups.url });
      lines.push(`Twilio (Prism)   ${api.url} (Lookups ${lookups.url})`);
    } else {
      for (const name of [
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM',
        'TWILIO_WHATSAPP_FROM',
        'TWILIO_CALLER_ID',
        'TWILIO_CALL_CENTRE_NUMBER',
      ])
        delete env[name];
      lines.push(
        'Twilio           not configured: SMS, WhatsApp and calls are skipped (set TWILIO_* or TWILIO_SPEC_DIR)',
      );
    }
  }
  if (!config.BRP_URL && !config.UNCONNECTED_REGISTRIES?.includes('brp')) {
    // The worker's BRP adapter then runs for real against the BRP's contract; Prism knows no persons, so every
    // check answers "not found" and the case goes on as a resident.
    const brpSpec = brpSpecDir();
    if (brpSpec) {
      say('starting Prism with the BRP Personen API contract (local, no real persons) ...');
      const brp = await startPrism(path.join(brpSpec, 'openapi.json'), 120_000, group);
      stops.push({ name: 'Prism (BRP)', stop: () => brp.stop() });
      Object.assign(env, { BRP_URL: brp.url, BRP_API_KEY: env.BRP_API_KEY ?? 'local-development-key' });
      lines.push(`BRP (Prism)      ${brp.url}`);
    } else {
      lines.push('BRP              not connected: everyone counts as a resident (set BRP_URL or BRP_SPEC_DIR)');
    }
  }
  return lines;
}

/** The staff console's sign-in without an IdP of the municipality: a local OpenID provider with the README's accounts. */
async function startLocalOidcProvider(config: ReturnType<typeof loadConfig>, env: NodeJS.ProcessEnv): Promise<string> {
  const { startDevOidcProvider } = await import('./oidc-dev/provider');
  const provider = await startDevOidcProvider({
    port: config.OIDC_DEV_PORT,
    redirectUris: [`${config.publicBaseUrl}/console/auth/callback`],
    clientId: config.OIDC_CLIENT_ID,
  });
  stops.push({ name: 'the OpenID provider', stop: () => provider.stop() });
  Object.assign(env, { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_SECRET: provider.clientSecret });
  return `console sign-in  ${provider.issuer} (local OpenID provider; accounts in the README)`;
}

/**
 * Runs a TypeScript entry point and restarts it when it crashes: a killed worker comes back and resumes its cases.
 * Each run leads a process group of its own (tsx runs the entry point in a second node process), tied to the
 * lifeline so it cannot outlive this start.
 */
function supervise(name: string, entry: string, env: NodeJS.ProcessEnv, lifeline: Lifeline): { stop(): Promise<void> } {
  let child: ChildProcess;
  let restarts = 0;
  const launch = () => {
    if (stopping) return;
    const startedAt = Date.now();
    child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), [path.join(projectRoot, entry)], {
      cwd: projectRoot,
      env,
      stdio: 'inherit',
      detached: true,
    });
    if (child.pid !== undefined) lifeline.adopt(child.pid);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // The back-off is for a process that cannot start, not for one that ran a while and then died.
      restarts = Date.now() - startedAt > 60_000 ? 1 : restarts + 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts, 5));
      say(`${name} exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(launch, delay).unref();
    });
  };
  launch();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const group = child.pid;
        if (group === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-group, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }, 15_000).unref();
      }),
  };
}

async function waitForHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become healthy at ${url}: ${last}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void shutdown(1);
});
