import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES, type DevServer, type SupervisedDevServer } from './dev-server';
import { elapsed, run, say } from './progress';
import { findOnPath, isExecutable, projectRoot, projectToolsDir, userCacheDir } from './paths';
import { freePort, waitForPort } from './test-server';

/** The release docker-compose runs (temporalio/server and admin-tools images); the CLI v1.5.1 embeds it too. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** The server's configuration as production runs it: the same files docker-compose mounts. */
export const TEMPORAL_CONFIG_DIR = path.join(projectRoot, 'deploy', 'temporal', 'config');
export const TEMPORAL_DYNAMIC_CONFIG_FILE = path.join(
  projectRoot,
  'deploy',
  'temporal',
  'dynamicconfig',
  'production.yaml',
);
export const TEMPORAL_SCHEMA_SCRIPT = path.join(projectRoot, 'deploy', 'temporal', 'setup-schema.sh');

/** Closed cases stay visible to staff in Temporal this long; bereik's read model keeps what the DDAS report needs. */
const NAMESPACE_RETENTION = '30 days';

export interface TemporalServerBinaries {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** `temporal-sql-tool` (go.temporal.io/server/cmd/tools/sql). */
  sqlTool: string;
  /** The server's PostgreSQL schemas: `temporal/versioned` and `visibility/versioned` below it. */
  schemaDir: string;
}

/**
 * Finds the real Temporal server and its schema tool: `TEMPORAL_SERVER_PATH` (with `temporal-sql-tool` beside it,
 * schemas in `TEMPORAL_SCHEMA_DIR` or `schema/postgresql/v12` beside it), the project's tool folder, the user cache,
 * `temporal-server` on PATH, and finally a build from the Go module proxy (CGO off, as the CLI).
 */
export async function ensureTemporalServer(): Promise<TemporalServerBinaries> {
  const explicit = process.env.TEMPORAL_SERVER_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_SERVER_PATH=${explicit} is not an executable file`);
    const found = binariesIn(path.dirname(explicit), explicit);
    if (!found) throw new Error(`TEMPORAL_SERVER_PATH=${explicit}: no temporal-sql-tool or schema folder beside it`);
    return found;
  }
  const folderName = `temporal-server-${TEMPORAL_SERVER_VERSION}`;
  const cached = path.join(userCacheDir(), folderName);
  for (const dir of [path.join(projectToolsDir, folderName), cached]) {
    const found = binariesIn(dir);
    if (found) return found;
  }
  const onPath = findOnPath('temporal-server');
  if (onPath) {
    const found = binariesIn(path.dirname(onPath), onPath, '/etc/temporal/schema/postgresql/v12');
    if (found) return found;
  }
  return build(cached);
}

function binariesIn(dir: string, server = path.join(dir, 'temporal-server'), fallbackSchemaDir?: string) {
  const sqlTool = path.join(dir, 'temporal-sql-tool');
  const schemaDir = [process.env.TEMPORAL_SCHEMA_DIR, path.join(dir, 'schema', 'postgresql', 'v12'), fallbackSchemaDir]
    .filter((d): d is string => !!d)
    .find((d) => existsSync(path.join(d, 'temporal', 'versioned')) && existsSync(path.join(d, 'visibility')));
  if (!isExecutable(server) || !isExecutable(sqlTool) || !schemaDir) return null;
  return { server, sqlTool, schemaDir };
}

async function build(target: string): Promise<TemporalServerBinaries> {
  const go = findOnPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go)
    throw new Error(
      'No Temporal server found and no Go toolchain to build one. Set TEMPORAL_SERVER_PATH or install Go >= 1.25.',
    );
  say(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and temporal-sql-tool from the Go module proxy (several minutes on a cold cache) ...`,
  );
  const startedAt = Date.now();
  const gobin = path.join(userCacheDir(), 'go-build-bin', 'temporal-server');
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  const env = { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  const packages = ['cmd/server', 'cmd/tools/sql'].map((p) => `go.temporal.io/server/${p}@${TEMPORAL_SERVER_VERSION}`);
  await run(go, ['install', '-ldflags=-s -w', ...packages], { env, label: 'go install', quiet: true });
  // The schema files are part of the module, now in the module cache.
  const moduleCache = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8', env }).trim();
  const moduleSchema = path.join(
    moduleCache,
    'go.temporal.io',
    `server@${TEMPORAL_SERVER_VERSION}`,
    'schema',
    'postgresql',
    'v12',
  );
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  copyFileSync(path.join(gobin, 'server'), path.join(partial, 'temporal-server'));
  copyFileSync(path.join(gobin, 'sql'), path.join(partial, 'temporal-sql-tool'));
  for (const binary of ['temporal-server', 'temporal-sql-tool']) chmodSync(path.join(partial, binary), 0o755);
  cpSync(moduleSchema, path.join(partial, 'schema', 'postgresql', 'v12'), { recursive: true });
  chmodSync(partial, 0o755);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  const built = binariesIn(target);
  if (!built) throw new Error(`could not install the Temporal server in ${target}`);
  say(`Temporal server built in ${elapsed(startedAt)} and cached in ${target}`);
  return built;
}

