import {
  brpQuery,
  outcomeOfAddressAnswer,
  outcomeOfBsnAnswer,
  residencyOf,
  sameClient,
  BSN_FIELDS,
  type BrpPerson,
} from '../../../activities/registries/brp';
import type { Client } from '../../../domain/signal';

const HERE = '0518';
const client: Client = {
  Achternaam: 'Jansen',
  Voorletters: 'A.',
  Geboortedatum: '1980-04-02',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Postcode: '2511AB',
  Plaatsnaam: 'Den Haag',
};
const date = (datum: string) => ({ type: 'Datum', datum, langFormaat: 'x' });
const registeredHere: BrpPerson = { gemeenteVanInschrijving: { code: HERE }, verblijfplaats: { type: 'Adres' } };
const atAddress = (overrides: BrpPerson = {}): BrpPerson => ({
  naam: { geslachtsnaam: 'Jansen', voorletters: 'A.' },
  geboorte: { datum: date('1980-04-02') },
  ...overrides,
});

describe('BRP answer to residency (RaadpleegMetBurgerservicenummer)', () => {
  const answer = (persons: BrpPerson[]) => ({ type: 'RaadpleegMetBurgerservicenummer', personen: persons });

  test.each<[string, BrpPerson, string]>([
    ['deceased by date of death', { ...registeredHere, overlijden: { datum: date('2026-10-01') } }, 'deceased'],
    [
      'deceased by date of death partly unknown',
      { ...registeredHere, overlijden: { datum: { type: 'JaarDatum', jaar: 2026 } } },
      'deceased',
    ],
    [
      'deceased by opschorting O',
      { gemeenteVanInschrijving: { code: HERE }, opschortingBijhouding: { reden: { code: 'O' } } },
      'deceased',
    ],
    [
      'emigrated (opschorting E)',
      { gemeenteVanInschrijving: { code: HERE }, opschortingBijhouding: { reden: { code: 'E' } } },
      'moved',
    ],
    ['registered in RNI (opschorting R)', { opschortingBijhouding: { reden: { code: 'R' } } }, 'moved'],
    [
      'registered in RNI (gemeente 1999)',
      { gemeenteVanInschrijving: { code: '1999' }, verblijfplaats: { type: 'VerblijfplaatsBuitenland' } },
      'moved',
    ],
    [
      'registered in another municipality',
      { gemeenteVanInschrijving: { code: '0363' }, verblijfplaats: { type: 'Adres' } },
      'moved',
    ],
    [
      'living abroad',
      { gemeenteVanInschrijving: { code: HERE }, verblijfplaats: { type: 'VerblijfplaatsBuitenland' } },
      'moved',
    ],
    ['resident at an address here', registeredHere, 'resident'],
    [
      'resident at a location here (woonboot)',
      { gemeenteVanInschrijving: { code: HERE }, verblijfplaats: { type: 'Locatie' } },
      'resident',
    ],
    [
      'opschorting M decides nothing by itself',
      { ...registeredHere, opschortingBijhouding: { reden: { code: 'M' } } },
      'resident',
    ],
  ])('%s', (_name, person, expected) => {
    expect(residencyOf(person, HERE)).toBe(expected);
    expect(outcomeOfBsnAnswer(answer([person]), HERE)).toEqual({ found: true, residency: expected });
  });

  test('not found (no personen, or an empty list) goes on as resident and says so', () => {
    expect(outcomeOfBsnAnswer({ type: 'RaadpleegMetBurgerservicenummer' }, HERE)).toEqual({
      found: false,
      residency: 'resident',
    });
    expect(outcomeOfBsnAnswer(answer([]), HERE)).toEqual({ found: false, residency: 'resident' });
  });

  test('an answer that is not the contract throws (retried), rather than guessing', () => {
    expect(() => outcomeOfBsnAnswer('<html>', HERE)).toThrow(/not an object/);
    expect(() => outcomeOfBsnAnswer({ personen: { burgerservicenummer: '1' } }, HERE)).toThrow(/not a list/);
  });
});

