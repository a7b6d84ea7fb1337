import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import twilio from 'twilio';
import { createApp } from '../../api/app';
import { NO_SUCH_CASE, recordCaseEvent } from '../../api/case-access';
import { createMetrics } from '../../api/metrics';
import { createLogger } from '../../common/logger';
import { policyFor } from '../../config';
import { caseWorkflowClient } from '../../workflows/case/client';
import { KEYS, makeSignal, requireEnv, startStack, type Stack } from './support';

const TOKEN = 'twilio-auth-token-for-tests';
const PUBLIC = 'https://bereik.example.nl';

/** Well-formed case IDs of 0518 that no intake ever made. */
const UNKNOWN_FOR_STAFF = 'case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa';
const UNKNOWN_FOR_TWILIO = 'case-0518-bbbbbbbbbbbbbbbbbbbbbbbbbb';
const UNKNOWN_FOR_RESIDENT = 'case-0518-cccccccccccccccccccccccccc';

describe('case events from staff, residents and Twilio', () => {
  let stack: Stack;

  const audit = async (caseId: string) =>
    (await stack.pool.query('SELECT role, action, outcome, detail FROM audit_log WHERE case_id = $1', [caseId])).rows;
  const eventMetric = async (type: string, outcome: string) => {
    const text = (await request(stack.app).get('/metrics')).text;
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`bereik_case_events_total{type="${type}",outcome="${outcome}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    // No worker: whether a case exists is all these tests look at.
    stack = await startStack('case_events', { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC }, { worker: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('refuses an event for a case that does not exist the same way whoever sent it: audited and counted as rejected', async () => {
    const staff = await request(stack.app)
      .post(`/v1/cases/${UNKNOWN_FOR_STAFF}/events`)
      .set('Authorization', `Bearer ${KEYS.staff0518}`)
      .send({ type: 'resident_contact' });
    expect(staff.status).toBe(404);
    expect(await audit(UNKNOWN_FOR_STAFF)).toEqual([
      {
        role: 'staff',
        action: 'event.resident_contact',
        outcome: 'rejected',
        detail: { type: 'resident_contact', reason: NO_SUCH_CASE },
      },
    ]);
    expect(await eventMetric('resident_contact', 'rejected')).toBe(1);
    expect(await eventMetric('resident_contact', 'failed')).toBe(0);

    const path = `/webhooks/twilio/call-status?case=${UNKNOWN_FOR_TWILIO}&attempt=1`;
    const params = { CallStatus: 'no-answer' };
    const callback = await request(stack.app)
      .post(path)
      .type('form')
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${path}`, params))
      .send(params);
    // Acknowledged, so that Twilio does not retry an event no case will ever take.
    expect(callback.status).toBe(204);
    expect(await audit(UNKNOWN_FOR_TWILIO)).toEqual([
      {
        role: 'twilio',
        action: 'event.call_outcome',
        outcome: 'rejected',
        detail: { type: 'call_outcome', reason: NO_SUCH_CASE },
      },
    ]);
    expect(await eventMetric('call_outcome', 'rejected')).toBe(1);

    // The resident page only posts for a case it has just read, so the vanished case is driven through the same call.
    const metrics = createMetrics();
    const cases = caseWorkflowClient(stack.client, { taskQueue: stack.config.TEMPORAL_TASK_QUEUE });
    const moment = '2027-03-10T09:00:00.000Z';
    const resident = await recordCaseEvent(
      { pool: stack.pool, cases, metrics },
      {
        municipality: '0518',
        caseId: UNKNOWN_FOR_RESIDENT,
        event: { type: 'contact_moment_chosen', moment },
        actor: { role: 'resident', keyId: null },
        requestId: null,
        detail: { type: 'contact_moment_chosen', moment },
      },
    );
    expect(resident).toEqual({ kind: 'not_found' });
    expect(await audit(UNKNOWN_FOR_RESIDENT)).toEqual([
      {
        role: 'resident',
        action: 'event.contact_moment_chosen',
        outcome: 'rejected',
        detail: { type: 'contact_moment_chosen', moment, reason: NO_SUCH_CASE },
      },
    ]);
    expect((await metrics.registry.getSingleMetricAsString('bereik_case_events_total')).split('\n')).toContain(
      'bereik_case_events_total{type="contact_moment_chosen",outcome="rejected"} 1',
    );
  });

  it('lists a case the moment intake answered, before its workflow saved anything', async () => {
    const signal = makeSignal();
    const intake = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [signal] });
    expect(intake.status).toBe(202);
    const caseId = intake.body.results[0].case as string;

    const list = await request(stack.app).get('/v1/cases').set('Authorization', `Bearer ${KEYS.staff0518}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        case: caseId,
        caseRef: `${caseId}.1`,
        round: 1,
        status: 'matching',
        segment: null,
        result: null,
        matchedAt: null,
      }),
    ]);
    const matching = await request(stack.app)
      .get('/v1/cases?status=matching')
      .set('Authorization', `Bearer ${KEYS.staff0518}`);
    expect(matching.body.items.map((i: { case: string }) => i.case)).toEqual([caseId]);
    // Another municipality's staff does not see it.
    const foreign = await request(stack.app).get('/v1/cases').set('Authorization', `Bearer ${KEYS.staff0363}`);
    expect(foreign.body.items).toEqual([]);

    // Once the workflow saved its round, a later signal of the household leaves that row as the workflow wrote it.
    await stack.pool.query(`UPDATE cases SET status = 'contacting', view = '{}'::jsonb WHERE case_ref = $1`, [
      `${caseId}.1`,
    ]);
    const again = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [{ ...makeSignal(), client: signal.client }] });
    expect(again.body.results[0]).toMatchObject({ status: 'accepted', case: caseId });
    const rows = await stack.pool.query('SELECT round, status FROM cases WHERE case_id = $1', [caseId]);
    expect(rows.rows).toEqual([{ round: 1, status: 'contacting' }]);
  });

  it('keeps no case in the list for a signal that could not be handed to its workflow', async () => {
    // A client on a closed connection: every signal-with-start fails at once.
    const connection = await Connection.connect({ address: requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS') });
    await connection.close();
    const unreachable = createApp({
      config: stack.config,
      pool: stack.pool,
      temporalClient: new Client({ connection }),
      logger: createLogger('t', 'silent'),
      policyFor: (m) => policyFor(stack.config, m),
    });
    const signal = makeSignal();
    const res = await request(unreachable)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0363}`)
      .send({ signals: [signal] });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      {
        ID: signal.ID,
        status: 'rejected',
        errors: [{ path: '/signals/0', message: expect.stringMatching(/not kept; post this signal again/) }],
      },
    ]);
    const list = await request(stack.app).get('/v1/cases').set('Authorization', `Bearer ${KEYS.staff0363}`);
    expect(list.body.items).toEqual([]);
    expect((await stack.pool.query("SELECT 1 FROM signals WHERE municipality = '0363'")).rowCount).toBe(0);

    // The partner's retry is a plain new post.
    const retry = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0363}`)
      .send({ signals: [signal] });
    expect(retry.body.results[0]).toMatchObject({ ID: signal.ID, status: 'accepted' });
    const listed = await request(stack.app).get('/v1/cases').set('Authorization', `Bearer ${KEYS.staff0363}`);
    expect(listed.body.items.map((i: { case: string }) => i.case)).toEqual([retry.body.results[0].case]);
  });
});
