import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  chosenMomentSlots,
  dagdeelAt,
  getPolicy,
  isAllowedChosenMoment,
  isHoliday,
  isInCallWindow,
  localDate,
  nextCallSlot,
} from '../../../policy';
import type { ContactPolicy } from '../../../policy/types';
import { ams, at, weekday } from './helpers';

const policy = getPolicy('default');
const MINUTE = 60_000;

function round(p: ContactPolicy, startMs: number, attempts = p.phoneRound.maxAttempts): number[] {
  const slots: number[] = [];
  for (let i = 0; i < attempts; i++) slots.push(nextCallSlot(p, startMs, slots));
  return slots;
}

/** Every rule of BRIEF.md step 5 for one round; returns the broken rules so a failure names them. */
function brokenRules(p: ContactPolicy, startMs: number, slots: number[]): string[] {
  const broken: string[] = [];
  const perDay = new Map<string, number>();
  slots.forEach((slot, i) => {
    if (slot < startMs) broken.push(`${ams(slot)} before the start`);
    if (slot % MINUTE !== 0) broken.push(`${ams(slot)} not a whole minute`);
    if (!isInCallWindow(p, slot)) broken.push(`${ams(slot)} outside the call window`);
    if (weekday(slot) === 7 || isHoliday(p, slot)) broken.push(`${ams(slot)} on a Sunday or holiday`);
    const day = localDate(p, slot);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (i > 0) {
      if (slot - slots[i - 1] < p.phoneRound.minGapMinutes * MINUTE) broken.push(`${ams(slot)} too close`);
      if (dagdeelAt(p, slot) === dagdeelAt(p, slots[i - 1])) broken.push(`${ams(slot)} same dagdeel as before`);
    }
  });
  for (const [day, count] of perDay) if (count > p.phoneRound.maxPerDay) broken.push(`${count} attempts on ${day}`);
  return broken;
}

function spansUsableSaturday(p: ContactPolicy, slots: number[]): boolean {
  const zone = p.timeZone;
  const last = DateTime.fromMillis(slots[slots.length - 1], { zone }).startOf('day');
  for (let day = DateTime.fromMillis(slots[0], { zone }).startOf('day'); day <= last; day = day.plus({ days: 1 })) {
    if (day.weekday === 6 && !isHoliday(p, day.toMillis())) return true;
  }
  return false;
}

