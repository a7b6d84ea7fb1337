import type { Queryable } from './connection';

/** A partner's view of its own signals: which case a signal belongs to, and what became of it. Never other rows. */

export interface PartnerSignal {
  signalId: string;
  caseId: string;
  resolved: boolean;
  delivered: boolean;
}

/** The signal, when it is this partner's in this municipality; null otherwise (another partner's looks absent). */
export async function findPartnerSignal(
  db: Queryable,
  municipality: string,
  partner: string,
  signalId: string,
): Promise<PartnerSignal | null> {
  const result = await db.query<{ signal_id: string; case_id: string; resolved: boolean; delivered: boolean }>(
    `SELECT signal_id, case_id, resolved, delivered FROM signals
      WHERE municipality = $1 AND partner = $2 AND signal_id = $3`,
    [municipality, partner, signalId],
  );
  const row = result.rows[0];
  return row
    ? { signalId: row.signal_id, caseId: row.case_id, resolved: row.resolved, delivered: row.delivered }
    : null;
}

/** The stored partner of each of these signal IDs that exists in the municipality (null: posted without one). */
export async function signalPartners(
  db: Queryable,
  municipality: string,
  signalIds: string[],
): Promise<Map<string, string | null>> {
  if (signalIds.length === 0) return new Map();
  const result = await db.query<{ signal_id: string; partner: string | null }>(
    'SELECT signal_id, partner FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[])',
    [municipality, signalIds],
  );
  return new Map(result.rows.map((r) => [r.signal_id, r.partner]));
}

export interface PartnerFeedbackRow {
  signalId: string;
  receivedAt: string;
  /** What the case workflow recorded on the signal. */
  status: string;
  /** The round that took the signal in, once one has. */
  round: { result: string | null } | null;
}

export interface FeedbackCursor {
  receivedAt: string;
  signalId: string;
}

/**
 * The partner's delivered signals received on or after `since` (a Europe/Amsterdam date), oldest first, after the
 * cursor, at most `limit`.
 */
export async function partnerFeedback(
  db: Queryable,
  input: { municipality: string; partner: string; since: string; after: FeedbackCursor | null; limit: number },
): Promise<PartnerFeedbackRow[]> {
  const result = await db.query<{
    signal_id: string;
    received_at: Date;
    status: string;
    round: number | null;
    result: string | null;
  }>(
    `SELECT s.signal_id, s.received_at, s.status, s.round, c.result
       FROM signals s
       LEFT JOIN cases c ON c.case_id = s.case_id AND c.round = s.round AND c.municipality = s.municipality
      WHERE s.municipality = $1 AND s.partner = $2 AND s.delivered
        AND s.received_at >= ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
        AND ($4::timestamptz IS NULL OR (s.received_at, s.signal_id) > ($4::timestamptz, $5::text))
      ORDER BY s.received_at, s.signal_id
      LIMIT $6`,
    [
      input.municipality,
      input.partner,
      input.since,
      input.after?.receivedAt ?? null,
      input.after?.signalId ?? null,
      input.limit,
    ],
  );
  return result.rows.map((r) => ({
    signalId: r.signal_id,
    receivedAt: r.received_at.toISOString(),
    status: r.status,
    round: r.round === null ? null : { result: r.result },
  }));
}
