import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { generateKeyEntry } from '../../common/encryption-keys';
import { migrate } from '../../db/migrate';
import {
  childEnv,
  memoryOf,
  startApiProcess,
  startWorkerProcess,
  type ChildProcessHandle,
} from '../toolchain/processes';
import { ensurePostgresBinaries, ensureTemporalCli, freePort, say, startDevServer, startPostgres } from '../toolchain';
import { startPrism, startSmtpSink, twilioSpecDir } from '../toolchain/local-peers';
import { CpuAccount } from './cpu';
import { readHistories } from './histories';

/**
 * `npm run bench:load -- [--cases 10000] [--events 500] [--max-cached 200] [--timeout 900] [--server-db file|memory] [--worker-node-options OPTS]`: many open cases on a
 * local dev server, all waking at the same moment (drill policy: their matching windows end together and the call
 * window is open), with concurrent staff events. Prints intake rate, how fast cases reach their first call, the
 * worker's peak memory with an explicit MAX_CACHED_WORKFLOWS, and errors. Bounded: it stops by itself.
 */
export async function benchOpenCases(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '10000' },
      events: { type: 'string', default: '500' },
      'max-cached': { type: 'string', default: '200' },
      // The provider's call rate the worker's limiter enforces; the bench checks no second exceeds it.
      'calls-per-second': { type: 'string', default: '500' },
      // How many cases' histories to read afterwards (events and bytes per case, when each first call started).
      'history-sample': { type: 'string', default: '100' },
      timeout: { type: 'string', default: '900' },
      // 'file': the dev server persists to SQLite on disk, as `npm start` runs it; 'memory': its in-memory default.
      'server-db': { type: 'string', default: 'file' },
      // e.g. --worker-node-options='--cpu-prof --cpu-prof-dir=/tmp/prof' (a profile per thread when the worker stops)
      'worker-node-options': { type: 'string' },
    },
  });
  const cases = Number(values.cases);
  const eventCount = Number(values.events);
  const maxCached = Number(values['max-cached']);
  const deadline = Date.now() + Number(values.timeout) * 1000;
  const work = mkdtempSync(path.join(os.tmpdir(), 'bereik-load-'));
  const stops: (() => Promise<unknown>)[] = [];
  const watchdog = setTimeout(
    () => {
      say('time limit reached; stopping');
      void Promise.allSettled(stops.reverse().map((s) => s())).then(() => process.exit(3));
    },
    Number(values.timeout) * 1000 + 240_000,
  );
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void Promise.allSettled(stops.reverse().map((s) => s())).then(() => process.exit(130)));
  }
  try {
    const pg = await startPostgres({
      binDir: await ensurePostgresBinaries(),
      dataDir: path.join(work, 'pg'),
      port: await freePort(),
      database: 'bereik_load',
      throwaway: true,
    });
    stops.push(() => pg.stop());
    await migrate(pg.url);
    const cpu = new CpuAccount();
    cpu.add('postgres', Number(readFileSync(path.join(work, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]));
    // TEMPORAL_ADDRESS: a server already running (the real one, tools/toolchain/temporal-server.ts), whose process
    // TEMPORAL_SERVER_PID names for the CPU figures; else a dev server of its own.
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    const dev = process.env.TEMPORAL_ADDRESS
      ? { address: process.env.TEMPORAL_ADDRESS }
      : await startDevServer({
          binary: await ensureTemporalCli(),
          port: await freePort(),
          dbFile: values['server-db'] === 'memory' ? undefined : path.join(work, 'temporal.db'),
          logFile: path.join(work, 'temporal.log'),
          onProcess: (pid) => cpu.add('temporalServer', pid),
        });
    if ('stop' in dev) stops.push(() => dev.stop());
    else cpu.add('temporalServer', Number(process.env.TEMPORAL_SERVER_PID) || null);
    // Invitations go by e-mail to a local sink, so the bench measures cases waking, not PDF rendering.
    const smtp = await startSmtpSink(path.join(work, 'outbox'));
    stops.push(() => smtp.stop());
    // Calls really go out, to Prism serving Twilio's contract; without the specs calls are counted when recorded.
    const specDir = twilioSpecDir();
    const twilio: Record<string, string> = {};
    if (specDir) {
      const [api, lookups] = await Promise.all([
        startPrism(path.join(specDir, 'twilio_api_v2010.json')),
        startPrism(path.join(specDir, 'twilio_lookups_v2.json')),
      ]);
      stops.push(
        () => api.stop(),
        () => lookups.stop(),
      );
      Object.assign(twilio, {
        TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'load-test-token',
        TWILIO_FROM: '+3197010000001',
        TWILIO_CALLER_ID: '+3197010000003',
        TWILIO_CALL_CENTRE_NUMBER: '+3197010000004',
        TWILIO_API_URL: api.url,
        TWILIO_LOOKUPS_URL: lookups.url,
        // A new Twilio account's 1 call/s (and our 5 look-ups/s) would spread 10,000 first calls over hours: that
        // measures the provider's limit, not bereik. Prism on this machine takes what the worker sends.
        TWILIO_MESSAGES_PER_SECOND: '500',
        TWILIO_CALLS_PER_SECOND: values['calls-per-second'],
        TWILIO_LOOKUPS_PER_SECOND: '500',
      });
    }
    // Every case matches at the same instant, some seconds after the last signal is in.
    const matchingSeconds = Math.max(30, Math.ceil(cases / 80));
    const metricsPort = await freePort();
    const env = childEnv({
      DATA_DIR: path.join(work, 'data'),
      OUTBOX_DIR: path.join(work, 'outbox'),
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: namespace,
      // A task queue of this run's own, so an earlier run's cases on a long-lived server stay out of its figures.
      TEMPORAL_TASK_QUEUE: `load-${path.basename(work)}`,
      PORT: String(await freePort()),
      API_KEYS: 'load-intake-key-0518x:0518:intake,load-staff-key-05188x:0518:staff',
      MUNICIPALITY_POLICIES: '0518:drill',
      MATCHING_WINDOW: `${matchingSeconds}s`,
      MAX_CACHED_WORKFLOWS: String(maxCached),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      ENCRYPTION_KEYS: generateKeyEntry('load'),
      LOG_LEVEL: 'info', // the worker's readiness line is an info line
      SMTP_URL: smtp.url,
      ...twilio,
    });
    const [worker, api]: [ChildProcessHandle, ChildProcessHandle & { url: string }] = await Promise.all([
      startWorkerProcess(
        env,
        path.join(work, 'worker.log'),
        undefined,
        (values['worker-node-options'] ?? '').split(/\s+/).filter(Boolean),
      ),
      startApiProcess(env, path.join(work, 'api.log')),
    ]);
    stops.push(
      () => worker.stop(),
      () => api.stop(),
    );
    cpu.add('worker', worker.pid);
    cpu.add('api', api.pid);
    let peakKb = 0;
    const sampler = setInterval(() => {
      const pid = worker.entryPid();
      const memory = pid ? memoryOf(pid) : null;
      if (memory) peakKb = Math.max(peakKb, memory.peakKb);
    }, 500);
    stops.push(async () => clearInterval(sampler));

    say(`posting ${cases} signals (distinct addresses), drill policy, MAX_CACHED_WORKFLOWS=${maxCached} ...`);
    const intakeStart = Date.now();
    let non2xx = 0;
    const caseIds: string[] = [];
    for (let i = 0; i < cases; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, cases - i) }, (_, j) => signal(i + j));
      const res = await fetch(`${api.url}/v1/signals`, {
        method: 'POST',
        headers: { Authorization: 'Bearer load-intake-key-0518x', 'Content-Type': 'application/json' },
        body: JSON.stringify({ signals: batch }),
      });
      if (!res.ok) non2xx += 1;
      const body = (await res.json()) as { results: { status: string; case?: string }[] };
      for (const r of body.results) {
        if (r.status === 'accepted' && r.case) caseIds.push(r.case);
        else non2xx += 1;
      }
    }
    const intakeEnd = Date.now();
    const intakeSeconds = (intakeEnd - intakeStart) / 1000;
    say(
      `intake: ${caseIds.length} accepted in ${intakeSeconds.toFixed(1)} s = ${(caseIds.length / intakeSeconds).toFixed(0)} signals/s`,
    );

    const db = new Pool({ connectionString: pg.url, max: 2 });
    stops.push(() => db.end());
    const firstCalls = async () =>
      specDir
        ? Number(
            (
              await db.query<{ n: string }>(
                "SELECT count(DISTINCT split_part(key, ':', 2)) AS n FROM sent_messages WHERE key LIKE 'call:%' AND state = 'sent'",
              )
            ).rows[0].n,
          )
        : Number(
            (
              await db.query<{ n: string }>(
                "SELECT count(DISTINCT case_ref) AS n FROM contact_attempts WHERE soort = 'Telefoon'",
              )
            ).rows[0].n,
          );

    say(`sending ${eventCount} concurrent staff events while the cases wake ...`);
    const eventStatuses: Record<string, number> = {};
    const eventLatenciesMs: number[] = [];
    const staffEvents = (async () => {
      const targets = caseIds.slice(0, eventCount);
      const lanes = Array.from({ length: 16 }, async (_, lane) => {
        for (let k = lane; k < targets.length && Date.now() < deadline; k += 16) {
          const sent = Date.now();
          const status = await fetch(`${api.url}/v1/cases/${targets[k]}/events`, {
            method: 'POST',
            headers: { Authorization: 'Bearer load-staff-key-05188x', 'Content-Type': 'application/json' },
            body: JSON.stringify({ type: 'resident_contact', channel: 'phone' }),
            signal: AbortSignal.timeout(Math.max(1, Math.min(120_000, deadline - sent))),
          }).then(
            (res) => String(res.status),
            () => 'timeout',
          );
          eventStatuses[status] = (eventStatuses[status] ?? 0) + 1;
          eventLatenciesMs.push(Date.now() - sent);
        }
      });
      await Promise.all(lanes);
    })();

    const wakeStart = Date.now();
    const cpuAtWake = cpu.snapshot();
    let reached = 0;
    let lastReport = 0;
    const target = caseIds.length - eventCount;
    while (Date.now() < deadline) {
      reached = await firstCalls();
      if (Date.now() - lastReport > 15_000) {
        say(`  ${reached} cases have had their first call (worker peak ${Math.round(peakKb / 1024)} MB)`);
        lastReport = Date.now();
      }
      if (reached >= target) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await staffEvents;
    const wakeSeconds = (Date.now() - wakeStart) / 1000;
    const cpuDuringWake = cpu.report(cpuAtWake);
    // The provider's rate: the most calls that went out in any one second (sliding), against the limit.
    const callTimesMs = specDir
      ? (
          await db.query<{ ms: number }>(
            "SELECT extract(epoch FROM at)::float * 1000 AS ms FROM sent_messages WHERE key LIKE 'call:%' AND state = 'sent' ORDER BY 1",
          )
        ).rows.map((r) => r.ms)
      : [];
    let maxCallsInOneSecond = 0;
    for (let i = 0, j = 0; i < callTimesMs.length; i++) {
      while (callTimesMs[i]! - callTimesMs[j]! >= 1000) j++;
      maxCallsInOneSecond = Math.max(maxCallsInOneSecond, i - j + 1);
    }
    // Cases without staff events, whose first call is the wake-up the storm is about.
    const sample = caseIds.slice(eventCount, eventCount + Number(values['history-sample']));
    const histories = await readHistories(dev.address, namespace, sample);
    const wakes = histories.firstCalls.filter((c) => Number.isFinite(c.wakeAt));
    const opening = Math.floor(Math.min(...wakes.map((c) => c.wakeAt)) / 60_000) * 60_000;
    const sortedSeconds = (f: (c: (typeof wakes)[number]) => number) =>
      wakes.map((c) => f(c) / 1000).sort((a, b) => a - b);
    const afterOpening = sortedSeconds((c) => c.limiterAt - opening);
    const afterWake = sortedSeconds((c) => c.limiterAt - c.wakeAt);
    const wakeOffsets = sortedSeconds((c) => c.wakeAt - opening);
    // When each case's first call went out, counted from the moment the last signal was in.
    const firstCallSeconds = specDir
      ? (
          await db.query<{ s: number }>(
            "SELECT extract(epoch FROM min(at))::float AS s FROM sent_messages WHERE key LIKE 'call:%' AND state = 'sent' GROUP BY split_part(key, ':', 2) ORDER BY 1",
          )
        ).rows.map((r) => r.s - intakeEnd / 1000)
      : [];
    const workerLog = readFileSync(path.join(work, 'worker.log'), 'utf8');
    const workerMetrics = await workerMetricsSummary(`http://127.0.0.1:${metricsPort}/metrics`);
    const workflowTaskFailures = (workerLog.match(/Failing workflow task|WorkflowTaskFailed/g) ?? []).length;
    const sortedLatencies = [...eventLatenciesMs].sort((a, b) => a - b);

    console.log(
      JSON.stringify(
        {
          cases: caseIds.length,
          server: process.env.TEMPORAL_ADDRESS ? `given: ${dev.address}` : `dev server (${values['server-db']})`,
          intakeSignalsPerSecond: Math.round(caseIds.length / intakeSeconds),
          matchingWindowSeconds: matchingSeconds,
          casesWithFirstCall: reached,
          secondsAfterIntakeToFirstCall: {
            first: round1(firstCallSeconds[0]),
            median: round1(quantile(firstCallSeconds, 0.5)),
            p90: round1(quantile(firstCallSeconds, 0.9)),
            last: round1(firstCallSeconds.at(-1)),
          },
          casesPerSecondToFirstCall: round1(reached / Math.max(1, wakeSeconds - matchingSeconds)),
          staffEvents: {
            statuses: eventStatuses,
            medianMs: quantile(sortedLatencies, 0.5),
            p95Ms: quantile(sortedLatencies, 0.95),
          },
          intakeNon2xx: non2xx,
          workflowTaskFailures,
          maxCachedWorkflows: maxCached,
          workerPeakRssMb: Math.round(peakKb / 1024),
          ...workerMetrics,
          wakeStorm: {
            sampledCases: wakes.length,
            // Each case's own wake-up instant (slot plus jitter), counted from the minute the first was due.
            wakeSecondsAfterOpening: { first: round1(wakeOffsets[0]), last: round1(wakeOffsets.at(-1)) },
            // When its first placeCall started, i.e. reached the rate limiter: goal at most 300 s.
            limiterSecondsAfterOpening: {
              median: round1(quantile(afterOpening, 0.5)),
              p99: round1(quantile(afterOpening, 0.99)),
              max: round1(afterOpening.at(-1)),
            },
            // The engine's share: from the case's timer being due to its placeCall starting.
            engineLagSeconds: {
              median: round1(quantile(afterWake, 0.5)),
              p99: round1(quantile(afterWake, 0.99)),
              max: round1(afterWake.at(-1)),
            },
            callsPerSecondLimit: Number(values['calls-per-second']),
            maxCallsSentInOneSecond: maxCallsInOneSecond,
          },
          history: histories.figures,
          cpuDuringWake,
        },
        null,
        2,
      ),
    );
    return reached >= target ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

function quantile(sorted: number[], q: number): number | undefined {
  return sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function round1(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 10) / 10;
}

/** The worker's own view: how often a task found its case in the cache, and what a workflow task cost. */
async function workerMetricsSummary(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const meanMs = (name: string) => Math.round(sum(`${name}_sum`) / Math.max(1, sum(`${name}_count`)));
  return {
    workflowTasks: sum('temporal_workflow_task_execution_latency_count'),
    stickyCacheHits: sum('temporal_sticky_cache_hit'),
    stickyCacheMisses: sum('temporal_sticky_cache_miss'),
    meanWorkflowTaskExecutionMs: meanMs('temporal_workflow_task_execution_latency'),
    meanWorkflowTaskReplayMs: meanMs('temporal_workflow_task_replay_latency'),
    meanWorkflowTaskScheduleToStartMs: meanMs('temporal_workflow_task_schedule_to_start_latency'),
  };
}

function signal(n: number) {
  return {
    ID: `LOAD-${n}`,
    signaaldatum: '2026-11-20',
    bedrag: 700,
    crisissignaal: false,
    signaalpartner: { type: 'Energie' },
    client: {
      Achternaam: 'Load',
      Straatnaam: 'Lastweg',
      Huisnummer: String((n % 99_999) + 1),
      Huisnummertoevoeging: n >= 99_999 ? String(Math.floor(n / 99_999)) : undefined,
      Postcode: `${1000 + (n % 8999)}AB`,
      Plaatsnaam: 'Belasting',
      telefoon: '+31612345678',
      email: `load-${n}@example.org`,
    },
  };
}
