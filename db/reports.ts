import type { DdasRoundRow, DdasSignalRow } from '../domain/ddas-facts';
import type { Queryable } from './connection';

export type { DdasRoundRow, DdasSignalRow } from '../domain/ddas-facts';

const AMSTERDAM_DATE = (column: string) => `(${column} AT TIME ZONE 'Europe/Amsterdam')::date`;

/**
 * Rounds matched in [from, to] (Europe/Amsterdam dates), the signals they refer to, and the signals received in the
 * period that are not matched yet. Undelivered intake rows are left out: the partner re-posts those.
 */
export async function ddasFacts(
  db: Queryable,
  municipality: string,
  from: string,
  to: string,
): Promise<{ rounds: DdasRoundRow[]; signals: DdasSignalRow[] }> {
  const rounds = await db.query<{
    case_ref: string;
    result: string | null;
    signal_ids: string[];
    matchingsdatum: string;
  }>(
    `SELECT case_ref, result, signal_ids, to_char(${AMSTERDAM_DATE('matched_at')}, 'YYYY-MM-DD') AS matchingsdatum
       FROM cases
      WHERE municipality = $1 AND matched_at IS NOT NULL AND ${AMSTERDAM_DATE('matched_at')} BETWEEN $2::date AND $3::date
      ORDER BY matched_at, case_ref`,
    [municipality, from, to],
  );
  const caseRefs = rounds.rows.map((r) => r.case_ref);
  const attempts = await db.query<{
    case_ref: string;
    soort: string;
    bereikt: boolean;
    datum: string;
    dagdeel: string;
  }>(
    `SELECT case_ref, soort, bereikt, to_char(datum, 'YYYY-MM-DD') AS datum, dagdeel
       FROM contact_attempts WHERE case_ref = ANY($1::text[]) ORDER BY case_ref, seq`,
    [caseRefs],
  );
  const attemptsByRound = new Map<string, DdasRoundRow['attempts']>();
  for (const a of attempts.rows) {
    const list = attemptsByRound.get(a.case_ref) ?? [];
    list.push({ soort: a.soort, bereikt: a.bereikt, datum: a.datum, dagdeel: a.dagdeel });
    attemptsByRound.set(a.case_ref, list);
  }
  const referenced = [...new Set(rounds.rows.flatMap((r) => r.signal_ids))];
  const signals = await db.query<{
    signal_id: string;
    case_id: string;
    crisis: boolean;
    warme_overdracht: boolean | null;
    amount: string;
    ontstaansdatum: string | null;
    signaaldatum: string;
    status: string;
    matched_round: boolean;
    round_result: string | null;
    partner_type: string;
    client_sealed: string | null;
  }>(
    `SELECT s.signal_id, s.case_id, s.crisis, s.warme_overdracht, s.amount, to_char(s.ontstaansdatum, 'YYYY-MM-DD') AS ontstaansdatum,
            to_char(s.signaaldatum, 'YYYY-MM-DD') AS signaaldatum, s.status, s.partner_type, p.client_sealed,
            c.case_ref IS NOT NULL AS matched_round, c.result AS round_result
       FROM signals s
       LEFT JOIN case_personal p ON p.municipality = s.municipality AND p.signal_id = s.signal_id
       LEFT JOIN cases c ON c.municipality = s.municipality AND c.case_id = s.case_id AND c.round = s.round AND c.matched_at IS NOT NULL
      WHERE s.municipality = $1 AND s.delivered
        AND (s.signal_id = ANY($2::text[]) OR ${AMSTERDAM_DATE('s.received_at')} BETWEEN $3::date AND $4::date)
      ORDER BY s.received_at, s.signal_id`,
    [municipality, referenced, from, to],
  );
  return {
    rounds: rounds.rows.map((r) => ({
      caseRef: r.case_ref,
      result: r.result,
      signalIds: r.signal_ids,
      matchingsdatum: r.matchingsdatum,
      attempts: attemptsByRound.get(r.case_ref) ?? [],
    })),
    signals: signals.rows.map((s) => ({
      signalId: s.signal_id,
      caseId: s.case_id,
      crisis: s.crisis,
      warmeOverdracht: s.warme_overdracht,
      amount: Number(s.amount),
      ontstaansdatum: s.ontstaansdatum,
      signaaldatum: s.signaaldatum,
      status: s.status,
      round: s.matched_round ? { result: s.round_result } : null,
      partnerType: s.partner_type,
      clientSealed: s.client_sealed,
    })),
  };
}
