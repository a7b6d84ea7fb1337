import type { Pool } from 'pg';
import { inTransaction, type Queryable } from './connection';

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
  /** The signal partner (signaalpartner.naam, or the partner key's scope); null when the signal names none. */
  partner: string | null;
}

/** Inserts rows that are new (delivered = false) and returns the IDs it inserted; existing IDs are left untouched. */
async function insertNewSignals(db: Queryable, municipality: string, rows: IntakeSignalRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const result = await db.query<{ signal_id: string }>(
    `INSERT INTO signals (municipality, signal_id, case_id, partner_type, amount, signaaldatum, ontstaansdatum, crisis,
                          warme_overdracht, received_at, partner, delivered)
     SELECT $1, t.signal_id, t.case_id, t.partner_type, t.amount, t.signaaldatum, t.ontstaansdatum, t.crisis,
            t.warme_overdracht, t.received_at, t.partner, false
       FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::date[], $7::date[], $8::boolean[],
                   $9::boolean[], $10::timestamptz[], $11::text[])
            AS t(signal_id, case_id, partner_type, amount, signaaldatum, ontstaansdatum, crisis, warme_overdracht,
                 received_at, partner)
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
      rows.map((r) => r.partner),
    ],
  );
  return new Set(result.rows.map((r) => r.signal_id));
}

export async function findSignalDelivery(
  db: Queryable,
  municipality: string,
  signalIds: string[],
): Promise<Map<string, { caseId: string; delivered: boolean }>> {
  if (signalIds.length === 0) return new Map();
  const result = await db.query<{ signal_id: string; case_id: string; delivered: boolean }>(
    'SELECT signal_id, case_id, delivered FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[])',
    [municipality, signalIds],
  );
  return new Map(result.rows.map((r) => [r.signal_id, { caseId: r.case_id, delivered: r.delivered }]));
}

export async function markSignalsDelivered(db: Queryable, municipality: string, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  await db.query(
    'UPDATE signals SET delivered = true WHERE municipality = $1 AND signal_id = ANY($2::text[]) AND NOT delivered',
    [municipality, signalIds],
  );
}

/**
 * Records a batch's new signals and, for households the read model has never seen, a first round with status
 * `matching`, in one transaction: the case is in the staff list as soon as intake answered, before its workflow
 * saved its first view. That row never replaces one the workflow wrote (it only fills an empty place), and the
 * workflow's first save overwrites it. Returns the IDs of the signals that were new.
 */
export async function recordIntake(pool: Pool, municipality: string, rows: IntakeSignalRow[]): Promise<Set<string>> {
  return inTransaction(pool, async (client) => {
    const inserted = await insertNewSignals(client, municipality, rows);
    const newCases = [...new Set(rows.filter((r) => inserted.has(r.signalId)).map((r) => r.caseId))];
    await insertFirstRounds(client, municipality, newCases);
    return inserted;
  });
}

/** The status of a round intake recorded and no workflow saved yet; the workflow starts in it too. */
const INTAKE_STATUS = 'matching';

async function insertFirstRounds(db: Queryable, municipality: string, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await db.query(
    `INSERT INTO cases (case_ref, case_id, municipality, round, status)
     SELECT t.case_id || '.1', t.case_id, $1, 1, '${INTAKE_STATUS}'
       FROM unnest($2::text[]) AS t(case_id)
      WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.municipality = $1 AND c.case_id = t.case_id)
     ON CONFLICT DO NOTHING`,
    [municipality, caseIds],
  );
}

/**
 * Removes rows whose delivery failed, so that the partner's retry is a plain new post. Delivered rows stay, and so
 * does a round a workflow saved; intake's own placeholder round goes when its case has no signal left.
 */
export async function forgetUndeliveredSignals(pool: Pool, municipality: string, signalIds: string[]): Promise<void> {
  if (signalIds.length === 0) return;
  await inTransaction(pool, async (client) => {
    const forgotten = await client.query<{ case_id: string }>(
      'DELETE FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[]) AND NOT delivered RETURNING case_id',
      [municipality, signalIds],
    );
    await client.query(
      `DELETE FROM cases c
        WHERE c.municipality = $1 AND c.case_id = ANY($2::text[]) AND c.view IS NULL AND c.status = '${INTAKE_STATUS}'
          AND NOT EXISTS (SELECT 1 FROM signals s WHERE s.municipality = c.municipality AND s.case_id = c.case_id)`,
      [municipality, [...new Set(forgotten.rows.map((r) => r.case_id))]],
    );
  });
}

/**
 * The highest round number a workflow saved per case; a household whose workflow ended starts at the next. Intake's
 * own placeholder round does not count: its workflow has yet to start that round.
 */
export async function lastRounds(db: Queryable, municipality: string, caseIds: string[]): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const result = await db.query<{ case_id: string; round: number }>(
    `SELECT case_id, max(round)::int AS round FROM cases
      WHERE municipality = $1 AND case_id = ANY($2::text[]) AND NOT (view IS NULL AND status = '${INTAKE_STATUS}')
      GROUP BY case_id`,
    [municipality, caseIds],
  );
  return new Map(result.rows.map((r) => [r.case_id, r.round]));
}
