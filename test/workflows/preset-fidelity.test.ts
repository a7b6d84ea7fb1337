import type { Segment } from '../../domain/case';
import {
  chosenMomentSlots,
  closeDeadline,
  dagdeelAt,
  firstAttemptDeadline,
  getPolicy,
  invitationChannels,
  isAllowedChosenMoment,
  holidaysIn,
  isInCallWindow,
  isRepeatSignal,
  nextCallSlot,
  nextMessageMoment,
  policyNames,
  policyProblems,
  segmentFor,
  visitSlots,
  withChanges,
  type ContactPolicy,
  type PolicyChange,
} from '../../policy';
import type { IncomingSignal } from '../../domain/signal';

// Preset fidelity: every leaf of every preset changes what happens. Each leaf path is in LEAVES with how that is
// shown: `pure` (the leaf feeds pure policy functions: the probe below, over fixed instants and facts, must change
// for every preset), `scenario` (only the workflow reads it: the named scenario's timeline must change under the
// named presets, which together hold every value the presets give that leaf), or `consumer` (the leaf serves
// something else, named). The last test checks that LEAVES covers every leaf of every preset: objects are walked,
// arrays and scalars are leaves.
//
// NOT YET DONE: the `scenario` rows are declared and their coverage checked, but not played here yet: playing them
// all on one time-skipping server took over 170 s on the shared two-core machine. Until that lands, what the
// workflow does with those leaves is covered only by the scenario test files.
//
// Mutations (documented per kind, `mutationOf`): numbers -1 (+1 when -1 makes the policy invalid; Infinity becomes
// 2000; a phone-round cap above 100, meant as none, becomes 2); booleans flipped; local times moved 3 hours inwards; enums swapped (MUTATED_ENUM); null becomes 3; arrays
// and route discriminants by a rule in the table. Every mutated policy must pass policyProblems.

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const WEEK_START = at('2027-03-15T00:00:00+01:00'); // Monday; the week has a Saturday and no holiday

type Check =
  | { kind: 'pure' }
  | {
      kind: 'scenario';
      file: string;
      presets: string[];
      mutate?: (policy: ContactPolicy) => PolicyChange[];
      /** Calls and visits whose outcome never comes: for the leaves that only a missing outcome reaches. */
      silentTeams?: boolean;
    }
  | { kind: 'consumer'; consumer: string }
  | { kind: 'unproven'; why: string };

const pure: Check = { kind: 'pure' };
const scenario = (
  file: string,
  presets: string[],
  mutate?: (p: ContactPolicy) => PolicyChange[],
  silentTeams = false,
): Check => ({ kind: 'scenario', file, presets, mutate, silentTeams });
const silent = (file: string, presets: string[]) => scenario(file, presets, undefined, true);
const noReopenOfThisSegment: Check = {
  kind: 'unproven',
  why: 'read on a warm reopen of a light or standard case; no shipped scenario reopens one (scenario 15 reopens priority)',
};

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

