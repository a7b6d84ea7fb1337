import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { generateKeyEntry } from '../../common/encryption-keys';
import { migrate } from '../../db/migrate';
import { countCasesSavedByWorkflows } from '../../db/read-model';
import { ensurePostgresBinaries, freePort, say, startPostgres } from '../toolchain';
import { childEnv, memoryOf, startApiProcess, startWorkerProcess } from '../toolchain/processes';
import { CpuAccount } from './cpu';
import { loadAverage, parseServerKinds, startBenchServer } from './server';

const USAGE = `npm run bench:sleeping -- [--cases 100000] [--server cluster|dev] [--max-cached 500] [--timeout 900]

Opens many cases that then sleep (the default policy with a matching window of 30 days: every case writes its read
model and waits on a timer) and reports the real worker's RSS at 1,000 open sleeping cases and at each larger
checkpoint (2,000, 5,000, 10,000, 20,000, 50,000, 100,000) up to --cases. A checkpoint counts once every case posted
so far has written its read model, i.e. its workflow ran and is asleep. --timeout bounds the filling; the last
figure is then the largest count reached, said as such. Starts a throwaway PostgreSQL, the server, the worker and
the API as child processes, and stops them all.`;

const CHECKPOINTS = [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

export async function benchSleeping(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '100000' },
      server: { type: 'string', default: 'cluster' },
      'max-cached': { type: 'string', default: '500' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const cases = Number(values.cases);
  const kind = parseServerKinds(values.server);
  const timeoutMs = Number(values.timeout) * 1000;
  if (values.help || !kind || kind.length !== 1 || !Number.isInteger(cases) || cases < 1000 || cases > 200_000) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const loadAtStart = loadAverage();
  const deadline = Date.now() + timeoutMs;
  const work = mkdtempSync(path.join(os.tmpdir(), 'bereik-sleeping-'));
  chmodSync(work, 0o755);
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  };
  // Filling, then draining the last batch, then stopping: whatever hangs, this process ends what it started.
  const watchdog = setTimeout(() => {
    say('time limit reached; stopping');
    void stopAll().then(() => process.exit(3));
  }, timeoutMs + 300_000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stopAll().then(() => process.exit(130)));

  try {
    const pg = await startPostgres({
      binDir: await ensurePostgresBinaries(),
      dataDir: path.join(work, 'pg'),
      port: await freePort(),
      database: 'bereik_sleeping',
      throwaway: true,
    });
    stops.push(() => pg.stop());
    await migrate(pg.url);
    const cpu = new CpuAccount();
    cpu.add('postgres', Number(readFileSync(path.join(work, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]));
    say(`starting the Temporal server (${kind[0]}) ...`);
    const server = await startBenchServer(kind[0]!, pg.url, work);
    stops.push(() => server.stop());
    cpu.add('temporal server', server.pid);
    const taskQueue = `sleeping-${path.basename(work)}`;
    const env = childEnv({
      DATA_DIR: path.join(work, 'data'),
      OUTBOX_DIR: path.join(work, 'outbox'),
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: String(await freePort()),
      API_KEYS: 'sleep-intake-key-0518x:0518:intake',
      // No case may wake while the count grows: every one sleeps in its matching window.
      MATCHING_WINDOW: '30d',
      MAX_CACHED_WORKFLOWS: values['max-cached'],
      ENCRYPTION_KEYS: generateKeyEntry('sleeping'),
      LOG_LEVEL: 'info', // the worker's readiness line is an info line
    });
    const [worker, api] = await Promise.all([
      startWorkerProcess(env, path.join(work, 'worker.log')),
      startApiProcess(env, path.join(work, 'api.log')),
    ]);
    stops.push(
      () => worker.stop(),
      () => api.stop(),
    );
    cpu.add('worker', worker.pid);
    cpu.add('api', api.pid);
    const db = new Pool({ connectionString: pg.url, max: 2 });
    stops.push(() => db.end());

    const figures: { cases: number; rssMb: number; peakRssMb: number; seconds: number; casesPerSecond: number }[] = [];
    const startedAt = Date.now();
    const cpuAtStart = cpu.snapshot();
    let posted = 0;
    let failed = 0;
    let reachedAll = true;
    for (const checkpoint of CHECKPOINTS.filter((n) => n < cases).concat(cases)) {
      while (posted < checkpoint && Date.now() < deadline) {
        const batch = Array.from({ length: Math.min(1000, checkpoint - posted) }, (_, j) => signal(posted + j));
        const response = await fetch(`${api.url}/v1/signals`, {
          method: 'POST',
          headers: { Authorization: 'Bearer sleep-intake-key-0518x', 'Content-Type': 'application/json' },
          body: JSON.stringify({ signals: batch }),
          signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now() + 120_000)),
        });
        const body = (await response.json()) as { results?: { status: string }[] };
        failed += (body.results ?? []).filter((r) => r.status !== 'accepted').length;
        posted += batch.length;
      }
      // Counted once every case posted so far is asleep (its workflow wrote its read model); bounded.
      const drainBy = Math.max(deadline, Date.now() + 120_000);
      let persisted = await countCasesSavedByWorkflows(db, '0518');
      while (persisted < posted - failed && Date.now() < drainBy) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        persisted = await countCasesSavedByWorkflows(db, '0518');
      }
      const memory = memoryOf(worker.entryPid() ?? worker.pid);
      const seconds = (Date.now() - startedAt) / 1000;
      figures.push({
        cases: persisted,
        rssMb: Math.round((memory?.rssKb ?? NaN) / 1024),
        peakRssMb: Math.round((memory?.peakKb ?? NaN) / 1024),
        seconds: Math.round(seconds),
        casesPerSecond: Math.round((persisted / seconds) * 10) / 10,
      });
      say(`  ${persisted} open sleeping cases after ${seconds.toFixed(0)} s: worker RSS ${figures.at(-1)!.rssMb} MB`);
      if (persisted < checkpoint) {
        reachedAll = false;
        break;
      }
    }
    const cpuDuringFill = cpu.report(cpuAtStart);
    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const { count: running } = await connection.workflowService.countWorkflowExecutions({
      namespace: 'default',
      query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    });
    const workerLog = readFileSync(path.join(work, 'worker.log'), 'utf8');
    const base = figures[0]!;
    const last = figures.at(-1)!;
    console.log('');
    console.log(`${new Date().toISOString()}  load average at start ${loadAtStart}, at end ${loadAverage()}`);
    console.log(
      JSON.stringify(
        {
          server: server.label,
          maxCachedWorkflows: Number(values['max-cached']),
          asked: cases,
          reachedAskedCount: reachedAll,
          runningWorkflowsOnTheServer: Number(running),
          rejectedSignals: failed,
          workflowTaskFailures: (workerLog.match(/Failing workflow task|WorkflowTaskFailed/g) ?? []).length,
          checkpoints: figures,
          rssRatioLastToFirst: Math.round((last.rssMb / base.rssMb) * 100) / 100,
          cpuDuringFill,
        },
        null,
        2,
      ),
    );
    return reachedAll && failed === 0 ? 0 : 1;
  } finally {
    await stopAll();
    clearTimeout(watchdog);
  }
}

/** Distinct households, no personal data: a made-up name and street, a postcode and house number per case. */
function signal(n: number) {
  return {
    ID: `SLEEP-${n}`,
    signaaldatum: '2026-11-20',
    bedrag: 700,
    crisissignaal: false,
    signaalpartner: { type: 'Energie' },
    client: {
      Achternaam: 'Slaap',
      Straatnaam: 'Rustweg',
      Huisnummer: String((n % 8999) + 1),
      Huisnummertoevoeging: n >= 8999 ? String(Math.floor(n / 8999)) : undefined,
      Postcode: `${1000 + (Math.floor(n / 8999) % 8999)}AB`,
      Plaatsnaam: 'Belasting',
      telefoon: '+31612345678',
    },
  };
}
