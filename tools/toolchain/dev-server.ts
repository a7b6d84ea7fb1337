import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { waitForPort } from './test-server';

/** Custom search attributes: operational facts only, never personal data (they are stored unencrypted). */
export const SEARCH_ATTRIBUTES = {
  BereikMunicipality: 'Keyword',
  BereikStatus: 'Keyword',
  BereikSegment: 'Keyword',
} as const;

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` on 127.0.0.1, its Web UI too: persisted to a SQLite file when `dbFile` is given.
 * Loopback only, because the UI shows every workflow and decodes payloads through `codecEndpoint`.
 */
export async function startDevServer(opts: {
  binary: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  codecEndpoint?: string;
  logFile: string;
  /** Runs the server in a process group of its own (so a terminal's Ctrl-C reaches only whoever stops it in order). */
  ownProcessGroup?: boolean;
  /** Told each new server process, e.g. to tie it to a watchdog. */
  onProcess?: (pid: number) => void;
}): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=NORMAL',
    );
  }
  if (opts.uiPort) args.push('--ui-ip', '127.0.0.1', '--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  // Tests start many workflows at once; the dev server's default rate limits are for one laptop user.
  args.push('--dynamic-config-value', 'frontend.namespaceRPS=100000', '--dynamic-config-value', 'frontend.rps=100000');

  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(opts.binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.ownProcessGroup ?? false,
  });
  if (child.pid !== undefined) opts.onProcess?.(child.pid);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exitedEarly: Error | null = null;
  child.on('exit', (code) => {
    exitedEarly = new Error(`the Temporal dev server exited (code ${code}); see ${opts.logFile}`);
  });
  await Promise.race([
    waitUntilServing(`127.0.0.1:${opts.port}`),
    new Promise((_, reject) => child.on('exit', () => reject(exitedEarly))),
  ]);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : null,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** The port opens before the default namespace exists; wait until the frontend answers for it. */
export async function waitUntilServing(address: string, namespace = 'default', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const [host, port] = address.split(':');
  await waitForPort(Number(port), timeoutMs, host);
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} is not serving namespace ${namespace}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface SupervisedDevServer {
  address: string;
  uiUrl: string | null;
  /** The process serving now; a new one after each restart. */
  current(): DevServer;
  /** Resolves once the server serves again after its process ended on its own. */
  restarted(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The dev server as `npm start` runs it: when its process dies on its own (killed, out of memory), a new one starts
 * on the same port and SQLite file, so open cases go on and the worker and API reconnect by themselves. Needs
 * `dbFile`: without it a restart would come back empty.
 */
export async function startSupervisedDevServer(
  opts: Parameters<typeof startDevServer>[0] & { dbFile: string },
  report: (line: string) => void = () => {},
): Promise<SupervisedDevServer> {
  let server = await startDevServer(opts);
  let stopping = false;
  let waiting: (() => void)[] = [];

  const restart = async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        const next = await startDevServer(opts);
        if (stopping) return void (await next.stop());
        server = next;
        watch(next);
        report(`the Temporal dev server is back on ${next.address}`);
        for (const resolve of waiting.splice(0)) resolve();
        return;
      } catch (error) {
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        report(
          `restarting the Temporal dev server failed (${(error as Error).message}); trying again in ${delay / 1000} s`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  const watch = (watched: DevServer) =>
    watched.process.once('exit', (code, signal) => {
      if (stopping) return;
      report(`the Temporal dev server exited (${signal ?? code}); restarting it on ${opts.dbFile}`);
      void restart();
    });
  watch(server);

  return {
    address: server.address,
    uiUrl: server.uiUrl,
    current: () => server,
    restarted: () => new Promise<void>((resolve) => waiting.push(resolve)),
    stop: async () => {
      stopping = true;
      waiting = [];
      await server.stop();
    },
  };
}
