import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { CaseActivities, PlaceCallInput, SendMessageInput, SendMessageResult } from '../types';
import * as defaultTemplates from '../../templates';
import type { MunicipalityInfo, RenderedMessage, Tone } from '../../templates';
import type { EmailChannel } from './email';
import { hasPostalAddress } from '../../domain/signal';
import type { LetterChannel, LetterSender } from './letter';
import { RateLimitQueueFull } from './rate-limit';
import { isPermanentProviderError, type MessageOutcome, type TwilioChannel } from './twilio';

export { createTwilioChannel, RewritingRequestClient } from './twilio';
export type { TwilioChannel, TwilioChannelOptions, TwilioMunicipalitySettings, TwilioRateLimits } from './twilio';
export { createEmailChannel } from './email';
export type { EmailChannel, EmailChannelOptions } from './email';
export { createLetterChannel } from './letter';
export type { LetterChannel, LetterChannelOptions, LetterSender } from './letter';
export { MemorySentStore } from './sent-store';
export type { SentRecord, SentStore } from './sent-store';
export type { RateLimit, Clock } from './rate-limit';

/** What the channels need to know about a municipality; no secrets. */
export interface MunicipalityDetails extends MunicipalityInfo, LetterSender {
  code: string;
  /** Reply-To for e-mail, e.g. the team's shared mailbox. */
  replyTo?: string;
}

export interface ChannelTemplates {
  renderMessage: typeof defaultTemplates.renderMessage;
  toneFor: typeof defaultTemplates.toneFor;
  renderCallGreeting: typeof defaultTemplates.renderCallGreeting;
}

export interface ChannelActivitiesDeps {
  twilio: Pick<TwilioChannel, 'sendSms' | 'sendWhatsApp' | 'placeCall' | 'lookupLineType'>;
  email: Pick<EmailChannel, 'send'>;
  letter: Pick<LetterChannel, 'send'>;
  municipality(code: string): MunicipalityDetails | Promise<MunicipalityDetails>;
  templates?: ChannelTemplates;
  /**
   * Approved WhatsApp template per text (Twilio Content API). Business-initiated WhatsApp messages need one; it
   * gets the variables {1: name, 2: municipality, 3: link, 4: moment}. Without one the rendered text is sent
   * as a free-form body, which WhatsApp only accepts within 24 hours of the resident's last message.
   */
  whatsappContentSid?(query: {
    municipality: string;
    purpose: SendMessageInput['purpose'];
    tone: Tone;
    lang: string;
  }): string | undefined;
  logger?: Logger;
}

export type ChannelActivities = Pick<CaseActivities, 'sendMessage' | 'placeCall' | 'lookupLineType'>;

