import {
  addMonths,
  addWorkingDays,
  dagdeelAt,
  evaluateHolidays,
  getPolicy,
  holidaysIn,
  isHoliday,
  isInCallWindow,
  isWorkingDay,
  localDate,
  nextMessageMoment,
} from '../../../policy';
import type { ContactPolicy } from '../../../policy/types';
import { ams, at } from './helpers';

const policy = getPolicy('default');

describe('holidays of the Algemene termijnenwet', () => {
  test('2027, the year Easter falls on the spring DST change', () => {
    expect(holidaysIn(policy, 2027)).toEqual([
      { date: '2027-01-01', name: 'Nieuwjaarsdag' },
      { date: '2027-03-26', name: 'Goede Vrijdag' },
      { date: '2027-03-29', name: 'Tweede Paasdag' },
      { date: '2027-04-27', name: 'Koningsdag' },
      { date: '2027-05-05', name: 'Bevrijdingsdag' },
      { date: '2027-05-06', name: 'Hemelvaartsdag' },
      { date: '2027-05-17', name: 'Tweede Pinksterdag' },
      { date: '2027-12-25', name: 'Eerste Kerstdag' },
      { date: '2027-12-26', name: 'Tweede Kerstdag' },
    ]);
  });

  test("King's Day moves to Saturday 26 April when 27 April is a Sunday (2025)", () => {
    const kingsDay = holidaysIn(policy, 2025).find((h) => h.name === 'Koningsdag');
    expect(kingsDay?.date).toBe('2025-04-26');
    expect(isHoliday(policy, at('2025-04-26T12:00:00+02:00'))).toBe(true);
    expect(isHoliday(policy, at('2025-04-27T12:00:00+02:00'))).toBe(false);
    expect(isInCallWindow(policy, at('2025-04-26T10:00:00+02:00'))).toBe(false);
  });

  test('Easter-based days of 2025 and 2026', () => {
    const dates = (year: number) => holidaysIn(policy, year).map((h) => h.date);
    expect(dates(2025)).toEqual(
      expect.arrayContaining(['2025-04-18', '2025-04-21', '2025-05-29', '2025-06-09', '2025-05-05']),
    );
    expect(dates(2026)).toEqual(
      expect.arrayContaining(['2026-04-03', '2026-04-06', '2026-04-27', '2026-05-14', '2026-05-25']),
    );
  });

  test.each([
    ['Good Friday', '2027-03-26T10:00:00+01:00'],
    ['Easter Monday', '2027-03-29T10:00:00+02:00'],
    ["King's Day", '2027-04-27T10:00:00+02:00'],
    ['Liberation Day', '2027-05-05T10:00:00+02:00'],
    ['Ascension', '2027-05-06T10:00:00+02:00'],
    ['Whit Monday', '2027-05-17T10:00:00+02:00'],
    ['Christmas (a Saturday in 2027)', '2027-12-25T10:00:00+01:00'],
    ['Boxing Day', '2028-12-26T10:00:00+01:00'],
    ['New Year', '2027-01-01T10:00:00+01:00'],
  ])('%s has no call window', (_name, instant) => {
    expect(isHoliday(policy, at(instant))).toBe(true);
    expect(isWorkingDay(policy, at(instant))).toBe(false);
    expect(isInCallWindow(policy, at(instant))).toBe(false);
  });

  test('a holiday on a Sunday is not moved: Monday 27 December 2027 is an ordinary day', () => {
    expect(isHoliday(policy, at('2027-12-26T10:00:00+01:00'))).toBe(true);
    expect(isInCallWindow(policy, at('2027-12-27T10:00:00+01:00'))).toBe(true);
  });

  test('a holiday is a local day: Christmas starts at local midnight, not UTC midnight', () => {
    expect(isHoliday(policy, at('2028-12-24T23:30:00Z'))).toBe(true); // 00:30 on the 25th in Amsterdam
    expect(isHoliday(policy, at('2028-12-24T22:59:00Z'))).toBe(false);
  });

  test('a rule that moves across New Year counts in the year it lands in', () => {
    const rules = [{ name: 'Test', month: 1, day: 1, ifSunday: 'dayBefore' as const }];
    expect(evaluateHolidays(rules, 2034)).toEqual([{ date: '2033-12-31', name: 'Test' }]); // 1 Jan 2034 is a Sunday
    const custom: ContactPolicy = { ...policy, holidays: rules };
    expect(isHoliday(custom, at('2033-12-31T12:00:00+01:00'))).toBe(true);
  });
});