describe('BRP answer to residency (ZoekMetPostcodeEnHuisnummer)', () => {
  const answer = (persons: BrpPerson[]) => ({ type: 'ZoekMetPostcodeEnHuisnummer', personen: persons });

  test('the client found at the address in this municipality is a resident', () => {
    expect(outcomeOfAddressAnswer(answer([atAddress()]), client, HERE)).toEqual({ found: true, residency: 'resident' });
  });

  test('deceased (opschorting O, delivered with inclusiefOverledenPersonen) and emigrated are recognised', () => {
    expect(
      outcomeOfAddressAnswer(answer([atAddress({ opschortingBijhouding: { reden: { code: 'O' } } })]), client, HERE)
        .residency,
    ).toBe('deceased');
    expect(
      outcomeOfAddressAnswer(answer([atAddress({ opschortingBijhouding: { reden: { code: 'E' } } })]), client, HERE)
        .residency,
    ).toBe('moved');
  });

  test('other residents of the address are not the client: not found, the case goes on', () => {
    const others = [
      atAddress({ naam: { geslachtsnaam: 'Bakker', voorletters: 'A.' } }),
      atAddress({ naam: { geslachtsnaam: 'Jansen', voorletters: 'P.' } }),
    ];
    expect(outcomeOfAddressAnswer(answer(others), client, HERE)).toEqual({ found: false, residency: 'resident' });
    expect(outcomeOfAddressAnswer(answer([]), client, HERE)).toEqual({ found: false, residency: 'resident' });
    expect(outcomeOfAddressAnswer({ type: 'ZoekMetPostcodeEnHuisnummer' }, client, HERE)).toEqual({
      found: false,
      residency: 'resident',
    });
  });

  test('two matching persons count as deceased only when both are', () => {
    const withoutBirthDate: Client = { ...client, Geboortedatum: undefined };
    const father = atAddress({
      geboorte: { datum: date('1950-01-01') },
      opschortingBijhouding: { reden: { code: 'O' } },
    });
    const son = atAddress({ geboorte: { datum: date('1980-04-02') } });
    expect(outcomeOfAddressAnswer(answer([father, son]), withoutBirthDate, HERE).residency).toBe('resident');
    expect(outcomeOfAddressAnswer(answer([father, { ...father }]), withoutBirthDate, HERE).residency).toBe('deceased');
  });
});

describe('recognising the client among the residents of an address', () => {
  test('surname with or without voorvoegsel, either part of a double name, accents and case ignored', () => {
    const brp = { naam: { geslachtsnaam: 'Vries', voorvoegsel: 'de', voorletters: 'J.' } };
    expect(sameClient(brp, { ...client, Achternaam: 'de Vries', Voorletters: 'J', Geboortedatum: undefined })).toBe(
      true,
    );
    expect(
      sameClient(brp, {
        ...client,
        Achternaam: 'Vries',
        Voorvoegsel: 'de',
        Voorletters: undefined,
        Geboortedatum: undefined,
      }),
    ).toBe(true);
    expect(
      sameClient(brp, { ...client, Achternaam: 'Jansen-de Vries', Voorletters: 'j.', Geboortedatum: undefined }),
    ).toBe(true);
    expect(sameClient({ naam: { geslachtsnaam: 'Çelik' } }, { ...client, Achternaam: 'celik' })).toBe(true);
    expect(sameClient(brp, { ...client, Achternaam: 'Vriesland', Geboortedatum: undefined })).toBe(false);
    // A signal without a name (DDAS v1.2 allows one) picks no one out of the address's residents.
    expect(
      sameClient(brp, { ...client, Achternaam: undefined, Voorvoegsel: undefined, Geboortedatum: undefined }),
    ).toBe(false);
  });

  test('initials and birth date must agree when both sides have them', () => {
    expect(sameClient(atAddress({ naam: { geslachtsnaam: 'Jansen', voorletters: 'B.' } }), client)).toBe(false);
    expect(sameClient(atAddress({ geboorte: { datum: date('1981-04-02') } }), client)).toBe(false);
    expect(sameClient(atAddress({ geboorte: { datum: { type: 'JaarDatum', jaar: 1980 } } }), client)).toBe(true);
    expect(sameClient(atAddress({ geboorte: { datum: { type: 'JaarDatum', jaar: 1979 } } }), client)).toBe(false);
    expect(sameClient({ naam: { geslachtsnaam: 'Jansen' } }, client)).toBe(true);
    expect(sameClient({}, client)).toBe(false);
  });
});

describe('the BRP request', () => {
  test('with a BSN: RaadpleegMetBurgerservicenummer asking only the three fields the check reads', () => {
    expect(brpQuery({ ...client, Burgerservicenummer: '999993653' }, HERE)).toEqual({
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: ['999993653'],
      fields: ['overlijden.datum', 'gemeenteVanInschrijving.code', 'verblijfplaats.type'],
    });
    expect(BSN_FIELDS).not.toContain('opschortingBijhouding'); // delivered automatically; asking for it is a 400
  });

  test('without: ZoekMetPostcodeEnHuisnummer in this municipality, deceased included, birth date when known', () => {
    expect(brpQuery({ ...client, Huisnummertoevoeging: 'A' }, HERE)).toEqual({
      type: 'ZoekMetPostcodeEnHuisnummer',
      postcode: '2511AB',
      huisnummer: 12,
      inclusiefOverledenPersonen: true,
      gemeenteVanInschrijving: HERE,
      geboortedatum: '1980-04-02',
      fields: ['naam.geslachtsnaam', 'naam.voorvoegsel', 'naam.voorletters', 'geboorte.datum'],
    });
    const bare = brpQuery({ ...client, Geboortedatum: undefined, Voorletters: undefined }, HERE);
    expect(bare).not.toHaveProperty('geboortedatum');
    expect(bare.fields).toEqual(['naam.geslachtsnaam', 'naam.voorvoegsel']); // nothing asked that cannot be compared
  });
});
