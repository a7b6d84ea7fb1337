import type { DateTime } from 'luxon';
import { DAGDELEN, type Dagdeel } from '../domain/ddas';
import {
  addWorkingDays,
  callWindowOn,
  ceilToMinute,
  dagdeelAt,
  dagdeelIntervalsOn,
  instantOn,
  isHolidayDay,
  isSaturday,
  localDate,
  localDateTime,
  localDayOf,
  MAX_SEARCH_DAYS,
  MINUTE_MS,
  rangeOn,
  type Interval,
} from './calendar';
import type { ContactPolicy, IsoWeekday } from './types';

function overlap(a: Interval, b: Interval): Interval {
  return { start: Math.max(a.start, b.start), end: Math.min(a.end, b.end) };
}

/** The earliest whole minute inside the interval, or null. */
function firstMinuteIn(interval: Interval): number | null {
  const at = ceilToMinute(interval.start);
  return at < interval.end ? at : null;
}

/**
 * The next phone-round attempt: the earliest whole minute >= afterMs that
 * - lies inside a call window (never Sunday or a holiday; Saturday only when `useSaturday`), so the call starts
 *   before the window closes (20:59 yes, 21:00 no);
 * - is at least `minGapMinutes` after the latest previous attempt;
 * - falls on a local day with fewer than `maxPerDay` previous attempts;
 * - is not in the dagdeel of the latest previous attempt when `alternateDagdeel` (also across days: an evening
 *   call is not followed by the next evening's call);
 * - aims at dagdeelRotation[previousAttemptsMs.length % rotation length].
 *
 * The aim works per day: on the earliest local day that offers any allowed slot, the target dagdeel is taken when
 * that day has it (waiting for it if need be, e.g. until 18:00 for Avond); otherwise the day's earliest allowed
 * slot. So a round never skips a usable day (Saturdays get used when a round spans one, even though Saturday has
 * no evening), and every weekday has an evening, so an Avond target landing on a weekday is always honoured.
 *
 * The caller stops the round at `maxAttempts`; this function only plans.
 */
export function nextCallSlot(policy: ContactPolicy, afterMs: number, previousAttemptsMs: readonly number[]): number {
  const round = policy.phoneRound;
  const last = previousAttemptsMs.length > 0 ? Math.max(...previousAttemptsMs) : null;
  const lastDagdeel = last !== null && round.alternateDagdeel ? dagdeelAt(policy, last) : null;
  const rotation = round.dagdeelRotation;
  const target = rotation.length > 0 ? rotation[previousAttemptsMs.length % rotation.length] : null;
  const notBefore = Math.max(afterMs, last === null ? -Infinity : last + round.minGapMinutes * MINUTE_MS);

  const attemptsPerDay = new Map<string, number>();
  for (const at of previousAttemptsMs) {
    const date = localDate(policy, at);
    attemptsPerDay.set(date, (attemptsPerDay.get(date) ?? 0) + 1);
  }

  let day = localDayOf(policy, notBefore);
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
    if (isSaturday(day) && !round.useSaturday) continue;
    if ((attemptsPerDay.get(day.toISODate() as string) ?? 0) >= round.maxPerDay) continue;
    const window = callWindowOn(policy, day);
    if (!window) continue;
    const open = overlap(window, { start: notBefore, end: Infinity });
    const dagdelen = dagdeelIntervalsOn(policy, day);
    let earliest: number | null = null;
    for (const dagdeel of DAGDELEN) {
      if (dagdeel === lastDagdeel) continue;
      const at = firstMinuteIn(overlap(open, dagdelen[dagdeel]));
      if (at === null) continue;
      if (dagdeel === target) return at;
      if (earliest === null || at < earliest) earliest = at;
    }
    if (earliest !== null) return earliest;
  }
  throw new RangeError(`Policy ${policy.name} has no call slot within ${MAX_SEARCH_DAYS} days`);
}

/** The last local day of the resident page's horizon: `horizonWorkingDays` working days after today. */
function chosenMomentHorizonDay(policy: ContactPolicy, nowMs: number): DateTime {
  return localDayOf(policy, addWorkingDays(policy, nowMs, policy.chosenMoment.horizonWorkingDays));
}

/**
 * Slot starts the resident's page offers: every `slotMinutes` from the start of each call window, for the rest of
 * today plus the next `horizonWorkingDays` working days (Saturdays in between included, as they have a call
 * window). A slot is offered when it starts after `fromMs` and ends inside the window, so the call at the chosen
 * moment and its retry `retryAfterMinutes` later both fall inside the window.
 */
