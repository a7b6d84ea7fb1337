import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CaseActivities, CaseRecord } from '../../activities/types';
import type { CaseView } from '../../domain/case';
import type { IncomingSignal } from '../../domain/signal';
import { getPolicy } from '../../policy';
import { createDeliveryActivities } from '../../tools/scenario/delivery';
import type { DriverStep } from '../../tools/scenario/driver-workflow';
import { createResidentActivities } from '../../tools/scenario/resident';
import { registerSearchAttributes } from '../../tools/scenario/search-attributes';
import { Timeline } from '../../tools/scenario/timeline';
import { caseState } from '../../workflows/case/messages';
import { loadScenario } from '../support/scenarios';
import { timeSkippingEnv, workflowBundle } from '../support/time-skipping';

/** Simulated time between a timer's firing and the look at the cases, once every workflow is idle again. */
const AFTER_TIMER_MS = 1_000;
const NOT_FOUND = 5; // gRPC status

interface Sleep {
  at: string;
  caseRef: string;
  query: CaseView;
  listed: CaseView | undefined;
}

/**
 * What a workflow run's history says of it: when the timers it started and has not seen fire or cancelled will fire,
 * and whether it is busy (a workflow task or an activity not yet finished).
 */
async function inspect(client: Client, workflowId: string): Promise<{ timers: number[]; busy: boolean }> {
  let events;
  try {
    events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  } catch (error) {
    // A resident who never reacts has no reaction workflow.
    if (error instanceof WorkflowNotFoundError || (error as { code?: number }).code === NOT_FOUND)
      return { timers: [], busy: false };
    throw error;
  }
  const timers = new Map<string, number>();
  const activities = new Set<string>();
  let workflowTask = false;
  for (const event of events) {
    const started = event.timerStartedEventAttributes;
    if (started?.timerId) timers.set(started.timerId, tsToMs(event.eventTime) + tsToMs(started.startToFireTimeout));
    const timerDone = event.timerFiredEventAttributes?.timerId ?? event.timerCanceledEventAttributes?.timerId;
    if (timerDone) timers.delete(timerDone);
    if (event.activityTaskScheduledEventAttributes) activities.add(String(event.eventId));
    const activityDone =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (activityDone) activities.delete(String(activityDone.scheduledEventId));
    if (event.workflowTaskScheduledEventAttributes) workflowTask = true;
    if (
      event.workflowTaskCompletedEventAttributes ||
      event.workflowTaskFailedEventAttributes ||
      event.workflowTaskTimedOutEventAttributes
    ) {
      workflowTask = false;
    }
  }
  return { timers: [...timers.values()], busy: workflowTask || activities.size > 0 };
}

/**
 * Plays a scenario like the scenario runner, but steps the test server's clock from timer to timer itself. Each time
 * every workflow sleeps again, it looks at each case twice: through the workflow's query (what GET /v1/cases/{id}
 * shows) and as last written to the read model by persistCase (what GET /v1/cases lists).
 */
async function sleepsOf(
  env: TestWorkflowEnvironment,
  file: string,
  overrides: Partial<CaseActivities> = {},
): Promise<Sleep[]> {
  const scenario = loadScenario(file);
  const policy = getPolicy(scenario.policy);
  await registerSearchAttributes(env);
  const taskQueue = `truth-${randomBytes(6).toString('hex')}`;
  const timeline = new Timeline(policy.timeZone);
  const resident = createResidentActivities({ client: env.client, taskQueue, resident: scenario.resident, timeline });
  const listed = new Map<string, CaseView>();
  const caseIds = new Set<string>();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: {
      ...resident,
      async persistCase(record: CaseRecord) {
        listed.set(record.view.caseRef, structuredClone(record.view));
        caseIds.add(record.view.case);
      },
      ...overrides,
      ...createDeliveryActivities({
        client: env.client,
        taskQueue,
        caseIdSecret: randomBytes(32).toString('hex'),
        policy: { name: policy.name, version: policy.version },
        timeline,
      }),
    },
  });
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

  const sleeps: Sleep[] = [];
  await worker.runUntil(async () => {
    const driver = await env.client.workflow.start('scenarioDriver', {
      taskQueue,
      workflowId: `${taskQueue}-driver`,
      args: [{ start: Date.parse(scenario.start), until: Date.parse(scenario.until), steps }],
    });
    const sleepers = () => [
      driver.workflowId,
      ...caseIds,
      ...[...listed.keys()].map((caseRef) => `resident-${caseRef}`),
    ];
    while ((await driver.describe()).status.name === 'RUNNING') {
      // Idle means every workflow sleeps: no workflow task, activity or local activity under way.
      let seen = await Promise.all(sleepers().map((id) => inspect(env.client, id)));
      while (seen.some((s) => s.busy)) {
        await env.sleep(AFTER_TIMER_MS);
        seen = await Promise.all(sleepers().map((id) => inspect(env.client, id)));
      }
      const now = Number(await env.currentTimeMs());
      const at = new Date(now).toISOString();
      for (const caseId of caseIds) {
        const query = await env.client.workflow.getHandle(caseId).query(caseState);
        sleeps.push({ at, caseRef: query.caseRef, query, listed: listed.get(query.caseRef) });
      }
      const fires = seen.flatMap((s) => s.timers).filter((t) => t > now);
      await env.sleep((fires.length > 0 ? Math.min(...fires) : now) + AFTER_TIMER_MS - now);
    }
  });
  return sleeps;
}

/** The fields in which the case list's row differs from the case's own answer. */
function differences({ at, caseRef, query, listed }: Sleep): string[] {
  const keys = Object.keys(query) as (keyof CaseView)[];
  return keys
    .filter((key) => JSON.stringify(query[key]) !== JSON.stringify(listed?.[key]))
    .map(
      (key) =>
        `${at} ${caseRef.slice(-2)} ${key}: query ${JSON.stringify(query[key])}, read model ${JSON.stringify(listed?.[key])}`,
    );
}

function plansInThePast({ at, caseRef, query }: Sleep): string[] {
  const next = query.nextAction;
  return next && Date.parse(next.at) < Date.parse(at)
    ? [`${at} ${caseRef.slice(-2)} plans ${JSON.stringify(next)}`]
    : [];
}

/** Calls go out, but no outcome ever comes back: each waits its timeout, is tried again, and counts as unanswered. */
const silentCalls: Partial<CaseActivities> = {
  async placeCall(input) {
    return { providerRef: input.callKey };
  },
};

describe('the read model tells what the case does, at every sleep of a whole ladder', () => {
  let env: TestWorkflowEnvironment;
  beforeEach(async () => {
    env = await timeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  test.each([
    ['standard case, never reached, calls that get no outcome', '04-standard-never-reached.json', silentCalls],
    ['light case, chosen moment whose calls get no outcome', '02-light-chosen-moment.json', silentCalls],
    ['a round closed, dormant, reopened warm with a wijkteam and meldpunt', '15-reopen-warm-and-meldpunt.json', {}],
  ])(
    '%s: the listed view equals the queried one, and no plan lies in the past',
    async (_label, file, overrides) => {
      const sleeps = await sleepsOf(env, file, overrides);
      expect(sleeps.length).toBeGreaterThan(5);
      expect({ differences: sleeps.flatMap(differences), plansInThePast: sleeps.flatMap(plansInThePast) }).toEqual({
        differences: [],
        plansInThePast: [],
      });
      // The samples saw the ladder, not only its end.
      expect(new Set(sleeps.map((s) => s.query.status)).size).toBeGreaterThan(2);
    },
    600_000,
  );
});
