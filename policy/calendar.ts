import { DateTime } from 'luxon';
import type { Dagdeel } from '../domain/ddas';
import { evaluateHolidays, holidayIndex, type Holiday } from './holidays';
import type { ContactPolicy, TimeRange } from './types';

// Everything here is pure: instants come in and go out as epoch milliseconds, and the policy's time zone decides
// what a local day, weekday or wall-clock time is. Safe for Temporal workflow code.

export const MINUTE_MS = 60_000;
/** Far enough to cross any run of holidays and weekends; only a policy without any window searches this long. */
export const MAX_SEARCH_DAYS = 400;

const SATURDAY = 6;
const MIDDAG_FROM_MINUTES = 12 * 60;
const AVOND_FROM_MINUTES = 18 * 60;

/** Half-open interval of instants: start <= t < end. */
export interface Interval {
  start: number;
  end: number;
}

export function localDateTime(policy: ContactPolicy, ms: number): DateTime {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
  const dt = DateTime.fromMillis(ms, { zone: policy.timeZone });
  if (!dt.isValid) throw new RangeError(`Policy ${policy.name} has an unusable time zone: ${policy.timeZone}`);
  return dt;
}

/**
 * The local calendar day of an instant, as a DateTime at midnight UTC. Day arithmetic and weekday or holiday tests
 * on it need no time-zone rules (Intl look-ups make luxon slow); instantOn turns it back into instants.
 */
export function localDayOf(policy: ContactPolicy, ms: number): DateTime {
  const dt = localDateTime(policy, ms);
  return DateTime.utc(dt.year, dt.month, dt.day);
}

export function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}

/** 'HH:mm' to minutes after midnight; '24:00' is allowed as the end of a range. */
export function parseLocalTime(value: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(`Not a local time 'HH:mm': ${value}`);
  }
  return hours * 60 + minutes;
}

/** The instant of a wall-clock time on a local day (from localDayOf); 24:00 is the next day's start. */
export function instantOn(policy: ContactPolicy, day: DateTime, minutesAfterMidnight: number): number {
  const date = minutesAfterMidnight >= 24 * 60 ? day.plus({ days: 1 }) : day;
  const minutes = minutesAfterMidnight >= 24 * 60 ? 0 : minutesAfterMidnight;
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: policy.timeZone },
  ).toMillis();
}

export function rangeOn(policy: ContactPolicy, day: DateTime, range: TimeRange): Interval {
  return {
    start: instantOn(policy, day, parseLocalTime(range.from)),
    end: instantOn(policy, day, parseLocalTime(range.to)),
  };
}

export function dagdeelIntervalsOn(policy: ContactPolicy, day: DateTime): Record<Dagdeel, Interval> {
  const middag = instantOn(policy, day, MIDDAG_FROM_MINUTES);
  const avond = instantOn(policy, day, AVOND_FROM_MINUTES);
  return {
    Ochtend: { start: instantOn(policy, day, 0), end: middag },
    Middag: { start: middag, end: avond },
    Avond: { start: avond, end: instantOn(policy, day, 24 * 60) },
  };
}

export function isHolidayDay(policy: ContactPolicy, day: DateTime): boolean {
  const date = day.toISODate() as string;
  // A rule may move a holiday across New Year (ifSunday), so the neighbouring years are consulted too.
  return [day.year - 1, day.year, day.year + 1].some((year) => holidayIndex(policy.holidays, year).has(date));
}

/** The call window of a local day, or null on days without one (Sunday, holidays, days the policy leaves out). */
export function callWindowOn(policy: ContactPolicy, day: DateTime): Interval | null {
  const range = policy.callWindows[day.weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7];
  if (!range || isHolidayDay(policy, day)) return null;
  return rangeOn(policy, day, range);
}

export function isSaturday(day: DateTime): boolean {
  return day.weekday === SATURDAY;
}