const LEAVES: Record<string, Check> = {
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
  'segments.priority.wijkteamPlan.visits': scenario('06-priority-rent-arrears.json', ['default', 'coevorden']),
  'segments.priority.wijkteamPlan.calls': scenario('06-priority-rent-arrears.json', ['default']),
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
  'segments.light.reminderAfterDays': scenario('01-light-invitation-and-reminder.json', ['default', 'drill']),
  'segments.light.waitForChoiceHours': scenario('20-zoetermeer-light-still-called.json', ['zoetermeer']),
  'segments.standard.waitForChoiceHours': scenario('04-standard-never-reached.json', ['default', 'drill']),
  'segments.light.visitsWhenUnreached': scenario('20-zoetermeer-light-still-called.json', ['zoetermeer']),
  'segments.standard.visitsWhenUnreached': scenario('04-standard-never-reached.json', ['default', 'coevorden']),
  'callWindows.*.from': pure,
  'callWindows.*.to': pure,
  holidays: pure,
  'messageWindow.from': pure,
  'messageWindow.to': pure,
  'visitWindow.from': pure,
  'visitWindow.to': pure,
  visitDays: pure,
  'segments.light.wijkteamPlan.visits': noReopenOfThisSegment,
  'segments.light.wijkteamPlan.calls': noReopenOfThisSegment,
  'segments.standard.wijkteamPlan.visits': noReopenOfThisSegment,
  'segments.standard.wijkteamPlan.calls': noReopenOfThisSegment,
  'phoneRound.outcomeTimeoutMinutes': silent('04-standard-never-reached.json', ['default', 'drill']),
  'phoneRound.technicalRetries': silent('04-standard-never-reached.json', ['default', 'drill']),
  'phoneRound.technicalRetryDelayMinutes': silent('04-standard-never-reached.json', ['default']),
  'visits.outcomeTimeoutHours': silent('04-standard-never-reached.json', ['default', 'drill']),
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
  'visits.count': scenario('04-standard-never-reached.json', ['default', 'drill']),
  'deadlines.firstAttemptWorkingDays': pure,
  'deadlines.closeAfterDays': pure,
  'deadlines.closeAtMonthEnd': pure,
  'deadlines.handoverOutcomeDays': scenario('11-known-at-sdv.json', ['default', 'drill']),
  'deadlines.handoverReminders': scenario('11-known-at-sdv.json', ['default', 'drill']),
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
  'dormant.months': scenario('17-dormant-watch-expires.json', ['default', 'drill']),
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
function leavesOf(value: unknown, prefix = ''): { path: string; value: unknown }[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leavesOf(child, prefix ? `${prefix}.${key}` : key));
  }
  return [{ path: prefix, value }];
}

const tableKeyOf = (path: string) =>
  path.startsWith('callWindows.') ? path.replace(/^callWindows\.\d/, 'callWindows.*') : path;