export function createChannelActivities(deps: ChannelActivitiesDeps): ChannelActivities {
  const templates = deps.templates ?? defaultTemplates;

  const render = (input: SendMessageInput, municipality: MunicipalityDetails, language?: string): RenderedMessage => {
    try {
      return templates.renderMessage({
        purpose: input.purpose,
        tone: templates.toneFor(input),
        client: input.client,
        municipality,
        link: input.link,
        moment: input.moment,
        language,
      });
    } catch (error) {
      throw ApplicationFailure.nonRetryable(
        `cannot render the ${input.purpose} text: ${(error as Error).message}`,
        'TemplateError',
      );
    }
  };

  const result = (outcome: MessageOutcome): SendMessageResult =>
    outcome.sent
      ? { sent: true, providerRef: outcome.providerRef }
      : { sent: false, providerRef: null, reason: outcome.reason };

  async function sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
    const municipality = await deps.municipality(input.municipality);
    const callback = { caseId: input.caseId, round: input.round };
    return providerCall(async () => {
      switch (input.channel) {
        case 'sms': {
          if (!input.client.telefoon) return { sent: false, providerRef: null, reason: 'no-phone' };
          const text = render(input, municipality);
          return result(
            await deps.twilio.sendSms({
              municipality: input.municipality,
              key: input.messageKey,
              to: input.client.telefoon,
              body: text.sms,
              callback,
            }),
          );
        }
        case 'whatsapp': {
          if (!input.client.telefoon) return { sent: false, providerRef: null, reason: 'no-phone' };
          const text = render(input, municipality);
          const tone = templates.toneFor(input);
          const contentSid = deps.whatsappContentSid?.({
            municipality: input.municipality,
            purpose: input.purpose,
            tone,
            lang: text.lang,
          });
          const variables = contentSid
            ? {
                '1': defaultTemplates.displayName(input.client) || defaultTemplates.languagePack(text.lang).resident,
                '2': municipality.name,
                '3': text.parts.link ?? '',
                '4': input.moment
                  ? defaultTemplates.formatMoment(input.moment, defaultTemplates.languagePack(text.lang))
                  : '',
              }
            : undefined;
          return result(
            await deps.twilio.sendWhatsApp({
              municipality: input.municipality,
              key: input.messageKey,
              to: input.client.telefoon,
              body: text.sms,
              callback,
              contentSid,
              contentVariables: variables,
            }),
          );
        }
        case 'email': {
          if (!input.client.email) return { sent: false, providerRef: null, reason: 'no-email' };
          const text = render(input, municipality);
          return result(
            await deps.email.send({
              key: input.messageKey,
              to: input.client.email,
              subject: text.subject,
              text: text.text,
              html: text.html,
              lang: text.lang,
              fromName: `Gemeente ${municipality.name}`,
              // Without a Reply-To a reply would go to MAIL_FROM, which is often a no-reply relay address.
              replyTo: municipality.replyTo ?? municipality.email,
            }),
          );
        }
        case 'letter': {
          // A signal identified the DDAS v1.2 way (BSN alone, or postcode and huisnummer) may lack the street and
          // place a letter needs: no letter then, as there is no SMS without a phone number.
          if (!hasPostalAddress(input.client)) return { sent: false, providerRef: null, reason: 'no-postal-address' };
          // Official letters are Dutch; the resident's own language follows on the next page.
          const dutch = render(input, municipality, 'nl');
          const own = render(input, municipality);
          const letter = await deps.letter.send({
            key: input.messageKey,
            client: input.client,
            sender: municipality,
            date: input.at,
            messages: own.lang === 'nl' ? [dutch] : [dutch, own],
          });
          return { sent: true, providerRef: letter.providerRef };
        }
      }
    });
  }

  async function placeCall(input: PlaceCallInput): Promise<{ providerRef: string | null }> {
    const municipality = await deps.municipality(input.municipality);
    const outcome = await providerCall(() =>
      deps.twilio.placeCall({
        municipality: input.municipality,
        key: input.callKey,
        to: input.telefoon,
        attempt: input.attempt,
        callback: { caseId: input.caseId, round: input.round },
        greeting: templates.renderCallGreeting(municipality),
      }),
    );
    if (outcome.placed) return { providerRef: outcome.providerRef };
    if (outcome.reason === 'invalid-number')
      throw ApplicationFailure.nonRetryable('the phone number is not valid', 'InvalidPhoneNumber');
    // An earlier attempt may have rung the resident; at-most-once means we do not ring again under this key.
    if (outcome.reason === 'uncertain')
      throw ApplicationFailure.nonRetryable(
        'an earlier attempt of this call ended without a known outcome',
        'CallOutcomeUncertain',
      );
    throw ApplicationFailure.nonRetryable(`call not placed: ${outcome.reason}`, 'CallNotPlaced');
  }

  async function lookupLineType(input: Parameters<CaseActivities['lookupLineType']>[0]): Promise<{ mobile: boolean }> {
    const result = await providerCall(() =>
      deps.twilio.lookupLineType({ municipality: input.municipality, phone: input.telefoon }),
    );
    return { mobile: result.mobile };
  }

  return { sendMessage, placeCall, lookupLineType };
}

/** Provider errors as Temporal failures: permanent ones stop retrying, a full rate-limit queue retries after the wait. */
async function providerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApplicationFailure) throw error;
    if (error instanceof RateLimitQueueFull) {
      throw ApplicationFailure.create({
        message: error.message,
        type: 'RateLimited',
        nextRetryDelay: Math.ceil(error.waitMs),
        cause: error,
      });
    }
    if (isPermanentProviderError(error)) {
      throw ApplicationFailure.create({
        message: (error as Error).message,
        type: 'ProviderRejected',
        nonRetryable: true,
        cause: error as Error,
      });
    }
    throw error;
  }
}