/** The earliest instant >= fromMs inside the interval a day offers; the search walks local days forward. */
export function earliestInDailyIntervals(
  policy: ContactPolicy,
  fromMs: number,
  intervalOn: (day: DateTime) => Interval | null,
): number {
  let day = localDayOf(policy, fromMs);
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
    const interval = intervalOn(day);
    if (!interval) continue;
    const at = Math.max(fromMs, interval.start);
    if (at < interval.end) return at;
  }
  throw new RangeError(`Policy ${policy.name} has no open window within ${MAX_SEARCH_DAYS} days`);
}

/** 'YYYY-MM-DD' of the instant in the policy's time zone. */
export function localDate(policy: ContactPolicy, ms: number): string {
  return localDateTime(policy, ms).toISODate() as string;
}

/** Ochtend before 12:00, Middag 12:00-18:00, Avond from 18:00, local time. */
export function dagdeelAt(policy: ContactPolicy, ms: number): Dagdeel {
  const dt = localDateTime(policy, ms);
  const minutes = dt.hour * 60 + dt.minute;
  if (minutes < MIDDAG_FROM_MINUTES) return 'Ochtend';
  return minutes < AVOND_FROM_MINUTES ? 'Middag' : 'Avond';
}

export function holidaysIn(policy: ContactPolicy, year: number): Holiday[] {
  return evaluateHolidays(policy.holidays, year);
}

export function isHoliday(policy: ContactPolicy, ms: number): boolean {
  return isHolidayDay(policy, localDayOf(policy, ms));
}

export function isWorkingLocalDay(policy: ContactPolicy, day: DateTime): boolean {
  return day.weekday <= 5 && !isHolidayDay(policy, day);
}

/** Monday to Friday and not a holiday. */
export function isWorkingDay(policy: ContactPolicy, ms: number): boolean {
  return isWorkingLocalDay(policy, localDayOf(policy, ms));
}

/**
 * Counts n working days forward, starting with the local day after the one `ms` falls on (which itself need not
 * be a working day), and returns the same local wall-clock time on the day the count ends. n = 0 returns `ms`.
 * Saturday + 1 = Monday; Friday + 3 = Wednesday. A wall-clock time that does not exist on that day (DST gap)
 * moves forward by the gap; in the Netherlands that only happens on Sundays, which are never working days.
 */
export function addWorkingDays(policy: ContactPolicy, ms: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays needs a whole number >= 0, got ${n}`);
  const start = localDateTime(policy, ms);
  let day = localDayOf(policy, ms);
  let counted = 0;
  let offset = 0;
  while (counted < n) {
    offset++;
    day = day.plus({ days: 1 });
    if (offset > MAX_SEARCH_DAYS + n * 7) throw new RangeError(`Policy ${policy.name} has no working days`);
    if (isWorkingLocalDay(policy, day)) counted++;
  }
  // Added to the original, not step by step, so a DST shift on one day cannot drift the wall-clock time.
  return start.plus({ days: offset }).toMillis();
}

/**
 * The same local wall-clock time `months` calendar months later (negative: earlier). A day that the target month
 * lacks is clamped to its last day: 31 January + 1 month = 28 or 29 February.
 */
export function addMonths(policy: ContactPolicy, ms: number, months: number): number {
  if (!Number.isInteger(months)) throw new RangeError(`addMonths needs a whole number of months, got ${months}`);
  return localDateTime(policy, ms).plus({ months }).toMillis();
}

/** Inside the day's call window: `from` <= local time < `to`. Never on Sundays or holidays. */
export function isInCallWindow(policy: ContactPolicy, ms: number): boolean {
  const window = callWindowOn(policy, localDayOf(policy, ms));
  return window !== null && window.start <= ms && ms < window.end;
}

/**
 * The earliest instant >= ms inside the message window on a day that has a call window and is no holiday, so
 * messages never go out at night, on Sundays or on holidays. Returns `ms` itself when it already qualifies.
 */
export function nextMessageMoment(policy: ContactPolicy, ms: number): number {
  return earliestInDailyIntervals(policy, ms, (day) =>
    callWindowOn(policy, day) ? rangeOn(policy, day, policy.messageWindow) : null,
  );
}
