import { EINDRESULTATEN, SIGNAALSTATUSSEN } from '../../../domain/ddas';
import { partnerFeedback } from '../../../domain/signal-status';

describe('partner feedback', () => {
  test('a matched round that took the signal up is Opgepakt; help accepted only for a Vervolghulp result', () => {
    expect(partnerFeedback({ recorded: 'Nog niet opgepakt', round: null })).toEqual({
      status: 'Nog niet opgepakt',
      helpAccepted: false,
    });
    expect(
      partnerFeedback({ recorded: 'Nog niet opgepakt', round: { result: 'Vervolghulp en/of verwijzing financieel' } }),
    ).toEqual({ status: 'Opgepakt', helpAccepted: true });
    expect(
      partnerFeedback({
        recorded: 'Nog niet opgepakt',
        round: { result: 'Inwoner hoeft geen hulp vanuit vroegsignalering' },
      }),
    ).toEqual({ status: 'Opgepakt', helpAccepted: false });
  });

  test('no recorded status or round result ever shows its reason for not taking the signal up', () => {
    const statuses = new Set<string>();
    for (const recorded of SIGNAALSTATUSSEN) {
      statuses.add(partnerFeedback({ recorded, round: null }).status);
      for (const result of [null, ...EINDRESULTATEN])
        statuses.add(partnerFeedback({ recorded, round: { result } }).status);
    }
    expect([...statuses].sort()).toEqual(['Niet opgepakt', 'Nog niet opgepakt', 'Opgepakt']);
    expect(partnerFeedback({ recorded: 'Inwoner is overleden', round: null }).status).toBe('Niet opgepakt');
    expect(
      partnerFeedback({
        recorded: 'Nog niet opgepakt',
        round: { result: 'Persoon is geen inwoner (meer) in de gemeente' },
      }).status,
    ).toBe('Niet opgepakt');
  });
});