export interface TemporalServer extends DevServer {
  namespace: string;
  /** Prometheus metrics of the server (`/metrics`). */
  metricsAddress: string;
}

export interface TemporalServerOptions {
  /** PostgreSQL as a URL whose user may create databases, e.g. `postgres://temporal:secret@127.0.0.1:5432/postgres`. */
  postgresUrl: string;
  /** Logs go here (`temporal-server.log`). */
  dir: string;
  /** Names the two databases: `<prefix>` and `<prefix>_visibility`. Default `temporal`. */
  databasePrefix?: string;
  /** The frontend's gRPC port; a free one when not given. Every other port is a free one. */
  port?: number;
  namespace?: string;
  binaries?: TemporalServerBinaries;
  /** Runs the server in a process group of its own (so a terminal's Ctrl-C reaches only whoever stops it in order). */
  ownProcessGroup?: boolean;
  /** Told each new server process, e.g. to tie it to a watchdog. */
  onProcess?: (pid: number) => void;
}

/**
 * The real Temporal server (all four services in one process) on PostgreSQL for persistence and visibility, with
 * the production configuration in deploy/temporal/: creates or upgrades its databases with temporal-sql-tool (the
 * script docker-compose's schema job runs), starts it on 127.0.0.1, registers the namespace and bereik's search
 * attributes, and resolves once it serves them.
 */
export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServer> {
  const launch = await prepareTemporalServer(opts);
  return launch();
}

/**
 * As `npm start` runs it: when the server's process dies on its own (killed, out of memory), a new one starts on the
 * same ports and databases, so open cases go on and the worker and API reconnect by themselves.
 */
