import request from 'supertest';
import { caseIdFor } from '../../common/case-id';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

const intake = (stack: Stack, key = KEYS.intake0518) =>
  request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${key}`);

async function signalsReceived(stack: Stack, caseId: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

describe('POST /v1/signals', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('intake');
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('needs an intake key: 401 without or with an unknown key, 403 with another role', async () => {
    const body = { signals: [makeSignal()] };
    const none = await request(stack.app).post('/v1/signals').send(body);
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401, type: 'urn:bereik:problem:unauthorized' });
    expect((await intake(stack, 'not-a-key-at-all-xxxxxxxx').send(body)).status).toBe(401);
    expect((await intake(stack, KEYS.staff0518).send(body)).status).toBe(403);
  });

  it('accepts the valid signals of a batch, rejects the invalid ones with field paths, answers in order', async () => {
    const good = makeSignal();
    const alsoGood = makeSignal({ signaalpartner: { type: 'Huur' }, bedrag: 2500 });
    const badPostcode = makeSignal();
    (badPostcode.client as { Postcode: string }).Postcode = '12AB';
    const badShape = { ...makeSignal(), bedrag: 'veel', onbekend: true };
    const res = await intake(stack).send({ signals: [good, badPostcode, alsoGood, badShape, good] });
    expect(res.status).toBe(202);
    const { results } = res.body as {
      results: { ID: string; status: string; case?: string; errors?: { path: string; message: string }[] }[];
    };
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'rejected', 'duplicate']);
    expect(results[0]).toMatchObject({
      ID: good.ID,
      case: caseIdFor(stack.config.CASE_ID_SECRET!, '0518', good.client as never),
    });
    expect(results[1]!.errors).toEqual([
      { path: '/signals/1/client/Postcode', message: expect.stringMatching(/postcode/i) },
    ]);
    expect(results[3]!.errors!.map((e) => e.path).sort()).toEqual(['/signals/3/bedrag', '/signals/3/onbekend']);
    // Rejections never echo the resident's data.
    expect(JSON.stringify(results)).not.toContain('Jansen');

    const view = await eventually(async () => {
      const state = await stack.client.workflow.getHandle(results[0]!.case!).query(caseState);
      return state.signals.length === 1 ? state : null;
    });
    expect(view.signals[0]).toMatchObject({ ID: good.ID, partnerType: 'Energie', amount: 640 });
    const rows = await stack.pool.query(
      'SELECT signal_id, delivered FROM signals WHERE municipality = $1 ORDER BY signal_id',
      ['0518'],
    );
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { signal_id: good.ID, delivered: true },
        { signal_id: alsoGood.ID, delivered: true },
      ]),
    );
  });

  it('answers duplicate on a re-post and starts or signals nothing', async () => {
    const signal = makeSignal();
    const first = await intake(stack).send({ signals: [signal] });
    const caseId = first.body.results[0].case as string;
    await eventually(async () => (await signalsReceived(stack, caseId)) === 1);
    const { runId } = await stack.client.workflow.getHandle(caseId).describe();

    const again = await intake(stack).send({ signals: [signal] });
    expect(again.status).toBe(202);
    expect(again.body.results).toEqual([{ ID: signal.ID, status: 'duplicate', case: caseId }]);
    expect((await stack.client.workflow.getHandle(caseId).describe()).runId).toBe(runId);
    expect(await signalsReceived(stack, caseId)).toBe(1);
  });

  it('re-delivers a signal whose row was stored but never delivered (crash between insert and signal-with-start)', async () => {
    const signal = makeSignal();
    const caseId = caseIdFor(stack.config.CASE_ID_SECRET!, '0518', signal.client as never);
    await stack.pool.query(
      `INSERT INTO signals (municipality, signal_id, case_id, partner_type, amount, signaaldatum, received_at, delivered)
       VALUES ('0518', $1, $2, 'Energie', 640, '2027-03-05', now(), false)`,
      [signal.ID, caseId],
    );
    const res = await intake(stack).send({ signals: [signal] });
    expect(res.body.results).toEqual([{ ID: signal.ID, status: 'duplicate', case: caseId }]);
    const view = await eventually(async () => {
      const state = await stack.client.workflow.getHandle(caseId).query(caseState);
      return state.signals.some((s) => s.ID === signal.ID) ? state : null;
    });
    expect(view.case).toBe(caseId);
    const row = await stack.pool.query('SELECT delivered FROM signals WHERE municipality = $1 AND signal_id = $2', [
      '0518',
      signal.ID,
    ]);
    expect(row.rows[0].delivered).toBe(true);
  });

  describe('clients identified the DDAS v1.2 way', () => {
    const bsnOnly = (bsn: string) => ({ ...makeSignal(), client: { Burgerservicenummer: bsn } });
    const addressOnly = (huisnummer: string) => ({
      ...makeSignal(),
      client: { Postcode: '2511 bt', Huisnummer: huisnummer, Huisnummertoevoeging: 'A' },
    });

    it('accepts a signal identified by BSN alone, keyed by a hash of the BSN that is not the BSN', async () => {
      const bsn = '999990019';
      const signal = bsnOnly(bsn);
      const res = await intake(stack).send({ signals: [signal] });
      expect(res.status).toBe(202);
      expect(res.body.results[0]).toMatchObject({ ID: signal.ID, status: 'accepted' });
      const caseId = res.body.results[0].case as string;
      expect(caseId).toBe(caseIdFor(stack.config.CASE_ID_SECRET!, '0518', { Burgerservicenummer: bsn }));
      expect(caseId).toMatch(/^case-0518-[a-z2-7]{26}$/);
      expect(caseId).not.toContain(bsn);
      // The case really runs and holds the signal.
      const view = await eventually(async () => {
        const state = await stack.client.workflow.getHandle(caseId).query(caseState);
        return state.signals.some((s) => s.ID === signal.ID) ? state : null;
      });
      expect(view.case).toBe(caseId);
      // Another signal for the same BSN is the same case; another BSN is another.
      const again = await intake(stack).send({ signals: [bsnOnly(bsn), bsnOnly('999990020')] });
      expect(again.body.results[0].case).toBe(caseId);
      expect(again.body.results[1].case).not.toBe(caseId);
    });

    it('keys a BSN-only signal apart from every address, and a signal with both by its address as before', async () => {
      const bsn = '999990031';
      const withAddress = makeSignal({ address: 4242 });
      (withAddress.client as { Burgerservicenummer?: string }).Burgerservicenummer = bsn;
      const res = await intake(stack).send({ signals: [withAddress, bsnOnly(bsn)] });
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
      const [addressCase, bsnCase] = res.body.results.map((r: { case: string }) => r.case);
      expect(addressCase).toBe(caseIdFor(stack.config.CASE_ID_SECRET!, '0518', withAddress.client));
      expect(addressCase).toBe(
        caseIdFor(stack.config.CASE_ID_SECRET!, '0518', {
          Postcode: '2011AB',
          Huisnummer: withAddress.client.Huisnummer,
        }),
      );
      expect(bsnCase).not.toBe(addressCase);
    });

    it('accepts a signal identified by postcode and huisnummer without a name, keyed by that address', async () => {
      const signal = addressOnly('77');
      const named = makeSignal();
      named.client = { ...named.client, Postcode: '2511BT', Huisnummer: '77', Huisnummertoevoeging: 'a' };
      const res = await intake(stack).send({ signals: [signal, named] });
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
      // The same household: the nameless signal and the named one share the case.
      expect(res.body.results[0].case).toBe(res.body.results[1].case);
    });

    it('accepts the v1.2 forms in CSV too', async () => {
      const id1 = `CSV-v12-${Date.now()}-1`;
      const id2 = `CSV-v12-${Date.now()}-2`;
      const csv = [
        'ID,signaaldatum,bedrag,signaalpartner.type,client.Burgerservicenummer,client.Postcode,client.Huisnummer',
        `${id1},2027-03-05,120,Zorg,999990043,,`,
        `${id2},2027-03-05,120,Zorg,,2511BT,8`,
      ].join('\n');
      const res = await intake(stack).set('Content-Type', 'text/csv').send(csv);
      expect(res.status).toBe(202);
      expect(res.body.results).toEqual([
        expect.objectContaining({ ID: id1, status: 'accepted' }),
        expect.objectContaining({ ID: id2, status: 'accepted' }),
      ]);
    });

    it('rejects a client with neither a BSN nor postcode and huisnummer, naming what is missing', async () => {
      const nobody = { ...makeSignal(), client: { Achternaam: 'Jansen', Straatnaam: 'Spui', Plaatsnaam: 'Den Haag' } };
      const postcodeOnly = { ...makeSignal(), client: { Postcode: '2511BT' } };
      const numberOnly = { ...makeSignal(), client: { Huisnummer: '3', telefoon: '0612345678' } };
      const empty = { ...makeSignal(), client: {} };
      const res = await intake(stack).send({ signals: [nobody, postcodeOnly, numberOnly, empty] });
      expect(res.status).toBe(202);
      expect(res.body.results.map((r: { status: string; errors: unknown }) => [r.status, r.errors])).toEqual([
        [
          'rejected',
          [
            {
              path: '/signals/0/client',
              message: 'must identify the resident: give Burgerservicenummer, or Postcode and Huisnummer',
            },
          ],
        ],
        ['rejected', [{ path: '/signals/1/client/Huisnummer', message: 'is required with Postcode' }]],
        ['rejected', [{ path: '/signals/2/client/Postcode', message: 'is required with Huisnummer' }]],
        [
          'rejected',
          [
            {
              path: '/signals/3/client',
              message: 'must identify the resident: give Burgerservicenummer, or Postcode and Huisnummer',
            },
          ],
        ],
      ]);
      const stored = await stack.pool.query('SELECT count(*)::int AS n FROM signals WHERE signal_id = ANY($1)', [
        [nobody.ID, postcodeOnly.ID, numberOnly.ID, empty.ID],
      ]);
      expect(stored.rows[0].n).toBe(0);
    });
  });

  it('keeps municipalities apart: the same ID from another municipality is a different signal', async () => {
    const signal = makeSignal();
    const a = await intake(stack).send({ signals: [signal] });
    const b = await intake(stack, KEYS.intake0363).send({ signals: [signal] });
    expect(a.body.results[0].status).toBe('accepted');
    expect(b.body.results[0].status).toBe('accepted');
    expect(b.body.results[0].case).toMatch(/^case-0363-/);
  });

  it('accepts text/csv with flattened field names as header, quoted fields included', async () => {
    const id1 = `CSV-${Date.now()}-1`;
    const id2 = `CSV-${Date.now()}-2`;
    const csv = [
      'ID;signaaldatum;bedrag;crisissignaal;signaalpartner.type;signaalpartner.naam;client.Achternaam;client.Straatnaam;client.Huisnummer;client.Postcode;client.Plaatsnaam;client.telefoon',
      `${id1};2027-03-05;"1234,50";nee;Water;"Water; Noord ""BV""";de Vries;"Lange
