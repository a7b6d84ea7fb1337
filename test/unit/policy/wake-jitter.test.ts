import { CALL_WAKE_SPREAD_MS, dagdeelAt, getPolicy, isInCallWindow, jitteredCallSlot } from '../../../policy';
import { at } from './helpers';

const policy = getPolicy('default');
const MINUTE = 60_000;

describe('jitteredCallSlot', () => {
  // Monday 1 March 2027, 08:30 local: the call window opens.
  const opening = at('2027-03-01T08:30:00+01:00');

  it('is fixed by the key: the same key wakes at the same instant, every time', () => {
    expect(jitteredCallSlot(policy, opening, 'case-a:1')).toBe(jitteredCallSlot(policy, opening, 'case-a:1'));
  });

  it('wakes whole seconds after the slot, within the spread', () => {
    for (let i = 0; i < 200; i++) {
      const woken = jitteredCallSlot(policy, opening, `case-${i}:1`);
      expect(woken).toBeGreaterThanOrEqual(opening);
      expect(woken).toBeLessThan(opening + CALL_WAKE_SPREAD_MS);
      expect((woken - opening) % 1000).toBe(0);
    }
  });

  it('spreads 2,400 cases due at the opening over the whole window, none of its seconds crowded', () => {
    const perSecond = new Map<number, number>();
    for (let i = 0; i < 2400; i++) {
      const second = (jitteredCallSlot(policy, opening, `c${i}:1`) - opening) / 1000;
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const seconds = CALL_WAKE_SPREAD_MS / 1000;
    const even = 2400 / seconds;
    // Nearly every second of the window is used, and no second takes more than three times its even share.
    expect(perSecond.size).toBeGreaterThan(0.95 * seconds);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(3 * even);
  });

  it('differs per attempt of the same case', () => {
    const attempts = [1, 2, 3, 4, 5, 6, 7].map((n) => jitteredCallSlot(policy, opening, `case-a:${n}`));
    expect(new Set(attempts).size).toBeGreaterThan(1);
  });

  it('never leaves the call window: near its close it shrinks to keep a minute', () => {
    const lastMinutes = at('2027-03-01T20:57:00+01:00');
    for (let i = 0; i < 100; i++) {
      const woken = jitteredCallSlot(policy, lastMinutes, `case-${i}:1`);
      expect(woken).toBeLessThan(at('2027-03-01T20:59:00+01:00') + 1);
      expect(isInCallWindow(policy, woken)).toBe(true);
    }
    expect(jitteredCallSlot(policy, at('2027-03-01T20:59:00+01:00'), 'case-a:1')).toBe(at('2027-03-01T20:59:00+01:00'));
  });

  it('never leaves the dagdeel the slot aims at (an Avond call stays in the evening)', () => {
    const beforeNoon = at('2027-03-01T11:58:00+01:00');
    const evening = at('2027-03-01T18:00:00+01:00');
    for (let i = 0; i < 100; i++) {
      expect(dagdeelAt(policy, jitteredCallSlot(policy, beforeNoon, `case-${i}:2`))).toBe('Ochtend');
      expect(dagdeelAt(policy, jitteredCallSlot(policy, evening, `case-${i}:2`))).toBe('Avond');
    }
    expect(jitteredCallSlot(policy, beforeNoon, 'x:1') - beforeNoon).toBeLessThan(MINUTE);
  });
});
