import { ApplicationFailure } from '@temporalio/common';
import { createPhoneEnrichment } from '../../activities/registries/enrichment';
import { createSdvLookup } from '../../activities/registries/sdv';
import type { Client } from '../../domain/signal';
import { ENRICHMENT_SPEC, SDV_SPEC, startContractPeer, type ContractPeer } from './support';

const REF = { caseId: 'case-0518-k3j9x2p7q1', caseRef: 'case-0518-k3j9x2p7q1.1', municipality: '0518', round: 1 };
const CLIENT: Client = {
  Achternaam: 'Vries',
  Voorvoegsel: 'de',
  Voorletters: 'J.',
  Geboortedatum: '1980-04-02',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Huisnummertoevoeging: 'A',
  Postcode: '2511AB',
  Plaatsnaam: 'Den Haag',
};

describe("SDV look-up against Prism serving bereik's own contract (sdv.openapi.yaml)", () => {
  let peer: ContractPeer;
  let prefer: string | undefined;
  beforeAll(async () => {
    peer = await startContractPeer(SDV_SPEC, { prefer: () => prefer });
  }, 120_000);
  afterAll(async () => {
    await peer?.stop();
  });
  beforeEach(() => {
    peer.requests.length = 0;
    prefer = undefined;
  });
  afterEach(() => {
    // Every request passed Prism's validation of the contract (required fields, patterns, no extra properties).
    expect(peer.rejected()).toEqual([]);
  });
  const sdv = () => createSdvLookup({ url: peer.url, apiKeyHeader: 'X-API-Key', apiKey: 'sdv-test-key' });

  test('with a BSN only the BSN is sent, in the body, with the key', async () => {
    expect(await sdv()({ ...REF, client: { ...CLIENT, Burgerservicenummer: '999993653' } })).toEqual({
      known: false,
      trajectory: false,
    });
    const [request] = peer.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/debt-services/lookups' });
    expect(request.headers['x-api-key']).toBe('sdv-test-key');
    expect(JSON.parse(request.body)).toEqual({ municipality: '0518', client: { burgerservicenummer: '999993653' } });
  });

  test('without a BSN the address and name go, and the answer is read as it comes', async () => {
    prefer = 'example=inTrajectory';
    expect(await sdv()({ ...REF, client: CLIENT })).toEqual({ known: true, trajectory: true });
    prefer = 'example=known';
    expect(await sdv()({ ...REF, client: CLIENT })).toEqual({ known: true, trajectory: false });
    expect(JSON.parse(peer.requests[0].body)).toEqual({
      municipality: '0518',
      client: {
        achternaam: 'Vries',
        voorvoegsel: 'de',
        voorletters: 'J.',
        geboortedatum: '1980-04-02',
        postcode: '2511AB',
        huisnummer: 12,
        huisnummertoevoeging: 'A',
      },
    });
  });

  test('a signal with neither a BSN nor a surname (DDAS v1.2 allows it) asks nothing: not known', async () => {
    const nameless = { Postcode: '2511AB', Huisnummer: '12' };
    expect(await sdv()({ ...REF, client: nameless })).toEqual({ known: false, trajectory: false });
    expect(peer.requests).toEqual([]);
  });

  test('Prism holds requests to the contract: one outside it is refused', async () => {
    const response = await fetch(`${peer.url}/v1/debt-services/lookups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sdv-test-key' },
      body: JSON.stringify({ municipality: '518', client: { burgerservicenummer: '999993653', naam: 'Jansen' } }),
    });
    expect(response.status).toBe(400);
    peer.requests.length = 0; // refused on purpose
  });

  test('503 is retried, 400 is not (typed SdvRequestRejected)', async () => {
    prefer = 'code=503';
    const transient = await sdv()({ ...REF, client: CLIENT }).catch((e: unknown) => e);
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(ApplicationFailure);
    prefer = 'code=400';
    const rejected = await sdv()({ ...REF, client: CLIENT }).catch((e: unknown) => e);
    expect(rejected).toMatchObject({
      nonRetryable: true,
      type: 'SdvRequestRejected',
      message: 'Sdv answered 400 (unavailable)',
    });
  });
});

describe("phone enrichment against Prism serving bereik's own contract (enrichment.openapi.yaml)", () => {
  let peer: ContractPeer;
  let prefer: string | undefined;
  let answer: unknown;
  beforeAll(async () => {
    peer = await startContractPeer(ENRICHMENT_SPEC, {
      prefer: () => prefer,
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
  const enrich = (apiKey: string | null = 'enrichment-test-key') =>
    createPhoneEnrichment({ url: peer.url, apiKeyHeader: 'X-API-Key', apiKey: apiKey ?? undefined });

  test('name and address go in the body; a number found comes back in E.164', async () => {
    prefer = 'example=found';
    expect(await enrich()({ ...REF, client: CLIENT })).toEqual({ telefoon: '+31612345678' });
    const [request] = peer.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/phone-numbers/lookups' });
    expect(request.headers['x-api-key']).toBe('enrichment-test-key');
    expect(JSON.parse(request.body)).toEqual({
      municipality: '0518',
      name: { achternaam: 'Vries', voorvoegsel: 'de', voorletters: 'J.' },
      address: {
        straatnaam: 'Dorpsstraat',
        huisnummer: 12,
        huisnummertoevoeging: 'A',
        postcode: '2511AB',
        plaatsnaam: 'Den Haag',
      },
    });
  });

  test('a signal without a surname or street (DDAS v1.2 allows it) asks nothing: no number', async () => {
    prefer = 'example=found';
    expect(await enrich()({ ...REF, client: { Burgerservicenummer: '999993653' } })).toEqual({ telefoon: null });
    const { Achternaam: _name, ...nameless } = CLIENT;
    expect(await enrich()({ ...REF, client: nameless })).toEqual({ telefoon: null });
    expect(await enrich()({ ...REF, client: { ...CLIENT, Straatnaam: undefined } })).toEqual({ telefoon: null });
    expect(peer.requests).toEqual([]);
  });

  test('no number found is null', async () => {
    prefer = 'example=notFound';
    expect(await enrich()({ ...REF, client: CLIENT })).toEqual({ telefoon: null });
  });

  test('a number bereik cannot dial counts as none; a national one is normalised', async () => {
    answer = { telefoon: '+3112' };
    expect(await enrich()({ ...REF, client: CLIENT })).toEqual({ telefoon: null });
    answer = { telefoon: '06 1234 5678' };
    expect(await enrich()({ ...REF, client: CLIENT })).toEqual({ telefoon: '+31612345678' });
    answer = { phone: '+31612345678' };
    await expect(enrich()({ ...REF, client: CLIENT })).rejects.toThrow(/without telefoon/);
  });

  test('without the key the contract answers 401; retried, since an operator fixes it by setting the key', async () => {
    const error = await enrich(null)({ ...REF, client: CLIENT }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toMatch(/^PhoneEnrichment answered 401/);
    peer.requests.length = 0; // Prism's 401 is the point here, not a rejected request
  });

  test('429 is retried', async () => {
    prefer = 'code=429';
    const error = await enrich()({ ...REF, client: CLIENT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toBe('PhoneEnrichment answered 429 (unavailable)');
  });
});
