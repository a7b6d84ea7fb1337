import { createHmac } from 'node:crypto';
import type { Pool } from 'pg';
import type { Keyring } from '../common/encryption-keys';
import { openJson, sealJson } from '../common/field-crypto';
import { findTeamNotificationChannel, upsertTeamNotificationChannel } from '../db/work-items';
import { webhookSecretAad, type Team } from '../domain/teams';
import type { EmailChannel } from './channels/email';
import type { NewWorkNotice } from './teams';

export const WEBHOOK_TIMESTAMP_HEADER = 'Bereik-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'Bereik-Signature';

const KIND_NL: Record<NewWorkNotice['kind'], string> = {
  visit: 'huisbezoek',
  handover: 'overdracht',
  conversation: 'gesprek vastleggen',
};

/** `sha256=<hex>` over `<timestamp>.<body>`: the receiver recomputes it with the shared secret and checks the age. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Stores where a team hears of new work; the webhook secret is sealed like personal data. */
export async function configureTeamNotifications(
  deps: { pool: Pool; keyring: Keyring },
  channel: { municipality: string; team: Team; mailbox?: string; webhook?: { url: string; secret: string } },
): Promise<void> {
  await upsertTeamNotificationChannel(deps.pool, {
    municipality: channel.municipality,
    team: channel.team,
    mailbox: channel.mailbox ?? null,
    webhookUrl: channel.webhook?.url ?? null,
    webhookSecretSealed: channel.webhook
      ? sealJson(deps.keyring, channel.webhook.secret, webhookSecretAad(channel.municipality, channel.team))
      : null,
  });
}

export interface TeamNotifierDeps {
  pool: Pool;
  keyring: Keyring;
  /** The team mailbox's channel; without it no e-mail is sent. */
  email?: Pick<EmailChannel, 'send'>;
  /** PUBLIC_BASE_URL: the console link is `<base>/console/werk/<item>`. */
  publicBaseUrl: string;
  now?: () => number;
}

/**
 * Tells a team that works in its own systems of each new item: an e-mail to its mailbox and, when configured, a
 * webhook signed with HMAC-SHA256. Both carry the item's opaque ID, kind, due instant and link, never personal data.
 * A failure throws, so the activity retries.
 */
export function createTeamNotifier(deps: TeamNotifierDeps): (notice: NewWorkNotice) => Promise<void> {
  return async (notice) => {
    const channel = await findTeamNotificationChannel(deps.pool, notice.municipality, notice.team);
    if (!channel) return;
    const link = `${deps.publicBaseUrl.replace(/\/+$/, '')}/console/werk/${notice.itemId}`;
    const due = `${notice.dueAt}${notice.dagdeel ? ` (${notice.dagdeel.toLowerCase()})` : ''}`;
    const reminder = notice.reminder !== undefined;
    const sentence = reminder
      ? `Herinnering: het werk voor ${notice.team} (${KIND_NL[notice.kind]}) wacht nog op uw antwoord. Het moest uiterlijk ${due} klaar zijn.`
      : `Er staat nieuw werk klaar voor ${notice.team}: ${KIND_NL[notice.kind]}, uiterlijk ${due}.`;
    if (channel.mailbox && deps.email) {
      const outcome = await deps.email.send({
        key: reminder ? `work-notice:${notice.itemId}:reminder:${notice.reminder}` : `work-notice:${notice.itemId}`,
        to: channel.mailbox,
        subject: reminder
          ? `Herinnering voor ${notice.team}: ${KIND_NL[notice.kind]} wacht op antwoord`
          : `Nieuw werk voor ${notice.team}: ${KIND_NL[notice.kind]}`,
        text: `${sentence}\n\nOpenen: ${link}\n`,
        html: `<p>${sentence}</p><p><a href="${link}">Openen</a></p>`,
        lang: 'nl',
      });
      if (!outcome.sent) throw new Error(`team mailbox notice not sent: ${outcome.reason}`);
    }
    if (channel.webhookUrl && channel.webhookSecretSealed) {
      const secret = openJson<string>(
        deps.keyring,
        channel.webhookSecretSealed,
        webhookSecretAad(notice.municipality, notice.team),
      );
      const body = JSON.stringify({
        type: reminder ? 'work_item.overdue' : 'work_item.created',
        ...(reminder ? { reminder: notice.reminder } : {}),
        item: notice.itemId,
        municipality: notice.municipality,
        team: notice.team,
        kind: notice.kind,
        dueAt: notice.dueAt,
        dagdeel: notice.dagdeel,
        link,
      });
      const timestamp = String(Math.floor((deps.now?.() ?? Date.now()) / 1000));
      const response = await fetch(channel.webhookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
          [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`team webhook answered ${response.status}`);
    }
  };
}
