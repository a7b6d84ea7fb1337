import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildDdasDeliveryV12, ddasV12Errors, type DdasV12Input } from '../../../api/ddas-v12';
import { sealJson } from '../../../common/field-crypto';
import { personalAad } from '../../../common/personal-data';
import type { DdasRoundRow, DdasSignalRow } from '../../../db/reports';
import { createMunicipalityDirectory } from '../../../domain/municipalities';
import { entry, keyring } from '../common/keys';

const ring = keyring(entry('k1'));
const CASE = 'case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa';

/** An independent validator over the same shipped file, so the builder is not checked only by its own check. */
const independent = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const file = path.resolve(__dirname, '../../../domain/ddas/v1.2/json_schema_Uitwisselmodel.json');
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
})();

function signal(id: string, client: Record<string, unknown> | null, extra: Partial<DdasSignalRow> = {}): DdasSignalRow {
  return {
    signalId: id,
    caseId: CASE,
    crisis: false,
    warmeOverdracht: null,
    amount: 412.6,
    ontstaansdatum: null,
    signaaldatum: '2027-03-01',
    status: 'Nog niet opgepakt',
    round: null,
    partnerType: 'Huur',
    clientSealed: client ? sealJson(ring, client, personalAad('0518', CASE)) : null,
    ...extra,
  };
}

const round = (extra: Partial<DdasRoundRow> = {}): DdasRoundRow => ({
  caseRef: `${CASE}.1`,
  result: null,
  signalIds: [],
  matchingsdatum: '2027-03-02',
  attempts: [],
  ...extra,
});

const directory = createMunicipalityDirectory({
  '0518': {
    ddas: {
      kvkNummer: '27370237',
      contactpersonen: [
        { naam: 'A. de Vries', email: 'vroegsignalering@denhaag.nl', telefoonnummer: '070 353 3000' },
        { naam: 'B. Jansen', email: 'b.jansen@denhaag.nl', functietitel: 'Teamleider' },
      ],
    },
  },
});

function build(signals: DdasSignalRow[], rounds: DdasRoundRow[] = [], code = '0518') {
  const input: DdasV12Input = {
    municipality: code,
    directoryEntry: directory.get(code),
    from: '2027-03-01',
    to: '2027-03-31',
    supplierCode: 'BEREIK',
    rounds,
    signals,
    keyring: ring,
    now: new Date('2027-04-01T08:00:00.123Z'),
  };
  return buildDdasDeliveryV12(input);
}

const FULL_CLIENT = {
  Burgerservicenummer: '999993653',
  Voorletters: 'J.',
  Achternaam: 'Bakkerveld',
  Geboortedatum: '1980-05-17',
  Straatnaam: 'Spui',
  Huisnummer: '70',
  Huisnummertoevoeging: 'B',
  Postcode: '2511BT',
  Plaatsnaam: 'Den Haag',
  telefoon: '+31612345678',
  email: 'j@example.nl',
  taal: 'nl',
};

describe('the run-time v1.2 check', () => {
  test.each(['enkelvoudigVoorbeeld.json', 'uitgebreidVoorbeeld.json'])(
    "accepts VNG-Realisatie's published example %s",
    (file) => {
      const example = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/ddas-v1.2', file), 'utf8'));
      expect(ddasV12Errors(example)).toEqual([]);
      // ...and refuses it once a field has its v1.1-draft name (the ChangeLog's breaking rename).
      const { aanleverendeOrganisatie, ...levering } = example.leveringen[0];
      const renamed = { ...example, leveringen: [{ ...levering, aanleverende_organisatie: aanleverendeOrganisatie }] };
      expect(ddasV12Errors(renamed)).toEqual(
        expect.arrayContaining([
          { path: '/leveringen/0', message: 'must not have the field aanleverende_organisatie' },
          { path: '/leveringen/0', message: "must have required property 'aanleverendeOrganisatie'" },
        ]),
      );
    },
  );
});

