import type { Express } from 'express';
import { municipalityOfCase } from '../../common/case-id';
import { phoneIndexFor } from '../../common/personal-data';
import { openCasesByPhoneIndex } from '../../db/phone-index';
import type { CaseEvent } from '../../domain/events';
import { twilioWebhooks, type FindCaseByPhone } from '../webhooks/twilio';
import { recordCaseEvent } from '../case-access';
import type { AppContext } from '../context';

export const TWILIO_WEBHOOK_MOUNT = '/webhooks/twilio';

/**
 * Twilio's status callbacks and inbound messages, verified by signature in the router. Only mounted when
 * TWILIO_AUTH_TOKEN is configured; without it nothing could be verified.
 */
export function registerWebhookRoutes(app: Express, ctx: AppContext): void {
  const { config, pool, logger } = ctx.deps;
  if (!config.TWILIO_AUTH_TOKEN) return;

  const phoneIndexSecret = config.PHONE_INDEX_SECRET;
  const findCaseByPhone: FindCaseByPhone | undefined = phoneIndexSecret
    ? async ({ phone, municipality }) =>
        openCasesByPhoneIndex(pool, phoneIndexFor(phoneIndexSecret, phone), municipality)
    : undefined;

  /** Events that no longer fit the case (a late callback) are recorded and acknowledged, so Twilio stops retrying. */
  const deliver = async (caseId: string, event: CaseEvent): Promise<void> => {
    const municipality = municipalityOfCase(caseId);
    if (!municipality) {
      logger.warn({ event: event.type }, 'twilio callback for a malformed case ID ignored');
      return;
    }
    const outcome = await recordCaseEvent(ctx.caseAccess, {
      municipality,
      caseId,
      event,
      actor: { role: 'twilio', keyId: null },
      requestId: null,
      detail: { type: event.type },
    });
    if (outcome.kind === 'unavailable') throw new Error(outcome.reason);
  };

  app.use(
    TWILIO_WEBHOOK_MOUNT,
    twilioWebhooks({
      authToken: config.TWILIO_AUTH_TOKEN,
      publicBaseUrl: config.publicBaseUrl,
      deliver,
      findCaseByPhone,
      logger,
    }),
  );
}