describe('nextCallSlot: the first attempt', () => {
  test('Friday night 21:30 waits for Saturday 09:00', () => {
    expect(ams(nextCallSlot(policy, at('2027-03-05T21:30:00+01:00'), []))).toBe('2027-03-06T09:00:00+01:00');
  });

  test('inside the window it is the start itself, rounded up to a whole minute', () => {
    expect(ams(nextCallSlot(policy, at('2027-03-01T10:00:00+01:00'), []))).toBe('2027-03-01T10:00:00+01:00');
    expect(ams(nextCallSlot(policy, at('2027-03-01T10:00:00.001+01:00'), []))).toBe('2027-03-01T10:01:00+01:00');
  });

  test('a call must start before the window closes: 20:59 yes, 21:00 no', () => {
    // The rotation starts with Ochtend; at 20:58 no morning is left that day, so the earliest slot is taken.
    expect(ams(nextCallSlot(policy, at('2027-03-05T20:58:30+01:00'), []))).toBe('2027-03-05T20:59:00+01:00');
    expect(ams(nextCallSlot(policy, at('2027-03-05T20:59:30+01:00'), []))).toBe('2027-03-06T09:00:00+01:00');
  });

  test('Saturday 16:59 is the last Saturday minute; at 17:00 the next slot is Monday 08:30', () => {
    expect(ams(nextCallSlot(policy, at('2027-03-06T16:59:00+01:00'), []))).toBe('2027-03-06T16:59:00+01:00');
    expect(ams(nextCallSlot(policy, at('2027-03-06T17:00:00+01:00'), []))).toBe('2027-03-08T08:30:00+01:00');
  });

  test('never on a Sunday', () => {
    expect(ams(nextCallSlot(policy, at('2027-03-07T10:00:00+01:00'), []))).toBe('2027-03-08T08:30:00+01:00');
  });

  test('holidays are skipped: Good Friday 2027 to Saturday, Easter Monday to Tuesday', () => {
    expect(ams(nextCallSlot(policy, at('2027-03-26T10:00:00+01:00'), []))).toBe('2027-03-27T09:00:00+01:00');
    expect(ams(nextCallSlot(policy, at('2027-03-29T10:00:00+02:00'), []))).toBe('2027-03-30T08:30:00+02:00');
    expect(ams(nextCallSlot(policy, at('2025-04-26T10:00:00+02:00'), []))).toBe('2025-04-28T08:30:00+02:00');
    expect(ams(nextCallSlot(policy, at('2027-04-27T10:00:00+02:00'), []))).toBe('2027-04-28T08:30:00+02:00');
    expect(ams(nextCallSlot(policy, at('2027-05-05T10:00:00+02:00'), []))).toBe('2027-05-07T08:30:00+02:00');
    expect(ams(nextCallSlot(policy, at('2027-05-17T10:00:00+02:00'), []))).toBe('2027-05-18T08:30:00+02:00');
    expect(ams(nextCallSlot(policy, at('2027-12-24T21:00:00+01:00'), []))).toBe('2027-12-27T08:30:00+01:00');
    expect(ams(nextCallSlot(policy, at('2028-12-25T10:00:00+01:00'), []))).toBe('2028-12-27T08:30:00+01:00');
  });

  test('spring forward: after Saturday 27 March 2027 the next window opens Tuesday 08:30 = 06:30Z', () => {
    const slot = nextCallSlot(policy, at('2027-03-27T17:00:00+01:00'), []);
    expect(new Date(slot).toISOString()).toBe('2027-03-30T06:30:00.000Z');
  });

  test('fall back: after Saturday 30 October 2027 the next window opens Monday 08:30 = 07:30Z', () => {
    const saturdayMorning = nextCallSlot(policy, at('2027-10-30T06:00:00Z'), []);
    expect(new Date(saturdayMorning).toISOString()).toBe('2027-10-30T07:00:00.000Z'); // 09:00 summer time
    const slot = nextCallSlot(policy, at('2027-10-30T17:00:00+02:00'), []);
    expect(new Date(slot).toISOString()).toBe('2027-11-01T07:30:00.000Z');
  });

  test('without useSaturday the round skips Saturdays', () => {
    const noSaturday = { ...policy, phoneRound: { ...policy.phoneRound, useSaturday: false } };
    expect(ams(nextCallSlot(noSaturday, at('2027-03-05T21:30:00+01:00'), []))).toBe('2027-03-08T08:30:00+01:00');
  });
});

