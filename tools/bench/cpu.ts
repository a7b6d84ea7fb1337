import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

// Where the CPU of a benchmark goes: per process tree, from /proc (Linux), so a figure says what limited it.

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the project runs on

function stat(pid: number): { ppid: number; cpuTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, all threads) used so far by `root` and every live descendant. */
export function cpuSecondsOfTree(root: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    ticks.set(pid, s.cpuTicks);
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += ticks.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total / TICKS_PER_SECOND;
}

/** Process trees to account for, by name; `snapshot()` now, `report(since)` later gives each one's share. */
export class CpuAccount {
  private readonly roots = new Map<string, number>();

  add(name: string, pid: number | null | undefined): void {
    if (pid) this.roots.set(name, pid);
  }

  snapshot(): { at: number; seconds: Record<string, number>; machineTicks: number } {
    const seconds: Record<string, number> = {};
    for (const [name, pid] of this.roots) seconds[name] = cpuSecondsOfTree(pid);
    return { at: Date.now(), seconds, machineTicks: machineBusySeconds() };
  }

  /** Per tree: CPU seconds since `since`, and as a percentage of one core over that wall time. */
  report(since: ReturnType<CpuAccount['snapshot']>): Record<string, unknown> {
    const now = this.snapshot();
    const wall = (now.at - since.at) / 1000;
    const out: Record<string, unknown> = { wallSeconds: Math.round(wall) };
    for (const [name, s] of Object.entries(now.seconds)) {
      const used = s - (since.seconds[name] ?? 0);
      out[name] = { cpuSeconds: Math.round(used), percentOfOneCore: Math.round((100 * used) / Math.max(1, wall)) };
    }
    out.machine = {
      cores: os.cpus().length,
      // Everything on the machine, other benchmarks and helpers included: how contended the run was.
      busyPercentOfAllCores: Math.round(
        (100 * (now.machineTicks - since.machineTicks)) / Math.max(1, wall) / os.cpus().length,
      ),
      loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
    };
    return out;
  }
}

function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}
