import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { purgePersonalData } from '../../db/retention';
import type { CaseView } from '../../domain/case';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

const SCHEMA_PATH =
  process.env.BEREIK_DDAS_SCHEMA ??
  path.resolve(__dirname, '../../../shared/ddas/json_schema_Uitwisselmodel.v0.9.json');
// The national publication the shipped copy came from, when the specs are beside the clone; else the shipped copy.
const SHARED_V12 = path.resolve(__dirname, '../../../shared/ddas/v1.2/json_schema_Uitwisselmodel.json');
const SCHEMA_V12_PATH =
  process.env.BEREIK_DDAS_V12_SCHEMA ??
  (existsSync(SHARED_V12)
    ? SHARED_V12
    : path.resolve(__dirname, '../../domain/ddas/v1.2/json_schema_Uitwisselmodel.json'));

function validator(file = SCHEMA_PATH) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
}

const CONTACT = { naam: 'A. de Vries', email: 'vroegsignalering@denhaag.nl', telefoonnummer: '070 353 3000' };

function amsterdamDate(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
    Date.now() + offsetDays * 86_400_000,
  );
}

describe('GET /v1/reports/ddas', () => {
  let stack: Stack;
  let closedCase: string;
  const validate = validator();
  const validateV12 = validator(SCHEMA_V12_PATH);
  const surname = 'Bakkerveld';

  /** The v0.9 delivery, asked for explicitly: these tests predate v1.2 and keep v0.9's behaviour pinned. */
  const report = (from: string, to: string, key = KEYS.staff0518) =>
    request(stack.app).get(`/v1/reports/ddas?from=${from}&to=${to}&version=0.9`).set('Authorization', `Bearer ${key}`);
  const reportV12 = (query: string, key = KEYS.staff0518) =>
    request(stack.app).get(`/v1/reports/ddas?${query}`).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    stack = await startStack('reports', {
      MATCHING_WINDOW: '1s',
      MUNICIPALITIES: JSON.stringify({ '0518': { ddas: { kvkNummer: '27370237', contactpersonen: [CONTACT] } } }),
    });
    const one = makeSignal({ ontstaansdatum: '2027-01-02', bedrag: 640.4 });
    (one.client as { Burgerservicenummer?: string }).Burgerservicenummer = '999993653';
    (one.client as { Achternaam: string }).Achternaam = surname;
    const sameAddress = makeSignal({
      address: 9001,
      signaalpartner: { type: 'Water' },
      bedrag: 80,
      warmeOverdracht: true,
    });
    const sameAddressToo = makeSignal({
      address: 9001,
      signaalpartner: { type: 'Zorg' },
      bedrag: 150,
      crisissignaal: true,
    });
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [one, sameAddress, sameAddressToo] });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    closedCase = res.body.results[0].case;
    const staff = (p: string) => request(stack.app).post(p).set('Authorization', `Bearer ${KEYS.staff0518}`);
    await eventually(
      async () =>
        (await staff(`/v1/cases/${closedCase}/events`).send({ type: 'resident_contact', channel: 'phone' })).status ===
        200,
    );
    await eventually(
      async () => (await staff(`/v1/cases/${closedCase}/events`).send({ type: 'quick_fix' })).status === 200,
    );
    await eventually(async () => {
      const row = await stack.pool.query(`SELECT status FROM cases WHERE case_id = $1`, [closedCase]);
      return row.rows[0]?.status === 'dormant';
    });
    await eventually(async () => {
      const rows = await stack.pool.query(
        `SELECT count(*)::int AS n FROM cases WHERE municipality = '0518' AND matched_at IS NOT NULL`,
      );
      return rows.rows[0].n === 2;
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('delivers DDAS v1.2 by default: valid against the national schema, clients identified the v1.2 way', async () => {
    const res = await reportV12(`from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['bereik-omitted-signals']).toBe('0');
    const valid = validateV12(res.body);
    expect(validateV12.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const explicit = await reportV12(`from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}&version=1.2`);
    expect({ ...explicit.body, aanleverdatumEnTijd: null }).toEqual({ ...res.body, aanleverdatumEnTijd: null });

    expect(res.body.leveringen).toHaveLength(1);
    const levering = res.body.leveringen[0];
    expect(levering).not.toHaveProperty('aanleverende_organisatie');
    expect(levering.aanleverendeOrganisatie).toEqual({
      naam: 'Gemeente Den Haag',
      'kvk-nummer': '27370237',
      contactpersonen: [CONTACT],
    });
    expect(levering.vroegsignalen).toHaveLength(3);
    const clients = levering.vroegsignalen.map((v: { client: Record<string, string> }) => v.client);
    expect(clients).toContainEqual({ burgerservicenummer: '999993653' });
    for (const client of clients.filter((c: Record<string, string>) => !c.burgerservicenummer))
      expect(Object.keys(client).sort()).toEqual(['geboortedatum', 'huisnummer', 'postcode']);
    expect(JSON.stringify(res.body)).not.toContain(surname);
    // Every signal here has a matched round: v1.2 says Opgepakt where v0.9 leaves the status out.
    expect(levering.vroegsignalen.map((v: { status: string }) => v.status)).toEqual([
      'Opgepakt',
      'Opgepakt',
      'Opgepakt',
    ]);
    const closed = levering.vroegsignaalzaken.find(
      (z: { resultaat?: string }) => z.resultaat === '(Budget)advies en/of quick fix',
    );
    expect(closed).toBeDefined();
    expect(closed).not.toHaveProperty('datum_opgepakt');

    const audit = await stack.pool.query(
      `SELECT outcome, detail FROM audit_log WHERE action = 'report.ddas' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]).toMatchObject({ outcome: 'accepted', detail: { version: '1.2', signals: 3, cases: 2 } });
  });

  it('gives another municipality its own v1.2 delivery: its name, no contact persons configured, none of 0518', async () => {
    const other = await reportV12(`from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}`, KEYS.staff0363);
    expect(other.status).toBe(200);
    expect(validateV12(other.body)).toBe(true);
    expect(other.body.leveringen).toEqual([
      {
        teller: 1,
        gemeentecode: '0363',
        aanleverendeOrganisatie: { naam: 'Gemeente Amsterdam' },
        vroegsignalen: [],
        vroegsignaalzaken: [],
      },
    ]);
  });

  it('refuses a v1.2 delivery that would not validate, naming the failing paths, and audits the refusal', async () => {
    // A stored contact attempt of a kind the schema does not know, in a period of its own.
    await stack.pool.query(
      `INSERT INTO cases (case_ref, case_id, municipality, round, status, result, signal_ids, matched_at, closed_at)
       VALUES ('case-0518-invalidaaaaaaaaaaaaaaaaaaa.1', 'case-0518-invalidaaaaaaaaaaaaaaaaaaa', '0518', 1, 'dormant',
               'Geen reactie na eerder contact', ARRAY[]::text[], '2024-03-10T10:00:00Z', '2024-03-20T10:00:00Z')`,
    );
    await stack.pool.query(
      `INSERT INTO contact_attempts (case_ref, seq, soort, bereikt, datum, dagdeel, at)
       VALUES ('case-0518-invalidaaaaaaaaaaaaaaaaaaa.1', 1, 'Postduif', false, '2024-03-11', 'Ochtend', '2024-03-11T08:00:00Z')`,
    );
    const res = await reportV12('from=2024-03-01&to=2024-03-31');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:bereik:problem:invalid-delivery', status: 500 });
    expect(res.body.errors).toEqual([
      {
        path: '/leveringen/0/vroegsignaalzaken/0/contactpogingen/0/soort',
        message: 'must be equal to one of the allowed values',
      },
    ]);
    expect(res.body).not.toHaveProperty('leveringen');
    expect(JSON.stringify(res.body)).not.toContain('Postduif');
    const audit = await stack.pool.query(
      `SELECT outcome, detail FROM audit_log WHERE action = 'report.ddas' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0]).toMatchObject({
      outcome: 'failed',
      detail: { version: '1.2', invalid: [{ path: '/leveringen/0/vroegsignaalzaken/0/contactpogingen/0/soort' }] },
    });
    // v0.9 has no run-time check of its own and still answers for the same period, as it did before.
    expect((await report('2024-03-01', '2024-03-31')).status).toBe(200);
  });

  it('rejects an unknown version, naming the parameter', async () => {
    const res = await reportV12(`from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}&version=1.1`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/query/version', message: 'must be 1.2 or 0.9' }]);
  });

  it('builds a delivery that validates against the DDAS v0.9 schema, with DDAS fields only', async () => {
    const res = await report(amsterdamDate(-1), amsterdamDate(1));
    expect(res.status).toBe(200);
    const valid = validate(res.body);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    const levering = res.body.leveringen[0];
    expect(levering.gemeentecode).toBe('0518');
    expect(levering.aanleverende_organisatie).toEqual({ naam: 'Gemeente Den Haag' });
    expect(levering.vroegsignalen).toHaveLength(3);
    const mine = levering.vroegsignalen.find(
      (s: { client: { Achternaam?: string } }) => s.client.Achternaam === surname,
    );
    expect(mine).toMatchObject({ bedrag: 640, ontstaansdatum: '2027-01-02', signaalpartner: { type: 'Energie' } });
    // Its case took it up (and has closed since): v0.9 says so by leaving the status out, never "Nog niet opgepakt".
    expect(mine).not.toHaveProperty('status');
    expect(mine.client).not.toHaveProperty('telefoon');
    expect(mine.client).not.toHaveProperty('email');

    const closed = levering.vroegsignaalzaken.find(
      (z: { resultaat?: string }) => z.resultaat === '(Budget)advies en/of quick fix',
    );
    expect(closed.vroegsignalen).toEqual([{ ID: mine.ID }]);
    const meervoudig = levering.vroegsignaalzaken.find(
      (z: { vroegsignalen: unknown[] }) => z.vroegsignalen?.length === 2,
    );
    expect(meervoudig).toBeDefined();
    expect(meervoudig.matchingsdatum).toBe(amsterdamDate(0));
  });

  it('matches the workflow view for the closed case', async () => {
    const v = (await request(stack.app).get(`/v1/cases/${closedCase}`).set('Authorization', `Bearer ${KEYS.admin0518}`))
      .body as CaseView;
    const res = await report(amsterdamDate(-1), amsterdamDate(1), KEYS.admin0518);
    const zaak = res.body.leveringen[0].vroegsignaalzaken.find((z: { resultaat?: string }) => z.resultaat === v.result);
    expect(zaak.contactpogingen).toEqual(
      v.attempts.map(({ soort, bereikt, datum, dagdeel }) => ({ soort, bereikt, datum, dagdeel })),
    );
  });

  it('still validates once personal data is purged, with empty clients and the same facts', async () => {
    await purgePersonalData(stack.pool, [{ municipality: '0518', caseId: closedCase }]);
    const res = await report(amsterdamDate(-1), amsterdamDate(1));
    expect(validate(res.body)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(surname);
    expect(res.body.leveringen[0].vroegsignalen).toHaveLength(3);
    expect(res.body.leveringen[0].vroegsignaalzaken).toHaveLength(2);
  });

  it('leaves purged signals out of v1.2 (it requires an identified client) and says how many', async () => {
    const res = await reportV12(`from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}`);
    expect(res.status).toBe(200);
    expect(validateV12(res.body)).toBe(true);
    expect(res.headers['bereik-omitted-signals']).toBe('1');
    const levering = res.body.leveringen[0];
    expect(levering.vroegsignalen).toHaveLength(2);
    expect(levering.vroegsignalen.map((v: { client: object }) => v.client)).not.toContainEqual({
      burgerservicenummer: '999993653',
    });
    expect(levering.vroegsignaalzaken).toHaveLength(2);
    const closed = levering.vroegsignaalzaken.find(
      (z: { resultaat?: string }) => z.resultaat === '(Budget)advies en/of quick fix',
    );
    expect(closed).not.toHaveProperty('vroegsignalen');
    const audit = await stack.pool.query(
      `SELECT detail FROM audit_log WHERE action = 'report.ddas' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].detail).toMatchObject({ version: '1.2', omittedSignals: 1 });
  });

  it('is per municipality and validates an empty period too', async () => {
    const other = await report(amsterdamDate(-1), amsterdamDate(1), KEYS.staff0363);
    expect(other.status).toBe(200);
    expect(validate(other.body)).toBe(true);
    expect(other.body.leveringen[0]).toMatchObject({ gemeentecode: '0363', vroegsignalen: [], vroegsignaalzaken: [] });
  });

  it("gives every signal the status its round's result implies", async () => {
    // A past period of its own, so these facts meet no other test's.
    const facts: [string, { result: string | null; recorded?: string } | null, string | undefined][] = [
      ['unmatched', null, 'Nog niet opgepakt'],
      ['open', { result: null }, undefined],
      ['helped', { result: '(Budget)advies en/of quick fix' }, undefined],
      ['unreached', { result: 'Definitief geen contact kunnen krijgen' }, undefined],
      ['repeat', { result: null, recorded: 'Niet opgepakt: herhaalde melding' }, 'Niet opgepakt: herhaalde melding'],
      ['repeat-round', { result: 'Niet opgepakt: herhaalde melding' }, 'Niet opgepakt: herhaalde melding'],
      ['unfounded', { result: 'Niet opgepakt: onterecht signaal' }, 'Niet opgepakt: onterecht signaal'],
      ['other', { result: 'Niet opgepakt: andere reden' }, 'Niet opgepakt: andere reden'],
      ['deceased', { result: 'Inwoner is overleden' }, 'Inwoner is overleden'],
      [
        'moved',
        { result: 'Persoon is geen inwoner (meer) in de gemeente' },
        'Persoon is geen inwoner (meer) in de gemeente',
      ],
      ['known-at-sdv', { result: 'Inwoner al bekend bij schuldhulpverlening' }, 'Niet opgepakt: andere reden'],
    ];
    for (const [label, round, _expected] of facts) {
      const caseId = `case-0518-status${label
        .replace(/[^a-z]/g, '')
        .padEnd(21, 'a')
        .slice(0, 21)}`;
      const signalId = `VS-status-${label}`;
      if (round) {
        await stack.pool.query(
          `INSERT INTO cases (case_ref, case_id, municipality, round, status, result, signal_ids, matched_at, closed_at)
           VALUES ($1 || '.1', $1, '0518', 1, $2, $3, ARRAY[$4], '2025-06-10T10:00:00Z', $5)`,
          [
            caseId,
            round.result ? 'dormant' : 'contacting',
            round.result,
            signalId,
            round.result ? '2025-06-20T10:00:00Z' : null,
          ],
        );
      }
      await stack.pool.query(
        `INSERT INTO signals (municipality, signal_id, case_id, round, partner_type, amount, signaaldatum, received_at, status, delivered)
         VALUES ('0518', $1, $2, $3, 'Huur', 300, '2025-06-01', '2025-06-09T10:00:00Z', $4, true)`,
        [signalId, caseId, round ? 1 : null, round?.recorded ?? 'Nog niet opgepakt'],
      );
    }
    const res = await report('2025-06-01', '2025-06-30');
    expect(validate(res.body)).toBe(true);
    const byId = new Map(res.body.leveringen[0].vroegsignalen.map((v: { ID: string }) => [v.ID, v]));
    for (const [label, , expected] of facts) {
      const signal = byId.get(`VS-status-${label}`) as { status?: string };
      expect({ label, status: signal.status }).toEqual({ label, status: expected });
    }
  });

  it('rejects a bad period with field paths', async () => {
    const res = await report('2027-13-01', '2027-01-01');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/query/from');
    const reversed = await report('2027-02-01', '2027-01-01');
    expect(reversed.body.errors).toEqual([{ path: '/query/to', message: 'must not be before from' }]);
    const audit = await stack.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.ddas'`);
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