describe('nextCallSlot: spreading a round', () => {
  test('the gap can push an attempt within its target dagdeel', () => {
    const longGap = { ...policy, phoneRound: { ...policy.phoneRound, minGapMinutes: 600 } };
    const previous = [at('2027-03-01T10:00:00+01:00')];
    expect(ams(nextCallSlot(longGap, at('2027-03-01T10:05:00+01:00'), previous))).toBe('2027-03-01T20:00:00+01:00');
  });

  test('at least 180 minutes after the previous attempt, in another dagdeel', () => {
    const previous = [at('2027-03-01T08:30:00+01:00')];
    // Next in the rotation is Avond; the morning is excluded and 11:30 is still morning.
    expect(ams(nextCallSlot(policy, at('2027-03-01T08:35:00+01:00'), previous))).toBe('2027-03-01T18:00:00+01:00');
  });

  test('no more than two attempts on one local day', () => {
    const previous = [at('2027-03-01T08:30:00+01:00'), at('2027-03-01T18:00:00+01:00')];
    expect(localDate(policy, nextCallSlot(policy, at('2027-03-01T18:05:00+01:00'), previous))).toBe('2027-03-02');
  });

  test('the dagdeel of the previous attempt is avoided across days as well', () => {
    const previous = [at('2027-03-01T18:00:00+01:00')];
    // Third attempt (index 2) aims at Middag; the previous evening does not allow Tuesday evening first.
    const slot = nextCallSlot(policy, at('2027-03-01T21:00:00+01:00'), [at('2027-03-01T10:00:00+01:00'), ...previous]);
    expect(ams(slot)).toBe('2027-03-02T12:00:00+01:00');
  });

  test('a round started Monday morning: mornings, afternoons and evenings in 4 days', () => {
    expect(round(policy, at('2027-03-01T10:00:00+01:00')).map(ams)).toEqual([
      '2027-03-01T10:00:00+01:00', // Ochtend
      '2027-03-01T18:00:00+01:00', // Avond
      '2027-03-02T12:00:00+01:00', // Middag
      '2027-03-02T18:00:00+01:00', // Avond
      '2027-03-03T08:30:00+01:00', // Ochtend
      '2027-03-03T12:00:00+01:00', // Middag
      '2027-03-04T08:30:00+01:00', // Ochtend
    ]);
  });

  test('a round started Thursday uses the Saturday', () => {
    const slots = round(policy, at('2027-03-04T10:00:00+01:00'));
    expect(slots.map(ams)).toEqual([
      '2027-03-04T10:00:00+01:00',
      '2027-03-04T18:00:00+01:00',
      '2027-03-05T12:00:00+01:00',
      '2027-03-05T18:00:00+01:00',
      '2027-03-06T09:00:00+01:00', // Saturday morning
      '2027-03-06T12:00:00+01:00', // Saturday afternoon
      '2027-03-08T08:30:00+01:00',
    ]);
    expect(brokenRules(policy, at('2027-03-04T10:00:00+01:00'), slots)).toEqual([]);
  });

  test('a round over Easter and the spring DST change', () => {
    const slots = round(policy, at('2027-03-24T15:00:00+01:00'));
    expect(slots.map(ams)).toEqual([
      '2027-03-24T15:00:00+01:00',
      '2027-03-24T18:00:00+01:00',
      '2027-03-25T12:00:00+01:00',
      '2027-03-25T18:00:00+01:00',
      '2027-03-27T09:00:00+01:00', // Good Friday skipped, Saturday used
      '2027-03-27T12:00:00+01:00',
      '2027-03-30T08:30:00+02:00', // Easter Sunday, DST and Easter Monday skipped
    ]);
  });

  // Weeks with a holiday or a DST change, and two plain ones; starts every 45 minutes of every weekday.
  const weeks = ['2027-03-01', '2027-03-22', '2027-04-26', '2027-05-03', '2027-10-25', '2027-12-20', '2028-01-10'];
  test.each(weeks)('every round started in the week of %s keeps every rule and uses all dagdelen', (monday) => {
    const problems: string[] = [];
    const weekStart = DateTime.fromISO(monday, { zone: policy.timeZone });
    for (let start = weekStart; start < weekStart.plus({ days: 5 }); start = start.plus({ minutes: 45 })) {
      const slots = round(policy, start.toMillis());
      const label = start.toISO();
      problems.push(...brokenRules(policy, start.toMillis(), slots).map((p) => `${label}: ${p}`));
      const dagdelen = new Set(slots.map((slot) => dagdeelAt(policy, slot)));
      if (dagdelen.size !== 3) problems.push(`${label}: only ${[...dagdelen].join(', ')}`);
      const usesSaturday = slots.some((slot) => weekday(slot) === 6);
      if (spansUsableSaturday(policy, slots) && !usesSaturday) problems.push(`${label}: Saturday spanned, not used`);
    }
    expect(problems).toEqual([]);
  });

  test('property: any start in 2026-2030, any delays between attempts, every rule holds', () => {
    const from = at('2026-01-01T00:00:00+01:00');
    const to = at('2030-12-31T23:59:00+01:00');
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: to }),
        fc.array(fc.integer({ min: 0, max: 36 * 60 }), { minLength: 7, maxLength: 7 }),
        (start, delaysMinutes) => {
          const slots: number[] = [];
          let after = start;
          for (const delay of delaysMinutes) {
            const slot = nextCallSlot(policy, after, slots);
            if (slot < after) return false;
            slots.push(slot);
            after = slot + delay * MINUTE; // the call, its outcome and any wait before planning the next one
          }
          const broken = brokenRules(policy, start, slots);
          if (broken.length > 0) throw new Error(broken.join('; '));
          return true;
        },
      ),
      { numRuns: 300, seed: 20270305 },
    );
  });
});

