import request from 'supertest';
import twilio from 'twilio';
import { caseState } from '../../workflows/case/messages';
import { documentedRoutes, eventually, KEYS, makeSignal, routesOf, startStack, type Stack } from './support';

const TOKEN = 'twilio-auth-token-for-tests';
const PUBLIC = 'https://bereik.example.nl';

describe('Twilio webhooks mounted in the API', () => {
  let stack: Stack;

  const post = (path: string, params: Record<string, string>) =>
    request(stack.app)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${path}`, params))
      .send(params);

  beforeAll(async () => {
    stack = await startStack('webhooks', { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('finds the case of an inbound SMS by the blind phone index and records the contact', async () => {
    const signal = makeSignal();
    (signal.client as { telefoon: string }).telefoon = '06 1111 2222';
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [signal] });
    const caseId = res.body.results[0].case as string;
    await eventually(
      async () =>
        (await stack.pool.query('SELECT 1 FROM case_personal WHERE case_id = $1 AND phone_index IS NOT NULL', [caseId]))
          .rowCount,
    );

    const unsigned = await request(stack.app)
      .post('/webhooks/twilio/inbound/0518')
      .type('form')
      .send({ From: '+31611112222', Body: 'Ja' });
    expect(unsigned.status).toBe(403);

    const inbound = await post('/webhooks/twilio/inbound/0518', {
      From: '+31611112222',
      To: '+3197010000001',
      Body: 'Ja, bel me maar',
    });
    expect(inbound.status).toBe(200);
    expect(inbound.text).toContain('<Response/>');
    const view = await eventually(async () => {
      const state = await stack.client.workflow.getHandle(caseId).query(caseState);
      return state.reachedAt ? state : null;
    });
    expect(view.reachedAt).not.toBeNull();
    const audit = await stack.pool.query(
      `SELECT role, outcome FROM audit_log WHERE case_id = $1 AND action = 'event.resident_contact'`,
      [caseId],
    );
    expect(audit.rows).toEqual([{ role: 'twilio', outcome: 'accepted' }]);

    // Another municipality's number route does not find it.
    const elsewhere = await post('/webhooks/twilio/inbound/0363', { From: '+31611112222', Body: 'Ja' });
    expect(elsewhere.status).toBe(200);
    const audits = await stack.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1`, [caseId]);
    expect(audits.rows[0].n).toBe(1);
  });

  it('acknowledges a call status that no longer fits the case, so Twilio does not retry forever', async () => {
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal()] });
    const caseId = res.body.results[0].case as string;
    const status = await post(`/webhooks/twilio/call-status?case=${caseId}&attempt=1`, { CallStatus: 'no-answer' });
    expect(status.status).toBe(204);
    const audit = await stack.pool.query(
      `SELECT outcome FROM audit_log WHERE case_id = $1 AND action = 'event.call_outcome'`,
      [caseId],
    );
    expect(audit.rows).toEqual([{ outcome: 'rejected' }]);
  });

  it('documents the webhook routes too', async () => {
    const doc = (await request(stack.app).get('/openapi.json')).body;
    expect(documentedRoutes(doc)).toEqual(routesOf(stack.app));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/webhooks/twilio/call-status',
        '/webhooks/twilio/message-status',
        '/webhooks/twilio/inbound',
        '/webhooks/twilio/inbound/{municipality}',
      ]),
    );
  });
});
