import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify, webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { SignJWT, importJWK, type JWK } from 'jose';
import request from 'supertest';
import { freePort } from '../../tools/toolchain';
import { ddasFacts } from '../../db/reports';
import { documentedRoutes, eventually, KEYS, routesOf, makeSignal, startStack, type Stack } from './support';

// The CBS pull (../shared/ddas/v1.2/DDAS-VS.yaml) against a real token issuer (oidc-provider, client credentials).
// Digests and signatures are made and checked here with node:crypto alone, not with the code under test.

const SCHEMA_V12 = path.resolve(__dirname, '../../domain/ddas/v1.2/json_schema_Uitwisselmodel.json');
const AUDIENCE = 'https://bereik.test/ddas';
const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

interface Party {
  key: webcrypto.CryptoKey;
  chain: Buffer[];
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const PSS = { name: 'RSA-PSS', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const keysOf = (pair: webcrypto.CryptoKeyPair) => pair as unknown as x509.X509CertificateCreateSelfSignedParams['keys'];

/** A certificate authority and a signing certificate it issued, as a CBS client would hold them. */
async function authorityWithSigner(name: string): Promise<{ caPem: string; signer: Party }> {
  const caKeys = await webcrypto.subtle.generateKey(PSS, true, ['sign', 'verify']);
  const signing = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name} CA`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    signingAlgorithm: signing,
    keys: keysOf(caKeys),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const leafKeys = await webcrypto.subtle.generateKey(PSS, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${name} client`,
    issuer: ca.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    signingAlgorithm: signing,
    publicKey: leafKeys.publicKey as never,
    signingKey: caKeys.privateKey as never,
  });
  return {
    caPem: ca.toString('pem'),
    signer: { key: leafKeys.privateKey, chain: [Buffer.from(leaf.rawData), Buffer.from(ca.rawData)] },
  };
}