describe('chosen-moment slots', () => {
  test('from Monday 1 March 2027: the rest of today plus 10 working days, Saturdays included', () => {
    const slots = chosenMomentSlots(policy, at('2027-03-01T00:00:00+01:00'));
    // 11 weekdays of 25 half-hour slots (08:30-20:30) and 2 Saturdays of 16 (09:00-16:30).
    expect(slots).toHaveLength(11 * 25 + 2 * 16);
    expect(ams(slots[0])).toBe('2027-03-01T08:30:00+01:00');
    expect(ams(slots[slots.length - 1])).toBe('2027-03-15T20:30:00+01:00');
    const saturday = slots.filter((slot) => localDate(policy, slot) === '2027-03-06');
    expect(ams(saturday[0])).toBe('2027-03-06T09:00:00+01:00');
    expect(ams(saturday[saturday.length - 1])).toBe('2027-03-06T16:30:00+01:00');
  });

  test('over Easter 2027: none on Sunday, a holiday or outside a window; only future slots', () => {
    const now = at('2027-03-25T12:00:00+01:00');
    const slots = chosenMomentSlots(policy, now);
    // Thursday after 12:00 (12:30-20:30), 10 working days to Monday 12 April, 3 Saturdays.
    expect(slots).toHaveLength(17 + 10 * 25 + 3 * 16);
    for (const slot of slots) {
      expect(slot).toBeGreaterThan(now);
      expect(isInCallWindow(policy, slot)).toBe(true);
      expect(isInCallWindow(policy, slot + 30 * MINUTE - 1)).toBe(true);
      expect(weekday(slot)).not.toBe(7);
      expect(isHoliday(policy, slot)).toBe(false);
      expect(isAllowedChosenMoment(policy, slot, now)).toBe(true);
    }
    const dates = new Set(slots.map((slot) => localDate(policy, slot)));
    expect(dates.has('2027-03-26')).toBe(false);
    expect(dates.has('2027-03-29')).toBe(false);
    expect(ams(slots.find((slot) => localDate(policy, slot) === '2027-03-30') as number)).toBe(
      '2027-03-30T08:30:00+02:00',
    );
    expect(localDate(policy, slots[slots.length - 1])).toBe('2027-04-12');
  });

  test('isAllowedChosenMoment', () => {
    const now = at('2027-03-01T10:00:00+01:00');
    expect(isAllowedChosenMoment(policy, at('2027-03-02T19:15:00+01:00'), now)).toBe(true); // not slot-aligned is fine
    expect(isAllowedChosenMoment(policy, at('2027-03-01T09:00:00+01:00'), now)).toBe(false); // past
    expect(isAllowedChosenMoment(policy, now, now)).toBe(false); // not in the future
    expect(isAllowedChosenMoment(policy, at('2027-03-07T12:00:00+01:00'), now)).toBe(false); // Sunday
    expect(isAllowedChosenMoment(policy, at('2027-03-02T21:00:00+01:00'), now)).toBe(false); // window closed
    expect(isAllowedChosenMoment(policy, at('2027-03-02T20:45:00+01:00'), now)).toBe(false); // no room for the retry
    expect(isAllowedChosenMoment(policy, at('2027-03-02T20:44:00+01:00'), now)).toBe(true);
    expect(isAllowedChosenMoment(policy, at('2027-03-15T20:30:00+01:00'), now)).toBe(true); // last horizon day
    expect(isAllowedChosenMoment(policy, at('2027-03-16T10:00:00+01:00'), now)).toBe(false); // beyond the horizon
    expect(isAllowedChosenMoment(policy, at('2027-04-27T10:00:00+02:00'), at('2027-04-23T10:00:00+02:00'))).toBe(false); // King's Day
  });

  test('isAllowedChosenMoment refuses moments at the ends of JavaScript time instead of failing on them', () => {
    const now = at('2027-03-01T10:00:00+01:00');
    expect(isAllowedChosenMoment(policy, Date.parse('+275760-09-13T00:00:00Z'), now)).toBe(false);
    expect(isAllowedChosenMoment(policy, Date.parse('-271821-04-20T00:00:00Z'), now)).toBe(false);
    expect(isAllowedChosenMoment(policy, Number.MAX_VALUE, now)).toBe(false);
  });
});
