import { policyProblems, withChanges, type ContactPolicy, type PolicyChange } from '../../policy';
import type { Segment } from '../../domain/case';
import type { Scenario } from '../../tools/scenario/schema';

// Preset fidelity: every leaf of every preset changes what happens. Each leaf path is in LEAVES with how that is
// shown: `pure` (the leaf feeds pure policy functions: the probe in test/workflows/preset-fidelity.test.ts, over fixed
// instants and facts, must change for every preset), `scenario` (only the workflow reads it: the named scenario's
// timeline must change under the named presets, which together hold every value the presets give that leaf; played
// in test/workflows/preset-fidelity-played.test.ts), or `consumer` (the leaf serves something else, named).
// test/workflows/preset-fidelity.test.ts checks that LEAVES covers every leaf of every preset: objects are walked,
// arrays and scalars are leaves.
//
// Mutations (documented per kind, `mutationOf`): numbers -1 (+1 when -1 makes the policy invalid; Infinity becomes
// 2000; a phone-round cap above 100, meant as none, becomes 2); booleans flipped; local times moved 3 hours inwards;
// enums swapped (MUTATED_ENUM); null becomes 3; arrays and route discriminants by a rule in the table. Every mutated
// policy must pass policyProblems.

export type Check =
  | { kind: 'pure' }
  | {
      kind: 'scenario';
      file: string;
      presets: string[];
      mutate?: (policy: ContactPolicy) => PolicyChange[];
      /** Calls and visits whose outcome never comes: for the leaves that only a missing outcome reaches. */
      silentTeams?: boolean;
      /** How the receiving teams answer handovers in this row's plays, instead of the scenario's own. */
      teams?: Scenario['teams'];
      /**
       * Per preset, leaves changed in the baseline and the mutated play alike: room for the leaf to act (the drill's
       * one-day round closes before a second visit or a reminder could come).
       */
      context?: Record<string, PolicyChange[]>;
    }
  | { kind: 'consumer'; consumer: string }
  | { kind: 'unproven'; why: string };

export type ScenarioCheck = Extract<Check, { kind: 'scenario' }>;

const pure: Check = { kind: 'pure' };
const scenario = (
  file: string,
  presets: string[],
  mutate?: (p: ContactPolicy) => PolicyChange[],
  silentTeams = false,
): ScenarioCheck => ({ kind: 'scenario', file, presets, mutate, silentTeams });
const silent = (file: string, presets: string[]) => scenario(file, presets, undefined, true);
/** Handovers nobody answers: for the leaves that only an overdue handover reaches. */
const unanswered = (file: string, presets: string[]): ScenarioCheck => ({
  kind: 'scenario',
  file,
  presets,
  teams: { answersHandoversAfterDays: null },
});
/** The drill's round, closing after one day, made long enough for the leaf to act. */
const drillClosingAfter = (days: number, more: PolicyChange[] = []): Record<string, PolicyChange[]> => ({
  drill: [{ path: 'deadlines.closeAfterDays', value: days }, ...more],
});
const withContext = (check: ScenarioCheck, context: Record<string, PolicyChange[]>): ScenarioCheck => ({
  ...check,
  context,
});

/** Route discriminants: the other route, with the fields that route reads. */
const otherRoute =
  (segment: Segment) =>
  (policy: ContactPolicy): PolicyChange[] => {
    const plan = policy.segments[segment];
    const value = plan.wijkteamHandover
      ? {
          wijkteamHandover: false,
          wijkteamPlan: plan.wijkteamPlan,
          invite: true,
          alwaysLetter: false,
          phoneRound: true,
          waitForChoiceHours: 48,
          visitsWhenUnreached: true,
        }
      : { wijkteamHandover: true, wijkteamPlan: plan.wijkteamPlan };
    return [{ path: `segments.${segment}`, value }];
  };
const otherLadder =
  (segment: Segment) =>
  (policy: ContactPolicy): PolicyChange[] => {
    const plan = policy.segments[segment];
    if (plan.wijkteamHandover) throw new Error(`segments.${segment} is no ladder`);
    const common = {
      wijkteamHandover: false,
      wijkteamPlan: plan.wijkteamPlan,
      invite: plan.invite,
      alwaysLetter: plan.alwaysLetter,
    };
    const value = plan.phoneRound
      ? { ...common, phoneRound: false, reminderAfterDays: 5 }
      : { ...common, phoneRound: true, waitForChoiceHours: 48, visitsWhenUnreached: false };
    return [{ path: `segments.${segment}`, value }];
  };

