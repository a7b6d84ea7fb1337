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

/**
 * Runs a scenario with the real workflow and policy code on a time-skipping test server; channel activities are
 * recorders following the resident's script. The environment is the caller's (one test server per run: its clock
 * is global).
 */
export async function runScenario(
  env: TestWorkflowEnvironment,
  scenario: Scenario,
  opts: {
    policyName?: string;
    /** A what-if: leaves of the policy changed for this run (the cases carry them; the registry is untouched). */
    policyChanges?: PolicyChange[];
    workflowBundle: WorkflowBundleWithSourceMap | { codePath: string };
    collectRuns?: boolean;
    /** Tests: outside-world failures on top of the resident's recorders. */
    overrides?: Partial<CaseActivities>;
  },
): Promise<ScenarioResult> {
  const registered = getPolicy(opts.policyName ?? scenario.policy);
  const policyChanges = opts.policyChanges ?? [];
  let policy = registered;
  try {
    policy = withChanges(registered, policyChanges);
  } catch (error) {
    throw new ScenarioInputError((error as Error).message);
  }
  const problems = policyChanges.length > 0 ? policyProblems(policy) : [];
  if (problems.length > 0) throw new ScenarioInputError(`the changed policy is invalid: ${problems.join('; ')}`);
  const start = Date.parse(scenario.start);
  const now = env.currentTimeMs ? Number(await env.currentTimeMs()) : Date.now();
  if (start <= now)
    throw new ScenarioInputError(
      `start ${scenario.start} lies in the past; the test server's clock is at ${new Date(now).toISOString()}`,
    );

  await registerSearchAttributes(env);
  const taskQueue = `scenario-${randomBytes(6).toString('hex')}`;
  const timeline = new Timeline(policy.timeZone);
  const caseIdSecret = randomBytes(32).toString('hex');
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

  const runs = new Map<string, { workflowId: string; runId: string }>();
  const resident = createResidentActivities({ client: env.client, taskQueue, resident: scenario.resident, timeline });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: opts.workflowBundle,
    activities: {
      ...resident,
      async persistCase(record: CaseRecord) {
        const execution = Context.current().info.workflowExecution;
        if (execution) runs.set(execution.runId, { workflowId: execution.workflowId, runId: execution.runId });
        await resident.persistCase(record);
      },
      ...opts.overrides,
      ...createDeliveryActivities({
        client: env.client,
        taskQueue,
        caseIdSecret,
        policy: { name: policy.name, version: policy.version },
        policyChanges,
        timeline,
      }),
    },
  });
  await worker.runUntil(
    env.client.workflow.execute('scenarioDriver', {
      taskQueue,
      workflowId: `${taskQueue}-driver`,
      args: [{ start, until: Date.parse(scenario.until), steps }],
    }),
  );
  const { timeline: entries, cases } = timeline.result();
  return {
    name: scenario.name,
    policy: { name: policy.name, version: policy.version },
    timeline: entries,
    cases,
    ...(opts.collectRuns ? { runs: [...runs.values()] } : {}),
  };
}
