import { createTwilioChannel, type TwilioChannel, type TwilioChannelOptions } from '../../activities/channels/twilio';
import { MemorySentStore } from '../../activities/channels/sent-store';
import { RateLimitQueueFull } from '../../activities/channels/rate-limit';
import { describeWithTwilioSpecs } from './support/prism';
import type { RecordedRequest } from './support/recording-proxy';
import { ACCOUNT, TOKEN, startTwilioPeers, type TwilioPeers } from './support/twilio-peers';
import { FakeClock } from './support/fake-clock';

const CALLBACK_BASE = 'https://bereik.example.nl/webhooks/twilio';
const MOBILE = '+31612345678';
const LANDLINE = '+31201234567';
const CASE = { caseId: 'case-0392-k3j9x2p7q1', round: 1 };

describeWithTwilioSpecs('Twilio adapter against Prism (Twilio OpenAPI)', () => {
  let peers: TwilioPeers;
  beforeAll(async () => {
    peers = await startTwilioPeers();
  }, 120_000);
  afterAll(async () => {
    await peers?.stop();
  });
  beforeEach(() => peers.reset());
  afterEach(() => {
    // Every request the client sent must have passed Prism's validation against the spec.
    expect(peers.rejected()).toEqual([]);
  });

  const messagesSent = () => peers.messagesSent();
  const callsPlaced = () => peers.callsPlaced();
  const lookupsMade = () => peers.lookupsMade();

  function channel(overrides: Partial<TwilioChannelOptions> = {}): { twilio: TwilioChannel; store: MemorySentStore } {
    const store = new MemorySentStore();
    const twilio = createTwilioChannel({
      accountSid: ACCOUNT,
      authToken: TOKEN,
      from: '+3197010000001',
      whatsappFrom: '+3197010000002',
      callerId: '+31235115115',
      callCentreNumber: '+31881234567',
      apiUrl: peers.api.url,
      lookupsUrl: peers.lookups.url,
      statusCallbackBase: CALLBACK_BASE,
      rateLimit: { messages: { perSecond: 1000, burst: 1000 }, calls: { perSecond: 1000, burst: 1000 } },
      sentStore: store,
      ...overrides,
    });
    return { twilio, store };
  }

  const basicAuth = (r: RecordedRequest) => r.headers.authorization;
  const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;

  test('an SMS is sent through the Messages API after a line-type lookup, with an opaque status callback', async () => {
    const { twilio, store } = channel();
    const result = await twilio.sendSms({
      municipality: '0392',
      key: 'case-0392-k3j9x2p7q1.1:invitation:1',
      to: '06-1234 5678',
      body: 'Beste A. Jansen, kies een moment: https://k.example/x',
      callback: CASE,
    });

    expect(result).toEqual({ sent: true, providerRef: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', duplicate: false });
    const [lookup] = lookupsMade();
    expect(lookup.method).toBe('GET');
    expect(lookup.path).toBe(`/v2/PhoneNumbers/${MOBILE}`);
    expect(lookup.query.get('Fields')).toBe('line_type_intelligence');
    expect(basicAuth(lookup)).toBe(expectedAuth);

    const [sent] = messagesSent();
    expect(sent.upstreamStatus).toBe(201);
    expect(sent.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(basicAuth(sent)).toBe(expectedAuth);
    expect(sent.form.get('To')).toBe(MOBILE);
    expect(sent.form.get('From')).toBe('+3197010000001');
    expect(sent.form.get('Body')).toBe('Beste A. Jansen, kies een moment: https://k.example/x');
    expect(sent.form.get('ValidityPeriod')).toBe('14400');
    const callback = new URL(sent.form.get('StatusCallback') as string);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${CALLBACK_BASE}/message-status`);
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      case: CASE.caseId,
      round: '1',
      key: 'case-0392-k3j9x2p7q1.1:invitation:1',
    });
    expect(callback.href).not.toMatch(/612345678|Jansen/);
    expect(store.records.get('sms:case-0392-k3j9x2p7q1.1:invitation:1')).toMatchObject({
      state: 'sent',
      ref: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    });
  });

  test('sending twice with the same messageKey makes one request (activity retry)', async () => {
    const { twilio } = channel();
    const message = { municipality: '0392', key: 'retry-key', to: MOBILE, body: 'Hallo', callback: CASE };
    const first = await twilio.sendSms(message);
    const second = await twilio.sendSms(message);
    expect(messagesSent()).toHaveLength(1);
    expect(lookupsMade()).toHaveLength(1);
    expect(second).toEqual({ sent: true, providerRef: first.providerRef, duplicate: true });
  });

  test('a landline gets no SMS: reason landline (numbering plan when Lookups has no line type)', async () => {
    const { twilio } = channel();
    const result = await twilio.sendSms({
      municipality: '0392',
      key: 'landline-1',
      to: '020-1234567',
      body: 'Hallo',
      callback: CASE,
    });
    expect(result).toEqual({ sent: false, providerRef: null, reason: 'landline' });
    expect(lookupsMade()).toHaveLength(1);
    expect(messagesSent()).toHaveLength(0);
  });

  test("Lookups' line type wins over the numbering plan", async () => {
    peers.lineTypeOverride.set(MOBILE, 'landline');
    const { twilio } = channel();
    expect(await twilio.lookupLineType({ municipality: '0392', phone: MOBILE })).toEqual({
      lineType: 'landline',
      mobile: false,
      source: 'lookup',
    });
    const result = await twilio.sendSms({
      municipality: '0392',
      key: 'ported-landline',
      to: MOBILE,
      body: 'Hallo',
      callback: CASE,
    });
    expect(result).toEqual({ sent: false, providerRef: null, reason: 'landline' });
    expect(messagesSent()).toHaveLength(0);
    expect(lookupsMade()).toHaveLength(1); // the second check came from the cache
  });

  test('line type from the Lookups v2 example (nonFixedVoip) counts as able to receive SMS', async () => {
    const { twilio } = channel();
    expect(await twilio.lookupLineType({ municipality: '0392', phone: '+31687654321' })).toEqual({
      lineType: 'nonFixedVoip',
      mobile: true,
      source: 'lookup',
    });
    expect(await twilio.lookupLineType({ municipality: '0392', phone: LANDLINE })).toEqual({
      lineType: 'landline',
      mobile: false,
      source: 'numbering-plan',
    });
    expect(await twilio.lookupLineType({ municipality: '0392', phone: 'not a number' })).toEqual({
      lineType: 'invalid',
      mobile: false,
      source: 'numbering-plan',
    });
  });

  test('a Twilio refusal that means "not via this channel" is a result, and a retry may send again', async () => {
    peers.messageError.set(MOBILE, { code: 21610, status: 400, message: 'Attempt to send to unsubscribed recipient' });
    const { twilio, store } = channel();
    const message = { municipality: '0392', key: 'opted-out', to: MOBILE, body: 'Hallo', callback: CASE };
    expect(await twilio.sendSms(message)).toEqual({ sent: false, providerRef: null, reason: 'opted-out' });
    expect(store.records.get('sms:opted-out')?.state).toBe('failed');
    peers.messageError.clear();
    expect(await twilio.sendSms(message)).toMatchObject({ sent: true, duplicate: false });
    expect(messagesSent()).toHaveLength(2);
  });

  test('an attempt that died after the request left is not repeated (at most once)', async () => {
    const { twilio, store } = channel();
    await store.put('sms:crashed', { state: 'pending', ref: null, at: '2026-03-03T08:30:00.000Z' });
    const result = await twilio.sendSms({
      municipality: '0392',
      key: 'crashed',
      to: MOBILE,
      body: 'Hallo',
      callback: CASE,
    });
    expect(result).toEqual({ sent: false, providerRef: null, reason: 'uncertain' });
    expect(messagesSent()).toHaveLength(0);
  });

  test('WhatsApp goes through the Messages API with whatsapp: addresses, without a line-type lookup', async () => {
    const { twilio } = channel();
    const result = await twilio.sendWhatsApp({
      municipality: '0392',
      key: 'wa-1',
      to: MOBILE,
      body: 'Hallo via WhatsApp',
      callback: CASE,
    });
    expect(result.sent).toBe(true);
    const [sent] = messagesSent();
    expect(sent.form.get('To')).toBe(`whatsapp:${MOBILE}`);
    expect(sent.form.get('From')).toBe('whatsapp:+3197010000002');
    expect(sent.form.get('Body')).toBe('Hallo via WhatsApp');
    expect(lookupsMade()).toHaveLength(0);
  });

  test('WhatsApp with an approved template sends ContentSid and ContentVariables instead of a body', async () => {
    const { twilio } = channel();
    await twilio.sendWhatsApp({
      municipality: '0392',
      key: 'wa-template',
      to: MOBILE,
      body: 'ignored',
      callback: CASE,
      contentSid: 'HX0123456789abcdef0123456789abcdef',
      contentVariables: { '1': 'A. Jansen', '2': 'Haarlem', '3': 'https://k.example/x' },
    });
    const [sent] = messagesSent();
    expect(sent.form.get('ContentSid')).toBe('HX0123456789abcdef0123456789abcdef');
    expect(JSON.parse(sent.form.get('ContentVariables') as string)).toEqual({
      '1': 'A. Jansen',
      '2': 'Haarlem',
      '3': 'https://k.example/x',
    });
    expect(sent.form.has('Body')).toBe(false);
  });

  test('a call connects the resident to the call centre with the municipality caller ID, once per callKey', async () => {
    const { twilio } = channel({
      municipalities: { '0518': { callerId: '+31703535000', callCentreNumber: '+31707777777' } },
    });
    const call = {
      municipality: '0518',
      key: 'case-0518-abc.1:call:3',
      to: '0612345678',
      attempt: 3,
      callback: { caseId: 'case-0518-abc', round: 1 },
      greeting: { text: 'Goedendag. U wordt gebeld door de gemeente Den Haag.', voiceLanguage: 'nl-NL' },
    };
    const result = await twilio.placeCall(call);
    expect(result).toEqual({ placed: true, providerRef: 'CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', duplicate: false });
    expect(await twilio.placeCall(call)).toEqual({
      placed: true,
      providerRef: 'CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      duplicate: true,
    });

    const placed = callsPlaced();
    expect(placed).toHaveLength(1);
    const [sent] = placed;
    expect(sent.upstreamStatus).toBe(201);
    expect(sent.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    expect(sent.form.get('To')).toBe(MOBILE);
    expect(sent.form.get('From')).toBe('+31703535000');
    expect(sent.form.get('Twiml')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="nl-NL">Goedendag. U wordt gebeld door de gemeente Den Haag.</Say>' +
        '<Dial callerId="+31703535000" timeout="30"><Number>+31707777777</Number></Dial></Response>',
    );
    expect(sent.form.getAll('StatusCallbackEvent')).toEqual([]); // final status only: the call's outcome
    expect(sent.form.get('StatusCallbackMethod')).toBe('POST');
    expect(sent.form.get('MachineDetection')).toBe('Enable');
    expect(sent.form.get('Timeout')).toBe('30');
    const callback = new URL(sent.form.get('StatusCallback') as string);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${CALLBACK_BASE}/call-status`);
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      case: 'case-0518-abc',
      round: '1',
      attempt: '3',
      key: 'case-0518-abc.1:call:3',
    });
  });

  test('with voiceUrl the call fetches its TwiML from a URL instead', async () => {
    const { twilio } = channel({ voiceUrl: 'https://bereik.example.nl/voice/connect', machineDetection: false });
    await twilio.placeCall({ municipality: '0392', key: 'url-call', to: MOBILE, attempt: 1, callback: CASE });
    const [sent] = callsPlaced();
    expect(sent.form.get('Url')).toBe(
      `https://bereik.example.nl/voice/connect?case=${CASE.caseId}&round=1&attempt=1&key=url-call`,
    );
    expect(sent.form.has('Twiml')).toBe(false);
    expect(sent.form.has('MachineDetection')).toBe(false);
  });

  test('an invalid number is refused before anything is sent', async () => {
    const { twilio } = channel();
    expect(await twilio.sendSms({ municipality: '0392', key: 'bad', to: '12345', body: 'x', callback: CASE })).toEqual({
      sent: false,
      providerRef: null,
      reason: 'invalid-number',
    });
    expect(
      await twilio.placeCall({ municipality: '0392', key: 'bad', to: '12345', attempt: 1, callback: CASE }),
    ).toEqual({ placed: false, providerRef: null, reason: 'invalid-number' });
    expect(peers.api.requests).toHaveLength(0);
  });
  test('messages queue per municipality at the configured rate instead of bursting or being dropped', async () => {
    const clock = new FakeClock(Date.parse('2026-03-03T07:30:00Z'));
    const { twilio } = channel({ clock, rateLimit: { messages: { perSecond: 1, burst: 1, maxWaitMs: 60_000 } } });
    const send = (municipality: string, n: number) =>
      twilio.sendSms({ municipality, key: `${municipality}-${n}`, to: MOBILE, body: `bericht ${n}`, callback: CASE });
    const haarlem = [send('0392', 1), send('0392', 2), send('0392', 3)];
    const denHaag = send('0518', 1);
    await Promise.all([haarlem[0], denHaag]);
    expect(messagesSent().map((r) => r.form.get('Body'))).toEqual(expect.arrayContaining(['bericht 1', 'bericht 1']));
    expect(messagesSent()).toHaveLength(2);
    expect(clock.pending).toBe(2); // Haarlem 2 and 3 wait for their slot
    await clock.advance(1_000);
    await haarlem[1];
    expect(messagesSent()).toHaveLength(3);
    await clock.advance(1_000);
    await haarlem[2];
    expect(messagesSent().map((r) => r.form.get('Body'))).toEqual(['bericht 1', 'bericht 1', 'bericht 2', 'bericht 3']);
  });

  test('a queue longer than the allowed wait is refused before anything is recorded, so a retry can send', async () => {
    const clock = new FakeClock(0);
    const { twilio, store } = channel({ clock, rateLimit: { messages: { perSecond: 1, burst: 1, maxWaitMs: 0 } } });
    await twilio.sendSms({ municipality: '0392', key: 'first', to: MOBILE, body: 'a', callback: CASE });
    await expect(
      twilio.sendSms({ municipality: '0392', key: 'second', to: MOBILE, body: 'b', callback: CASE }),
    ).rejects.toBeInstanceOf(RateLimitQueueFull);
    expect(store.records.has('sms:second')).toBe(false);
    expect(messagesSent()).toHaveLength(1);
  });
});
