import express from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { twilioWebhooks, type FindCaseByPhone } from '../../api/webhooks/twilio';
import type { CaseEvent } from '../../domain/events';
import { caseEventSchema } from '../../domain/events';

const TOKEN = 'webhook-test-token';
const PUBLIC = 'https://bereik.example.nl';
const MOUNT = '/webhooks/twilio';

function setup(options: { findCaseByPhone?: FindCaseByPhone; deliverFails?: boolean } = {}) {
  const delivered: { caseId: string; event: CaseEvent }[] = [];
  const lookups: Parameters<FindCaseByPhone>[0][] = [];
  const app = express();
  app.use(
    MOUNT,
    twilioWebhooks({
      authToken: TOKEN,
      publicBaseUrl: PUBLIC,
      deliver: async (caseId, event) => {
        if (options.deliverFails) throw new Error('workflow unavailable');
        caseEventSchema.parse(event); // whatever we deliver must be a valid case event
        delivered.push({ caseId, event });
      },
      findCaseByPhone:
        options.findCaseByPhone ??
        (async (query) => {
          lookups.push(query);
          return query.phone === '+31612345678' ? ['case-0392-k3j9x2p7q1'] : [];
        }),
    }),
  );
  /** POSTs a form the way Twilio does, signed over the public URL. */
  const post = (
    path: string,
    params: Record<string, string>,
    sign: 'valid' | 'none' | 'wrong' | { url: string } = 'valid',
  ) => {
    const url = typeof sign === 'object' ? sign.url : `${PUBLIC}${MOUNT}${path}`;
    let req = request(app).post(`${MOUNT}${path}`).type('form').send(params);
    if (sign !== 'none') {
      const signature =
        sign === 'wrong'
          ? twilio.getExpectedTwilioSignature('another-token', url, params)
          : twilio.getExpectedTwilioSignature(TOKEN, url, params);
      req = req.set('X-Twilio-Signature', signature);
    }
    return req;
  };
  return { app, delivered, lookups, post };
}

const callStatus = '/call-status?case=case-0392-k3j9x2p7q1&round=1&attempt=2&key=case-0392-k3j9x2p7q1.1%3Acall%3A2';
const messageStatus = '/message-status?case=case-0392-k3j9x2p7q1&round=1&key=case-0392-k3j9x2p7q1.1%3Ainvitation%3A1';
const callParams = (CallStatus: string, extra: Record<string, string> = {}) => ({
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  CallSid: 'CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  CallStatus,
  To: '+31612345678',
  From: '+31235115115',
  Direction: 'outbound-api',
  ...extra,
});

