import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { CASE_EVENT_TYPES, caseEventSchema } from '../../domain/events';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, startStack, type Stack } from '../api/support';
import {
  anyString,
  expectProblem,
  fuzzParameters,
  malformedJson,
  nastyString,
  percentEncode,
  validSignal,
  wrongValue,
} from './support';

/**
 * Bad input against the real staff events route (express app, PostgreSQL audit, the case workflow's update on a real
 * Temporal dev server with a worker): any body, on any case path, is answered 200 (accepted by the case) or with a
 * 4xx problem and a reason, never a 5xx; a refused body writes no audit row and changes no case; every audit row
 * ends with an outcome, none is left half-written as `requested`.
 */

const runId = randomBytes(3).toString('hex');

describe('fuzz: POST /v1/cases/{case}/events', () => {
  let stack: Stack;
  let caseId: string;

  beforeAll(async () => {
    stack = await startStack('fuzz_events');
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [validSignal(runId, 1, 'FZEV')] });
    expect(res.status).toBe(202);
    caseId = res.body.results[0].case;
    // The case is matching (24 hours, default policy) while it is fuzzed: it answers, it has no call or visit waiting.
    await eventually(async () => (await stack.client.workflow.getHandle(caseId).query(caseState)).signals.length === 1);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const post = (target: string, body: string, contentType = 'application/json') =>
    request(stack.app)
      .post(`/v1/cases/${target}/events`)
      .set('Authorization', `Bearer ${KEYS.staff0518}`)
      .set('Content-Type', contentType)
      .send(body);
  const auditRows = async () =>
    Number(await stack.pool.query('SELECT count(*) FROM audit_log').then((r) => r.rows[0].count));
  const halfWritten = async () =>
    Number((await stack.pool.query("SELECT count(*) FROM audit_log WHERE outcome = 'requested'")).rows[0].count);

  /** Each event type's own fields, from the schema the route parses with. */
  const FIELDS_OF = new Map(
    caseEventSchema.options.map((o) => [
      o.shape.type.value as string,
      Object.keys(o.shape).filter((k) => k !== 'type'),
    ]),
  );
  const fieldValue = fc.oneof(
    { weight: 3, arbitrary: wrongValue },
    { weight: 3, arbitrary: nastyString },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'no-answer',
        'answered',
        'all',
        'sms',
        'delivered',
        'wijkteam',
        1,
        2,
        true,
        '2027-03-08T10:00:00+01:00',
        '0000-01-01T00:00:00Z',
        'VS-1',
      ),
    },
  );

  /** An event of a known type whose own fields (mostly) are right, wrong, odd or missing, sometimes with an extra. */
  const eventLike = fc
    .oneof(
      { weight: 5, arbitrary: fc.constantFrom(...CASE_EVENT_TYPES) as fc.Arbitrary<string> },
      { weight: 1, arbitrary: anyString },
    )
    .chain((type) =>
      fc.record({
        type: fc.constant(type),
        own: fc.dictionary(
          fc.constantFrom(...(FIELDS_OF.get(type)?.length ? FIELDS_OF.get(type)! : ['extra'])),
          fieldValue,
          { maxKeys: 3 },
        ),
        extra: fc.option(
          fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'extra', 'signalID', 'description'), fieldValue, {
            maxKeys: 1,
          }),
          { freq: 4 },
        ),
      }),
    )
    .map(({ type, own, extra }) => {
      const event: Record<string, unknown> = { type };
      for (const [k, v] of Object.entries({ ...own, ...(extra ?? {}) }))
        Object.defineProperty(event, k, { value: v, enumerable: true, writable: true, configurable: true });
      return JSON.stringify(event);
    });

  it('answers any event body with 200 or a 4xx problem, never a 5xx, and leaves no half-written audit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 5, arbitrary: eventLike },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: malformedJson('{"type":"call_outcome","attempt":1,"outcome":"no-answer"}') },
          {
            weight: 1,
            arbitrary: fc
              .integer({ min: 64 * 1024, max: 200_000 })
              .map((n) => JSON.stringify({ type: 'quick_fix', description: 'x'.repeat(n) })),
          },
        ),
        fc.constantFrom(
          'application/json',
          'application/merge-patch+json',
          'text/plain',
          'application/x-www-form-urlencoded',
        ),
        async (body, contentType) => {
          const before = await auditRows();
          const res = await post(caseId, body, contentType);
          const context = `${contentType} ${body.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect([context, res.status < 500]).toEqual([context, true]);
          if (res.status === 200) {
            expect(res.body).toEqual({ accepted: true, status: expect.any(String) });
          } else {
            const problem = expectProblem(res);
            // Refused before it reached the case: nothing audited. Refused by the case (409): audited as rejected.
            if (res.status === 409)
              expect(
                (await stack.pool.query('SELECT outcome FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0].outcome,
              ).toBe('rejected');
            else expect([context, problem.type, await auditRows()]).toEqual([context, problem.type, before]);
          }
          expect([context, await halfWritten()]).toEqual([context, 0]);
        },
      ),
      fuzzParameters(200),
    );
  }, 120_000);

  it('takes or refuses any text in any text field of any event type, never failing on the database', async () => {
    const textFields = caseEventSchema.options.flatMap((o) =>
      Object.keys(o.shape)
        .filter((k) => k !== 'type')
        .map((field) => [o.shape.type.value as string, field] as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...textFields), anyString, async ([type, field], text) => {
        const res = await post(caseId, JSON.stringify({ type, [field]: text }));
        const context = `${type}.${field} = ${JSON.stringify(text).slice(0, 100)} -> ${res.status} ${res.text.slice(0, 300)}`;
        expect([context, res.status < 500]).toEqual([context, true]);
        if (res.status !== 200) expectProblem(res);
        expect([context, await halfWritten()]).toEqual([context, 0]);
      }),
      fuzzParameters(200),
    );
  }, 120_000);

  it('answers any case path with a 4xx problem, never a 5xx', async () => {
    const caseLike = fc.stringMatching(/^case-[0-9]{4}-[a-z2-7]{26}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          caseLike,
          caseLike.map((c) => `${c.slice(0, 5)}0518${c.slice(9)}`),
          // (Up to a length Node's HTTP parser takes at all: a longer request line is refused with 431 before the app.)
          anyString.filter((s) => s.length > 0 && s.length < 1000),
          fc.constantFrom(
            '..',
            '%2e%2e',
            'case-0518-',
            'case-0363-aaaaaaaaaaaaaaaaaaaaaaaaaa',
            caseId.toUpperCase(),
            `${caseId}.1`,
            `${caseId}%00`,
            `${caseId}/../x`,
          ),
        ),
        async (target) => {
          const res = await post(percentEncode(target), JSON.stringify({ type: 'resident_contact' }));
          const context = `${JSON.stringify(target).slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect([context, res.status >= 400 && res.status < 500]).toEqual([context, true]);
          expectProblem(res);
          expect([context, await halfWritten()]).toEqual([context, 0]);
        },
      ),
      fuzzParameters(100),
    );
  }, 120_000);

  it('refused events did not change the case', async () => {
    // Every accepted event was a real, valid event; the case still holds its one signal and answers.
    const state = await stack.client.workflow.getHandle(caseId).query(caseState);
    expect(state.signals).toHaveLength(1);
    const accepted = await stack.pool.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE case_id = $1 AND outcome = 'accepted'",
      [caseId],
    );
    if (accepted.rowCount === 0) expect(state.status).toBe('matching');
  });
});
