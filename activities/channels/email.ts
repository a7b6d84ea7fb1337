import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Logger } from 'pino';
import { sendOnce, type SentStore } from './sent-store';
import type { MessageOutcome } from './twilio';

export interface EmailChannelOptions {
  /** SMTP_URL, e.g. smtp://user:pass@relay.gemeente.nl:587 or smtps://...:465. */
  smtpUrl: string;
  /** MAIL_FROM: "vroegsignalering@gemeente.nl" or "Gemeente Haarlem <vroegsignalering@haarlem.nl>". */
  from: string;
  /** Right-hand side of Message-IDs; defaults to the domain of `from`. */
  messageIdDomain?: string;
  /** Remembers sent keys; without it the stable Message-ID is the only duplicate guard. */
  sentStore?: SentStore;
  /** Extra transport options (TLS settings, pool, timeouts) merged over the URL. */
  transport?: SMTPTransport.Options;
  logger?: Logger;
}

export interface OutboundEmail {
  /** messageKey */
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Content-Language, e.g. "nl" or "ar". */
  lang: string;
  /** Display name, e.g. "Gemeente Haarlem"; the address stays MAIL_FROM's. */
  fromName?: string;
  replyTo?: string;
}

export interface EmailChannel {
  send(mail: OutboundEmail): Promise<MessageOutcome>;
  /** The Message-ID a key gets, with angle brackets. */
  messageIdFor(key: string): string;
  close(): void;
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const [sender] = addressparser(options.from, { flatten: true });
  if (!sender?.address) throw new Error('MAIL_FROM must contain an e-mail address');
  const domain = options.messageIdDomain ?? sender.address.split('@')[1];
  const transport = nodemailer.createTransport({ ...parseSmtpUrl(options.smtpUrl), ...options.transport });
  const log = options.logger;

  // The same key always gives the same Message-ID, so a receiving system or mail client can spot a duplicate.
  const messageIdFor = (key: string) =>
    `<bereik.${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;

  async function deliver(mail: OutboundEmail): Promise<{ ref: string }> {
    const messageId = messageIdFor(mail.key);
    await transport.sendMail({
      from: { name: mail.fromName ?? sender.name ?? '', address: sender.address },
      to: mail.to,
      replyTo: mail.replyTo,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      headers: { 'Content-Language': mail.lang },
    });
    return { ref: messageId };
  }

  async function send(mail: OutboundEmail): Promise<MessageOutcome> {
    const key = `email:${mail.key}`;
    try {
      if (!options.sentStore) {
        const { ref } = await deliver(mail);
        return { sent: true, providerRef: ref, duplicate: false };
      }
      const outcome = await sendOnce(options.sentStore, key, { send: () => deliver(mail), refused: smtpRefused });
      switch (outcome.outcome) {
        case 'done':
          log?.info({ key, messageId: outcome.value.ref }, 'e-mail sent');
          return { sent: true, providerRef: outcome.value.ref, duplicate: false };
        case 'already':
          return { sent: true, providerRef: outcome.ref, duplicate: true };
        case 'uncertain':
          log?.warn(
            { key, since: outcome.since },
            'outcome of an earlier e-mail attempt is unknown; not sending again',
          );
          return { sent: false, providerRef: null, reason: 'uncertain' };
      }
    } catch (error) {
      // A rejected recipient is a fact about the address, not a transient fault: let the workflow pick another channel.
      if ((error as { code?: string }).code === 'EENVELOPE')
        return { sent: false, providerRef: null, reason: 'address-rejected' };
      throw error;
    }
  }

  return { send, messageIdFor, close: () => transport.close() };
}

/** True when the SMTP server did not take the message: it answered with a 4xx/5xx, or we never connected. */
export function smtpRefused(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string } | null;
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400) return true;
  return e?.code === 'ECONNECTION' || e?.code === 'EAUTH' || e?.code === 'EENVELOPE' || e?.code === 'EDNS';
}

/** SMTP_URL → nodemailer options; `?secure=false&ignoreTLS=true` style flags are honoured. */
function parseSmtpUrl(raw: string): SMTPTransport.Options {
  const url = new URL(raw);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const flag = (name: string) => {
    const v = url.searchParams.get(name);
    return v === null ? undefined : v === 'true' || v === '1';
  };
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: flag('secure') ?? url.protocol === 'smtps:',
    ignoreTLS: flag('ignoreTLS'),
    requireTLS: flag('requireTLS'),
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
  };
}
