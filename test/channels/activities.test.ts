import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import {
  MemorySentStore,
  createChannelActivities,
  createEmailChannel,
  createLetterChannel,
  createTwilioChannel,
  type ChannelActivities,
  type EmailChannel,
  type MunicipalityDetails,
} from '../../activities/channels';
import type { SendMessageInput } from '../../activities/types';
import type { Client } from '../../domain/signal';
import { renderMessage } from '../../templates';
import { FakeClock } from './support/fake-clock';
import { describeWithTwilioSpecs } from './support/prism';
import { ACCOUNT, TOKEN, startTwilioPeers, type TwilioPeers } from './support/twilio-peers';

const HAARLEM: MunicipalityDetails = {
  code: '0392',
  name: 'Haarlem',
  phone: '14 023',
  website: 'www.haarlem.nl',
  returnAddress: ['Postbus 511', '2003 PB Haarlem'],
  replyTo: 'vroegeropaf@haarlem.nl',
};
const LINK = 'https://bereik.haarlem.nl/k/Xy12abCD34efGH56';
const client: Client = {
  Voorletters: 'A',
  Achternaam: 'Jansen',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Postcode: '2011AB',
  Plaatsnaam: 'Haarlem',
  telefoon: '+31612345678',
  email: 'a.jansen@example.org',
  taal: 'nl',
};

function input(overrides: Partial<SendMessageInput> = {}): SendMessageInput {
  return {
    caseId: 'case-0392-k3j9x2p7q1',
    caseRef: 'case-0392-k3j9x2p7q1.1',
    municipality: '0392',
    round: 1,
    messageKey: 'case-0392-k3j9x2p7q1.1:invitation:1',
    channel: 'sms',
    purpose: 'invitation',
    segment: 'light',
    repeat: false,
    client,
    link: LINK,
    at: '2026-03-03T08:30:00Z',
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  }
  throw new Error('expected an ApplicationFailure');
}

