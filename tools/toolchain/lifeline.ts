import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What ties the processes of one `npm start` to it, so none outlives it and the next start finds its ports free:
 * - children run in process groups of their own (Ctrl-C reaches only the start process, which stops them in order),
 *   and a watchdog (reaper.mjs, in a session of its own) ends those groups and the PostgreSQL cluster when the start
 *   process dies without stopping them: a SIGKILL, the OOM killer, a closed terminal's whole process group;
 * - the start process watches its launchers (tsx, tools/run.mjs, npm) and stops everything when one of them is gone;
 * - a record in DATA_DIR names the processes, so the next start ends any that are still there, and refuses to run
 *   beside a start that still runs on the same DATA_DIR.
 */

/** The kernel's start time of a process (clock ticks since boot): with the pid, it names one process for good. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

interface ProcessId {
  pid: number;
  start: string;
}

/** Z (a zombie, not yet reaped by whoever adopted it) and X (dead) have stopped running, though /proc shows them. */
function hasExited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

function stillRunning(id: ProcessId): boolean {
  return processStartTicks(id.pid) === id.start && !hasExited(id.pid);
}

/** Whether a process group still has a member that runs: zombies waiting to be reaped do not count. */
function groupExists(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // ended while we looked
    }
  }
  return false;
}

interface RunRecord {
  start: ProcessId;
  reaper: ProcessId | null;
  groups: ProcessId[];
}

export interface Lifeline {
  /** A child that leads a process group of its own (spawned detached): ended with the start, reclaimed by the next. */
  adopt(pid: number): void;
  /** A command the watchdog runs after ending the groups when the start process died (e.g. `pg_ctl stop`). */
  atOrphanedExit(argv: string[]): void;
  /** Everything stopped in order: the watchdog and the record go. */
  release(): void;
}

/**
 * Ends what an earlier start on this DATA_DIR left running (its watchdog had no chance, or was killed too), and
 * fails when that start is still running. Returns what it did, for the progress lines.
 */
export async function reclaimEarlierRun(recordFile: string, timeoutMs = 30_000): Promise<string[]> {
  if (!existsSync(recordFile)) return [];
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as RunRecord;
  } catch {
    rmSync(recordFile, { force: true });
    return [];
  }
  if (stillRunning(record.start)) {
    throw new Error(
      `npm start is already running on this DATA_DIR (pid ${record.start.pid}); stop it first (Ctrl-C in its terminal, or kill ${record.start.pid}), or use another DATA_DIR`,
    );
  }
  const lines: string[] = [];
  const deadline = Date.now() + timeoutMs;
  // A watchdog still at work is given its time: it stops PostgreSQL properly.
  while (record.reaper && stillRunning(record.reaper) && Date.now() < deadline) await pause(100);
  // A group whose leader is gone may keep members (tsx's node child); a leader pid now naming another process is not ours.
  const leftovers = record.groups.filter((group) => {
    const ticks = processStartTicks(group.pid);
    return (ticks === group.start || ticks === null) && groupExists(group.pid);
  });
  for (const group of leftovers) {
    lines.push(
      `ending process group ${group.pid} left by an earlier start (${commandLine(group.pid).split(' ')[0] || 'gone'})`,
    );
    try {
      process.kill(-group.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  while (leftovers.some((group) => groupExists(group.pid))) {
    if (Date.now() > deadline)
      throw new Error(`processes left by an earlier start did not end: ${leftovers.map((g) => g.pid).join(', ')}`);
    await pause(50);
  }
  rmSync(recordFile, { force: true });
  return lines;
}

/** Starts the watchdog and the record of this run; `onLaunchersGone` runs when npm, run.mjs or tsx has died. */
export function startLifeline(opts: { recordFile: string; logFile: string; onLaunchersGone: () => void }): Lifeline {
  mkdirSync(path.dirname(opts.recordFile), { recursive: true });
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = openSync(opts.logFile, 'a');
  const reaper = spawn(process.execPath, [path.join(__dirname, 'reaper.mjs')], {
    detached: true,
    stdio: ['pipe', log, log],
  });
  closeSync(log);
  reaper.unref();
  const stdin = reaper.stdin!;
  (stdin as unknown as { unref?: () => void }).unref?.();
  stdin.on('error', () => undefined);

  const self = { pid: process.pid, start: processStartTicks(process.pid) ?? '' };
  const record: RunRecord = {
    start: self,
    reaper: reaper.pid ? { pid: reaper.pid, start: processStartTicks(reaper.pid) ?? '' } : null,
    groups: [],
  };
  const save = () => writeFileSync(opts.recordFile, `${JSON.stringify(record)}\n`);
  save();
  const send = (message: unknown) => {
    if (!stdin.destroyed) stdin.write(`${JSON.stringify(message)}\n`);
  };

  const launchers = launcherChain();
  const watch = setInterval(() => {
    if (launchers.some((launcher) => !stillRunning(launcher))) {
      clearInterval(watch);
      opts.onLaunchersGone();
    }
  }, 500);
  watch.unref();

  return {
    adopt(pid) {
      const id = { pid, start: processStartTicks(pid) ?? '' };
      record.groups = [...record.groups.filter(stillRunning), id];
      save();
      send({ group: pid, start: id.start });
    },
    atOrphanedExit(argv) {
      send({ finally: argv });
    },
    release() {
      clearInterval(watch);
      send({ done: true });
      stdin.end();
      rmSync(opts.recordFile, { force: true });
    },
  };
}

/**
 * The processes that launched this one, up to npm: `npm start` runs sh, which runs tools/run.mjs, which runs
 * tools/start.ts (with tsx as its loader). Killing any of them (kill -9 of npm's pid) must not leave the service running unseen.
 * Started some other way (npx tsx tools/start.ts), only the parent is watched.
 */
function launcherChain(): ProcessId[] {
  const chain: ProcessId[] = [];
  for (let pid = parentOf(process.pid); pid && pid > 1 && chain.length < 5; pid = parentOf(pid)) {
    const start = processStartTicks(pid);
    if (!start) break;
    chain.push({ pid, start });
    if (/(^|\/)npm(-cli\.js)?( |$)/.test(commandLine(pid))) return chain;
  }
  return chain.slice(0, 1);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