export function chosenMomentSlots(policy: ContactPolicy, fromMs: number): number[] {
  const slotMs = policy.chosenMoment.slotMinutes * MINUTE_MS;
  if (!(slotMs > 0)) throw new RangeError(`Policy ${policy.name} has no positive slotMinutes`);
  const horizonDay = chosenMomentHorizonDay(policy, fromMs);
  const slots: number[] = [];
  for (let day = localDayOf(policy, fromMs); day <= horizonDay; day = day.plus({ days: 1 })) {
    const window = callWindowOn(policy, day);
    if (!window) continue;
    for (let at = window.start; at + slotMs <= window.end; at += slotMs) {
      if (at > fromMs) slots.push(at);
    }
  }
  return slots;
}

/**
 * Whether a moment the resident (or staff on their behalf) chose can be honoured: after now, inside a call window
 * with room for the retry before the window closes, and within the page's horizon. It need not be slot-aligned.
 */
export function isAllowedChosenMoment(policy: ContactPolicy, momentMs: number, nowMs: number): boolean {
  if (!Number.isFinite(momentMs) || momentMs <= nowMs) return false;
  const horizon = chosenMomentHorizonDay(policy, nowMs);
  // Checked in milliseconds first: a moment far beyond the horizon may be beyond what a local date can represent.
  if (momentMs >= horizon.plus({ days: 1 }).toMillis()) return false;
  const day = localDayOf(policy, momentMs);
  if (day > horizon) return false;
  const window = callWindowOn(policy, day);
  const retryAt = momentMs + policy.chosenMoment.retryAfterMinutes * MINUTE_MS;
  return window !== null && window.start <= momentMs && retryAt < window.end;
}

/**
 * `count` home visits, each on a later local day than the one before, Monday to Saturday, never on a holiday,
 * inside the visit window. Each visit takes a dagdeel no earlier visit used (after all three are used, any but
 * the previous one), at the earliest whole minute that allows; the first visit may be on the day of `afterMs`.
 */
export function visitSlots(policy: ContactPolicy, afterMs: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`visitSlots needs a whole count >= 0, got ${count}`);
  const visits: number[] = [];
  let used = new Set<Dagdeel>();
  let notBefore = afterMs;
  let day = localDayOf(policy, afterMs);
  for (let searched = 0; visits.length < count; searched++, day = day.plus({ days: 1 })) {
    if (searched > MAX_SEARCH_DAYS * Math.max(1, count)) {
      throw new RangeError(`Policy ${policy.name} has no visit window`);
    }
    if (!policy.visitDays.includes(day.weekday as IsoWeekday) || isHolidayDay(policy, day)) continue;
    const open = overlap(rangeOn(policy, day, policy.visitWindow), { start: notBefore, end: Infinity });
    const dagdelen = dagdeelIntervalsOn(policy, day);
    let chosen: { at: number; dagdeel: Dagdeel } | null = null;
    for (const dagdeel of DAGDELEN) {
      if (used.has(dagdeel)) continue;
      const at = firstMinuteIn(overlap(open, dagdelen[dagdeel]));
      if (at !== null && (chosen === null || at < chosen.at)) chosen = { at, dagdeel };
    }
    if (!chosen) continue;
    visits.push(chosen.at);
    used.add(chosen.dagdeel);
    if (used.size === DAGDELEN.length) used = new Set([chosen.dagdeel]);
    notBefore = instantOn(policy, day, 24 * 60);
  }
  return visits;
}

/** The last instant of the local day `firstAttemptWorkingDays` working days after matching. */
export function firstAttemptDeadline(policy: ContactPolicy, matchedAtMs: number): number {
  const day = addWorkingDays(policy, matchedAtMs, policy.deadlines.firstAttemptWorkingDays);
  return localDateTime(policy, day).endOf('day').toMillis();
}

const MIN_DAYS_BEFORE_MONTH_END_CLOSE = 7;

/**
 * When an unreached case closes at the latest.
 * - Default: `closeAfterDays` calendar days after matching, same local wall-clock time (null only with closeAtMonthEnd).
 * - `closeAtMonthEnd`: the last instant of the local month of matching. A case matched less than 7 days before that
 *   moves to the end of the following month instead, so late-month cases get a full round (between 7 and about 38
 *   days) and still close with a month's batch, as the monthly administration expects.
 */
export function closeDeadline(policy: ContactPolicy, matchedAtMs: number): number {
  const matched = localDateTime(policy, matchedAtMs);
  const { closeAfterDays, closeAtMonthEnd } = policy.deadlines;
  if (!closeAtMonthEnd) {
    if (closeAfterDays === null)
      throw new RangeError(`Policy ${policy.name} has neither closeAfterDays nor closeAtMonthEnd`);
    return matched.plus({ days: closeAfterDays }).toMillis();
  }
  const monthEnd = matched.endOf('month');
  const earliest = matched.plus({ days: MIN_DAYS_BEFORE_MONTH_END_CLOSE });
  return (monthEnd < earliest ? matched.plus({ months: 1 }).endOf('month') : monthEnd).toMillis();
}