async function signedHeaders(body: string, party: Party): Promise<Record<string, string>> {
  const digest = `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
  const header = b64url(
    JSON.stringify({
      alg: 'PS256',
      b64: false,
      crit: ['sigD', 'b64'],
      kid: 'cbs-test',
      x5c: party.chain.map((c) => c.toString('base64')),
      sigD: { mId: 'http://uri.etsi.org/19182/HttpHeaders', pars: ['digest'] },
    }),
  );
  const signature = Buffer.from(
    await webcrypto.subtle.sign(
      { name: 'RSA-PSS', saltLength: 32 },
      party.key,
      Buffer.from(`${header}.digest: ${digest}`),
    ),
  );
  return { Digest: digest, 'nlgov-adr-payload-sig': `${header}..${b64url(signature)}` };
}

describe('POST /ddas/v1/gegevens (the CBS pull)', () => {
  let stack: Stack;
  let issuer: ChildProcess;
  let issuerUrl: string;
  let issuerJwk: JWK;
  let trusted: Party;
  let untrusted: Party;
  const validateV12 = (() => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(JSON.parse(readFileSync(SCHEMA_V12, 'utf8')));
  })();
  const amsterdamDate = (offsetDays: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(Date.now() + offsetDays * 86_400_000);
  const today = amsterdamDate(0);
  const period = { aanleverperiodeStartdatum: amsterdamDate(-30), aanleverperiodeEinddatum: amsterdamDate(1) };

  async function token(client: string, scope = 'read'): Promise<string> {
    const res = await fetch(`${issuerUrl}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${client}:secret-${client}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: AUDIENCE, ...(scope ? { scope } : {}) }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token for ${client}: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async function pull(
    body: unknown,
    options: { bearer?: string; party?: Party; headers?: Record<string, string> } = {},
  ) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const req = request(stack.app).post('/ddas/v1/gegevens').set('Content-Type', 'application/json');
    if (options.bearer !== undefined) req.set('Authorization', `Bearer ${options.bearer}`);
    const headers = { ...(await signedHeaders(text, options.party ?? trusted)), ...options.headers };
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(text);
  }

  beforeAll(async () => {
    const port = await freePort();
    issuerUrl = `http://127.0.0.1:${port}`;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    issuerJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'issuer-key', alg: 'RS256', use: 'sig' } as JWK;
    const client = (id: string, scope?: string) => ({
      client_id: id,
      client_secret: `secret-${id}`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      ...(scope ? { scope } : {}),
    });
    issuer = spawn(
      process.execPath,
      [
        path.join(__dirname, '../support/token-issuer.mjs'),
        JSON.stringify({
          port,
          audience: AUDIENCE,
          jwk: issuerJwk,
          clients: [client('cbs', 'read'), client('cbs-burst', 'read'), client('stranger')],
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      issuer.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      issuer.on('exit', (code) => reject(new Error(`token issuer exited with ${code}`)));
    });
    const cbs = await authorityWithSigner('CBS');
    trusted = cbs.signer;
    untrusted = (await authorityWithSigner('Elsewhere')).signer;
    stack = await startStack('cbs-pull', {
      CBS_PULL_ISSUER: issuerUrl,
      CBS_PULL_JWKS_URL: `${issuerUrl}/jwks`,
      CBS_PULL_AUDIENCE: AUDIENCE,
      CBS_PULL_MUNICIPALITIES: '0518',
      CBS_PULL_TRUST_ANCHORS: cbs.caPem,
      CBS_PULL_REQUESTS_PER_MINUTE: '30',
      MATCHING_WINDOW: '1s',
    });
    const intake = (key: string, signals: unknown[]) =>
      request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${key}`).send({ signals });
    const bsn = (n: string) => {
      const s = makeSignal();
      (s.client as { Burgerservicenummer?: string }).Burgerservicenummer = n;
      return s;
    };
    const ours = await intake(KEYS.intake0518, [bsn('999993653'), bsn('999990019'), makeSignal()]);
    expect(ours.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const theirs = await intake(KEYS.intake0363, [bsn('999991772')]);
    expect(theirs.body.results[0].status).toBe('accepted');
    // The case workflows seal the clients after the matching window; the pull delivers what is sealed by then.
    await eventually(async () => {
      const facts = await ddasFacts(
        stack.pool,
        '0518',
        period.aanleverperiodeStartdatum,
        period.aanleverperiodeEinddatum,
      );
      return facts.signals.filter((signal) => signal.clientSealed).length === 3;
    });
    // Then until each case sleeps (its next step more than a minute away), its invitations sent and recorded: the pages
    // and the whole are read at different moments, and must see the same contact attempts.
    const cases = [...new Set(ours.body.results.map((r: { case: string }) => r.case))];
    await eventually(async () => {
      const { rows } = await stack.pool.query<{ next: string | null }>(
        `SELECT view->'nextAction'->>'at' AS next FROM cases WHERE case_id = ANY($1::text[])`,
        [cases],
      );
      const aMinuteOn = Date.now() + 60_000;
      return rows.length === cases.length && rows.every((r) => r.next !== null && Date.parse(r.next) > aMinuteOn);
    });
  });

  afterAll(async () => {
    issuer?.kill('SIGTERM');
    await stack?.stop();
  });

  test('a signed pull with a CBS token gets the v1.2 delivery, with a digest and a signature that verify', async () => {
    const res = await pull(period, { bearer: await token('cbs') });
    expect(res.status).toBe(200);
    const body = res.text;
    expect(res.headers.digest).toBe(`SHA-256=${createHash('sha256').update(body).digest('base64')}`);
    const [header, empty, signature] = String(res.headers['nlgov-adr-payload-sig']).split('.');
    expect(empty).toBe('');
    const protectedHeader = JSON.parse(Buffer.from(header!, 'base64url').toString());
    expect(protectedHeader).toMatchObject({
      alg: 'PS256',
      b64: false,
      crit: expect.arrayContaining(['sigD', 'b64']),
      kid: 'bereik-ddas-signing',
      sigD: { mId: 'http://uri.etsi.org/19182/HttpHeaders', pars: ['digest'] },
    });
    const certificate = new X509Certificate(Buffer.from(protectedHeader.x5c[0], 'base64'));
    const served = await request(stack.app).get('/ddas/v1/development-certificate.pem');
    expect(new X509Certificate(served.text).fingerprint256).toBe(certificate.fingerprint256);
    const signed = Buffer.from(`${header}.digest: ${res.headers.digest}`);
    const key = { key: createPublicKey(certificate.publicKey.export({ format: 'pem', type: 'spki' })), saltLength: 32 };
    expect(verify('sha256', signed, { ...key, padding: 6 }, Buffer.from(signature!, 'base64url'))).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.digest: SHA-256=x`),
        { ...key, padding: 6 },
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(false);

    const { gegevens, paginering } = JSON.parse(body);
    expect(paginering).toBeUndefined();
    expect(validateV12(gegevens)).toBe(true);
    expect(gegevens.leveringen.map((l: { gemeentecode: string }) => l.gemeentecode)).toEqual(['0518']);
    const clients = gegevens.leveringen[0].vroegsignalen.map((v: { client: unknown }) => v.client);
    // Two BSN clients and one identified by postcode and huisnummer; 0363's resident is not here.
    expect(clients.filter((c: { burgerservicenummer?: string }) => c.burgerservicenummer).length).toBe(2);
    expect(JSON.stringify(gegevens)).not.toContain('999991772');
    expect(clients.length).toBe(3);
    const audit = await stack.pool.query(`SELECT role, outcome FROM audit_log WHERE action = 'report.ddas.cbs-pull'`);
    expect(audit.rows).toContainEqual({ role: 'cbs', outcome: 'accepted' });
  });

  test('pages split the records and together hold all of them; a page past the end names the field', async () => {
    const bearer = await token('cbs');
    const whole = JSON.parse((await pull(period, { bearer })).text).gegevens.leveringen[0];
    const total = whole.vroegsignalen.length + whole.vroegsignaalzaken.length;
    const pages = [];
    for (let page = 1; page <= total; page += 1) {
      const res = await pull({ ...period, page, pageSize: 2 }, { bearer: await token('cbs') });
      expect(res.status).toBe(200);
      pages.push(JSON.parse(res.text));
      if (pages.length === 2) break;
    }
    expect(pages[0].paginering).toEqual({
      pageSize: 2,
      currentPage: 1,
      totalPages: Math.ceil(total / 2),
      totalRecords: total,
    });
    const records = (p: { gegevens: { leveringen: { vroegsignalen: unknown[]; vroegsignaalzaken: unknown[] }[] } }) =>
      p.gegevens.leveringen.flatMap((l) => [...l.vroegsignalen, ...l.vroegsignaalzaken]);
    expect(records(pages[0]).length).toBe(2);
    expect([...records(pages[0]), ...records(pages[1])]).toEqual(
      [...whole.vroegsignalen, ...whole.vroegsignaalzaken].slice(0, 4),
    );
    for (const page of pages) expect(validateV12(page.gegevens)).toBe(true);
    const past = await pull({ ...period, page: 99, pageSize: 2 }, { bearer: await token('cbs') });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ path: '/page' })]);
  });

  test('tokens: missing, forged, expired, another audience and without the read scope are FSC errors', async () => {
    const fsc = async (bearer: string | undefined, status: number, code: string) => {
      const res = await pull(period, { bearer });
      expect(res.status).toBe(status);
      expect(res.headers['fsc-error-code']).toBe(code);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({ code, domain: 'ERROR_DOMAIN_INWAY', status });
    };
    await fsc(undefined, 401, 'ERROR_CODE_ACCESS_TOKEN_MISSING');
    const issuerKey = await importJWK(issuerJwk, 'RS256');
    const mint = (claims: { exp?: number; aud?: string }, key = issuerKey) =>
      new SignJWT({ scope: 'read', client_id: 'cbs' })
        .setProtectedHeader({ alg: 'RS256', kid: 'issuer-key' })
        .setIssuer(issuerUrl)
        .setAudience(claims.aud ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(claims.exp ?? '5m')
        .sign(key);
    await fsc(await mint({ exp: Math.floor(Date.now() / 1000) - 60 }), 401, 'ERROR_CODE_ACCESS_TOKEN_EXPIRED');
    await fsc(await mint({ aud: 'https://someone-else.test' }), 401, 'ERROR_CODE_ACCESS_TOKEN_INVALID');
    const forger = await importJWK(
      { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) } as JWK,
      'RS256',
    );
    await fsc(await mint({}, forger), 401, 'ERROR_CODE_ACCESS_TOKEN_INVALID');
    await fsc(await token('stranger', ''), 403, 'ERROR_CODE_ACCESS_TOKEN_INVALID');
    // The issuer's own key minted a valid token: accepted, which shows the refusals above are about the claims.
    expect((await pull(period, { bearer: await mint({}) })).status).toBe(200);
  });

  test('a request whose digest, signature or chain does not hold is refused, naming the header', async () => {
    const bearer = await token('cbs');
    const body = JSON.stringify(period);
    const wrongDigest = await pull(body, {
      bearer,
      headers: { Digest: `SHA-256=${createHash('sha256').update('x').digest('base64')}` },
    });
    expect(wrongDigest.status).toBe(400);
    expect(wrongDigest.body.errors[0].path).toBe('/headers/Digest');
    const elsewhere = await pull(body, { bearer, party: untrusted });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors[0]).toEqual({
      path: '/headers/nlgov-adr-payload-sig',
      message: 'the x5c chain does not end at a trusted certificate authority',
    });
    // Signed for one body, sent with another whose digest is honest: the signature covers the old digest.
    const honest = await signedHeaders(body, trusted);
    const tampered = JSON.stringify({ ...period, aanleverperiodeStartdatum: '2021-01-01' });
    const swapped = await pull(tampered, {
      bearer,
      headers: {
        Digest: `SHA-256=${createHash('sha256').update(tampered).digest('base64')}`,
        'nlgov-adr-payload-sig': honest['nlgov-adr-payload-sig']!,
      },
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body.errors[0].path).toBe('/headers/nlgov-adr-payload-sig');
    const unsigned = await request(stack.app)
      .post('/ddas/v1/gegevens')
      .set('Authorization', `Bearer ${bearer}`)
      .send(period);
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.errors[0]).toEqual({ path: '/headers/Digest', message: 'is required' });
  });

  test('bad requests name the field; other methods and paths are FSC errors', async () => {
    const bearer = await token('cbs');
    const unknownField = await pull({ ...period, gemeente: '0518' }, { bearer });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors.map((e: { path: string }) => e.path)).toContain('/gemeente');
    const tooBig = await pull({ ...period, pageSize: 50_001 }, { bearer: await token('cbs') });
    expect(tooBig.body.errors.map((e: { path: string }) => e.path)).toEqual(['/pageSize']);
    const backwards = await pull(
      { aanleverperiodeStartdatum: today, aanleverperiodeEinddatum: amsterdamDate(-1) },
      { bearer: await token('cbs') },
    );
    expect(backwards.status).toBe(422);
    const unknownOrganisation = await pull(
      { ...period, aanleverendeOrganisatie: 'Gemeente Nergens' },
      { bearer: await token('cbs') },
    );
    expect(unknownOrganisation.status).toBe(422);
    expect(unknownOrganisation.body.errors[0].path).toBe('/aanleverendeOrganisatie');
    const get = await request(stack.app).get('/ddas/v1/gegevens');
    expect([get.status, get.headers['fsc-error-code']]).toEqual([405, 'ERROR_CODE_METHOD_UNSUPPORTED']);
    const doc = await request(stack.app).get('/openapi.json');
    expect(documentedRoutes(doc.body)).toEqual(routesOf(stack.app));
    expect(documentedRoutes(doc.body)).toContain('POST /ddas/v1/gegevens');
    const elsewhere = await request(stack.app).post('/ddas/v1/andere');
    expect([elsewhere.status, elsewhere.headers['fsc-error-code']]).toEqual([404, 'ERROR_CODE_SERVICE_NOT_FOUND']);
  });

  test('past CBS_PULL_REQUESTS_PER_MINUTE a client gets 429 with Retry-After; other clients go on', async () => {
    const bearer = await token('cbs-burst');
    const statuses = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await pull(period, { bearer })).status);
    expect(statuses).toEqual([...Array<number>(30).fill(200), 429]);
    const limited = await pull(period, { bearer });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await pull(period, { bearer: await token('cbs') })).status).not.toBe(429);
  });
});
