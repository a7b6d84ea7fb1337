import type { Queryable } from './connection';

/** The intake's record of every signal it accepted, written before the case workflow is signalled. */

export interface IntakeSignalRow {
  signalId: string;
  caseId: string;
  partnerType: string;
  amount: number;
  signaaldatum: string;
  ontstaansdatum: string | null;
  crisis: boolean;
  warmeOverdracht: boolean | null;
  receivedAt: string;
}

/** Inserts rows that are new (delivered = false) and returns the IDs it inserted; existing IDs are left untouched. */
export async function insertNewSignals(db: Queryable, municipality: string, rows: IntakeSignalRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await db.query<{ signal_id: string }>(
    `INSERT INTO signals (municipality, signal_id, case_id, partner_type, amount, signaaldatum, ontstaansdatum, crisis,
                          warme_overdracht, received_at, delivered)
     SELECT $1, t.signal_id, t.case_id, t.partner_type, t.amount, t.signaaldatum, t.ontstaansdatum, t.crisis,
            t.warme_overdracht, t.received_at, false
       FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::date[], $7::date[], $8::boolean[],
                   $9::boolean[], $10::timestamptz[])
            AS t(signal_id, case_id, partner_type, amount, signaaldatum, ontstaansdatum, crisis, warme_overdracht, received_at)
     ON CONFLICT (municipality, signal_id) DO NOTHING
     RETURNING signal_id`,
    [
      municipality,
      rows.map((r) => r.signalId),
      rows.map((r) => r.caseId),
      rows.map((r) => r.partnerType),
      rows.map((r) => r.amount),
      rows.map((r) => r.signaaldatum),
      rows.map((r) => r.ontstaansdatum),
      rows.map((r) => r.crisis),
      rows.map((r) => r.warmeOverdracht),
      rows.map((r) => r.receivedAt),
    ],
  );
  return new Set(result.rows.map((r) => r.signal_id));
}

export async function findSignalDelivery(db: Queryable, municipality: string, signalIds: string[]): Promise<Map<string, { caseId: string; delivered: boolean }>> {
  if (signalIds.length === 0) return new Map();
  const result = await db.query<{ signal_id: string; case_id: string; delivered: boolean }>(
    'SELECT signal_id, case_id, delivered FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[])',
    [municipality, signalIds],
  );
  return new Map(result.rows.map((r) => [r.signal_id, { caseId: r.case_id, delivered: r.delivered }]));
}

export async function markSignalsDelivered(db: Queryable, municipality: string, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  await db.query('UPDATE signals SET delivered = true WHERE municipality = $1 AND signal_id = ANY($2::text[]) AND NOT delivered', [municipality, signalIds]);
}

/** Removes rows whose delivery failed, so that the partner's retry is a plain new post. Delivered rows stay. */
export async function forgetUndeliveredSignals(db: Queryable, municipality: string, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  await db.query('DELETE FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[]) AND NOT delivered', [municipality, signalIds]);
}

/** The highest round number the read model knows per case; a household whose workflow ended starts at the next. */
export async function lastRounds(db: Queryable, municipality: string, caseIds: string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const result = await db.query<{ case_id: string; round: number }>(
    'SELECT case_id, max(round)::int AS round FROM cases WHERE municipality = $1 AND case_id = ANY($2::text[]) GROUP BY case_id',
    [municipality, caseIds],
  );
  return new Map(result.rows.map((r) => [r.case_id, r.round]));
}