describe('DDAS v1.2 delivery', () => {
  test('one levering with the configured aanleverende organisatie and contact persons', () => {
    const { delivery } = build([]);
    expect(delivery).toMatchObject({
      startdatumLevering: '2027-03-01',
      einddatumLevering: '2027-03-31',
      aanleverdatumEnTijd: '2027-04-01T08:00:00Z',
      codeGegevensleverancier: 'BEREIK',
    });
    expect(delivery.leveringen).toHaveLength(1);
    expect(delivery.leveringen[0]!.aanleverendeOrganisatie).toEqual({
      naam: 'Gemeente Den Haag',
      'kvk-nummer': '27370237',
      contactpersonen: [
        { naam: 'A. de Vries', email: 'vroegsignalering@denhaag.nl', telefoonnummer: '070 353 3000' },
        { naam: 'B. Jansen', email: 'b.jansen@denhaag.nl', functietitel: 'Teamleider' },
      ],
    });
    expect(independent(delivery)).toBe(true);
    expect(ddasV12Errors(delivery)).toEqual([]);
  });

  test('a municipality without a ddas entry delivers as itself, without contact persons', () => {
    const { delivery } = build([], [], '0363');
    expect(delivery.leveringen[0]!.aanleverendeOrganisatie).toEqual({ naam: 'Gemeente Amsterdam' });
    expect(ddasV12Errors(delivery)).toEqual([]);
  });

  test('a client with a BSN is identified by the BSN alone: no name, address or contact details', () => {
    const { delivery } = build([signal('VS-1', FULL_CLIENT)]);
    expect(delivery.leveringen[0]!.vroegsignalen[0]!.client).toEqual({ burgerservicenummer: '999993653' });
    expect(independent(delivery)).toBe(true);
    expect(JSON.stringify(delivery)).not.toMatch(/Bakkerveld|Spui|2511BT|\+31612345678|j@example/);
  });

  test('a client without a BSN is identified by postcode and huisnummer (+ toevoeging, geboortedatum)', () => {
    const { Burgerservicenummer: _bsn, ...withoutBsn } = FULL_CLIENT;
    const { delivery } = build([signal('VS-2', withoutBsn), signal('VS-3', { Postcode: '2511BT', Huisnummer: '1' })]);
    const [a, b] = delivery.leveringen[0]!.vroegsignalen;
    expect(a!.client).toEqual({
      postcode: '2511BT',
      huisnummer: '70',
      huisnummertoevoeging: 'B',
      geboortedatum: '1980-05-17',
    });
    expect(b!.client).toEqual({ postcode: '2511BT', huisnummer: '1' });
    expect(independent(delivery)).toBe(true);
  });

  test('signals whose client can no longer be identified are left out and counted, their round still delivered', () => {
    const rounds = [round({ signalIds: ['VS-kept', 'VS-purged'], result: 'Geen reactie na eerder contact' })];
    const purged = signal('VS-purged', null, { round: { result: 'Geen reactie na eerder contact' } });
    const kept = signal(
      'VS-kept',
      { Burgerservicenummer: '999993653' },
      { round: { result: 'Geen reactie na eerder contact' } },
    );
    const { delivery, omittedSignals } = build([kept, purged], rounds);
    expect(omittedSignals).toBe(1);
    expect(delivery.leveringen[0]!.vroegsignalen.map((v) => v.ID)).toEqual(['VS-kept']);
    expect(delivery.leveringen[0]!.vroegsignaalzaken[0]!.vroegsignalen).toEqual([{ ID: 'VS-kept' }]);
    expect(independent(delivery)).toBe(true);
  });

  test('statuses and results in v1.2 words, including Opgepakt and the two new values', () => {
    const rows = [
      signal('VS-new', { Burgerservicenummer: '999993653' }),
      signal('VS-open', { Burgerservicenummer: '999993653' }, { round: { result: null } }),
      signal(
        'VS-sdv',
        { Burgerservicenummer: '999993653' },
        { round: { result: 'Inwoner al bekend bij schuldhulpverlening' } },
      ),
      signal('VS-quiet', { Burgerservicenummer: '999993653' }, { round: { result: 'Geen reactie na eerder contact' } }),
    ];
    const rounds = [
      round({ result: 'Inwoner al bekend bij schuldhulpverlening', signalIds: ['VS-sdv'] }),
      round({
        result: 'Geen reactie na eerder contact',
        signalIds: ['VS-quiet'],
        attempts: [
          { soort: 'Telefoon', bereikt: false, datum: '2027-03-04', dagdeel: 'Middag' },
          { soort: 'Telefoon', bereikt: true, datum: '2027-03-03', dagdeel: 'Ochtend' },
        ],
      }),
      round({ result: 'Inwoner hoeft geen hulp vanuit vroegsignalering' }),
      round({ result: 'Verwijzing zonder contact' }),
    ];
    const { delivery } = build(rows, rounds);
    const status = Object.fromEntries(delivery.leveringen[0]!.vroegsignalen.map((v) => [v.ID, v.status]));
    expect(status).toEqual({
      'VS-new': 'Nog niet opgepakt',
      'VS-open': 'Opgepakt',
      'VS-sdv': 'Inwoner al bekend bij schuldhulpverlening',
      'VS-quiet': 'Opgepakt',
    });
    const zaken = delivery.leveringen[0]!.vroegsignaalzaken;
    expect(zaken.map((z) => z.resultaat)).toEqual([
      'Inwoner al bekend bij schuldhulpverlening',
      'Geen reactie na eerder contact',
      'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
      'Verwijzing zonder tussenkomst inwoner',
    ]);
    expect(zaken[1]!.datumOpgepakt).toBe('2027-03-03');
    expect(independent(delivery)).toBe(true);
    expect(ddasV12Errors(delivery)).toEqual([]);
  });

  test('the run-time check names every failing path and quotes no data', () => {
    const { delivery } = build(
      [signal('VS-bad', { Burgerservicenummer: '999993653' }, { partnerType: 'Telefonie' })],
      [round({ attempts: [{ soort: 'Duif', bereikt: false, datum: '2027-03-03', dagdeel: 'Ochtend' }] })],
    );
    const broken = { ...delivery, extra: 'Bakkerveld' } as unknown;
    const errors = ddasV12Errors(broken);
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: '/', message: 'must not have the field extra' },
        {
          path: '/leveringen/0/vroegsignalen/0/signaalpartner/type',
          message: 'must be equal to one of the allowed values',
        },
        {
          path: '/leveringen/0/vroegsignaalzaken/0/contactpogingen/0/soort',
          message: 'must be equal to one of the allowed values',
        },
      ]),
    );
    expect(JSON.stringify(errors)).not.toMatch(/Bakkerveld|Telefonie|Duif|999993653/);
  });

  test('formats are checked: a contact e-mail or a date that is not one fails', () => {
    const { delivery } = build([signal('VS-1', { Burgerservicenummer: '999993653' }, { signaaldatum: '2027-02-30' })]);
    delivery.leveringen[0]!.aanleverendeOrganisatie.contactpersonen![0]!.email = 'not an address';
    expect(ddasV12Errors(delivery).map((e) => e.path)).toEqual([
      '/leveringen/0/aanleverendeOrganisatie/contactpersonen/0/email',
      '/leveringen/0/vroegsignalen/0/signaaldatum',
    ]);
  });

  test('a client with both a BSN and an address is refused, as v1.2 requires one form', () => {
    const { delivery } = build([signal('VS-1', { Burgerservicenummer: '999993653' })]);
    delivery.leveringen[0]!.vroegsignalen[0]!.client = {
      burgerservicenummer: '999993653',
      postcode: '2511BT',
      huisnummer: '1',
    };
    expect(ddasV12Errors(delivery).map((e) => e.path)).toContain('/leveringen/0/vroegsignalen/0/client');
  });
});
