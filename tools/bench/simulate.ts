import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:simulate -- [--signals 500] [--policy default --policy zoetermeer] [--seed 1] [--timeout 900]`:
 * runs `npm run simulate` as a child and prints its wall time, the peak memory of the simulator and of the
 * time-skipping test server (sampled every second from /proc), and the funnel. Bounded by --timeout.
 * Without --signals it runs both targets of issue 11: 500 signals through two policies (at most 120 s), 5,200
 * through one (at most 600 s). Also printed: CPU seconds of each side, workflow tasks per case (a sample of
 * histories) and the load average at start and end, since on a shared 2-core machine the wall time depends on it.
 */
export async function benchSimulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      signals: { type: 'string' },
      policy: { type: 'string', multiple: true },
      seed: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '900' },
      target: { type: 'string' },
    },
  });
  const runs = values.signals
    ? [
        {
          signals: Number(values.signals),
          policies: values.policy ?? ['default'],
          target: values.target ? Number(values.target) : undefined,
        },
      ]
    : [
        { signals: 500, policies: values.policy ?? ['default', 'zoetermeer'], target: 120 },
        { signals: 5200, policies: ['default'], target: 600 },
      ];
  let failed = 0;
  for (const run of runs) {
    const code = await benchOne(run.signals, run.policies, values.seed, Number(values.timeout), run.target);
    if (code !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function benchOne(
  signals: number,
  policies: string[],
  seed: string,
  timeoutSeconds: number,
  target: number | undefined,
): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  const args = [
    '--import',
    'tsx',
    path.join(root, 'tools/simulate/cli.ts'),
    '--signals',
    String(signals),
    '--seed',
    seed,
    '--task-sample',
    '30',
  ];
  for (const p of policies) args.push('--policy', p);
  const loadAtStart = os.loadavg();
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let lastProgress = '';
  const taskLines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().trim().split('\n');
    for (const line of lines) if (line.startsWith('[simulate]')) lastProgress = line;
    for (const line of lines) if (line.includes('workflow tasks per case')) taskLines.push(line.trim());
  });
  const peak = { simulatorKb: 0, serverKb: 0, totalKb: 0 };
  // CPU seconds by process, the last value seen (a process's counters vanish with it).
  const cpu = new Map<number, { server: boolean; seconds: number }>();
  const sampler = setInterval(() => {
    let simulator = 0;
    let server = 0;
    for (const pid of [child.pid ?? -1, ...descendants(child.pid ?? -1)]) {
      const rss = rssKb(pid);
      const isServer = commandOf(pid).includes('java') || commandOf(pid).includes('temporal-test-server');
      if (isServer) server += rss;
      else simulator += rss;
      const seconds = cpuSeconds(pid);
      if (seconds !== null) cpu.set(pid, { server: isServer, seconds });
    }
    peak.simulatorKb = Math.max(peak.simulatorKb, simulator);
    peak.serverKb = Math.max(peak.serverKb, server);
    peak.totalKb = Math.max(peak.totalKb, simulator + server);
  }, 1000);
  const ticker = setInterval(
    () => process.stderr.write(`[bench] ${secondsSince(started)} s: ${lastProgress}\n`),
    30_000,
  );
  let timedOut = false;
  // The simulator's test server is its child: killed alone, the simulator would leave the JVM running.
  const killer = setTimeout(() => {
    timedOut = true;
    for (const pid of descendants(child.pid ?? -1)) killPid(pid);
    child.kill('SIGTERM');
  }, timeoutSeconds * 1000);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  clearInterval(sampler);
  clearInterval(ticker);
  clearTimeout(killer);
  const wall = secondsSince(started);
  const loadAtEnd = os.loadavg();
  const mb = (kb: number) => Math.round(kb / 1024);
  const cpuOf = (server: boolean) =>
    Math.round([...cpu.values()].filter((c) => c.server === server).reduce((a, c) => a + c.seconds, 0));
  const verdict = target === undefined ? '' : `, target ${target} s ${code === 0 && wall <= target ? 'met' : 'MISSED'}`;
  console.log(
    `simulate: ${signals} signals x ${policies.length} (${policies.join(', ')}), seed ${seed}: ${wall} s wall, exit ${code}${verdict}`,
  );
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `  load average (1, 5, 15 min) at start ${load(loadAtStart)}, at end ${load(loadAtEnd)}; ${os.cpus().length} cores`,
  );
  console.log(
    `  peak memory: simulator ${mb(peak.simulatorKb)} MB, test server ${mb(peak.serverKb)} MB, together ${mb(peak.totalKb)} MB`,
  );
  console.log(`  CPU: simulator ${cpuOf(false)} s, test server ${cpuOf(true)} s (of ${wall} s wall)`);
  for (const line of taskLines) console.log(`  ${line.replace(/^\[simulate\] /, '')}`);
  if (code === 0) {
    const output = JSON.parse(stdout) as {
      wallSeconds: number;
      policies: { policy: string; funnel: Record<string, number>; unfinished: number }[];
    };
    for (const p of output.policies)
      console.log(`  ${p.policy}: funnel ${JSON.stringify(p.funnel)}, unfinished ${p.unfinished}`);
  } else
    console.log(`  ${timedOut ? `stopped after the ${timeoutSeconds} s timeout; ` : ''}last progress: ${lastProgress}`);
  return code;
}

function secondsSince(started: number): number {
  return Math.round((Date.now() - started) / 100) / 10;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function rssKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