describe('local dates and dagdelen', () => {
  test('localDate uses Amsterdam time', () => {
    expect(localDate(policy, at('2027-03-05T23:30:00Z'))).toBe('2027-03-06');
    expect(localDate(policy, at('2027-07-05T21:59:00Z'))).toBe('2027-07-05');
    expect(localDate(policy, at('2027-07-05T22:00:00Z'))).toBe('2027-07-06');
  });

  test.each([
    ['2027-03-05T00:00:00+01:00', 'Ochtend'],
    ['2027-03-05T11:59:59+01:00', 'Ochtend'],
    ['2027-03-05T12:00:00+01:00', 'Middag'],
    ['2027-03-05T17:59:00+01:00', 'Middag'],
    ['2027-03-05T18:00:00+01:00', 'Avond'],
    ['2027-03-05T23:59:00+01:00', 'Avond'],
    ['2027-07-05T16:30:00Z', 'Avond'], // 18:30 summer time
  ])('%s is %s', (instant, dagdeel) => {
    expect(dagdeelAt(policy, at(instant))).toBe(dagdeel);
  });
});

describe('working days', () => {
  test('Monday to Friday, not Saturday, Sunday or a holiday', () => {
    expect(isWorkingDay(policy, at('2027-03-05T10:00:00+01:00'))).toBe(true); // Friday
    expect(isWorkingDay(policy, at('2027-03-06T10:00:00+01:00'))).toBe(false); // Saturday
    expect(isWorkingDay(policy, at('2027-03-07T10:00:00+01:00'))).toBe(false); // Sunday
    expect(isWorkingDay(policy, at('2027-03-26T10:00:00+01:00'))).toBe(false); // Good Friday
  });

  test('addWorkingDays keeps the local time and skips weekends and holidays', () => {
    expect(ams(addWorkingDays(policy, at('2027-03-05T14:15:00+01:00'), 3))).toBe('2027-03-10T14:15:00+01:00');
    expect(ams(addWorkingDays(policy, at('2027-03-06T14:15:00+01:00'), 1))).toBe('2027-03-08T14:15:00+01:00');
    // Thursday before Easter: Good Friday and Easter Monday don't count; DST changes in between.
    expect(ams(addWorkingDays(policy, at('2027-03-25T09:00:00+01:00'), 1))).toBe('2027-03-30T09:00:00+02:00');
    expect(ams(addWorkingDays(policy, at('2027-03-25T09:00:00+01:00'), 3))).toBe('2027-04-01T09:00:00+02:00');
    expect(addWorkingDays(policy, at('2027-03-07T10:00:00+01:00'), 0)).toBe(at('2027-03-07T10:00:00+01:00'));
  });

  test('addWorkingDays rejects negative or fractional counts', () => {
    expect(() => addWorkingDays(policy, at('2027-03-05T10:00:00+01:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(policy, at('2027-03-05T10:00:00+01:00'), 1.5)).toThrow(RangeError);
  });

  test('addMonths keeps the local time and clamps to the end of a shorter month', () => {
    expect(ams(addMonths(policy, at('2027-01-31T10:00:00+01:00'), 1))).toBe('2027-02-28T10:00:00+01:00');
    expect(ams(addMonths(policy, at('2027-03-15T10:00:00+01:00'), 6))).toBe('2027-09-15T10:00:00+02:00');
    expect(ams(addMonths(policy, at('2027-09-15T10:00:00+02:00'), -6))).toBe('2027-03-15T10:00:00+01:00');
  });
});

describe('call windows', () => {
  test.each([
    ['Monday 08:29', '2027-03-01T08:29:00+01:00', false],
    ['Monday 08:30', '2027-03-01T08:30:00+01:00', true],
    ['Friday 20:59', '2027-03-05T20:59:00+01:00', true],
    ['Friday 20:59:59', '2027-03-05T20:59:59+01:00', true],
    ['Friday 21:00', '2027-03-05T21:00:00+01:00', false],
    ['Saturday 08:59', '2027-03-06T08:59:00+01:00', false],
    ['Saturday 09:00', '2027-03-06T09:00:00+01:00', true],
    ['Saturday 16:59', '2027-03-06T16:59:00+01:00', true],
    ['Saturday 17:00', '2027-03-06T17:00:00+01:00', false],
    ['Sunday noon', '2027-03-07T12:00:00+01:00', false],
  ])('%s: %s', (_label, instant, inside) => {
    expect(isInCallWindow(policy, at(instant))).toBe(inside);
  });

  test('the 08:30 window start follows daylight saving time', () => {
    // Spring forward on Sunday 28 March 2027 (Easter Monday follows): Tuesday 30 March opens at 06:30Z.
    expect(isInCallWindow(policy, at('2027-03-30T06:30:00Z'))).toBe(true);
    expect(isInCallWindow(policy, at('2027-03-30T06:29:00Z'))).toBe(false);
    // Fall back on Sunday 31 October 2027: Monday 1 November opens at 07:30Z.
    expect(isInCallWindow(policy, at('2027-11-01T07:30:00Z'))).toBe(true);
    expect(isInCallWindow(policy, at('2027-11-01T07:29:00Z'))).toBe(false);
    // The Saturdays before: 09:00 local is 08:00Z in winter time, 07:00Z in summer time.
    expect(isInCallWindow(policy, at('2027-03-27T08:00:00Z'))).toBe(true);
    expect(isInCallWindow(policy, at('2027-03-27T07:59:00Z'))).toBe(false);
    expect(isInCallWindow(policy, at('2027-10-30T07:00:00Z'))).toBe(true);
    expect(isInCallWindow(policy, at('2027-10-30T06:59:00Z'))).toBe(false);
  });
});

describe('nextMessageMoment', () => {
  test('inside the message window the moment stays', () => {
    expect(nextMessageMoment(policy, at('2027-03-05T14:03:27+01:00'))).toBe(at('2027-03-05T14:03:27+01:00'));
  });

  test('night moves to 09:00; evening after 20:00 to the next morning', () => {
    expect(ams(nextMessageMoment(policy, at('2027-03-04T03:00:00+01:00')))).toBe('2027-03-04T09:00:00+01:00');
    expect(ams(nextMessageMoment(policy, at('2027-03-04T20:00:00+01:00')))).toBe('2027-03-05T09:00:00+01:00');
  });

  test('Saturday has messages until 20:00; Sunday none', () => {
    expect(ams(nextMessageMoment(policy, at('2027-03-06T19:30:00+01:00')))).toBe('2027-03-06T19:30:00+01:00');
    expect(ams(nextMessageMoment(policy, at('2027-03-06T20:30:00+01:00')))).toBe('2027-03-08T09:00:00+01:00');
  });

  test('holidays are skipped: Thursday evening before Easter waits for Saturday, then Tuesday', () => {
    expect(ams(nextMessageMoment(policy, at('2027-03-25T21:00:00+01:00')))).toBe('2027-03-27T09:00:00+01:00');
    expect(ams(nextMessageMoment(policy, at('2027-03-27T20:00:00+01:00')))).toBe('2027-03-30T09:00:00+02:00');
    expect(ams(nextMessageMoment(policy, at('2027-12-24T20:00:00+01:00')))).toBe('2027-12-27T09:00:00+01:00');
  });
});
