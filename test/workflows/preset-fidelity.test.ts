import type { IncomingSignal } from '../../domain/signal';
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
  segmentFor,
  visitSlots,
  withChanges,
  type ContactPolicy,
} from '../../policy';
import { LEAVES, leavesOf, mutationOf, tableKeyOf } from '../support/preset-leaves';

// The leaves' table and their mutations are in test/support/preset-leaves.ts; this file checks the table's coverage
// and plays the `pure` rows through the policy functions.

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const WEEK_START = at('2027-03-15T00:00:00+01:00'); // Monday; the week has a Saturday and no holiday

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
    expect(unproven.map(([path]) => path)).toEqual(['deadlines.conversationOutcomeDays']);
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
