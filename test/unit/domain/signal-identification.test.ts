import { caseIdFor } from '../../../common/case-id';
import { signalSchema, type SignalInput } from '../../../domain/signal';

const SECRET = 'a-case-id-secret-for-tests';

const signal = (client: SignalInput['client']): SignalInput => ({
  ID: 'VS-1',
  signaaldatum: '2027-03-05',
  bedrag: 100,
  signaalpartner: { type: 'Zorg' },
  client,
});

const issues = (client: unknown) => {
  const parsed = signalSchema.safeParse({ ...signal({}), client });
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('how a signal identifies its client (DDAS v1.2: BSN, or postcode + huisnummer)', () => {
  test.each([
    ['BSN alone', { Burgerservicenummer: '999993653' }],
    ['postcode and huisnummer without a name', { Postcode: '2511BT', Huisnummer: '70' }],
    ['postcode, huisnummer and toevoeging', { Postcode: '2511 bt', Huisnummer: '70', Huisnummertoevoeging: 'B' }],
    [
      'the full v0.9 form, contact details included',
      {
        Achternaam: 'Jansen',
        Straatnaam: 'Spui',
        Huisnummer: '70',
        Postcode: '2511BT',
        Plaatsnaam: 'Den Haag',
        telefoon: '0612345678',
      },
    ],
  ])('accepts %s', (_label, client) => {
    expect(issues(client)).toEqual([]);
  });

  test('a client with neither is refused at the client, naming both ways', () => {
    const message = 'must identify the resident: give Burgerservicenummer, or Postcode and Huisnummer';
    expect(issues({})).toEqual([['client', message]]);
    expect(issues({ Achternaam: 'Jansen', Straatnaam: 'Spui', Plaatsnaam: 'Den Haag', email: 'a@b.nl' })).toEqual([
      ['client', message],
    ]);
  });

  test('half an address names the missing half', () => {
    expect(issues({ Postcode: '2511BT' })).toEqual([['client.Huisnummer', 'is required with Postcode']]);
    expect(issues({ Huisnummer: '4', Burgerservicenummer: '999993653' })).toEqual([
      ['client.Postcode', 'is required with Huisnummer'],
    ]);
    expect(issues({ Burgerservicenummer: '999993653', Huisnummertoevoeging: 'A' })).toEqual([
      ['client.Huisnummertoevoeging', 'needs Postcode and Huisnummer'],
    ]);
  });
});

describe('the case key', () => {
  test('an address keys as before, with or without a BSN, name or contact details', () => {
    const address = { Postcode: '2511BT', Huisnummer: '70', Huisnummertoevoeging: 'b' };
    const id = caseIdFor(SECRET, '0518', address);
    expect(caseIdFor(SECRET, '0518', { ...address, Burgerservicenummer: '999993653' })).toBe(id);
    expect(caseIdFor(SECRET, '0518', { ...address, Huisnummertoevoeging: 'B' })).toBe(id);
    expect(caseIdFor(SECRET, '0518', { ...address, Huisnummertoevoeging: undefined })).not.toBe(id);
  });

  test('a BSN alone keys by a keyed hash of the BSN: stable, per municipality and secret, never the BSN', () => {
    const id = caseIdFor(SECRET, '0518', { Burgerservicenummer: '999993653' });
    expect(id).toMatch(/^case-0518-[a-z2-7]{26}$/);
    expect(id).not.toContain('999993653');
    expect(caseIdFor(SECRET, '0518', { Burgerservicenummer: '999993653' })).toBe(id);
    expect(caseIdFor(SECRET, '0518', { Burgerservicenummer: '999993665' })).not.toBe(id);
    expect(caseIdFor(SECRET, '0363', { Burgerservicenummer: '999993653' }).slice(10)).not.toBe(id.slice(10));
    expect(caseIdFor(`${SECRET}-other`, '0518', { Burgerservicenummer: '999993653' })).not.toBe(id);
  });

  test('a client with neither cannot be keyed', () => {
    expect(() => caseIdFor(SECRET, '0518', {})).toThrow(
      'a case needs a client with Postcode and Huisnummer, or a Burgerservicenummer',
    );
  });
});