export const LEAVES: Record<string, Check> = {
  name: { kind: 'consumer', consumer: 'the registry key and the case identity ({ name, version }), shown by the API' },
  version: {
    kind: 'consumer',
    consumer: 'the case identity ({ name, version }): which registered version a case runs',
  },
  description: { kind: 'consumer', consumer: 'policy authors and the README; no code path' },
  timeZone: pure,
  'matching.windowMinutes': scenario('01-light-invitation-and-reminder.json', ['default', 'drill']),
  'matching.repeatWindowMonths': pure,
  'segmentation.lightBelowAmount': pure,
  'segmentation.neverLightPartnerTypes': pure,
  'segmentation.priorityAboveAmount': pure,
  'segmentation.priorityPartnerTypes': pure,
  'segmentation.crisisIsPriority': pure,
  'segments.light.wijkteamHandover': scenario(
    '01-light-invitation-and-reminder.json',
    ['default'],
    otherRoute('light'),
  ),
  'segments.standard.wijkteamHandover': scenario('04-standard-never-reached.json', ['default'], otherRoute('standard')),
  'segments.priority.wijkteamHandover': scenario('06-priority-rent-arrears.json', ['default'], otherRoute('priority')),
  'segments.priority.wijkteamPlan.visits': silent('06-priority-rent-arrears.json', ['default', 'coevorden']),
  // Silent teams: in the scenario the resident is reached before the plan's last call.
  'segments.priority.wijkteamPlan.calls': silent('06-priority-rent-arrears.json', ['default']),
  'segments.light.invite': pure,
  'segments.standard.invite': pure,
  'segments.light.alwaysLetter': pure,
  'segments.standard.alwaysLetter': pure,
  'segments.light.phoneRound': scenario(
    '20-zoetermeer-light-still-called.json',
    ['default', 'zoetermeer'],
    otherLadder('light'),
  ),
  'segments.standard.phoneRound': scenario('04-standard-never-reached.json', ['default'], otherLadder('standard')),
  'segments.light.reminderAfterDays': withContext(
    scenario('01-light-invitation-and-reminder.json', ['default', 'drill']),
    drillClosingAfter(7),
  ),
  'segments.light.waitForChoiceHours': scenario('20-zoetermeer-light-still-called.json', ['zoetermeer']),
  'segments.standard.waitForChoiceHours': scenario('04-standard-never-reached.json', ['default', 'drill']),
  // Silent teams: in the scenario the phone round reaches the resident, and no visit is due.
  'segments.light.visitsWhenUnreached': silent('20-zoetermeer-light-still-called.json', ['zoetermeer']),
  'segments.standard.visitsWhenUnreached': scenario('04-standard-never-reached.json', ['default', 'coevorden']),
  'callWindows.*.from': pure,
  'callWindows.*.to': pure,
  holidays: pure,
  'messageWindow.from': pure,
  'messageWindow.to': pure,
  'visitWindow.from': pure,
  'visitWindow.to': pure,
  visitDays: pure,
  'segments.light.wijkteamPlan.visits': scenario('26-reopen-warm-works-the-segment-plan.json', [
    'default',
    'coevorden',
  ]),
  'segments.light.wijkteamPlan.calls': scenario('26-reopen-warm-works-the-segment-plan.json', ['default']),
  'segments.standard.wijkteamPlan.visits': scenario('26-reopen-warm-works-the-segment-plan.json', [
    'default',
    'coevorden',
  ]),
  'segments.standard.wijkteamPlan.calls': scenario('26-reopen-warm-works-the-segment-plan.json', ['default']),
  'phoneRound.outcomeTimeoutMinutes': silent('04-standard-never-reached.json', ['default', 'drill']),
  'phoneRound.technicalRetries': silent('04-standard-never-reached.json', ['default', 'drill']),
  'phoneRound.technicalRetryDelayMinutes': silent('04-standard-never-reached.json', ['default']),
  // A wait for a visit's outcome shows when it outlasts the gap to the next visit: the drill's next visit is a day on.
  'visits.outcomeTimeoutHours': withContext(
    scenario(
      '04-standard-never-reached.json',
      ['default', 'drill'],
      (p) => [
        {
          path: 'visits.outcomeTimeoutHours',
          value: p.visits.outcomeTimeoutHours < 1 ? 30 : p.visits.outcomeTimeoutHours - 1,
        },
      ],
      true,
    ),
    drillClosingAfter(3, [{ path: 'visits.count', value: 2 }]),
  ),
  'deadlines.conversationOutcomeDays': {
    kind: 'unproven',
    why: 'matters only when the resident is reached within that many days of the close deadline; no scenario is',
  },
  'phoneRound.maxAttempts': scenario('04-standard-never-reached.json', ['default', 'drill']),
  'phoneRound.minGapMinutes': pure,
  'phoneRound.maxPerDay': pure,
  'phoneRound.alternateDagdeel': pure,
  'phoneRound.dagdeelRotation': pure,
  'phoneRound.useSaturday': pure,
  'chosenMoment.retryAfterMinutes': pure,
  'chosenMoment.horizonWorkingDays': pure,
  'chosenMoment.slotMinutes': pure,
  'visits.count': withContext(scenario('04-standard-never-reached.json', ['default', 'drill']), drillClosingAfter(3)),
  'deadlines.firstAttemptWorkingDays': pure,
  'deadlines.closeAfterDays': pure,
  'deadlines.closeAtMonthEnd': pure,
  'deadlines.handoverOutcomeDays': unanswered('11-known-at-sdv.json', ['default', 'drill']),
  'deadlines.handoverReminders': unanswered('11-known-at-sdv.json', ['default', 'drill']),
  'deadlines.linkValidDaysAfterClose': scenario('01-light-invitation-and-reminder.json', ['default']),
  'outcomes.helpAcceptedTo': scenario('03-standard-reached-on-third-call.json', ['default', 'haarlem']),
  'escalation.knownAtSdvHandover': scenario('11-known-at-sdv.json', ['default']),
  'escalation.meldpuntOnGrowingArrears': scenario('15-reopen-warm-and-meldpunt.json', ['default']),
  'escalation.reopenTo': scenario('15-reopen-warm-and-meldpunt.json', ['default'], () => [
    { path: 'escalation.reopenTo', value: 'budgetcoach' },
    // Another team than the wijkteam works no wijkteam plan: policyProblems wants the ladder plans empty then.
    { path: 'segments.light.wijkteamPlan', value: { visits: 0, calls: 0 } },
    { path: 'segments.standard.wijkteamPlan', value: { visits: 0, calls: 0 } },
  ]),
  'escalation.repeatsReopenWarm': scenario('16-repeat-signal-not-worked.json', ['default', 'zoetermeer']),
  // Not scenario 17: its resident moved away, and that round ends the case without a dormant watch.
  'dormant.months': scenario('01-light-invitation-and-reminder.json', ['default', 'drill']),
  'invitationChannels.mobile': pure,
  'invitationChannels.email': pure,
  'invitationChannels.fallback': pure,
};