describeWithTwilioSpecs('channel activities (Prism, SMTP server, print folder)', () => {
  let peers: TwilioPeers;
  let smtp: SMTPServer;
  let smtpPort: number;
  const mails: ParsedMail[] = [];
  let printDir: string;
  let email: EmailChannel;
  let activities: ChannelActivities;

  beforeAll(async () => {
    peers = await startTwilioPeers();
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((m) => {
          mails.push(m);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as { port: number }).port;
  }, 120_000);

  afterAll(async () => {
    await peers?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  beforeEach(async () => {
    peers.reset();
    mails.length = 0;
    printDir = await mkdtemp(path.join(os.tmpdir(), 'bereik-print-'));
    const store = new MemorySentStore();
    email = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      from: 'noreply@bereik.example.nl',
      sentStore: store,
    });
    activities = createChannelActivities({
      twilio: createTwilioChannel({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        from: 'Haarlem',
        whatsappFrom: '+3197010000002',
        callerId: '+31235115115',
        callCentreNumber: '+31881234567',
        apiUrl: peers.api.url,
        lookupsUrl: peers.lookups.url,
        statusCallbackBase: 'https://bereik.example.nl/webhooks/twilio',
        rateLimit: { messages: { perSecond: 100, burst: 100 }, calls: { perSecond: 100, burst: 100 } },
        sentStore: store,
      }),
      email,
      letter: createLetterChannel({ printQueueDir: printDir, sentStore: store }),
      municipality: (code) => ({ ...HAARLEM, code }),
      whatsappContentSid: ({ purpose, lang }) =>
        purpose === 'reminder' && lang === 'nl' ? 'HX0000000000000000000000000000be11' : undefined,
    });
  });

  afterEach(async () => {
    email.close();
    await rm(printDir, { recursive: true, force: true });
    expect(peers.rejected()).toEqual([]);
  });

  test('SMS: the rendered text goes out once per messageKey and the SID comes back as providerRef', async () => {
    const first = await activities.sendMessage(input());
    const again = await activities.sendMessage(input());
    expect(first).toEqual({ sent: true, providerRef: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(again).toEqual(first);
    const sent = peers.messagesSent();
    expect(sent).toHaveLength(1);
    const expected = renderMessage({
      purpose: 'invitation',
      tone: 'positive',
      client,
      municipality: HAARLEM,
      link: LINK,
    });
    expect(sent[0].form.get('Body')).toBe(expected.sms);
    expect(sent[0].form.get('From')).toBe('Haarlem');
    expect(sent[0].form.get('StatusCallback')).toBe(
      'https://bereik.example.nl/webhooks/twilio/message-status?case=case-0392-k3j9x2p7q1&round=1&key=case-0392-k3j9x2p7q1.1%3Ainvitation%3A1',
    );
  });

  test('SMS in the resident language, with the direct tone for a repeat signal', async () => {
    await activities.sendMessage(input({ client: { ...client, taal: 'ar' }, repeat: true, messageKey: 'ar-sms' }));
    const body = peers.messagesSent()[0].form.get('Body') as string;
    expect(body).toBe(
      renderMessage({
        purpose: 'invitation',
        tone: 'direct',
        client: { ...client, taal: 'ar' },
        municipality: HAARLEM,
        link: LINK,
      }).sms,
    );
    expect(body).toMatch(/^مرحبًا A\. Jansen،/);
  });

  test('SMS to a landline is not sent; the workflow gets reason landline', async () => {
    const result = await activities.sendMessage(
      input({ client: { ...client, telefoon: '+31201234567' }, messageKey: 'landline' }),
    );
    expect(result).toEqual({ sent: false, providerRef: null, reason: 'landline' });
    expect(peers.messagesSent()).toHaveLength(0);
  });

  test('without a phone number or e-mail address the channel reports why', async () => {
    expect(await activities.sendMessage(input({ client: { ...client, telefoon: undefined } }))).toEqual({
      sent: false,
      providerRef: null,
      reason: 'no-phone',
    });
    expect(await activities.sendMessage(input({ channel: 'email', client: { ...client, email: undefined } }))).toEqual({
      sent: false,
      providerRef: null,
      reason: 'no-email',
    });
    // A signal identified the DDAS v1.2 way may have no street or place: no letter, and nothing in the print queue.
    for (const [messageKey, without] of [
      ['no-street', { Straatnaam: undefined }],
      ['bsn-only', { Straatnaam: undefined, Postcode: undefined, Huisnummer: undefined, Plaatsnaam: undefined }],
      ['no-place', { Plaatsnaam: undefined }],
    ] as const) {
      expect(
        await activities.sendMessage(input({ channel: 'letter', messageKey, client: { ...client, ...without } })),
      ).toEqual({
        sent: false,
        providerRef: null,
        reason: 'no-postal-address',
      });
    }
    expect(await readdir(printDir).catch(() => [])).not.toContain('no-street.pdf');
  });

  test('a nameless client (DDAS v1.2) is greeted as the resident, on WhatsApp too', async () => {
    const nameless = { ...client, Voorletters: undefined, Voorvoegsel: undefined, Achternaam: undefined };
    await activities.sendMessage(
      input({ channel: 'whatsapp', purpose: 'reminder', messageKey: 'wa-nameless', client: nameless }),
    );
    const [reminder] = peers.messagesSent().slice(-1);
    expect(JSON.parse(reminder.form.get('ContentVariables') as string)['1']).toBe('bewoner');
    await activities.sendMessage(input({ channel: 'sms', messageKey: 'sms-nameless', client: nameless }));
    expect(peers.messagesSent().slice(-1)[0].form.get('Body')).toMatch(/^Beste bewoner,/);
  });

  test('WhatsApp uses the approved template when one is configured, the text otherwise', async () => {
    await activities.sendMessage(input({ channel: 'whatsapp', purpose: 'reminder', messageKey: 'wa-reminder' }));
    await activities.sendMessage(input({ channel: 'whatsapp', purpose: 'invitation', messageKey: 'wa-invitation' }));
    const [reminder, invitation] = peers.messagesSent();
    expect(reminder.form.get('ContentSid')).toBe('HX0000000000000000000000000000be11');
    expect(JSON.parse(reminder.form.get('ContentVariables') as string)).toEqual({
      '1': 'A. Jansen',
      '2': 'Haarlem',
      '3': LINK,
      '4': '',
    });
    expect(invitation.form.get('To')).toBe('whatsapp:+31612345678');
    expect(invitation.form.get('Body')).toContain(LINK);
  });

  test('e-mail: subject, both parts and the link arrive; the Message-ID is the providerRef', async () => {
    const result = await activities.sendMessage(input({ channel: 'email', messageKey: 'mail-1' }));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(result).toEqual({ sent: true, providerRef: mail.messageId });
    expect(mail.subject).toBe('Gemeente Haarlem denkt graag met u mee');
    expect(mail.from?.value[0]).toEqual({ address: 'noreply@bereik.example.nl', name: 'Gemeente Haarlem' });
    expect(mail.replyTo?.value[0].address).toBe('vroegeropaf@haarlem.nl');
    expect(mail.text).toContain(LINK);
    expect(mail.html).toContain(LINK);
  });

  test('letter: a bilingual PDF lands in the print queue, named by messageKey', async () => {
    const result = await activities.sendMessage(
      input({ channel: 'letter', messageKey: 'letter-1', client: { ...client, taal: 'tr' } }),
    );
    expect(result).toEqual({ sent: true, providerRef: 'letter-1.pdf' });
    expect(
      await activities.sendMessage(
        input({ channel: 'letter', messageKey: 'letter-1', client: { ...client, taal: 'tr' } }),
      ),
    ).toEqual(result);
    expect(await readdir(printDir)).toEqual(['letter-1.pdf']);
  });

  test('a call connects the resident to the call centre and is placed once per callKey', async () => {
    const call = {
      caseId: 'case-0392-k3j9x2p7q1',
      caseRef: 'case-0392-k3j9x2p7q1.1',
      municipality: '0392',
      round: 1,
      callKey: 'case-0392-k3j9x2p7q1.1:call:1',
      attempt: 1,
      kind: 'round' as const,
      telefoon: '+31612345678',
      at: '2026-03-03T08:30:00Z',
    };
    expect(await activities.placeCall(call)).toEqual({ providerRef: 'CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(await activities.placeCall(call)).toEqual({ providerRef: 'CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    const placed = peers.callsPlaced();
    expect(placed).toHaveLength(1);
    expect(placed[0].form.get('Twiml')).toContain('U wordt gebeld door de gemeente Haarlem');
    expect(placed[0].form.get('Twiml')).toContain(
      '<Dial callerId="+31235115115" timeout="30"><Number>+31881234567</Number></Dial>',
    );
    const invalid = await failure(activities.placeCall({ ...call, callKey: 'bad', telefoon: '12' }));
    expect(invalid).toMatchObject({ type: 'InvalidPhoneNumber', nonRetryable: true });
  });

  test('lookupLineType answers whether the number can receive SMS', async () => {
    expect(
      await activities.lookupLineType({
        caseId: 'c',
        caseRef: 'c.1',
        municipality: '0392',
        round: 1,
        telefoon: '0612345678',
      }),
    ).toEqual({ mobile: true });
    expect(
      await activities.lookupLineType({
        caseId: 'c',
        caseRef: 'c.1',
        municipality: '0392',
        round: 1,
        telefoon: '0201234567',
      }),
    ).toEqual({ mobile: false });
  });

  test('a permanent provider rejection stops Temporal retries', async () => {
    peers.messageError.set('+31612345678', {
      code: 21408,
      status: 400,
      message: 'Permission to send an SMS has not been enabled for the region',
    });
    const error = await failure(activities.sendMessage(input({ messageKey: 'region' })));
    expect(error).toMatchObject({ type: 'ProviderRejected', nonRetryable: true });
  });

  test('a full rate-limit queue is a retryable failure with the wait as the next retry delay', async () => {
    const clock = new FakeClock(0);
    const limited = createChannelActivities({
      twilio: createTwilioChannel({
        accountSid: ACCOUNT,
        authToken: TOKEN,
        from: 'Haarlem',
        callerId: '+31235115115',
        callCentreNumber: '+31881234567',
        apiUrl: peers.api.url,
        lookupsUrl: peers.lookups.url,
        statusCallbackBase: 'https://bereik.example.nl/webhooks/twilio',
        rateLimit: { messages: { perSecond: 0.5, burst: 1, maxWaitMs: 0 } },
        sentStore: new MemorySentStore(),
        clock,
      }),
      email,
      letter: createLetterChannel({ printQueueDir: printDir }),
      municipality: () => HAARLEM,
    });
    await limited.sendMessage(input({ messageKey: 'rl-1' }));
    const error = await failure(limited.sendMessage(input({ messageKey: 'rl-2' })));
    expect(error).toMatchObject({ type: 'RateLimited', nonRetryable: false, nextRetryDelay: 2000 });
  });

  test('a text that cannot be rendered is a non-retryable failure', async () => {
    const error = await failure(
      activities.sendMessage(input({ purpose: 'confirmation', moment: undefined, messageKey: 'no-moment' })),
    );
    expect(error).toMatchObject({ type: 'TemplateError', nonRetryable: true });
  });
});