/** The documented mutation of one leaf: a change the resulting policy accepts. */
function mutationOf(policy: ContactPolicy, path: string, value: unknown): PolicyChange[] {
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
function probe(policy: ContactPolicy): unknown {
  const quarterHours = Array.from({ length: 8 * 96 }, (_, i) => WEEK_START + i * 15 * 60_000);
  const halfHours = quarterHours.filter((_, i) => i % 2 === 0);
  const signal = (partnerType: string, amount: number, crisis = false) => ({ partnerType, amount, crisis }) as never;
  const facts = [
    [signal('Energie', 300)],
    [signal('Energie', 499.5)],
    [signal('Energie', 700)],
    [signal('Energie', 1999.5)],
    [signal('Huur', 300)],
    [signal('Water', 300, true)],
    [signal('Energie', 3000)],
    [signal('Zorgverzekeraar', 1500), signal('Energie', 900)],
  ].map((signals) => ({ signals, meervoudig: signals.length > 1, opeenvolgend: false }));
  const contacts = [
    { mobile: true, email: true, landline: false },
    { mobile: true, email: false, landline: false },
    { mobile: false, email: true, landline: false },
    { mobile: false, email: false, landline: true },
  ];
  const round: number[] = [];
  for (let i = 0; i < 7; i++) round.push(nextCallSlot(policy, at('2027-03-18T07:00:00+01:00'), round));
  const earlier = [1, 3, 5, 6, 7].map((months) => ({
    partnerType: 'Energie' as const,
    amount: 500,
    receivedAt: new Date(at('2027-09-01T12:00:00+02:00') - months * 30.5 * 24 * H).toISOString(),
  }));
  const incoming = { signal: { bedrag: 500, signaalpartner: { type: 'Energie' } }, receivedAt: '2027-09-01T10:00:00Z' };
  const chosenFrom = at('2027-03-16T10:00:00+01:00');
  const lateMoments = [
    ...Array.from({ length: 20 }, (_, i) => at('2027-03-17T20:40:00+01:00') + i * 60_000),
    ...Array.from({ length: 10 }, (_, i) => at('2027-03-17T23:50:00+01:00') + i * 60_000),
  ];
  return {
    segments: facts.map((f) => segmentFor(policy, f)),
    channels: (['light', 'standard', 'priority'] as const).map((s) =>
      contacts.map((c) => invitationChannels(policy, s, c)),
    ),
    callWindow: halfHours.map((t) => isInCallWindow(policy, t)),
    dagdelen: quarterHours.filter((_, i) => i % 4 === 0).map((t) => dagdeelAt(policy, t)),
    holidays: holidaysIn(policy, 2027),
    messages: quarterHours.filter((_, i) => i % 8 === 0).map((t) => nextMessageMoment(policy, t)),
    visits: [0, 10, 19, 22, 130, 142].map((hour) => visitSlots(policy, WEEK_START + hour * H, 2)),
    round,
    // After earlier attempts at every quarter-hour of a Tuesday: the gap, the per-day cap, the dagdeel rules.
    nextAttempts: quarterHours
      .slice(96 + 28, 96 + 92)
      .filter((_, i) => i % 2 === 0)
      .map((prev) =>
        [1, 2, 3].map((n) =>
          nextCallSlot(
            policy,
            prev,
            Array.from({ length: n }, (_, k) => prev - k * 60 * 60_000),
          ),
        ),
      ),
    fromSaturday: nextCallSlot(policy, at('2027-03-20T10:00:00+01:00'), []),
    chosenSlots: chosenMomentSlots(policy, chosenFrom),
    chosenAllowed: lateMoments.map((m) => isAllowedChosenMoment(policy, m, chosenFrom)),
    firstAttempt: [0, 4, 5].map((d) => firstAttemptDeadline(policy, WEEK_START + d * 24 * H + 10 * H)),
    close: ['2027-03-02T10:00:00+01:00', '2027-03-28T10:00:00+02:00'].map((t) => closeDeadline(policy, at(t))),
    repeats: earlier.map((e) => isRepeatSignal(policy, [e], incoming as unknown as IncomingSignal)),
  };
}

const PRESETS = policyNames();

describe('preset fidelity', () => {
  test('the table covers every leaf of every preset, and each scenario row names presets with every value of its leaf', () => {
    const missing: string[] = [];
    for (const name of PRESETS) {
      for (const { path, value } of leavesOf(getPolicy(name))) {
        const check = LEAVES[tableKeyOf(path)];
        if (!check) missing.push(`${name}: ${path}`);
        else if (check.kind === 'scenario') {
          const covered = check.presets.some(
            (preset) =>
              JSON.stringify(leavesOf(getPolicy(preset)).find((l) => l.path === path)?.value) === JSON.stringify(value),
          );
          if (!covered)
            missing.push(`${name}: ${path} = ${JSON.stringify(value)} is played under no preset with that value`);
        }
      }
    }
    expect(missing).toEqual([]);
    const used = new Set(PRESETS.flatMap((name) => leavesOf(getPolicy(name)).map((l) => tableKeyOf(l.path))));
    expect(Object.keys(LEAVES).filter((key) => !used.has(key))).toEqual([]);
  });

  test('the leaves not yet proven are exactly these, each with its reason (issue 11 part 2)', () => {
    const unproven = Object.entries(LEAVES).filter(([, check]) => check.kind === 'unproven');
    expect(unproven.map(([path]) => path)).toEqual([
      'segments.light.wijkteamPlan.visits',
      'segments.light.wijkteamPlan.calls',
      'segments.standard.wijkteamPlan.visits',
      'segments.standard.wijkteamPlan.calls',
      'deadlines.conversationOutcomeDays',
    ]);
  });

  test('every pure leaf of every preset changes what the policy functions make of it', () => {
    const unchanged: string[] = [];
    for (const name of PRESETS) {
      const policy = getPolicy(name);
      const base = JSON.stringify(probe(policy));
      for (const { path, value } of leavesOf(policy)) {
        if (LEAVES[tableKeyOf(path)]?.kind !== 'pure') continue;
        const changes = mutationOf(policy, path, value);
        if (JSON.stringify(probe(withChanges(policy, changes))) === base) unchanged.push(`${name}: ${path}`);
      }
    }
    expect(unchanged).toEqual([]);
  });
});