export async function startSupervisedTemporalServer(
  opts: TemporalServerOptions,
  report: (line: string) => void = () => {},
): Promise<SupervisedDevServer & { namespace: string }> {
  const launch = await prepareTemporalServer(opts);
  let server = await launch();
  let stopping = false;
  let waiting: (() => void)[] = [];
  const restart = async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        const next = await launch();
        if (stopping) return void (await next.stop());
        server = next;
        watch(next);
        report(`the Temporal server is back on ${next.address}`);
        for (const resolve of waiting.splice(0)) resolve();
        return;
      } catch (error) {
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        report(
          `restarting the Temporal server failed (${(error as Error).message}); trying again in ${delay / 1000} s`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  const watch = (watched: TemporalServer) =>
    watched.process.once('exit', (code, signal) => {
      if (stopping) return;
      report(`the Temporal server exited (${signal ?? code}); restarting it`);
      void restart();
    });
  watch(server);
  return {
    address: server.address,
    uiUrl: null,
    namespace: server.namespace,
    current: () => server,
    restarted: () => new Promise<void>((resolve) => waiting.push(resolve)),
    stop: async () => {
      stopping = true;
      waiting = [];
      await server.stop();
    },
  };
}

/** Sets the databases up and chooses the ports once; the function it returns starts one server process. */
async function prepareTemporalServer(opts: TemporalServerOptions): Promise<() => Promise<TemporalServer>> {
  const binaries = opts.binaries ?? (await ensureTemporalServer());
  const namespace = opts.namespace ?? 'default';
  const prefix = opts.databasePrefix ?? 'temporal';
  const pg = new URL(opts.postgresUrl);
  const databaseEnv = {
    TEMPORAL_DB_HOST: pg.hostname,
    TEMPORAL_DB_PORT: pg.port || '5432',
    TEMPORAL_DB_USER: decodeURIComponent(pg.username),
    TEMPORAL_DB_PASSWORD: decodeURIComponent(pg.password),
    TEMPORAL_DB: prefix,
    TEMPORAL_VISIBILITY_DB: `${prefix}_visibility`,
  };
  mkdirSync(opts.dir, { recursive: true });
  await run('sh', [TEMPORAL_SCHEMA_SCRIPT], {
    env: {
      ...process.env,
      ...databaseEnv,
      TEMPORAL_SCHEMA_DIR: binaries.schemaDir,
      PATH: `${path.dirname(binaries.sqlTool)}${path.delimiter}${process.env.PATH ?? ''}`,
    },
    label: 'temporal-sql-tool',
    quiet: true,
  });

  const port = opts.port ?? (await freePort());
  const ports: Record<string, number> = {};
  for (const name of [
    'TEMPORAL_FRONTEND_HTTP_PORT',
    'TEMPORAL_FRONTEND_MEMBERSHIP_PORT',
    'TEMPORAL_HISTORY_PORT',
    'TEMPORAL_HISTORY_MEMBERSHIP_PORT',
    'TEMPORAL_MATCHING_PORT',
    'TEMPORAL_MATCHING_MEMBERSHIP_PORT',
    'TEMPORAL_WORKER_PORT',
    'TEMPORAL_WORKER_MEMBERSHIP_PORT',
    'TEMPORAL_METRICS_PORT',
  ])
    // freePort's ports lie below 32768, as the cluster_membership table's smallint rpc ports need too.
    ports[name] = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...databaseEnv,
    ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
    TEMPORAL_FRONTEND_PORT: String(port),
    TEMPORAL_BIND_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    TEMPORAL_LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
    TEMPORAL_DYNAMIC_CONFIG_FILE,
  };
  const address = `127.0.0.1:${port}`;
  const logFile = path.join(opts.dir, 'temporal-server.log');
  let registered = false;

  return async () => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const args = ['--root', '/', '--config', TEMPORAL_CONFIG_DIR, '--env', 'production', '--allow-no-auth', 'start'];
    const child: ChildProcess = spawn(binaries.server, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.ownProcessGroup ?? false,
    });
    if (child.pid !== undefined) opts.onProcess?.(child.pid);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`the Temporal server exited (${signal ?? `code ${code}`}); see ${logFile}`)),
      ),
    );
    exited.catch(() => undefined);
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      });
    try {
      await Promise.race([
        (async () => {
          await waitForPort(port, 120_000);
          if (!registered) await registerNamespace(address, namespace);
          await waitUntilSearchable(address, namespace);
          registered = true;
        })(),
        exited,
      ]);
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      address,
      uiUrl: null,
      namespace,
      metricsAddress: `127.0.0.1:${ports.TEMPORAL_METRICS_PORT}`,
      process: child,
      stop,
    };
  };
}

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** The namespace and the search attributes the dev server gets from its flags; idempotent. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await retry(() => Connection.connect({ address, connectTimeout: 2000 }), 60_000);
  try {
    await retry(async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION),
        });
      } catch (error) {
        if (!/already exists/i.test(String(error))) throw error;
      }
    }, 60_000);
    const { customAttributes } = await retry(
      () => connection.operatorService.listSearchAttributes({ namespace }),
      60_000,
    );
    const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in (customAttributes ?? {})));
    if (missing.length > 0)
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
      });
  } finally {
    await connection.close();
  }
}

/**
 * The frontend caches namespaces and search attributes: a new namespace is unknown to it, and a new search
 * attribute invalid in a query or a start, until its cache refreshes. A visibility query naming every search
 * attribute answers once both are known, without writing anything.
 */
async function waitUntilSearchable(address: string, namespace: string): Promise<void> {
  const query = Object.keys(SEARCH_ATTRIBUTES)
    .map((name) => `${name} = "readiness-probe"`)
    .join(' AND ');
  const connection = await retry(() => Connection.connect({ address, connectTimeout: 2000 }), 60_000);
  try {
    await retry(() => connection.workflowService.countWorkflowExecutions({ namespace, query }), 90_000);
  } finally {
    await connection.close();
  }
}

async function retry<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
