import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createChannelActivities } from '../../activities/channels';
import { createEmailChannel, type EmailChannel } from '../../activities/channels/email';
import { MemorySentStore } from '../../activities/channels/sent-store';
import type { SendMessageInput } from '../../activities/types';
import { loadConfig } from '../../config';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { renderMessage } from '../../templates';

interface Received {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}

describe('e-mail channel against a real SMTP server', () => {
  let server: SMTPServer;
  let port: number;
  const received: Received[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      // smtp-server's built-in certificate has expired: no STARTTLS in tests.
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              mail,
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  let channel: EmailChannel;
  let store: MemorySentStore;
  beforeEach(() => {
    received.length = 0;
    store = new MemorySentStore();
    channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'vroegsignalering@haarlem.nl',
      sentStore: store,
    });
  });
  afterEach(() => channel.close());

  const link = 'https://bereik.haarlem.nl/k/Xy12abCD34efGH56';
  const client = { Voorletters: 'A', Achternaam: 'Jansen', taal: 'nl' };
  const municipality = { name: 'Haarlem', phone: '14 023' };

  test('an invitation arrives with subject, plain text and HTML parts, the personal link and a stable Message-ID', async () => {
    const text = renderMessage({ purpose: 'invitation', tone: 'positive', client, municipality, link });
    const result = await channel.send({
      key: 'case-0392-k3j.1:invitation:1',
      to: 'a.jansen@example.org',
      subject: text.subject,
      text: text.text,
      html: text.html,
      lang: text.lang,
      fromName: 'Gemeente Haarlem',
    });

    expect(result).toEqual({
      sent: true,
      providerRef: channel.messageIdFor('case-0392-k3j.1:invitation:1'),
      duplicate: false,
    });
    expect(received).toHaveLength(1);
    const [{ envelope, mail }] = received;
    expect(envelope).toEqual({ from: 'vroegsignalering@haarlem.nl', to: ['a.jansen@example.org'] });
    expect(mail.from?.value).toEqual([{ address: 'vroegsignalering@haarlem.nl', name: 'Gemeente Haarlem' }]);
    expect(mail.subject).toBe('Gemeente Haarlem denkt graag met u mee');
    expect(mail.messageId).toBe(result.providerRef);
    expect(mail.messageId).toMatch(/^<bereik\.[0-9a-f]{40}@haarlem\.nl>$/);
    expect(mail.headers.get('content-language')).toBe('nl');
    expect(mail.text).toContain('Beste A. Jansen,');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('<html lang="nl" dir="ltr">');
  });

  test('the Message-ID depends only on the key', () => {
    const other = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'Gemeente Haarlem <vroegsignalering@haarlem.nl>',
    });
    expect(other.messageIdFor('k1')).toBe(channel.messageIdFor('k1'));
    expect(other.messageIdFor('k1')).not.toBe(channel.messageIdFor('k2'));
    other.close();
  });

  test('sending the same key twice delivers one e-mail', async () => {
    const mail = { key: 'dup-key', to: 'a.jansen@example.org', subject: 's', text: 't', html: '<p>t</p>', lang: 'nl' };
    const first = await channel.send(mail);
    const second = await channel.send(mail);
    expect(received).toHaveLength(1);
    expect(second).toEqual({ sent: true, providerRef: first.providerRef, duplicate: true });
  });

  test('an Arabic e-mail is right-to-left HTML with the link intact', async () => {
    const text = renderMessage({
      purpose: 'reminder',
      tone: 'direct',
      client: { ...client, taal: 'ar' },
      municipality,
      link,
    });
    await channel.send({
      key: 'ar-1',
      to: 'a.jansen@example.org',
      subject: text.subject,
      text: text.text,
      html: text.html,
      lang: text.lang,
    });
    const [{ mail }] = received;
    expect(mail.subject).toBe(text.subject);
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.text).toContain(link);
    expect(mail.headers.get('content-language')).toBe('ar');
  });

  describe('sent for a municipality from the directory', () => {
    const notSent = { sent: false as const, providerRef: null, reason: 'not-configured' };
    const unused = {
      sendSms: async () => notSent,
      sendWhatsApp: async () => notSent,
      placeCall: async () => ({ placed: false as const, providerRef: null, reason: 'not-configured' as const }),
      lookupLineType: async () => ({ lineType: 'unknown' as const, mobile: false, source: 'numbering-plan' as const }),
    };
    const invitation = (municipality: string): SendMessageInput => ({
      caseId: `case-${municipality}-abcdefghijklmnopqrstuvwxyz`,
      caseRef: `case-${municipality}-abcdefghijklmnopqrstuvwxyz.1`,
      municipality,
      round: 1,
      messageKey: `case-${municipality}-abcdefghijklmnopqrstuvwxyz.1:invitation:1`,
      channel: 'email',
      purpose: 'invitation',
      segment: 'light',
      repeat: false,
      client: {
        ...client,
        Straatnaam: 'Dorpsstraat',
        Huisnummer: '1',
        Postcode: '2511AA',
        Plaatsnaam: 'Den Haag',
        email: 'a.jansen@example.org',
      },
      link,
      at: '2026-03-03T08:30:00Z',
    });
    const activitiesFor = (env: Record<string, string>) => {
      const municipalities = createMunicipalityDirectory(loadConfig(env).MUNICIPALITIES);
      return createChannelActivities({
        twilio: unused,
        email: channel,
        letter: {
          send: async () => {
            throw new Error('no letters here');
          },
        },
        municipality: (code) => municipalities.get(code),
      });
    };

    test("replies go to the municipality's reply-to, not to MAIL_FROM's no-reply address", async () => {
      const activities = activitiesFor({
        MUNICIPALITIES: JSON.stringify({ '0518': { replyTo: 'vroegsignalering@denhaag.example' } }),
      });
      expect(await activities.sendMessage(invitation('0518'))).toMatchObject({ sent: true });
      const [{ mail }] = received;
      expect(mail.from?.value).toEqual([{ address: 'vroegsignalering@haarlem.nl', name: 'Gemeente Den Haag' }]);
      expect(mail.replyTo?.value).toEqual([{ address: 'vroegsignalering@denhaag.example', name: '' }]);
      expect(mail.subject).toBe('Gemeente Den Haag denkt graag met u mee');
      expect(mail.text).toContain('Liever zelf bellen? Dat kan op 14 070.');
    });

    test("without a reply-to, replies go to the municipality's public address; with neither, there is no Reply-To", async () => {
      await activitiesFor({
        MUNICIPALITIES: JSON.stringify({ '0518': { email: 'info@denhaag.example' } }),
      }).sendMessage(invitation('0518'));
      await activitiesFor({}).sendMessage({ ...invitation('0392'), messageKey: 'haarlem-1' });
      expect(received.map((r) => r.mail.replyTo?.value[0]?.address)).toEqual(['info@denhaag.example', undefined]);
      expect(received[1]!.mail.from?.value[0]?.name).toBe('Gemeente Haarlem');
    });

    test('a municipality that is not in the directory sends nothing and says so', async () => {
      await expect(activitiesFor({}).sendMessage(invitation('0999'))).rejects.toThrow(
        'municipality 0999 is not in the directory; add it to MUNICIPALITIES',
      );
      expect(received).toHaveLength(0);
    });
  });

  test('a recipient the server refuses is "not sent", and the key may be used again', async () => {
    const picky = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(
          address.address.endsWith('@unknown.example')
            ? Object.assign(new Error('no such user'), { responseCode: 550 })
            : undefined,
        );
      },
    });
    await new Promise<void>((resolve) => picky.listen(0, '127.0.0.1', resolve));
    const pickyPort = (picky.server.address() as { port: number }).port;
    const mailer = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${pickyPort}`,
      from: 'vroegsignalering@haarlem.nl',
      sentStore: store,
    });
    const result = await mailer.send({
      key: 'bounce',
      to: 'nobody@unknown.example',
      subject: 's',
      text: 't',
      html: '<p>t</p>',
      lang: 'nl',
    });
    expect(result).toEqual({ sent: false, providerRef: null, reason: 'address-rejected' });
    expect(store.records.get('email:bounce')?.state).toBe('failed');
    mailer.close();
    await new Promise<void>((resolve) => picky.close(() => resolve()));
  });
});
