import { DateTime } from 'luxon';
import type { CaseView } from '../../domain/case';
import { EINDRESULTATEN, DAGDELEN, type Dagdeel } from '../../domain/ddas';
import { dagdeelAt, localDate, type ContactPolicy } from '../../policy';
import type { RunRecord, WorkKind } from './residents';

export interface DayLoad {
  date: string;
  calls: number;
  visits: number;
  handovers: number;
  messages: number;
  byDagdeel: Record<Dagdeel, { calls: number; visits: number; handovers: number }>;
}

export interface PolicySummary {
  policy: string;
  version: number;
  /** `--set` changes this run made to the preset, if any. */
  changes?: { path: string; value: unknown }[];
  cases: number;
  funnel: { signals: number; cases: number; firstAttemptInTime: number; reached: number; helpAccepted: number };
  results: Record<string, number>;
  timeToFirstAttemptHours: { median: number | null; p90: number | null };
  timeToReachedHours: { median: number | null; p90: number | null };
  load: DayLoad[];
  breaches: { firstAttempt: number; close: number };
  /** Cases the run could not bring to closed or dormant (a stranded test server, or the horizon reached). */
  unfinished: number;
  rejectedResidentEvents: number;
}

const HELP_ACCEPTED = new Set([
  'Vervolghulp en/of verwijzing financieel',
  'Vervolghulp en/of verwijzing niet financieel',
]);
const HOUR_MS = 3_600_000;

/** The contract's per-policy figures, from what the recorders saw and the cases' own views. */
export function summarise(
  record: RunRecord,
  policy: ContactPolicy,
  signals: number,
  changes: { path: string; value: unknown }[],
  periodFrom: number,
): PolicySummary {
  const rounds = [...record.views.values()].sort((a, b) => a.caseRef.localeCompare(b.caseRef));
  const results: Record<string, number> = Object.fromEntries(EINDRESULTATEN.map((r) => [r, 0]));
  const toFirstAttempt: number[] = [];
  const toReached: number[] = [];
  let firstAttemptInTime = 0;
  let reached = 0;
  let helpAccepted = 0;
  let firstAttemptBreaches = 0;
  let closeBreaches = 0;
  for (const view of rounds) {
    if (view.result) results[view.result] = (results[view.result] ?? 0) + 1;
    if (view.result && HELP_ACCEPTED.has(view.result)) helpAccepted++;
    const arrived = arrivalOf(view);
    const first = view.attempts.length > 0 ? Math.min(...view.attempts.map((a) => Date.parse(a.at))) : null;
    if (first !== null) toFirstAttempt.push((first - arrived) / HOUR_MS);
    const breached = view.deadlines.breaches.length > 0;
    if (breached) firstAttemptBreaches++;
    if (first !== null && !breached) firstAttemptInTime++;
    if (view.reachedAt) {
      reached++;
      toReached.push((Date.parse(view.reachedAt) - arrived) / HOUR_MS);
    }
    // A close timer fires at its deadline and the close lands a few milliseconds later: that is on time.
    if (
      view.closedAt &&
      view.deadlines.closeBy &&
      Date.parse(view.closedAt) > Date.parse(view.deadlines.closeBy) + 60_000
    )
      closeBreaches++;
  }
  return {
    policy: policy.name,
    version: policy.version,
    ...(changes.length > 0 ? { changes } : {}),
    cases: rounds.length,
    funnel: { signals, cases: rounds.length, firstAttemptInTime, reached, helpAccepted },
    results,
    timeToFirstAttemptHours: { median: quantile(toFirstAttempt, 0.5), p90: quantile(toFirstAttempt, 0.9) },
    timeToReachedHours: { median: quantile(toReached, 0.5), p90: quantile(toReached, 0.9) },
    load: loadPerDay(record.work, policy, periodFrom),
    breaches: { firstAttempt: firstAttemptBreaches, close: closeBreaches },
    unfinished: record.unsettled().length,
    rejectedResidentEvents: record.rejectedEvents,
  };
}

function arrivalOf(view: CaseView): number {
  return Math.min(...view.signals.map((s) => Date.parse(s.receivedAt)));
}

/** Every day from the period's first to the last day with work, quiet days included (so policies line up by day). */
function loadPerDay(work: { kind: WorkKind; ms: number }[], policy: ContactPolicy, fromMs: number): DayLoad[] {
  const days = new Map<string, DayLoad>();
  const dayOf = (date: string): DayLoad => {
    let day = days.get(date);
    if (!day) {
      day = {
        date,
        calls: 0,
        visits: 0,
        handovers: 0,
        messages: 0,
        byDagdeel: Object.fromEntries(
          DAGDELEN.map((d) => [d, { calls: 0, visits: 0, handovers: 0 }]),
        ) as DayLoad['byDagdeel'],
      };
      days.set(date, day);
    }
    return day;
  };
  const last = Math.max(fromMs, ...work.map((w) => w.ms));
  for (
    let d = DateTime.fromMillis(fromMs, { zone: policy.timeZone }).startOf('day');
    d.toMillis() <= last;
    d = d.plus({ days: 1 })
  )
    dayOf(d.toISODate() as string);
  for (const item of work) {
    const day = dayOf(localDate(policy, item.ms));
    const plural = `${item.kind}s` as 'calls' | 'visits' | 'handovers' | 'messages';
    day[plural]++;
    if (plural !== 'messages') day.byDagdeel[dagdeelAt(policy, item.ms)][plural]++;
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Nearest-rank quantile, rounded to 0.1 h so the output does not carry float noise. */
function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return Math.round(value * 10) / 10;
}
