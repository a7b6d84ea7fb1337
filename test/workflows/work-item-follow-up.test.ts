import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CaseActivities } from '../../activities/types';
import { applyEvent } from '../../workflows/case/messages';
import { runScenario } from '../../tools/scenario/run-scenario';
import type { Scenario } from '../../tools/scenario/schema';
import { loadScenario } from '../support/scenarios';
import { timeSkippingEnv, workflowBundle } from '../support/time-skipping';

type Closed = Parameters<CaseActivities['closeWorkItem']>[0];
type Reminded = Parameters<CaseActivities['remindTeam']>[0];
type Conversation = Parameters<CaseActivities['createConversationTask']>[0];

const DAY = 86_400_000;
/** Activities may run more than once (a retry after a timeout); what they did is compared once per input. */
const once = <T>(items: T[]) => [...new Map(items.map((i) => [JSON.stringify(i), i])).values()];

/** Plays a scenario with the work-item activities recorded: what the case closes, reminds and puts on lists. */
async function play(scenario: Scenario, more: (env: TestWorkflowEnvironment) => Partial<CaseActivities> = () => ({})) {
  const env = await timeSkippingEnv();
  const closed: Closed[] = [];
  const reminded: Reminded[] = [];
  const conversations: Conversation[] = [];
  try {
    const result = await runScenario(env, scenario, {
      workflowBundle: workflowBundle(),
      overrides: {
        async closeWorkItem(input) {
          closed.push(input);
        },
        async remindTeam(input) {
          reminded.push(input);
        },
        async createConversationTask(input) {
          conversations.push(input);
        },
        ...more(env),
      },
    });
    const view = result.cases[0] as { result: string | null; breaches: string[] };
    return { view, closed: once(closed), reminded: once(reminded), conversations: once(conversations) };
  } finally {
    await env.teardown();
  }
}

describe('the case follows up the work it hands to people (time-skipping)', () => {
  test('an unanswered handover becomes overdue after handoverOutcomeDays: a breach, then a reminder each period', async () => {
    const scenario: Scenario = { ...loadScenario('11-known-at-sdv.json'), teams: { answersHandoversAfterDays: null } };
    const { view, reminded, closed } = await play(scenario);
    expect(view.result).toBe('Inwoner al bekend bij schuldhulpverlening');
    // Default policy: 14 days to answer, then two reminders, 14 days apart; one breach.
    expect(reminded.map((r) => [r.key.replace(/^.*:handover:/, 'handover:'), r.reminder])).toEqual([
      ['handover:sdv', 1],
      ['handover:sdv', 2],
    ]);
    expect(view.breaches).toHaveLength(1);
    const [, due] = /unanswered after 14 days \(due (.+)\)$/.exec(view.breaches[0]!) ?? [];
    expect(Date.parse(due!) - Date.parse('2027-03-01T10:00:00+01:00')).toBeGreaterThanOrEqual(14 * DAY);
    expect(Date.parse(due!) - Date.parse('2027-03-01T10:00:00+01:00')).toBeLessThan(16 * DAY);
    expect(view.breaches[0]).toMatch(/^handover to sdv unanswered after 14 days/);
    expect(closed).toEqual([]);
  });

  test('a handover the team answers in time is neither overdue nor reminded; its work item is closed', async () => {
    const { view, reminded, closed } = await play(loadScenario('11-known-at-sdv.json'));
    expect(view.breaches).toEqual([]);
    expect(reminded).toEqual([]);
    expect(closed.map((c) => [c.key.replace(/^.*:handover:/, 'handover:'), c.reason])).toEqual([
      ['handover:sdv', 'not_needed'],
    ]);
  });

  test('visits whose outcome never comes are closed as lapsed when the case moves on', async () => {
    const { view, closed } = await play(loadScenario('05-standard-at-home-on-second-visit.json'), () => ({
      async createVisitTask() {}, // the visit team never reports
    }));
    expect(view.result).toBe('Definitief geen contact kunnen krijgen');
    expect(closed.map((c) => [c.key.replace(/^.*:visit:/, 'visit:'), c.reason])).toEqual([
      ['visit:1', 'lapsed'],
      ['visit:2', 'lapsed'],
    ]);
  });

  test('a resident reached by the call centre puts the conversation on its list; unrecorded, it lapses', async () => {
    const { view, conversations, closed } = await play(
      loadScenario('03-standard-reached-on-third-call.json'),
      (env) => ({
        // The first call is answered; nobody records how the conversation went.
        async placeCall(input) {
          await env.client.workflow.getHandle(input.caseId).executeUpdate(applyEvent, {
            args: [{ type: 'call_outcome', attempt: input.attempt, outcome: 'answered' }],
          });
          return { providerRef: input.callKey };
        },
      }),
    );
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      team: 'callcentre',
      conversationKey: expect.stringMatching(/:conversation$/),
    });
    expect(Date.parse(conversations[0]!.dueAt) - Date.parse(conversations[0]!.at)).toBeGreaterThanOrEqual(7 * DAY);
    expect(closed.map((c) => [c.key.replace(/^.*:/, ''), c.reason])).toEqual([['conversation', 'lapsed']]);
    expect(view.result).toBe('Geen reactie na eerder contact');
  });
});