describe('Twilio webhooks', () => {
  test.each([
    ['completed', {}, 'answered'],
    ['completed', { AnsweredBy: 'human', CallDuration: '95' }, 'answered'],
    ['completed', { AnsweredBy: 'machine_start', CallDuration: '31' }, 'no-answer'],
    ['completed', { AnsweredBy: 'fax' }, 'no-answer'],
    ['busy', {}, 'busy'],
    ['no-answer', {}, 'no-answer'],
    ['failed', {}, 'failed'],
    ['canceled', {}, 'failed'],
  ] as const)('call status %s %j → call_outcome %s', async (status, extra, outcome) => {
    const { post, delivered } = setup();
    await post(callStatus, callParams(status, extra)).expect(204);
    expect(delivered).toEqual([
      { caseId: 'case-0392-k3j9x2p7q1', event: { type: 'call_outcome', attempt: 2, outcome } },
    ]);
  });

  test.each(['initiated', 'ringing', 'in-progress', 'queued'])(
    'progress event %s is acknowledged, nothing delivered',
    async (status) => {
      const { post, delivered } = setup();
      await post(callStatus, callParams(status)).expect(204);
      expect(delivered).toEqual([]);
    },
  );

  test.each(['delivered', 'undelivered', 'failed'] as const)('message status %s → message_status', async (status) => {
    const { post, delivered } = setup();
    await post(messageStatus, {
      MessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      MessageStatus: status,
      To: '+31612345678',
      ErrorCode: status === 'delivered' ? '' : '30003',
    }).expect(204);
    expect(delivered).toEqual([
      {
        caseId: 'case-0392-k3j9x2p7q1',
        event: { type: 'message_status', messageRef: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', status },
      },
    ]);
  });

  test.each(['queued', 'sent', 'read'])('message status %s is not delivered', async (status) => {
    const { post, delivered } = setup();
    await post(messageStatus, { MessageSid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', MessageStatus: status }).expect(204);
    expect(delivered).toEqual([]);
  });

  test('an SMS reply from a resident is resident_contact on their case; the municipality comes from the URL', async () => {
    const { post, delivered, lookups } = setup();
    const res = await post('/inbound/0392', {
      MessageSid: 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      From: '+31612345678',
      To: '+3197010000001',
      Body: 'Ja bel me maar morgen',
    }).expect(200);
    expect(res.type).toBe('text/xml');
    expect(res.text).toContain('<Response/>');
    expect(lookups).toEqual([{ phone: '+31612345678', municipality: '0392', channel: 'sms' }]);
    expect(delivered).toEqual([
      { caseId: 'case-0392-k3j9x2p7q1', event: { type: 'resident_contact', channel: 'sms' } },
    ]);
  });

  test.each([
    ['STOP', 'sms', '+31612345678'],
    ['stop', 'sms', '+31612345678'],
    [' Stoppen. ', 'sms', '+31612345678'],
    ['STOP', 'whatsapp', 'whatsapp:+31612345678'],
  ] as const)('%j via %s → objection for that channel', async (body, channel, from) => {
    const { post, delivered, lookups } = setup();
    await post('/inbound', { From: from, To: '+3197010000001', Body: body }).expect(200);
    expect(lookups[0]).toEqual({ phone: '+31612345678', municipality: undefined, channel });
    expect(delivered).toEqual([{ caseId: 'case-0392-k3j9x2p7q1', event: { type: 'objection', channel } }]);
  });

  test('a sentence that starts with "stop" is an ordinary reply, not an objection', async () => {
    const { post, delivered } = setup();
    await post('/inbound', { From: '+31612345678', Body: 'stop maar met bellen na 17 uur' }).expect(200);
    expect(delivered[0].event).toEqual({ type: 'resident_contact', channel: 'sms' });
  });

  test('a number without a case is acknowledged and nothing is delivered', async () => {
    const { post, delivered } = setup();
    await post('/inbound', { From: '+31699999999', Body: 'wie is dit?' }).expect(200);
    expect(delivered).toEqual([]);
  });

  test('a resident with two open cases reaches both', async () => {
    const { post, delivered } = setup({ findCaseByPhone: async () => ['case-a', 'case-b'] });
    await post('/inbound', { From: '+31612345678', Body: 'STOP' }).expect(200);
    expect(delivered.map((d) => d.caseId)).toEqual(['case-a', 'case-b']);
  });

  test.each([
    ['missing', 'none'],
    ['signed with another token', 'wrong'],
    [
      'signed for another URL (tampered case id)',
      { url: `${PUBLIC}${MOUNT}/call-status?case=case-other&round=1&attempt=2` },
    ],
  ] as const)('signature %s → 403 and nothing delivered', async (_label, sign) => {
    const { post, delivered } = setup();
    const res = await post(callStatus, callParams('completed'), sign);
    expect(res.status).toBe(403);
    expect(delivered).toEqual([]);
  });

  test('a tampered body fails the signature check', async () => {
    const { app, delivered } = setup();
    const params = callParams('busy');
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${MOUNT}${callStatus}`, params);
    await request(app)
      .post(`${MOUNT}${callStatus}`)
      .type('form')
      .send({ ...params, CallStatus: 'completed' })
      .set('X-Twilio-Signature', signature)
      .expect(403);
    expect(delivered).toEqual([]);
  });

  test('an inbound message with a wrong signature is not even looked up', async () => {
    const { post, lookups, delivered } = setup();
    await post('/inbound', { From: '+31612345678', Body: 'STOP' }, 'wrong').expect(403);
    expect(lookups).toEqual([]);
    expect(delivered).toEqual([]);
  });

  test('a field sent twice counts as absent, also when the request is signed', async () => {
    const { app, delivered, lookups } = setup();
    const params = { From: ['+31612345678', '+31612345679'], Body: 'STOP' };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${MOUNT}/inbound`, params);
    await request(app)
      .post(`${MOUNT}/inbound`)
      .type('form')
      .send('From=%2B31612345678&From=%2B31612345679&Body=STOP')
      .set('X-Twilio-Signature', signature)
      .expect(200);
    expect(lookups).toEqual([]);
    expect(delivered).toEqual([]);
    const twice = { ...callParams('completed'), AnsweredBy: ['human', 'machine_start'] };
    const callSignature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}${MOUNT}${callStatus}`, twice);
    const form = new URLSearchParams(
      Object.entries(twice).flatMap(([k, v]) => [v].flat().map((one): [string, string] => [k, one])),
    ).toString();
    await request(app)
      .post(`${MOUNT}${callStatus}`)
      .type('form')
      .send(form)
      .set('X-Twilio-Signature', callSignature)
      .expect(204);
    expect(delivered).toEqual([
      { caseId: 'case-0392-k3j9x2p7q1', event: { type: 'call_outcome', outcome: 'answered', attempt: 2 } },
    ]);
  });

  test('when delivery fails Twilio gets a 500', async () => {
    const { post } = setup({ deliverFails: true });
    await post(callStatus, callParams('busy')).expect(500);
  });
});
