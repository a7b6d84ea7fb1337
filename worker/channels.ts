import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { createMunicipalityDirectory } from '../domain/municipalities';
import {
  createChannelActivities,
  createEmailChannel,
  createLetterChannel,
  createTwilioChannel,
  type ChannelActivities,
  type ChannelActivitiesDeps,
  type RateLimit,
} from '../activities/channels';
import type { RateLimitObserver } from '../activities/channels/rate-limit';
import { PgSentStore } from '../db/sent-messages';

type Twilio = ChannelActivitiesDeps['twilio'];
type Email = ChannelActivitiesDeps['email'];

/**
 * The channel adapters this deployment has: Twilio when its credentials are set, SMTP when SMTP_URL is, letters
 * always (into the print queue). A channel that is not configured answers "not sent", so the workflow falls back
 * to another channel (ultimately a letter) instead of failing.
 */
export function createChannels(
  config: Config,
  deps: { pool: Pool; logger: Logger; rateLimitObserver?: RateLimitObserver },
): { activities: ChannelActivities; configured: string[]; teamMail?: Email; close(): void } {
  const sentStore = new PgSentStore(deps.pool);
  const configured: string[] = ['letter'];
  let twilio: Twilio = notConfiguredTwilio;
  if (
    config.TWILIO_ACCOUNT_SID &&
    config.TWILIO_AUTH_TOKEN &&
    config.TWILIO_FROM &&
    config.TWILIO_CALLER_ID &&
    config.TWILIO_CALL_CENTRE_NUMBER
  ) {
    twilio = createTwilioChannel({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      from: config.TWILIO_FROM,
      whatsappFrom: config.TWILIO_WHATSAPP_FROM,
      callerId: config.TWILIO_CALLER_ID,
      callCentreNumber: config.TWILIO_CALL_CENTRE_NUMBER,
      apiUrl: config.TWILIO_API_URL,
      lookupsUrl: config.TWILIO_LOOKUPS_URL,
      statusCallbackBase: `${config.publicBaseUrl}/webhooks/twilio`,
      rateLimit: {
        messages: perSecond(config.TWILIO_MESSAGES_PER_SECOND),
        calls: perSecond(config.TWILIO_CALLS_PER_SECOND),
        lookups: perSecond(config.TWILIO_LOOKUPS_PER_SECOND),
      },
      ...(deps.rateLimitObserver ? { rateLimitObserver: deps.rateLimitObserver } : {}),
      sentStore,
      logger: deps.logger,
    });
    configured.push('sms', 'whatsapp', 'calls');
  }
  let email: Email & { close?(): void } = notConfiguredEmail;
  if (config.SMTP_URL) {
    email = createEmailChannel({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, sentStore, logger: deps.logger });
    configured.push('email');
  }
  const letter = createLetterChannel({ printQueueDir: config.printQueueDir, sentStore, logger: deps.logger });
  const municipalities = createMunicipalityDirectory(config.MUNICIPALITIES);
  const activities = createChannelActivities({
    twilio,
    email,
    letter,
    municipality: (code) => municipalities.get(code),
    logger: deps.logger,
  });
  // Team mailbox notices go out only through a configured relay; without one, items wait in the console.
  const teamMail = config.SMTP_URL ? email : undefined;
  return { activities, configured, teamMail, close: () => email.close?.() };
}

/** A configured rate allows a burst of one second's worth, as Twilio's own queue does. */
function perSecond(rate: number | undefined): RateLimit | undefined {
  return rate === undefined ? undefined : { perSecond: rate, burst: Math.max(1, Math.floor(rate)), maxWaitMs: 60_000 };
}

const notConfigured = { sent: false as const, providerRef: null, reason: 'not-configured' };

const notConfiguredTwilio: Twilio = {
  sendSms: async () => notConfigured,
  sendWhatsApp: async () => notConfigured,
  placeCall: async () => ({ placed: false, providerRef: null, reason: 'not-configured' }),
  lookupLineType: async () => ({ lineType: 'unknown', mobile: false, source: 'numbering-plan' }),
};

const notConfiguredEmail: Email = { send: async () => notConfigured };
