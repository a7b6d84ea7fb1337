import { createHash } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ContactPolicy, PolicyChange } from '../../policy';
import { registerSearchAttributes } from '../scenario/search-attributes';
import { Draws, type ResidentModel } from './model';
import { createSimulationActivities, RunRecord } from './residents';
import type { PlannedSignal } from './signals';
import type { SignalStep } from './simulation-workflow';
import { summarise, type PolicySummary } from './summary';

export interface PolicyVariant {
  policy: ContactPolicy;
  changes: PolicyChange[];
}

export interface SimulationInput {
  seed: string;
  municipality: string;
  signals: PlannedSignal[];
  period: { from: number; to: number };
  variants: PolicyVariant[];
  model: ResidentModel;
  workflowBundle: WorkflowBundleWithSourceMap | { codePath: string };
  /** Simulated days after the period in which every case must have closed or gone dormant. */
  horizonDays?: number;
  /** Wall seconds without any progress after which the run is declared stranded. */
  stallSeconds?: number;
  maxCachedWorkflows?: number;
  /** Diagnostics: count the workflow tasks in the histories of this many cases per variant (stderr only). */
  taskSample?: number;
  progress?: (line: string) => void;
}

const SIGNALS_PER_DRIVER = 200;
const DAY_MS = 86_400_000;

/**
 * Every policy variant runs on the same test server at once (one clock), each on its own task queue and worker,
 * fed the same signals; the seeded draws are keyed by resident, attempt and dagdeel, so they agree across variants.
 */
export async function runSimulation(env: TestWorkflowEnvironment, input: SimulationInput): Promise<PolicySummary[]> {
  const progress = input.progress ?? (() => undefined);
  await registerSearchAttributes(env);
  const draws = new Draws(input.seed);
  const lastSignalAt = Math.max(...input.signals.map((s) => s.at));
  const horizon = input.period.to + (input.horizonDays ?? 120) * DAY_MS;
  const steps: SignalStep[] = input.signals.map((s) => ({
    at: s.at,
    resident: s.resident,
    incoming: { signal: s.signal, municipality: input.municipality, receivedAt: new Date(s.at).toISOString() },
  }));

  const runs = input.variants.map((variant, index) => {
    const label = `${index}-${variant.policy.name}-${variant.policy.version}`;
    const taskQueue = `simulate-${createHash('sha256').update(`${input.seed}|${label}`).digest('hex').slice(0, 12)}`;
    const record = new RunRecord();
    const activities = createSimulationActivities({
      client: env.client,
      taskQueue,
      label,
      policy: variant.policy,
      policyChanges: variant.changes,
      model: input.model,
      draws,
      record,
    });
    return { variant, label, taskQueue, record, activities };
  });

  // One after the other: created concurrently on one connection, the second worker never polled (seen here).
  const workers: Worker[] = [];
  for (const run of runs) {
    workers.push(
      await Worker.create({
        connection: env.nativeConnection,
        taskQueue: run.taskQueue,
        workflowBundle: input.workflowBundle,
        activities: run.activities,
        maxCachedWorkflows: input.maxCachedWorkflows ?? 2000,
      }),
    );
  }

  const stallMs = (input.stallSeconds ?? 120) * 1000;
  let stranded = false;
  // One result() awaited at a time: each unlocks time skipping while it waits and locks it again when it returns, and
  // overlapping waits left the clock locked once the first policy had settled (seen here: the other stood still).
  const settled = (async () => {
    const settles = [];
    for (const run of runs) {
      for (let i = 0; i < steps.length; i += SIGNALS_PER_DRIVER) {
        await env.client.workflow.start('signalDriver', {
          taskQueue: run.taskQueue,
          workflowId: `${run.taskQueue}-signals-${i / SIGNALS_PER_DRIVER}`,
          args: [steps.slice(i, i + SIGNALS_PER_DRIVER)],
        });
      }
      settles.push(
        await env.client.workflow.start('settleDriver', {
          taskQueue: run.taskQueue,
          workflowId: `${run.taskQueue}-settle`,
          args: [{ lastSignalAt, horizon }],
        }),
      );
    }
    for (const [index, settle] of settles.entries()) {
      const open = (await settle.result()) as number;
      progress(`${runs[index].label}: settled with ${open} case(s) still open`);
    }
  })();
  // The Java test server can strand a run on a timer that ties with an input (sdk-java#3088): the clock stops
  // skipping and nothing happens. Nothing may hang: after a quiet spell the run ends and its open cases are counted.
  let watchdog: NodeJS.Timeout | undefined;
  const stall = new Promise<void>((resolve) => {
    watchdog = setInterval(() => {
      const quiet = Date.now() - Math.max(...runs.map((r) => r.record.lastProgress));
      if (quiet > stallMs) {
        stranded = true;
        progress(`no progress for ${Math.round(quiet / 1000)} s: stopping; open cases are counted as unfinished`);
        resolve();
      }
    }, 1000);
  });
  const heartbeat = setInterval(() => {
    const line = runs
      .map(
        (r) =>
          `${r.label}: ${r.record.caseIds.size} cases, ${r.record.unsettled().length} open, ${r.record.work.length} actions`,
      )
      .join('; ');
    progress(line);
  }, 10_000);
  try {
    await Promise.all(workers.map((worker) => worker.runUntil(Promise.race([settled, stall]).then(() => undefined))));
  } finally {
    clearInterval(watchdog);
    clearInterval(heartbeat);
  }
  if (stranded) progress('the run was stranded; see "unfinished" per policy');
  if (input.taskSample) await reportWorkflowTasks(env, runs, input.taskSample, progress);
  return runs.map((run) =>
    summarise(run.record, run.variant.policy, input.signals.length, run.variant.changes, input.period.from),
  );
}

/**
 * Where the time goes: every workflow task is a round trip the time-skipping server waits for before it skips on.
 * The first `sample` cases by id (a fixed sample); their histories' completed workflow tasks, on stderr only since
 * how tasks batch depends on timing.
 */
async function reportWorkflowTasks(
  env: TestWorkflowEnvironment,
  runs: { label: string; record: RunRecord }[],
  sample: number,
  progress: (line: string) => void,
): Promise<void> {
  const completed = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  for (const run of runs) {
    const ids = [...run.record.caseIds].sort().slice(0, sample);
    const tasks: number[] = [];
    for (const id of ids) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      tasks.push((history.events ?? []).filter((e) => e.eventType === completed).length);
    }
    if (tasks.length === 0) continue;
    const mean = tasks.reduce((a, b) => a + b, 0) / tasks.length;
    progress(
      `${run.label}: workflow tasks per case ${mean.toFixed(1)} (max ${Math.max(...tasks)}, sample of ${tasks.length}), ` +
        `${run.record.work.length} actions for ${run.record.caseIds.size} cases`,
    );
  }
}
