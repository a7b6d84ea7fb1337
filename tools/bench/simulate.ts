import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:simulate -- [--signals 500] [--policy default --policy zoetermeer] [--seed 1] [--timeout 900]`:
 * runs `npm run simulate` as a child and prints its wall time, the peak memory of the simulator and of the
 * time-skipping test server (sampled every second from /proc), and the funnel. Bounded by --timeout.
 * Without --signals it runs both targets of issue 11: 500 signals through two policies, 5,200 through one.
 */
export async function benchSimulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      signals: { type: 'string' },
      policy: { type: 'string', multiple: true },
      seed: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '900' },
    },
  });
  const runs = values.signals
    ? [{ signals: Number(values.signals), policies: values.policy ?? ['default'] }]
    : [
        { signals: 500, policies: values.policy ?? ['default', 'zoetermeer'] },
        { signals: 5200, policies: ['default'] },
      ];
  let failed = 0;
  for (const run of runs) {
    const code = await benchOne(run.signals, run.policies, values.seed, Number(values.timeout));
    if (code !== 0) failed++;
  }
  return failed === 0 ? 0 : 1;
}

async function benchOne(signals: number, policies: string[], seed: string, timeoutSeconds: number): Promise<number> {
  const root = path.resolve(__dirname, '../..');
  const args = [
    '--import',
    'tsx',
    path.join(root, 'tools/simulate/cli.ts'),
    '--signals',
    String(signals),
    '--seed',
    seed,
  ];
  for (const p of policies) args.push('--policy', p);
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let lastProgress = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().trim().split('\n');
    lastProgress = lines[lines.length - 1] ?? lastProgress;
  });
  const peak = { simulatorKb: 0, serverKb: 0, totalKb: 0 };
  const sampler = setInterval(() => {
    let simulator = 0;
    let server = 0;
    for (const pid of descendants(child.pid ?? -1)) {
      const rss = rssKb(pid);
      if (commandOf(pid).includes('java') || commandOf(pid).includes('temporal-test-server')) server += rss;
      else simulator += rss;
    }
    simulator += rssKb(child.pid ?? -1);
    peak.simulatorKb = Math.max(peak.simulatorKb, simulator);
    peak.serverKb = Math.max(peak.serverKb, server);
    peak.totalKb = Math.max(peak.totalKb, simulator + server);
  }, 1000);
  const ticker = setInterval(
    () => process.stderr.write(`[bench] ${secondsSince(started)} s: ${lastProgress}\n`),
    30_000,
  );
  const killer = setTimeout(() => child.kill('SIGTERM'), timeoutSeconds * 1000);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  clearInterval(sampler);
  clearInterval(ticker);
  clearTimeout(killer);
  const wall = secondsSince(started);
  const mb = (kb: number) => Math.round(kb / 1024);
  console.log(
    `simulate: ${signals} signals x ${policies.length} (${policies.join(', ')}), seed ${seed}: ${wall} s wall, exit ${code}`,
  );
  console.log(
    `  peak memory: simulator ${mb(peak.simulatorKb)} MB, test server ${mb(peak.serverKb)} MB, together ${mb(peak.totalKb)} MB`,
  );
  if (code === 0) {
    const output = JSON.parse(stdout) as {
      wallSeconds: number;
      policies: { policy: string; funnel: Record<string, number>; unfinished: number }[];
    };
    for (const p of output.policies)
      console.log(`  ${p.policy}: funnel ${JSON.stringify(p.funnel)}, unfinished ${p.unfinished}`);
  } else console.log(`  last progress: ${lastProgress}`);
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

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
