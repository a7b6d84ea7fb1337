import { easter } from 'date-easter';
import { DateTime } from 'luxon';
import type { HolidayRule } from './types';

export interface Holiday {
  date: string; // YYYY-MM-DD
  name: string;
}

/**
 * The days the Algemene termijnenwet (art. 3, plus Good Friday by decree) treats as public holidays. Easter Sunday
 * and Whit Sunday are Sundays and so already without contact.
 */
export const ALGEMENE_TERMIJNENWET_HOLIDAYS: HolidayRule[] = [
  { name: 'Nieuwjaarsdag', month: 1, day: 1 },
  { name: 'Goede Vrijdag', easterOffsetDays: -2 },
  { name: 'Tweede Paasdag', easterOffsetDays: 1 },
  // Koningsdag moves to Saturday 26 April when 27 April is a Sunday (Wet viering Koningsdag).
  { name: 'Koningsdag', month: 4, day: 27, ifSunday: 'dayBefore' },
  { name: 'Bevrijdingsdag', month: 5, day: 5 },
  { name: 'Hemelvaartsdag', easterOffsetDays: 39 },
  { name: 'Tweede Pinksterdag', easterOffsetDays: 50 },
  { name: 'Eerste Kerstdag', month: 12, day: 25 },
  { name: 'Tweede Kerstdag', month: 12, day: 26 },
];

const SUNDAY = 7;

/** Evaluates holiday rules for one year, sorted by date. Pure calendar arithmetic: no time zone involved. */
export function evaluateHolidays(rules: readonly HolidayRule[], year: number): Holiday[] {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Not a Gregorian year: ${year}`);
  const easterSunday = easter(year);
  const holidays = rules.map((rule): Holiday => {
    let date: DateTime;
    if ('easterOffsetDays' in rule) {
      date = DateTime.fromObject({ year, month: easterSunday.month, day: easterSunday.day }, { zone: 'UTC' }).plus({
        days: rule.easterOffsetDays,
      });
    } else {
      date = DateTime.fromObject({ year, month: rule.month, day: rule.day }, { zone: 'UTC' });
      if (!date.isValid) throw new RangeError(`Holiday ${rule.name} has no date ${rule.month}-${rule.day} in ${year}`);
      if (date.weekday === SUNDAY && rule.ifSunday) date = date.plus({ days: rule.ifSunday === 'dayBefore' ? -1 : 1 });
    }
    return { date: date.toISODate() as string, name: rule.name };
  });
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const cache = new WeakMap<readonly HolidayRule[], Map<number, Map<string, string>>>();

/** Date (YYYY-MM-DD) to holiday name for one year; memoised per rule list because call planning asks per day. */
export function holidayIndex(rules: readonly HolidayRule[], year: number): ReadonlyMap<string, string> {
  let byYear = cache.get(rules);
  if (!byYear) {
    byYear = new Map();
    cache.set(rules, byYear);
  }
  let index = byYear.get(year);
  if (!index) {
    index = new Map(evaluateHolidays(rules, year).map((h) => [h.date, h.name]));
    byYear.set(year, index);
  }
  return index;
}