Straat";12;2011 AB;Haarlem;0612345678`,
      `${id2};2027-03-05;12;ja;Water;;de Vries;Kort;0;2011AB;Haarlem;`,
      '',
    ].join('\r\n');
    const res = await intake(stack).set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(202);
    expect(res.body.results[0]).toMatchObject({ ID: id1, status: 'accepted' });
    expect(res.body.results[1]).toMatchObject({
      ID: id2,
      status: 'rejected',
      errors: [{ path: '/signals/1/client/Huisnummer' }],
    });
    const row = await stack.pool.query(
      'SELECT amount, partner_type FROM signals WHERE municipality = $1 AND signal_id = $2',
      ['0518', id1],
    );
    expect(row.rows[0]).toEqual({ amount: '1234.50', partner_type: 'Water' });
  });

  it('rejects a CSV header with unknown columns, naming them', async () => {
    const res = await intake(stack).set('Content-Type', 'text/csv').send('ID,naam\nX,Y\n');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/header/1', message: expect.stringContaining('naam') }]);
  });

  it('answers problems, never 5xx, for bad bodies', async () => {
    const malformed = await intake(stack).set('Content-Type', 'application/json').send('{"signals": [');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(malformed.body).toMatchObject({ type: 'urn:bereik:problem:malformed-body', status: 400 });

    const envelope = await intake(stack).send({ signal: [] });
    expect(envelope.status).toBe(400);
    expect(envelope.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/signals', '/signal']),
    );

    const tooMany = await intake(stack).send({ signals: Array.from({ length: 10_001 }, () => ({})) });
    expect(tooMany.status).toBe(413);

    const tooLarge = await intake(stack)
      .set('Content-Type', 'application/json')
      .send(`{"signals":["${'x'.repeat(40 * 1024 * 1024)}"]}`);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/^application\/problem\+json/);

    const xml = await intake(stack).set('Content-Type', 'application/xml').send('<signals/>');
    expect(xml.status).toBe(415);
  });

  it('answers unknown routes with a 404 problem and echoes the request ID', async () => {
    const res = await request(stack.app).get('/v1/nothing-here').set('X-Request-Id', 'req-123');
    expect(res.status).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body).toMatchObject({ status: 404, requestId: 'req-123' });
    expect((await request(stack.app).get('/healthz')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
