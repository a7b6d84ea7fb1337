import fc from 'fast-check';
import request from 'supertest';
import { caseEventSchema } from '../../domain/events';
import { KEYS, makeSignal, startStack, type Stack } from '../api/support';

/**
 * Property-based bad input against the real app (real PostgreSQL and Temporal): whatever arrives, the answer is a 4xx
 * problem with a reason, never a 5xx, valid signals in the same batch are still accepted, and nothing rejected is
 * half-written.
 */
describe('bad input on intake and events', () => {
  let stack: Stack;
  let caseId: string;
  beforeAll(async () => {
    stack = await startStack('fuzz');
    const seeded = await request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${KEYS.intake0518}`).send({ signals: [makeSignal()] });
    caseId = seeded.body.results[0].case;
  });
  afterAll(async () => stack?.stop());

  const hostile = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.constantFrom("'; DROP TABLE signals; --", '<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x}', '../../etc/passwd', '\u0000', '\uFEFF', '𝕏'.repeat(20)),
    fc.string({ minLength: 5_000, maxLength: 20_000 }),
  );
  const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostile);

  const expectProblem = (res: request.Response) => {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(typeof res.body.title).toBe('string');
  };
  const intake = () => request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${KEYS.intake0518}`);
  const events = () => request(stack.app).post(`/v1/cases/${caseId}/events`).set('Authorization', `Bearer ${KEYS.staff0518}`);

  test('malformed JSON and non-object bodies get a problem, never a 5xx', async () => {
    for (const raw of ['{', '{"signals": [', 'null', '[]', '"text"', '{"signals": {}}', '\u0000\u0001', '{"signals":[1,2,3]}']) {
      const res = await intake().set('Content-Type', 'application/json').send(raw);
      if (res.status === 202) {
        expect(res.body.results.every((r: { status: string }) => r.status === 'rejected')).toBe(true);
      } else {
        expectProblem(res);
      }
    }
  });

  test('signals with fields replaced by hostile values: each rejected with the field named, the valid one still accepted, no row for the rejects', async () => {
    const fields = ['ID', 'signaaldatum', 'bedrag', 'crisissignaal', 'signaalpartner', 'client', 'client.Postcode', 'client.Huisnummer', 'client.telefoon', 'client.email', 'client.Achternaam'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), anyJson, async (field, value) => {
        const bad = makeSignal() as Record<string, unknown>;
        const [top, sub] = field.split('.');
        if (sub) (bad[top] as Record<string, unknown>)[sub] = value;
        else bad[top] = value;
        const good = makeSignal();
        const res = await intake().send({ signals: [bad, good] });
        expect(res.status).toBe(202);
        const [badResult, goodResult] = res.body.results;
        expect(goodResult.status).toBe('accepted');
        if (badResult.status === 'rejected') {
          expect(badResult.errors.length).toBeGreaterThan(0);
          for (const error of badResult.errors) expect(error.path).toMatch(/^\/signals\/0(\/|$)/);
          if (typeof bad.ID === 'string') {
            const rows = await stack.pool.query('SELECT 1 FROM signals WHERE municipality = $1 AND signal_id = $2', ['0518', bad.ID]);
            expect(rows.rowCount).toBe(0);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  test('oversized batches and bodies are refused whole with 413', async () => {
    const tooMany = await intake().send({ signals: Array.from({ length: 10_001 }, () => ({ ID: 'x' })) });
    expect(tooMany.status).toBe(413);
    expectProblem(tooMany);
    const huge = await intake().set('Content-Type', 'application/json').send(`{"signals":[{"ID":"${'x'.repeat(60 * 1024 * 1024)}"}]}`);
    expect(huge.status).toBe(413);
    expectProblem(huge);
  });

  test('events with arbitrary bodies get a 4xx with a reason, never a 5xx, and change nothing', async () => {
    const before = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${KEYS.staff0518}`)).body;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson,
          fc.record({ type: fc.oneof(hostile, fc.constantFrom('help_accepted', 'call_outcome', 'visit_outcome', 'contact_moment_chosen', 'objection')) }, { requiredKeys: [] }),
          fc.record({ type: fc.constant('contact_moment_chosen'), moment: hostile }),
          fc.record({ type: fc.constant('call_outcome'), outcome: hostile, attempt: fc.oneof(fc.integer(), hostile) }),
        ),
        async (body) => {
          fc.pre(!caseEventSchema.safeParse(body).success);
          // Bare numbers, strings and null travel as raw JSON text: supertest only serialises objects itself.
          const res = await events().set('Content-Type', 'application/json').send(JSON.stringify(body));
          expectProblem(res);
        },
      ),
      { numRuns: 60 },
    );
    const after = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${KEYS.staff0518}`)).body;
    expect(after.signals).toEqual(before.signals);
    expect(after.chosenMoment).toEqual(before.chosenMoment);
    expect(after.result).toEqual(before.result);
  });
});
