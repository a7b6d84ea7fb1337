import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import twilio from 'twilio';
import { TWILIO_WEBHOOK_MOUNT } from '../../api/routes/webhooks';
import { signResidentToken } from '../../common/resident-token';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, startStack, type Stack } from '../api/support';
import { anyString, expectProblem, fuzzParameters, nastyString, percentEncode as encode, validSignal } from './support';

/**
 * Every other route, fuzzed as an outside fuzzer would: any method, path segment, query string, credentials and body
 * on the case list, case view, DDAS report, resident page, codec endpoint, system routes and (correctly signed)
 * Twilio webhooks. Nothing is ever answered with a 5xx; the JSON API answers its refusals with a problem.
 */

const runId = randomBytes(3).toString('hex');
const TWILIO_TOKEN = 'twilio-auth-token-for-fuzzing';
const PUBLIC_BASE_URL = 'http://127.0.0.1:3000';

describe('fuzz: every route', () => {
  let stack: Stack;
  let caseId: string;

  beforeAll(async () => {
    stack = await startStack('fuzz_routes', { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL });
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [validSignal(runId, 1, 'FZRT')] });
    caseId = res.body.results[0].case;
    await eventually(async () => (await stack.client.workflow.getHandle(caseId).query(caseState)).signals.length === 1);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const segment = fc.oneof(
    { weight: 3, arbitrary: anyString.filter((s) => s.length > 0 && s.length < 500).map(encode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('..', '%2e%2e', '%00', '%ZZ', '%', '%c0%ae', 'case-0518-', 'x'.repeat(300)),
    },
    { weight: 1, arbitrary: fc.constant('CASE') },
  );
  const queryValue = fc.oneof(
    anyString.filter((s) => s.length < 2_000),
    fc.constantFrom('2027-01-01', '2027-12-31', '1', '0', '-1', '100', 'open', 'closed', 'nl', 'ar'),
  );
  const query = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'limit',
            'cursor',
            'status',
            'from',
            'to',
            'lang',
            'case',
            'attempt',
            'key',
            'moment',
            'limit[]',
            'from[gt]',
            '__proto__',
          ),
          nastyString,
        ),
        queryValue,
      ),
      { maxLength: 4 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&'));
  const path = fc.constantFrom(
    '/v1/cases',
    '/v1/cases/{}',
    '/v1/cases/{}/events',
    '/v1/reports/ddas',
    '/v1/signals',
    '/r/{}',
    '/codec/decode',
    '/codec/encode',
    '/codec/local/{}/decode',
    '/healthz',
    '/metrics',
    '/openapi.json',
    `${TWILIO_WEBHOOK_MOUNT}/call-status`,
    `${TWILIO_WEBHOOK_MOUNT}/inbound/{}`,
    '/{}',
  );
  const credentials = fc.oneof(
    fc.constantFrom(
      `Bearer ${KEYS.staff0518}`,
      `Bearer ${KEYS.intake0518}`,
      `Bearer ${KEYS.admin0518}`,
      `Bearer ${KEYS.staff0363}`,
      undefined,
      'Bearer',
      'Basic Og==',
      `bearer ${KEYS.staff0518}`,
    ),
    anyString.filter((s) => s.length < 1_000 && /^[\t\x20-\x7e]*$/.test(s)).map((s) => `Bearer ${s}`),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ type: 'application/json', text: JSON.stringify(v) ?? 'null' })),
    fc
      .constantFrom(
        '{',
        '{"payloads":[{"metadata":{"encoding":"YmluYXJ5L2VuY3J5cHRlZA=="},"data":"AAAA"}]}',
        '{"payloads":"x"}',
      )
      .map((text) => ({ type: 'application/json', text })),
    fc
      .array(fc.tuple(fc.constantFrom('moment', 'lang', 'From', 'Body', 'CallStatus', 'x'), queryValue), {
        maxLength: 4,
      })
      .map((pairs) => ({
        type: 'application/x-www-form-urlencoded',
        text: pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&'),
      })),
  );

  it('answers any method, path, query, credentials and body with something other than a 5xx', async () => {
    const answered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
        path,
        segment,
        query,
        credentials,
        body,
        async (method, template, seg, qs, auth, payload) => {
          const target = template.replace('{}', seg === 'CASE' ? caseId : seg) + (qs ? `?${qs}` : '');
          let req = request(stack.app)[method.toLowerCase() as 'get'](target);
          if (auth !== undefined) req = req.set('Authorization', auth);
          if (payload) req = req.set('Content-Type', payload.type).send(payload.text);
          const res = await req;
          const context = `${method} ${target.slice(0, 200)} (${auth?.slice(0, 40)}) ${payload?.text.slice(0, 100)} -> ${res.status} ${res.text?.slice(0, 300)}`;
          expect([context, res.status < 500]).toEqual([context, true]);
          if (target.startsWith('/v1/') && res.status >= 400 && method !== 'HEAD') expectProblem(res);
          answered.add(`${res.status}`);
        },
      ),
      fuzzParameters(400),
    );
    // The fuzz got past authentication and validation to real answers, not only refusals at the door.
    for (const status of ['200', '400', '401', '404']) expect([...answered]).toContain(status);
  }, 300_000);

  it("answers a resident's valid link with a page for any form and language, never a 5xx", async () => {
    const token = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, {
      caseId,
      round: 1,
      purpose: 'choose_moment',
      exp: Math.floor(Date.now() / 1000) + 3_600,
    });
    const moment = fc.oneof(
      anyString.filter((s) => s.length < 1_000),
      fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom(
        '+275760-09-13T00:00:00Z',
        '-271821-04-20T00:00:00Z',
        '2027-03-08T10:00',
        '2027-03-08',
        '8 maart 2027 10:00',
        'Infinity',
        '1e21',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST'),
        fc.array(fc.tuple(fc.constantFrom('moment', 'lang', 'x'), moment), { maxLength: 4 }),
        fc.option(anyString.filter((s) => s.length < 300)),
        async (method, pairs, acceptLanguage) => {
          const form = new URLSearchParams(pairs).toString();
          let req =
            method === 'GET'
              ? request(stack.app).get(`/r/${token}?${form}`)
              : request(stack.app).post(`/r/${token}`).type('form').send(form);
          if (acceptLanguage !== null && /^[\t\x20-\x7e]*$/.test(acceptLanguage))
            req = req.set('Accept-Language', acceptLanguage);
          const res = await req;
          const context = `${method} ${form.slice(0, 200)} -> ${res.status} ${res.text?.slice(0, 200)}`;
          expect([context, [200, 400, 409, 413].includes(res.status)]).toEqual([context, true]);
          expect([context, String(res.headers['content-type'])]).toEqual([
            context,
            expect.stringMatching(/^text\/html/),
          ]);
        },
      ),
      fuzzParameters(100),
    );
  }, 300_000);

  it('answers correctly signed Twilio webhooks with any fields, repeated or odd, with something other than a 5xx', async () => {
    const field = fc.constantFrom(
      'CallStatus',
      'AnsweredBy',
      'MessageStatus',
      'MessageSid',
      'SmsSid',
      'From',
      'To',
      'Body',
      'AccountSid',
    );
    const fieldValue = fc.oneof(
      anyString.filter((s) => s.length < 2_000),
      fc.constantFrom(
        'completed',
        'no-answer',
        'busy',
        'failed',
        'in-progress',
        'machine_start',
        'human',
        'delivered',
        'undelivered',
        'SM0123',
        '+31612345678',
        'whatsapp:+31612345678',
        'STOP',
        'stop',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('call-status', 'message-status', 'inbound', 'inbound/0518', 'inbound/9999'),
        fc.option(
          fc.oneof(
            fc.constant(caseId),
            fc.constant(caseId.replace('0518', '0363')),
            anyString.filter((s) => s.length < 300),
          ),
          { nil: undefined },
        ),
        fc.option(
          fc.oneof(
            fc.constantFrom('1', '7', '0', '99999'),
            anyString.filter((s) => s.length < 50),
          ),
          { nil: undefined },
        ),
        // Repeated names are what a form can carry and a signed request may contain.
        fc.array(fc.tuple(field, fieldValue), { maxLength: 6 }),
        async (route, caseParam, attempt, pairs) => {
          const qs = [
            caseParam !== undefined ? `case=${encode(caseParam)}` : '',
            attempt !== undefined ? `attempt=${encode(attempt)}` : '',
          ]
            .filter(Boolean)
            .join('&');
          const pathAndQuery = `${TWILIO_WEBHOOK_MOUNT}/${route}${qs ? `?${qs}` : ''}`;
          // Sign what the server will parse: URLSearchParams turns lone surrogates into U+FFFD on both sides.
          const form = new URLSearchParams(pairs);
          const params: Record<string, string | string[]> = {};
          for (const [k, v] of form) params[k] = k in params ? [...([] as string[]).concat(params[k]!), v] : v;
          const signature = twilio.getExpectedTwilioSignature(
            TWILIO_TOKEN,
            `${PUBLIC_BASE_URL}${pathAndQuery}`,
            params,
          );
          const res = await request(stack.app)
            .post(pathAndQuery)
            .set('X-Twilio-Signature', signature)
            .type('form')
            .send(form.toString());
          const context = `${pathAndQuery.slice(0, 200)} ${form.toString().slice(0, 200)} -> ${res.status} ${res.text?.slice(0, 200)}`;
          expect([context, res.status < 500]).toEqual([context, true]);
          expect([context, res.status]).not.toEqual([context, 403]);
        },
      ),
      fuzzParameters(300),
    );
  }, 300_000);
});
