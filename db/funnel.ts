import type { CaseView } from '../domain/case';
import {
  aggregateFunnel,
  amsterdamDate,
  funnelFactOf,
  type BreachKind,
  type FunnelFact,
  type FunnelReport,
  type FunnelSplit,
} from '../domain/funnel';
import type { Queryable } from './connection';

/**
 * Writes a round's anonymous statistics with its read model (called from saveCaseRecord, in its transaction, before
 * the round itself), and marks the household's previous round as reopened when this round is new. A round saved
 * before whose household was purged since (a herhaalde melding while dormant) gets no second row: its row no longer
 * carries its key, and it is already counted.
 */
export async function recordFunnelFact(db: Queryable, view: CaseView): Promise<void> {
  const fact = funnelFactOf(view);
  if (fact === null) return;
  const inserted = await db.query<{ inserted: boolean }>(
    `INSERT INTO funnel_stats (round_key, municipality, round, signal_date, segment, partner_types, first_attempt_minutes,
                               first_attempt_in_time, first_contact_minutes, first_contact_channel, first_contact_dagdeel,
                               reached, help_accepted, result, breaches, closed_date)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16
      WHERE NOT EXISTS (SELECT 1 FROM cases WHERE case_ref = $1)
         OR EXISTS (SELECT 1 FROM funnel_stats WHERE round_key = $1)
         OR EXISTS (SELECT 1 FROM case_personal WHERE municipality = $2 AND case_id = $17)
     ON CONFLICT (round_key) DO UPDATE SET
       segment = EXCLUDED.segment, partner_types = EXCLUDED.partner_types, signal_date = EXCLUDED.signal_date,
       first_attempt_minutes = EXCLUDED.first_attempt_minutes, first_attempt_in_time = EXCLUDED.first_attempt_in_time,
       first_contact_minutes = EXCLUDED.first_contact_minutes, first_contact_channel = EXCLUDED.first_contact_channel,
       first_contact_dagdeel = EXCLUDED.first_contact_dagdeel, reached = EXCLUDED.reached,
       help_accepted = EXCLUDED.help_accepted, result = EXCLUDED.result, breaches = EXCLUDED.breaches,
       closed_date = EXCLUDED.closed_date
     RETURNING (xmax = 0) AS inserted`,
    [
      view.caseRef,
      view.municipality,
      fact.round,
      fact.signalDate,
      fact.segment,
      fact.partnerTypes,
      fact.firstAttemptMinutes,
      fact.firstAttemptInTime,
      fact.firstContactMinutes,
      fact.firstContactChannel,
      fact.firstContactDagdeel,
      fact.reached,
      fact.helpAccepted,
      fact.result,
      fact.breaches,
      fact.closedDate,
      view.case,
    ],
  );
  if (inserted.rows[0]?.inserted && fact.round > 1) {
    // Recidive: the earlier round's row learns when the household came back; no household key outlives the purge.
    await db.query(
      `UPDATE funnel_stats f SET reopened_date = $3::date
         FROM cases c
        WHERE c.municipality = $1 AND c.case_id = $2 AND c.round < $4 AND f.round_key = c.case_ref
          AND f.closed_date IS NOT NULL AND f.reopened_date IS NULL`,
      [view.municipality, view.case, fact.signalDate, fact.round],
    );
  }
}

/** The retention purge cuts the statistics loose from the purged households: their rows stay, without a key. */
export async function detachFunnelStats(
  db: Queryable,
  cases: readonly { municipality: string; caseId: string }[],
): Promise<void> {
  if (cases.length === 0) return;
  await db.query(
    `UPDATE funnel_stats f SET round_key = NULL
       FROM cases c, unnest($1::text[], $2::text[]) AS e(municipality, case_id)
      WHERE c.municipality = e.municipality AND c.case_id = e.case_id AND f.round_key = c.case_ref`,
    [cases.map((c) => c.municipality), cases.map((c) => c.caseId)],
  );
}

export interface FunnelQuery {
  municipality: string;
  /** Europe/Amsterdam dates, inclusive: rounds are counted by the date of their first signal. */
  from: string;
  to: string;
  by?: FunnelSplit | null;
  /** Recidive's observation windows are measured to this instant's date; default now. */
  now?: Date;
}

/** The reach funnel of one municipality from its anonymous statistics (GET /v1/reports/funnel, the console). */
export async function funnelReport(db: Queryable, query: FunnelQuery): Promise<FunnelReport> {
  const rows = await db.query<{
    round: number;
    signal_date: string;
    segment: string | null;
    partner_types: string[];
    first_attempt_minutes: number | null;
    first_attempt_in_time: boolean | null;
    first_contact_minutes: number | null;
    first_contact_channel: string | null;
    first_contact_dagdeel: string | null;
    reached: boolean;
    help_accepted: boolean;
    result: string | null;
    breaches: string[];
    closed_date: string | null;
    reopened_date: string | null;
  }>(
    `SELECT round, to_char(signal_date, 'YYYY-MM-DD') AS signal_date, segment, partner_types, first_attempt_minutes,
            first_attempt_in_time, first_contact_minutes, first_contact_channel, first_contact_dagdeel, reached,
            help_accepted, result, breaches, to_char(closed_date, 'YYYY-MM-DD') AS closed_date,
            to_char(reopened_date, 'YYYY-MM-DD') AS reopened_date
       FROM funnel_stats
      WHERE municipality = $1 AND signal_date BETWEEN $2::date AND $3::date
      ORDER BY signal_date, id`,
    [query.municipality, query.from, query.to],
  );
  const facts: FunnelFact[] = rows.rows.map((r) => ({
    round: r.round,
    signalDate: r.signal_date,
    segment: r.segment,
    partnerTypes: r.partner_types,
    firstAttemptMinutes: r.first_attempt_minutes,
    firstAttemptInTime: r.first_attempt_in_time,
    firstContactMinutes: r.first_contact_minutes,
    firstContactChannel: r.first_contact_channel,
    firstContactDagdeel: r.first_contact_dagdeel,
    reached: r.reached,
    helpAccepted: r.help_accepted,
    result: r.result,
    breaches: r.breaches as BreachKind[],
    closedDate: r.closed_date,
    reopenedDate: r.reopened_date,
  }));
  return aggregateFunnel(facts, {
    municipality: query.municipality,
    from: query.from,
    to: query.to,
    by: query.by ?? null,
    asOf: amsterdamDate((query.now ?? new Date()).toISOString()),
  });
}
