import { DEFAULT_RESIDENT_MODEL, Draws, answersCall, residentModelSchema, traitsOf } from '../../tools/simulate/model';
import { changesBetween } from '../../tools/simulate/rehearse';
import { csvSignals, SimulationInputError, syntheticSignals } from '../../tools/simulate/signals';
import { prepare, type SimulateOptions } from '../../tools/simulate/simulate';
import { getPolicy, withChanges } from '../../policy';

const START = Date.parse('2027-03-01T00:00:00+01:00');
const NOW = Date.parse('2027-01-01T00:00:00+01:00');
const options = (extra: Partial<SimulateOptions>): SimulateOptions => ({
  policies: [{ name: 'default', changes: [] }],
  seed: '7',
  days: 30,
  municipality: '0518',
  timing: false,
  start: '2027-03-01T00:00:00+01:00',
  ...extra,
});

describe('resident draws', () => {
  it('are keyed by what they decide, so asking in another order gives the same answers', () => {
    const a = new Draws('7');
    const b = new Draws('7');
    const forward = [1, 2, 3, 4].map((k) => answersCall(DEFAULT_RESIDENT_MODEL, a, 5, k, 'Avond', false));
    const backward = [4, 3, 2, 1].map((k) => answersCall(DEFAULT_RESIDENT_MODEL, b, 5, k, 'Avond', false)).reverse();
    expect(forward).toEqual(backward);
    expect(traitsOf(DEFAULT_RESIDENT_MODEL, a, 9)).toEqual(traitsOf(DEFAULT_RESIDENT_MODEL, b, 9));
  });

  it('follow the model: the share of answered calls is near the configured rate', () => {
    const draws = new Draws('1');
    let answered = 0;
    for (let i = 0; i < 10_000; i++) if (answersCall(DEFAULT_RESIDENT_MODEL, draws, i, 1, 'Avond', false)) answered++;
    expect(answered / 10_000).toBeGreaterThan(DEFAULT_RESIDENT_MODEL.answersCall.Avond - 0.02);
    expect(answered / 10_000).toBeLessThan(DEFAULT_RESIDENT_MODEL.answersCall.Avond + 0.02);
  });

  it('another seed gives other draws', () => {
    const seven = syntheticSignals(50, START, 30, new Draws('7')).map((s) => s.signal.bedrag);
    const eight = syntheticSignals(50, START, 30, new Draws('8')).map((s) => s.signal.bedrag);
    expect(seven).not.toEqual(eight);
    expect(syntheticSignals(50, START, 30, new Draws('7')).map((s) => s.signal.bedrag)).toEqual(seven);
  });

  it('the model file is checked: conversation shares must add up to 1', () => {
    const bad = { ...DEFAULT_RESIDENT_MODEL, conversation: { ...DEFAULT_RESIDENT_MODEL.conversation, quick_fix: 0.9 } };
    expect(residentModelSchema.safeParse(bad).success).toBe(false);
    expect(residentModelSchema.safeParse(DEFAULT_RESIDENT_MODEL).success).toBe(true);
  });
});

describe('synthetic signals', () => {
  it('lie at distinct addresses inside the period, never on a whole second', () => {
    const signals = syntheticSignals(300, START, 30, new Draws('3'));
    const addresses = new Set(signals.map((s) => `${s.signal.client.Postcode} ${s.signal.client.Huisnummer}`));
    expect(addresses.size).toBe(300);
    for (const s of signals) {
      expect(s.at).toBeGreaterThanOrEqual(START);
      expect(s.at).toBeLessThan(START + 30 * 86_400_000);
      expect(s.at % 1000).not.toBe(0);
    }
  });
});

describe('CSV signals', () => {
  const header = 'ID,signaaldatum,bedrag,signaalpartner.type,client.Postcode,client.Huisnummer,client.telefoon';
  it('are shifted so the earliest signaaldatum is the first day of the period', () => {
    const csv = `${header}\nA-1,2024-05-03,700,Energie,2011AB,1,+31612345678\nA-2,2024-05-01,300,Water,2011AB,2,\n`;
    const signals = csvSignals(csv, START, new Draws('1'));
    expect(signals.map((s) => [s.signal.ID, s.signal.signaaldatum])).toEqual([
      ['A-2', '2027-03-01'],
      ['A-1', '2027-03-03'],
    ]);
  });

  it('with an invalid row is refused with the row and field named', () => {
    const csv = `${header}\nA-1,2024-05-03,veel,Energie,2011AB,1,\n`;
    expect(() => csvSignals(csv, START, new Draws('1'))).toThrow(/row 1 \(line 2\) bedrag/);
    expect(() => csvSignals('nonsense,columns\n1,2\n', START, new Draws('1'))).toThrow(SimulationInputError);
  });
});

describe('simulate options', () => {
  it('refuse a start in the past, an unknown policy, an invalid change and both --signals and --csv', () => {
    expect(() => prepare(options({ start: '2026-01-01T00:00:00+01:00' }), NOW)).toThrow(/in the past/);
    expect(() => prepare(options({ policies: [{ name: 'nowhere', changes: [] }] }), NOW)).toThrow(/Unknown/);
    expect(() =>
      prepare(
        options({ policies: [{ name: 'default', changes: [{ path: 'phoneRound.maxAttempts', value: -1 }] }] }),
        NOW,
      ),
    ).toThrow(SimulationInputError);
    expect(() => prepare(options({ signals: 5, csv: 'x.csv' }), NOW)).toThrow(/not both/);
  });

  it('default to the next Monday and 500 synthetic signals', () => {
    const prepared = prepare(options({ start: undefined }), NOW);
    expect(new Date(prepared.period.from).toISOString()).toBe('2027-01-03T23:00:00.000Z');
    expect(prepared.signals).toHaveLength(500);
  });
});

describe('rehearsal', () => {
  it('turns the working preset into the committed one with the leaves that differ', () => {
    const working = getPolicy('default');
    const committed = withChanges(working, [
      { path: 'phoneRound.maxAttempts', value: 5 },
      { path: 'segments.light.reminderAfterDays', value: 3 },
    ]);
    const changes = changesBetween(working, { ...committed, version: 9, description: 'older' });
    expect(changes).toEqual([
      { path: 'phoneRound.maxAttempts', value: 5 },
      { path: 'segments.light.reminderAfterDays', value: 3 },
    ]);
    expect(withChanges(working, changes)).toEqual(committed);
    expect(changesBetween(working, working)).toEqual([]);
  });
});
