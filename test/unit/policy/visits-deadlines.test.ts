import {
  closeDeadline,
  dagdeelAt,
  firstAttemptDeadline,
  getPolicy,
  isHoliday,
  localDate,
  visitSlots,
} from '../../../policy';
import { ams, at, weekday } from './helpers';

const policy = getPolicy('default');

describe('visitSlots', () => {
  test('two visits on different days and dagdelen: Friday afternoon, then Saturday morning', () => {
    expect(visitSlots(policy, at('2027-03-05T14:00:00+01:00'), 2).map(ams)).toEqual([
      '2027-03-05T14:00:00+01:00',
      '2027-03-06T09:00:00+01:00',
    ]);
  });

  test('Sunday and holidays are skipped; three visits use all three dagdelen', () => {
    // Tuesday evening, then 5 May and Ascension Day are skipped.
    expect(visitSlots(policy, at('2027-05-04T19:30:00+02:00'), 3).map(ams)).toEqual([
      '2027-05-04T19:30:00+02:00',
      '2027-05-07T09:00:00+02:00',
      '2027-05-08T12:00:00+02:00',
    ]);
    expect(visitSlots(policy, at('2027-03-06T20:30:00+01:00'), 1).map(ams)).toEqual(['2027-03-08T09:00:00+01:00']);
  });

  test('visits stay inside the visit window and round up to a whole minute', () => {
    expect(visitSlots(policy, at('2027-03-01T06:00:00+01:00'), 1).map(ams)).toEqual(['2027-03-01T09:00:00+01:00']);
    expect(visitSlots(policy, at('2027-03-01T19:59:30+01:00'), 1).map(ams)).toEqual(['2027-03-02T09:00:00+01:00']);
    expect(visitSlots(policy, at('2027-03-01T10:00:00.5+01:00'), 1).map(ams)).toEqual(['2027-03-01T10:01:00+01:00']);
  });

  test('any start over a year: days and dagdelen always differ, never Sunday or holiday', () => {
    const problems: string[] = [];
    for (
      let start = at('2027-01-01T00:00:00+01:00');
      start < at('2028-01-01T00:00:00+01:00');
      start += 7.3 * 3600_000
    ) {
      const visits = visitSlots(policy, start, 4);
      const days = visits.map((v) => localDate(policy, v));
      const dagdelen = visits.map((v) => dagdeelAt(policy, v));
      if (new Set(days).size !== 4) problems.push(`${ams(start)}: repeated day`);
      if (new Set(dagdelen.slice(0, 3)).size !== 3) problems.push(`${ams(start)}: repeated dagdeel`);
      if (dagdelen[3] === dagdelen[2]) problems.push(`${ams(start)}: consecutive dagdeel`);
      for (const v of visits) {
        if (weekday(v) === 7 || isHoliday(policy, v)) problems.push(`${ams(v)}: Sunday or holiday`);
        const local = ams(v).slice(11, 16);
        if (local < '09:00' || local >= '20:00') problems.push(`${ams(v)}: outside 09:00-20:00`);
        if (v < start) problems.push(`${ams(v)}: before the start`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('zero visits is an empty plan; a negative count is an error', () => {
    expect(visitSlots(policy, at('2027-03-01T10:00:00+01:00'), 0)).toEqual([]);
    expect(() => visitSlots(policy, at('2027-03-01T10:00:00+01:00'), -1)).toThrow(RangeError);
  });
});

describe('firstAttemptDeadline', () => {
  test('3 working days after matching, at the end of that day', () => {
    expect(ams(firstAttemptDeadline(policy, at('2027-03-01T10:00:00+01:00')))).toBe('2027-03-04T23:59:59.999+01:00');
    expect(ams(firstAttemptDeadline(policy, at('2027-03-05T22:00:00+01:00')))).toBe('2027-03-10T23:59:59.999+01:00');
    expect(ams(firstAttemptDeadline(policy, at('2027-03-06T10:00:00+01:00')))).toBe('2027-03-10T23:59:59.999+01:00');
  });

  test('Good Friday and Easter Monday do not count', () => {
    expect(ams(firstAttemptDeadline(policy, at('2027-03-25T10:00:00+01:00')))).toBe('2027-04-01T23:59:59.999+02:00');
  });
});

describe('closeDeadline', () => {
  test('default: 28 days after matching, same local time across the DST change', () => {
    expect(ams(closeDeadline(policy, at('2027-03-05T10:00:00+01:00')))).toBe('2027-04-02T10:00:00+02:00');
  });

  test('Zoetermeer: the end of the month of matching', () => {
    const zoetermeer = getPolicy('zoetermeer');
    expect(ams(closeDeadline(zoetermeer, at('2027-03-05T10:00:00+01:00')))).toBe('2027-03-31T23:59:59.999+02:00');
    // Exactly 7 days or more before the month's end still closes with this month.
    expect(ams(closeDeadline(zoetermeer, at('2027-03-24T23:00:00+01:00')))).toBe('2027-03-31T23:59:59.999+02:00');
  });

  test('Zoetermeer: matched less than 7 days before the month ends, closes at the end of the next month', () => {
    const zoetermeer = getPolicy('zoetermeer');
    expect(ams(closeDeadline(zoetermeer, at('2027-03-25T10:00:00+01:00')))).toBe('2027-04-30T23:59:59.999+02:00');
    expect(ams(closeDeadline(zoetermeer, at('2027-01-31T10:00:00+01:00')))).toBe('2027-02-28T23:59:59.999+01:00');
    expect(ams(closeDeadline(zoetermeer, at('2027-12-30T10:00:00+01:00')))).toBe('2028-01-31T23:59:59.999+01:00');
  });
});
