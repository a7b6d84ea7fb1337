// The reach funnel (GET /v1/reports/funnel): what one case round contributes to the anonymous statistics, and the
// pure aggregation of those contributions into funnel stages, splits, durations and recidive.

import type { CaseView } from './case';
import { EINDRESULTATEN, type Dagdeel, type Eindresultaat } from './ddas';

export const FUNNEL_SPLITS = ['channel', 'segment', 'partner', 'dagdeel', 'month'] as const;
export type FunnelSplit = (typeof FUNNEL_SPLITS)[number];

export const BREACH_KINDS = ['first_attempt_late', 'no_attempt_by_deadline', 'handover_unanswered', 'other'] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];

/** The results that mean the resident accepted follow-up help (the staff outcome `help_accepted`). */
const HELP_ACCEPTED_RESULTS: readonly Eindresultaat[] = [
  'Vervolghulp en/of verwijzing financieel',
  'Vervolghulp en/of verwijzing niet financieel',
];

/**
 * One round's anonymous statistics: what the funnel needs and nothing that identifies the household. Durations are
 * whole minutes from the round's first signal; dates are Europe/Amsterdam calendar dates.
 */
export interface FunnelFact {
  round: number;
  signalDate: string; // YYYY-MM-DD
  segment: string | null;
  partnerTypes: string[]; // one entry per signal
  firstAttemptMinutes: number | null;
  firstAttemptInTime: boolean | null; // null while no attempt was made
  firstContactMinutes: number | null;
  firstContactChannel: string | null;
  firstContactDagdeel: string | null;
  reached: boolean;
  helpAccepted: boolean;
  result: string | null;
  breaches: BreachKind[];
  closedDate: string | null;
  reopenedDate: string | null;
}

const amsterdamDates = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' });