const MUTATED_ENUM: Record<string, string> = {
  sms: 'whatsapp',
  whatsapp: 'sms',
  email: 'letter',
  letter: 'email',
  wijkteam: 'budgetcoach',
  budgetcoach: 'wijkteam',
  'Europe/Amsterdam': 'Europe/London',
};

const ARRAY_MUTATIONS: Record<string, (value: unknown[]) => unknown[]> = {
  holidays: (rules) => (rules.length > 0 ? rules.slice(1) : [{ name: 'Nieuwjaarsdag', month: 1, day: 1 }]),
  'segmentation.neverLightPartnerTypes': (types) => (types.length > 0 ? [] : ['Energie']),
  'segmentation.priorityPartnerTypes': (types) => (types.length > 0 ? [] : ['Energie']),
  'phoneRound.dagdeelRotation': (rotation) => (rotation.length > 0 ? [...rotation].reverse() : ['Avond']),
  visitDays: (days) => days.slice(0, -1),
};

function shiftTime(value: string, minutes: number): string {
  const [h, m] = value.split(':').map(Number);
  const total = Math.min(23 * 60 + 59, Math.max(0, h * 60 + m + minutes));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** The leaves of a preset: dotted paths of its scalars and arrays. */
export function leavesOf(value: unknown, prefix = ''): { path: string; value: unknown }[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leavesOf(child, prefix ? `${prefix}.${key}` : key));
  }
  return [{ path: prefix, value }];
}

export const tableKeyOf = (path: string) =>
  path.startsWith('callWindows.') ? path.replace(/^callWindows\.\d/, 'callWindows.*') : path;

/** The documented mutation of one leaf: a change the resulting policy accepts. */
export function mutationOf(policy: ContactPolicy, path: string, value: unknown): PolicyChange[] {
  const check = LEAVES[tableKeyOf(path)];
  if (check.kind === 'scenario' && check.mutate) return check.mutate(policy);
  const candidates: unknown[] = [];
  if (path === 'deadlines.closeAtMonthEnd') {
    // The month end and a number of days are one decision: the other one, with the other's field.
    return value
      ? [
          { path, value: false },
          { path: 'deadlines.closeAfterDays', value: 28 },
        ]
      : [
          { path, value: true },
          { path: 'deadlines.closeAfterDays', value: null },
        ];
  }
  if (path === 'deadlines.closeAfterDays' && value === null)
    return mutationOf(policy, 'deadlines.closeAtMonthEnd', true);
  if (Array.isArray(value)) candidates.push(ARRAY_MUTATIONS[path](value));
  else if (value === Infinity) candidates.push(2000);
  else if (typeof value === 'number' && value > 100 && path.startsWith('phoneRound.')) candidates.push(2);
  else if (typeof value === 'number') candidates.push(value - 1, value + 1);
  else if (typeof value === 'boolean') candidates.push(!value);
  else if (value === null) candidates.push(3);
  else if (typeof value === 'string' && /^\d\d:\d\d$/.test(value))
    candidates.push(shiftTime(value, path.endsWith('.to') ? -180 : 180));
  else if (typeof value === 'string' && value in MUTATED_ENUM) candidates.push(MUTATED_ENUM[value]);
  for (const candidate of candidates) {
    const changes = [{ path, value: candidate }];
    if (policyProblems(withChanges(policy, changes)).length === 0) return changes;
    // A segment that no longer invites still reminds when it sends its letter.
    const letter = { path: path.replace(/invite$/, 'alwaysLetter'), value: true };
    if (path.endsWith('.invite') && policyProblems(withChanges(policy, [...changes, letter])).length === 0) {
      return [...changes, letter];
    }
  }
  throw new Error(`${policy.name}: no valid mutation of ${path} (${JSON.stringify(value)})`);
}

/** What the pure policy functions make of a policy, over fixed instants and facts. */
