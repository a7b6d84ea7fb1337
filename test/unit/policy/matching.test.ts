import type { IncomingSignal } from '../../../domain/signal';
import { getPolicy, isRepeatSignal, priorityReason } from '../../../policy';

const policy = getPolicy('default');
const signal = (type: 'Energie' | 'Water', bedrag: number, receivedAt: string): IncomingSignal => ({
  municipality: '0518',
  receivedAt,
  signal: {
    ID: 'VS-NEW',
    signaaldatum: receivedAt.slice(0, 10),
    bedrag,
    crisissignaal: false,
    signaalpartner: { type },
    client: { Achternaam: 'A', Straatnaam: 'B', Huisnummer: '1', Postcode: '2011AB', Plaatsnaam: 'C' },
  },
});

describe('isRepeatSignal: a herhaalde melding', () => {
  const earlier = [{ partnerType: 'Energie' as const, amount: 400, receivedAt: '2027-01-10T09:00:00+01:00' }];

  test.each([
    ['same partner, same amount, inside the window', signal('Energie', 400, '2027-03-01T09:00:00+01:00'), true],
    ['same partner, lower amount', signal('Energie', 100, '2027-03-01T09:00:00+01:00'), true],
    ['same partner, higher amount', signal('Energie', 400.01, '2027-03-01T09:00:00+01:00'), false],
    ['another partner', signal('Water', 100, '2027-03-01T09:00:00+01:00'), false],
    ['exactly six months later: still inside', signal('Energie', 100, '2027-07-10T09:00:00+02:00'), true],
    ['six months and a minute later: outside', signal('Energie', 100, '2027-07-10T09:01:00+02:00'), false],
  ])('%s', (_label, incoming, repeat) => {
    expect(isRepeatSignal(policy, earlier, incoming)).toBe(repeat);
  });

  test('nothing earlier: never a repeat', () => {
    expect(isRepeatSignal(policy, [], signal('Energie', 1, '2027-03-01T09:00:00+01:00'))).toBe(false);
  });
});

describe('priorityReason: what the wijkteam reads in the handover', () => {
  test('a crisis comes first, then rent arrears, otherwise high arrears', () => {
    expect(priorityReason(policy, { crisis: true, partnerTypes: ['Huur'] })).toBe('crisis signal');
    expect(priorityReason(policy, { crisis: false, partnerTypes: ['Energie', 'Huur'] })).toBe('rent arrears');
    expect(priorityReason(policy, { crisis: false, partnerTypes: ['Energie', 'Water'] })).toBe('high arrears');
  });
});
