import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { createRegistries } from '../../activities/registries';
import { loadConfig } from '../../config';
import { resolveRegistries } from '../../config/registries';
import { createBrpResidency } from '../../activities/registries/brp';
import type { Client } from '../../domain/signal';
import { freePort } from '../../tools/toolchain/test-server';
import { BRP_SPEC, describeWithBrpSpec, startContractPeer, type ContractPeer } from './support';

const REF = { caseId: 'case-0518-k3j9x2p7q1', caseRef: 'case-0518-k3j9x2p7q1.1', municipality: '0518', round: 1 };
const WITH_BSN: Client = {
  Burgerservicenummer: '999993653',
  Achternaam: 'Jansen',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Postcode: '2511AB',
  Plaatsnaam: 'Den Haag',
};
const WITHOUT_BSN: Client = {
  Achternaam: 'de Vries',
  Voorletters: 'J.',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Huisnummertoevoeging: 'A',
  Postcode: '2511AB',
  Plaatsnaam: 'Den Haag',
};
const API_KEY = 'brp-test-key-0518';

describeWithBrpSpec('BRP adapter against Prism serving Haal Centraal BRP Personen 2.7.0', () => {
  let peer: ContractPeer;
  let prefer: string | undefined;
  let answer: unknown;
  beforeAll(async () => {
    peer = await startContractPeer(BRP_SPEC as string, {
      prefer: () => prefer,
      // Prism's own 200 carries no personen (the spec has no example); a test that needs persons supplies them
      // here, after Prism validated the request.
      override: () => (answer === undefined ? undefined : { status: 200, body: answer }),
    });
  }, 120_000);
  afterAll(async () => {
    await peer?.stop();
  });
  beforeEach(() => {
    peer.requests.length = 0;
    prefer = undefined;
    answer = undefined;
  });
  afterEach(() => {
    expect(peer.rejected()).toEqual([]);
  });

  const brp = () => createBrpResidency({ url: peer.url, apiKeyHeader: 'X-API-KEY', apiKey: API_KEY });

  test('with a BSN: RaadpleegMetBurgerservicenummer, the BSN in the body only, the key in its header', async () => {
    const result = await brp()({ ...REF, client: WITH_BSN });

    expect(result).toBe('resident'); // Prism's answer has no personen: not found, the case goes on
    const [request] = peer.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/personen' });
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(JSON.parse(request.body)).toEqual({
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: ['999993653'],
      fields: ['overlijden.datum', 'gemeenteVanInschrijving.code', 'verblijfplaats.type'],
    });
    expect(request.upstreamStatus).toBe(200);
    expect(request.path + request.query.toString()).not.toContain('999993653');
  });

  test('without a BSN: ZoekMetPostcodeEnHuisnummer here, deceased included, the client recognised', async () => {
    answer = {
      type: 'ZoekMetPostcodeEnHuisnummer',
      personen: [
        {
          naam: { geslachtsnaam: 'Vries', voorvoegsel: 'de', voorletters: 'J.' },
          opschortingBijhouding: { reden: { code: 'O' } },
        },
      ],
    };
    expect(await brp()({ ...REF, client: WITHOUT_BSN })).toBe('deceased');
    const body = JSON.parse(peer.requests[0].body);
    expect(body).toMatchObject({
      type: 'ZoekMetPostcodeEnHuisnummer',
      postcode: '2511AB',
      huisnummer: 12,
      inclusiefOverledenPersonen: true,
      gemeenteVanInschrijving: '0518',
    });
    expect(body).not.toHaveProperty('huisnummertoevoeging');
    expect(peer.requests[0].upstreamStatus).toBe(200);
  });

  test.each([
    [
      'deceased',
      {
        overlijden: { datum: { type: 'Datum', datum: '2026-10-01', langFormaat: '1 oktober 2026' } },
        gemeenteVanInschrijving: { code: '0518' },
      },
    ],
    ['moved', { gemeenteVanInschrijving: { code: '1999' }, verblijfplaats: { type: 'VerblijfplaatsBuitenland' } }],
    ['moved', { gemeenteVanInschrijving: { code: '0363' }, verblijfplaats: { type: 'Adres' } }],
    ['resident', { gemeenteVanInschrijving: { code: '0518' }, verblijfplaats: { type: 'Adres' } }],
  ])('the BRP answering a person who is %s', async (expected, person) => {
    answer = { type: 'RaadpleegMetBurgerservicenummer', personen: [person] };
    expect(await brp()({ ...REF, client: WITH_BSN })).toBe(expected);
  });

  test.each(['500', '503', '429', '401', '403'])(
    'a BRP answering %s throws a retryable error: Temporal tries again',
    async (code) => {
      prefer = `code=${code}`;
      const error = await brp()({ ...REF, client: WITH_BSN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect((error as Error).message).toMatch(new RegExp(`^Brp answered ${code}`));
      expect((error as Error).message).not.toContain('999993653');
    },
  );

  test.each(['400', '406', '415'])(
    'a BRP answering %s (never succeeds) fails the activity for good, typed BrpRequestRejected',
    async (code) => {
      prefer = `code=${code}`;
      const error = await brp()({ ...REF, client: WITH_BSN }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error).toMatchObject({ nonRetryable: true, type: 'BrpRequestRejected' });
      // with the BRP's error code
      expect((error as Error).message).toMatch(new RegExp(`^Brp answered ${code} \\(\\w+\\)`));
    },
  );

  test("the worker's registries from configuration call this BRP and log without personal data", async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    );
    const settings = resolveRegistries(
      loadConfig({ BRP_URL: peer.url, BRP_API_KEY: API_KEY, BRP_API_KEY_HEADER: 'X-Api-Key-Gemeente' }),
    );
    const { registries, connected } = createRegistries(settings, { logger });
    expect(connected).toEqual({ brp: true, sdv: false, 'phone-enrichment': false });

    expect(await registries.residency({ ...REF, client: WITH_BSN })).toBe('resident');
    expect(peer.requests[0].headers['x-api-key-gemeente']).toBe(API_KEY);
    const logged = lines.join('');
    expect(logged).toContain('BRP: client not found');
    expect(logged).toContain(REF.caseId);
    for (const personal of ['999993653', 'Jansen', 'Dorpsstraat', '2511AB']) expect(logged).not.toContain(personal);
  });

  test("each municipality asks under its own key; others under the deployment's", async () => {
    const residency = createBrpResidency({
      url: peer.url,
      apiKeyHeader: 'X-API-KEY',
      apiKey: API_KEY,
      apiKeysByMunicipality: { '0363': 'brp-key-0363' },
    });
    await residency({ ...REF, municipality: '0363', client: WITH_BSN });
    await residency({ ...REF, client: WITH_BSN });
    expect(peer.requests.map((r) => r.headers['x-api-key'])).toEqual(['brp-key-0363', API_KEY]);
  });

  test('a wrong BRP_URL (404) is configuration: retried until an operator fixes it', async () => {
    const error = await createBrpResidency({ url: `${peer.url}/haalcentraal/api/brp`, apiKeyHeader: 'X-API-KEY' })({
      ...REF,
      client: WITH_BSN,
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toMatch(/^Brp answered 404/);
    peer.requests.length = 0; // Prism's 404 is the point here
  });

  test('a BRP that is not there throws a retryable error', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const error = await createBrpResidency({ url: closed, apiKeyHeader: 'X-API-KEY' })({
      ...REF,
      client: WITH_BSN,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toMatch(/^Brp unreachable/);
  });
});