export function amsterdamDate(instant: string): string {
  return amsterdamDates.format(new Date(instant));
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** The workflow words its breaches with the deadline's instant; the statistics keep only which deadline and how. */
export function breachKind(breach: string): BreachKind {
  if (breach.startsWith('first contact attempt after the deadline')) return 'first_attempt_late';
  if (breach.startsWith('no contact attempt before the deadline')) return 'no_attempt_by_deadline';
  if (breach.startsWith('handover to ')) return 'handover_unanswered';
  return 'other';
}

/** The channel under which a contact is counted that the resident made: staff recorded it, or a chosen moment. */
export const RESIDENT_MADE_CONTACT = 'resident';

const amsterdamHours = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** As DDAS and the policies divide the day: Ochtend before 12:00, Middag until 18:00, Avond after, Amsterdam time. */
export function dagdeelOf(instant: string): Dagdeel {
  const hour = Number(amsterdamHours.format(new Date(instant)));
  return hour < 12 ? 'Ochtend' : hour < 18 ? 'Middag' : 'Avond';
}

/**
 * The round's first contact: the moment the resident was reached, with the contactpoging that reached them (a call
 * answered, a visit at home), or the resident's own contact when no attempt did.
 */
function firstContactOf(view: CaseView): { at: string; channel: string; dagdeel: string } | null {
  const reaching = view.attempts.filter((a) => a.bereikt).sort((a, b) => a.at.localeCompare(b.at))[0];
  const reachedAt = view.reachedAt;
  if (reaching && (reachedAt === null || Date.parse(reaching.at) <= Date.parse(reachedAt) + 60_000)) {
    return { at: reaching.at, channel: reaching.soort, dagdeel: reaching.dagdeel };
  }
  if (reachedAt === null) return null;
  return { at: reachedAt, channel: RESIDENT_MADE_CONTACT, dagdeel: dagdeelOf(reachedAt) };
}

/** What a round's view contributes to the funnel; null when the round holds no signal yet. */
export function funnelFactOf(view: CaseView): Omit<FunnelFact, 'reopenedDate'> | null {
  const received = view.signals.map((s) => s.receivedAt).sort();
  const firstSignal = received[0];
  if (firstSignal === undefined) return null;
  const attempts = [...view.attempts].sort((a, b) => a.at.localeCompare(b.at));
  const firstAttempt = attempts[0];
  const firstContact = firstContactOf(view);
  const deadline = view.deadlines.firstAttemptBy;
  return {
    round: view.round,
    signalDate: amsterdamDate(firstSignal),
    segment: view.segment,
    partnerTypes: view.signals.map((s) => s.partnerType).sort(),
    firstAttemptMinutes: firstAttempt ? minutesBetween(firstSignal, firstAttempt.at) : null,
    firstAttemptInTime: firstAttempt ? deadline === null || Date.parse(firstAttempt.at) <= Date.parse(deadline) : null,
    firstContactMinutes: firstContact ? minutesBetween(firstSignal, firstContact.at) : null,
    firstContactChannel: firstContact?.channel ?? null,
    firstContactDagdeel: firstContact?.dagdeel ?? null,
    reached: view.reachedAt !== null,
    helpAccepted: view.result !== null && HELP_ACCEPTED_RESULTS.includes(view.result),
    result: view.result,
    breaches: [...new Set(view.deadlines.breaches.map(breachKind))].sort(),
    closedDate: view.closedAt ? amsterdamDate(view.closedAt) : null,
  };
}

export interface DurationSummary {
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface RecidiveFigures {
  /** Closed rounds counted in the period. */
  closed: number;
  /** Closed rounds whose 6 (12) months after closing have passed: the denominator of the share. */
  observable6Months: number;
  within6Months: number;
  share6Months: number | null;
  observable12Months: number;
  within12Months: number;
  share12Months: number | null;
}

export interface FunnelFigures {
  signals: number;
  cases: number;
  firstAttemptInTime: number;
  reached: number;
  helpAccepted: number;
  /** Every DDAS result with its number of rounds (zeros included), plus `open` for rounds without a result yet. */
  results: Record<Eindresultaat | 'open', number>;
  timeToFirstAttempt: DurationSummary;
  timeToFirstContact: DurationSummary;
  /** Rounds with at least one breach, and rounds per kind of breach. */
  deadlineBreaches: { cases: number } & Record<BreachKind, number>;
  recidive: RecidiveFigures;
}

export interface FunnelGroup extends FunnelFigures {
  /** The split's value: a channel, segment, partner type, dagdeel or month (YYYY-MM); null when the round has none. */
  key: string | null;
}

export interface FunnelReport {
  municipality: string;
  from: string;
  to: string;
  by: FunnelSplit | null;
  /** The date recidive's observation windows are measured to. */
  asOf: string;
  total: FunnelFigures;
  groups: FunnelGroup[];
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below it): a duration someone
 * actually waited, never an interpolation between two rounds.
 */
export function percentile(sortedValues: readonly number[], p: number): number | null {
  if (sortedValues.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedValues.length));
  return sortedValues[rank - 1]!;
}

function durations(values: (number | null)[]): DurationSummary {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { count: sorted.length, medianMinutes: percentile(sorted, 50), p90Minutes: percentile(sorted, 90) };
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

function recidive(facts: readonly FunnelFact[], asOf: string): RecidiveFigures {
  const closed = facts.filter((f) => f.closedDate !== null);
  const window = (months: number) => {
    const observable = closed.filter((f) => addMonths(f.closedDate!, months) <= asOf);
    // A reopening inside the window is known even before the window is over, but the share counts observed rounds.
    const within = observable.filter(
      (f) => f.reopenedDate !== null && f.reopenedDate <= addMonths(f.closedDate!, months),
    );
    return { observable: observable.length, within: within.length };
  };
  const six = window(6);
  const twelve = window(12);
  const share = (w: { observable: number; within: number }) => (w.observable === 0 ? null : w.within / w.observable);
  return {
    closed: closed.length,
    observable6Months: six.observable,
    within6Months: six.within,
    share6Months: share(six),
    observable12Months: twelve.observable,
    within12Months: twelve.within,
    share12Months: share(twelve),
  };
}

/** The funnel of a set of rounds. `signals` may be fewer than all signals of the rounds (a split by partner). */
export function funnelFigures(facts: readonly FunnelFact[], asOf: string, signals?: number): FunnelFigures {
  const results = Object.fromEntries([...EINDRESULTATEN, 'open'].map((r) => [r, 0])) as FunnelFigures['results'];
  for (const f of facts) {
    const key = f.result ?? 'open';
    results[key as keyof typeof results] = (results[key as keyof typeof results] ?? 0) + 1;
  }
  const breachCount = (kind: BreachKind) => facts.filter((f) => f.breaches.includes(kind)).length;
  return {
    signals: signals ?? facts.reduce((n, f) => n + f.partnerTypes.length, 0),
    cases: facts.length,
    firstAttemptInTime: facts.filter((f) => f.firstAttemptInTime === true).length,
    reached: facts.filter((f) => f.reached).length,
    helpAccepted: facts.filter((f) => f.helpAccepted).length,
    results,
    timeToFirstAttempt: durations(facts.map((f) => f.firstAttemptMinutes)),
    timeToFirstContact: durations(facts.map((f) => f.firstContactMinutes)),
    deadlineBreaches: {
      cases: facts.filter((f) => f.breaches.length > 0).length,
      first_attempt_late: breachCount('first_attempt_late'),
      no_attempt_by_deadline: breachCount('no_attempt_by_deadline'),
      handover_unanswered: breachCount('handover_unanswered'),
      other: breachCount('other'),
    },
    recidive: recidive(facts, asOf),
  };
}

/**
 * The keys a round is counted under. A round with signals of two partner types counts in both partner groups (with
 * only that partner's signals), so partner groups may add up to more rounds than the total; every other split is a
 * partition. Channel and dagdeel are those of the first contact (channel `resident` when the resident made it): a
 * round nobody reached has key null.
 */
function keysOf(fact: FunnelFact, by: FunnelSplit): (string | null)[] {
  switch (by) {
    case 'channel':
      return [fact.firstContactChannel];
    case 'segment':
      return [fact.segment];
    case 'partner':
      return [...new Set(fact.partnerTypes)];
    case 'dagdeel':
      return [fact.firstContactDagdeel];
    case 'month':
      return [fact.signalDate.slice(0, 7)];
  }
}

export function aggregateFunnel(
  facts: readonly FunnelFact[],
  query: { municipality: string; from: string; to: string; by: FunnelSplit | null; asOf: string },
): FunnelReport {
  const groups: FunnelGroup[] = [];
  if (query.by !== null) {
    const by = query.by;
    const members = new Map<string | null, FunnelFact[]>();
    for (const fact of facts) {
      for (const key of keysOf(fact, by)) members.set(key, [...(members.get(key) ?? []), fact]);
    }
    const ordered = [...members.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    for (const key of ordered) {
      const inGroup = members.get(key)!;
      const signals =
        by === 'partner' ? inGroup.reduce((n, f) => n + f.partnerTypes.filter((p) => p === key).length, 0) : undefined;
      groups.push({ key, ...funnelFigures(inGroup, query.asOf, signals) });
    }
  }
  return {
    municipality: query.municipality,
    from: query.from,
    to: query.to,
    by: query.by,
    asOf: query.asOf,
    total: funnelFigures(facts, query.asOf),
    groups,
  };
}
