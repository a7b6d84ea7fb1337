import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

/**
 * The worker and the API as real child processes, for the tests and the benchmarks, started the way `npm start` does
 * (tools/start.ts): the tsx launcher with an environment of their own, output into a log file. Each child leads a process group of its own, because tsx
 * runs the entry point in a second node process: a kill -9 must reach that one, not only the launcher.
 */

const TSX = path.join(projectRoot, 'node_modules/.bin/tsx');

/** Variables of the parent that a child needs to run at all; everything bereik reads is given explicitly. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'USER', 'LOGNAME', 'SHELL'];

export function childEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED) if (process.env[name] !== undefined) env[name] = process.env[name];
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

export interface ChildProcessHandle {
  readonly name: string;
  /** The tsx launcher, also the ID of the child's process group. */
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the launcher has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  log(): string;
  /** The node process that runs the entry point (the launcher's child), once it exists. */
  entryPid(): number | null;
  /** Signals the whole process group and waits until every process in it is gone. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcessHandle>();
let exitHookInstalled = false;

/** Starts `entry` (relative to the project root) with `env`; stdout and stderr go to `logFile` (appended). */
export function startEntry(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  nodeArgs: readonly string[] = [],
): ChildProcessHandle {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  // Node flags NODE_OPTIONS refuses (--cpu-prof) go on tsx's command line, which hands them to node.
  const child = spawn(TSX, [...nodeArgs, path.join(projectRoot, entry)], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${entry})`);
  const pid = child.pid;
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  let knownEntryPid: number | null = null;

  const groupAlive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const handle: ChildProcessHandle = {
    name,
    pid,
    logFile,
    exited,
    running: () => !done,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    entryPid() {
      if (knownEntryPid !== null) return knownEntryPid;
      try {
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
        // The launcher has one node child (and that child an esbuild service); take the node one.
        for (const candidate of children) {
          const cmdline = readFileSync(`/proc/${candidate}/cmdline`, 'utf8');
          if (cmdline.includes(entry)) knownEntryPid = candidate;
        }
      } catch {
        // not started yet, or already gone
      }
      return knownEntryPid;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 15_000) {
      handle.entryPid(); // remember it while it can still be found
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
      const deadline = Date.now() + timeoutMs;
      while (!done || groupAlive()) {
        if (Date.now() > deadline)
          throw new Error(`${name} (process group ${pid}) did not exit within ${timeoutMs} ms after ${signal}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      live.delete(handle);
    },
    async stop(graceMs = 10_000) {
      if (!done || groupAlive()) {
        try {
          await handle.kill('SIGTERM', graceMs);
        } catch {
          await handle.kill('SIGKILL');
        }
      }
      live.delete(handle);
    },
  };
  live.add(handle);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Whatever happens to the test process, no child it started outlives it.
    process.once('exit', () => {
      for (const h of live) {
        try {
          process.kill(-h.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    });
  }
  return handle;
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs` with `what` and the last error. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${describeError(lastError)}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++)
    parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(' <- ');
}

/** Fails fast with the log's tail when the child exits while we wait for it. */
async function whileRunning<T>(child: ChildProcessHandle, waiting: Promise<T>): Promise<T> {
  const died = child.exited.then(({ code, signal }) => {
    throw new Error(
      `${child.name} exited (${signal ?? code}) while starting; its log ends with:\n${child.log().slice(-3000)}`,
    );
  });
  return Promise.race([waiting, died]);
}

/** `worker/main.ts`, ready once it logs that it runs (after bundling the workflow code). */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  logFile: string,
  timeoutMs = 120_000,
  nodeArgs: readonly string[] = [],
): Promise<ChildProcessHandle> {
  const offset = existsSync(logFile) ? readFileSync(logFile).length : 0;
  const worker = startEntry('worker', 'worker/main.ts', env, logFile, nodeArgs);
  try {
    await whileRunning(
      worker,
      waitFor(
        'the worker to run',
        () => readFileSync(logFile).subarray(offset).includes('"worker running"'),
        timeoutMs,
        100,
      ),
    );
  } catch (error) {
    await worker.kill('SIGKILL');
    throw error;
  }
  return worker;
}

/** `api/main.ts` on env.PORT, ready once /healthz answers 200 (PostgreSQL and Temporal reachable). */
export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  logFile: string,
  timeoutMs = 60_000,
): Promise<ChildProcessHandle & { url: string }> {
  if (!env.PORT || env.PORT === '0') throw new Error('startApiProcess needs a fixed PORT');
  const url = `http://127.0.0.1:${env.PORT}`;
  const api = startEntry('api', 'api/main.ts', env, logFile);
  try {
    await whileRunning(
      api,
      waitFor(
        'the API to be healthy',
        async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok,
        timeoutMs,
        100,
      ),
    );
  } catch (error) {
    await api.kill('SIGKILL');
    throw error;
  }
  return Object.assign(api, { url });
}

/** Peak resident set (VmHWM) and current resident set (VmRSS) of a process, in kB; null when it is gone. */
export function memoryOf(pid: number): { peakKb: number; rssKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakKb: field('VmHWM'), rssKb: field('VmRSS') };
  } catch {
    return null;
  }
}
