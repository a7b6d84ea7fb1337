import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { CaseActivities, CaseRecord } from '../../activities/types';
import { getPolicy, policyProblems, withChanges, type PolicyChange } from '../../policy';
import type { IncomingSignal } from '../../domain/signal';
import { createDeliveryActivities } from './delivery';
import type { DriverStep } from './driver-workflow';
import { createResidentActivities } from './resident';
import { registerSearchAttributes } from './search-attributes';
import type { Scenario } from './schema';
import { Timeline, type TimelineEntry } from './timeline';

export interface ScenarioResult {
  name: string;
  /** Every case workflow run the scenario produced (a reopened case has one run per round). */
  runs?: { workflowId: string; runId: string }[];
  policy: { name: string; version: number };
  timeline: TimelineEntry[];
  cases: Record<string, unknown>[];
}

export class ScenarioInputError extends Error {}

/** One play of a scenario: a preset, optionally with leaves changed (a what-if), and outside-world variations. */
export interface ScenarioPlay {
  scenario: Scenario;
  policyName?: string;
  /** A what-if: leaves of the policy changed for this run (the cases carry them; the registry is untouched). */
  policyChanges?: PolicyChange[];
  /** Tests: outside-world failures on top of the resident's recorders. */
  overrides?: Partial<CaseActivities>;
  /** Calls are placed and visits planned (and recorded), but no outcome ever comes back. */
  silentTeams?: boolean;
}

interface RunOptions {
  workflowBundle: WorkflowBundleWithSourceMap | { codePath: string };
  collectRuns?: boolean;
}

/**
 * Runs a scenario with the real workflow and policy code on a time-skipping test server; channel activities are
 * recorders following the resident's script. The environment is the caller's (one test server per run: its clock
 * is global).
 */
export async function runScenario(
  env: TestWorkflowEnvironment,
  scenario: Scenario,
  opts: RunOptions & Omit<ScenarioPlay, 'scenario'>,
): Promise<ScenarioResult> {
  const [result] = await runScenarios(env, [{ ...opts, scenario }], opts);
  return result;
}

/**
 * Runs several plays at once on one test server and one worker: their instants are absolute and the server's
 * clock is global, so plays that share a start (a baseline and its what-ifs) can only run side by side. Each play
 * has its own recorders, case identities and timeline; an activity finds its play by the workflow that runs it.
 */
export async function runScenarios(
  env: TestWorkflowEnvironment,
  plays: ScenarioPlay[],
  opts: RunOptions,
): Promise<ScenarioResult[]> {
  const now = env.currentTimeMs ? Number(await env.currentTimeMs()) : Date.now();
  const prepared = plays.map((play) => prepare(play, now));
  await registerSearchAttributes(env);
  const taskQueue = `scenario-${randomBytes(6).toString('hex')}`;
  const playOfWorkflow = new Map<string, PlayState>();

  const states: PlayState[] = prepared.map(({ play, policy, policyChanges }, index) => {
    const timeline = new Timeline(policy.timeZone);
    const runs = new Map<string, { workflowId: string; runId: string }>();
    const state = { driverId: `${taskQueue}-driver-${index}`, timeline, runs } as PlayState;
    const resident = createResidentActivities({
      client: env.client,
      taskQueue,
      resident: play.scenario.resident,
      teams: play.scenario.teams,
      timeline,
      silent: play.silentTeams,
    });
    const delivery = createDeliveryActivities({
      client: env.client,
      taskQueue,
      caseIdSecret: randomBytes(32).toString('hex'),
      policy: { name: policy.name, version: policy.version },
      policyChanges,
      timeline,
      beforeDelivery: (caseId) => playOfWorkflow.set(caseId, state),
    });
    state.activities = {
      ...resident,
      async persistCase(record: CaseRecord) {
        const execution = Context.current().info.workflowExecution;
        if (execution) runs.set(execution.runId, { workflowId: execution.workflowId, runId: execution.runId });
        await resident.persistCase(record);
      },
      ...play.overrides,
      ...delivery,
    };
    playOfWorkflow.set(state.driverId, state);
    return state;
  });

  const activities = Object.fromEntries(
    Object.keys(states[0].activities).map((name) => [
      name,
      (...args: unknown[]) => {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        // A resident's later reaction runs in its own workflow and names its case.
        const caseId = (args[0] as { caseId?: string } | undefined)?.caseId;
        const state = playOfWorkflow.get(workflowId) ?? (caseId ? playOfWorkflow.get(caseId) : undefined);
        if (!state) throw new Error(`no scenario play runs workflow ${workflowId}`);
        return (state.activities[name] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: opts.workflowBundle,
    activities,
    // Side by side, tasks wait on the server rather than in this worker's one workflow thread: a task that waited
    // past its timeout there would be retried, and the plays would slow each other down further.
    maxConcurrentWorkflowTaskExecutions: 2,
    stickyQueueScheduleToStartTimeout: '1 minute',
  });
  await worker.runUntil(
    Promise.all(
      prepared.map(({ play }, index) =>
        env.client.workflow.execute('scenarioDriver', {
          taskQueue,
          workflowId: states[index].driverId,
          args: [driverPlan(play.scenario)],
        }),
      ),
    ),
  );
  return prepared.map(({ play, policy }, index) => {
    const { timeline: entries, cases } = states[index].timeline.result();
    return {
      name: play.scenario.name,
      policy: { name: policy.name, version: policy.version },
      timeline: entries,
      cases,
      ...(opts.collectRuns ? { runs: [...states[index].runs.values()] } : {}),
    };
  });
}

interface PlayState {
  driverId: string;
  timeline: Timeline;
  runs: Map<string, { workflowId: string; runId: string }>;
  activities: Record<string, unknown>;
}

function prepare(play: ScenarioPlay, now: number) {
  const { scenario } = play;
  const registered = getPolicy(play.policyName ?? scenario.policy);
  const policyChanges = play.policyChanges ?? [];
  let policy = registered;
  try {
    policy = withChanges(registered, policyChanges);
  } catch (error) {
    throw new ScenarioInputError((error as Error).message);
  }
  const problems = policyChanges.length > 0 ? policyProblems(policy) : [];
  if (problems.length > 0) throw new ScenarioInputError(`the changed policy is invalid: ${problems.join('; ')}`);
  if (Date.parse(scenario.start) <= now)
    throw new ScenarioInputError(
      `start ${scenario.start} lies in the past; the test server's clock is at ${new Date(now).toISOString()}`,
    );
  return { play, policy, policyChanges };
}

function driverPlan(scenario: Scenario): { start: number; until: number; steps: DriverStep[] } {
  const steps: DriverStep[] = [
    ...scenario.signals.map((s) => {
      const incoming: IncomingSignal = {
        signal: s.signal,
        municipality: scenario.municipality,
        receivedAt: new Date(Date.parse(s.at)).toISOString(),
      };
      return { at: Date.parse(s.at), kind: 'signal' as const, incoming };
    }),
    ...scenario.events.map((e) => ({
      at: Date.parse(e.at),
      kind: 'event' as const,
      event: e.event,
      signalID: 'signalID' in e.event ? e.event.signalID : undefined,
    })),
  ];
  return { start: Date.parse(scenario.start), until: Date.parse(scenario.until), steps };
}
