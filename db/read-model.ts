import type { Pool } from 'pg';
import type { CaseView, Handover, RoundSummary } from '../domain/case';
import type { Contactpoging } from '../domain/ddas';
import { inTransaction, type Queryable } from './connection';
import { recordFunnelFact } from './funnel';

export interface PersonalRow {
  signalId: string;
  clientSealed: string;
  phoneIndex: string | null;
}

const CLOSED_ROUND_STATUS = 'dormant';

/** Idempotent upsert of one round's view, its signals, attempts, handovers, funnel statistics and sealed personal rows. */
export async function saveCaseRecord(
  pool: Pool,
  view: CaseView,
  personal: PersonalRow[],
  revision?: number,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    if (revision !== undefined && (await isStale(client, view.caseRef, revision))) return;
    // First: it tells a round saved before, whose household was purged since, from a round saved for the first time.
    await recordFunnelFact(client, view);
    await upsertRound(client, view, revision ?? null);
    for (const previous of view.previousRounds) await insertPreviousRound(client, view, previous);
    await upsertSignals(client, view);
    await upsertAttempts(client, view.caseRef, view.attempts, 'update');
    await upsertHandovers(client, view.caseRef, view.handovers, 'update');
    await insertPersonal(client, view, personal);
  });
}

/**
 * True when the read model already holds a later revision of the round's view: a write that lost the race to a newer
 * one (the same revision again, a retried write, is written again). The round's lock orders concurrent writes (also a round's very first ones, before its row exists).
 */
async function isStale(db: Queryable, caseRef: string, revision: number): Promise<boolean> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('read-model:' || $1, 0))`, [caseRef]);
  const { rows } = await db.query<{ revision: number | null }>(`SELECT revision FROM cases WHERE case_ref = $1`, [
    caseRef,
  ]);
  const stored = rows[0]?.revision;
  return stored !== undefined && stored !== null && stored > revision;
}

async function upsertRound(db: Queryable, view: CaseView, revision: number | null): Promise<void> {
  await db.query(
    `INSERT INTO cases (case_ref, case_id, municipality, round, status, segment, result, reached, signal_ids, matched_at,
                        reached_at, closed_at, policy_name, policy_version, view, revision)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (case_ref) DO UPDATE SET
       status = EXCLUDED.status, segment = EXCLUDED.segment, result = EXCLUDED.result, reached = EXCLUDED.reached,
       signal_ids = EXCLUDED.signal_ids, matched_at = EXCLUDED.matched_at, reached_at = EXCLUDED.reached_at,
       closed_at = EXCLUDED.closed_at, policy_name = EXCLUDED.policy_name, policy_version = EXCLUDED.policy_version,
       view = EXCLUDED.view, revision = EXCLUDED.revision, updated_at = now()
     WHERE cases.view IS DISTINCT FROM EXCLUDED.view OR cases.revision IS DISTINCT FROM EXCLUDED.revision`,
    [
      view.caseRef,
      view.case,
      view.municipality,
      view.round,
      view.status,
      view.segment,
      view.result,
      view.reachedAt !== null,
      view.signals.map((s) => s.ID),
      view.matchedAt,
      view.reachedAt,
      view.closedAt,
      view.policy.name,
      view.policy.version,
      JSON.stringify(view),
      revision,
    ],
  );
}

/** Earlier rounds are normally persisted while they ran; this only fills gaps, it never overwrites. */
async function insertPreviousRound(db: Queryable, view: CaseView, round: RoundSummary): Promise<void> {
  await db.query(
    `INSERT INTO cases (case_ref, case_id, municipality, round, status, segment, result, reached, signal_ids, matched_at, closed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (case_ref) DO NOTHING`,
    [
      round.caseRef,
      view.case,
      view.municipality,
      round.round,
      CLOSED_ROUND_STATUS,
      round.segment,
      round.result,
      round.reached,
      round.signals.map((x) => x.ID),
      round.matchedAt,
      round.closedAt,
    ],
  );
  await upsertAttempts(db, round.caseRef, round.attempts, 'keep');
  await upsertHandovers(db, round.caseRef, round.handovers ?? [], 'keep');
}

async function upsertSignals(db: Queryable, view: CaseView): Promise<void> {
  if (view.signals.length === 0) return;
  const s = view.signals;
  // The workflow holding a signal proves it was delivered, which also heals a crash between delivery and marking.
  await db.query(
    `INSERT INTO signals (municipality, signal_id, case_id, round, partner_type, amount, signaaldatum, received_at,
                          status, repeat, resolved, delivered)
     SELECT $1, t.signal_id, $2, $3, t.partner_type, t.amount, t.signaaldatum, t.received_at, t.status, t.repeat,
            t.resolved, true
       FROM unnest($4::text[], $5::text[], $6::numeric[], $7::date[], $8::timestamptz[], $9::text[], $10::boolean[], $11::boolean[])
            AS t(signal_id, partner_type, amount, signaaldatum, received_at, status, repeat, resolved)
     ON CONFLICT (municipality, signal_id) DO UPDATE SET
       case_id = EXCLUDED.case_id, round = EXCLUDED.round, status = EXCLUDED.status, repeat = EXCLUDED.repeat,
       resolved = EXCLUDED.resolved, delivered = true
     WHERE (signals.case_id, signals.round, signals.status, signals.repeat, signals.resolved, signals.delivered)
           IS DISTINCT FROM (EXCLUDED.case_id, EXCLUDED.round, EXCLUDED.status, EXCLUDED.repeat, EXCLUDED.resolved, true)`,
    [
      view.municipality,
      view.case,
      view.round,
      s.map((x) => x.ID),
      s.map((x) => x.partnerType),
      s.map((x) => x.amount),
      s.map((x) => x.signaaldatum),
      s.map((x) => x.receivedAt),
      s.map((x) => x.status),
      s.map((x) => x.repeat),
      s.map((x) => x.resolved),
    ],
  );
}

async function upsertAttempts(
  db: Queryable,
  caseRef: string,
  attempts: Contactpoging[],
  onConflict: 'update' | 'keep',
): Promise<void> {
  if (attempts.length === 0) return;
  const conflict =
    onConflict === 'keep'
      ? 'DO NOTHING'
      : `DO UPDATE SET soort = EXCLUDED.soort, bereikt = EXCLUDED.bereikt, datum = EXCLUDED.datum, dagdeel = EXCLUDED.dagdeel, at = EXCLUDED.at
         WHERE (contact_attempts.soort, contact_attempts.bereikt, contact_attempts.datum, contact_attempts.dagdeel, contact_attempts.at)
               IS DISTINCT FROM (EXCLUDED.soort, EXCLUDED.bereikt, EXCLUDED.datum, EXCLUDED.dagdeel, EXCLUDED.at)`;
  await db.query(
    `INSERT INTO contact_attempts (case_ref, seq, soort, bereikt, datum, dagdeel, at)
     SELECT $1, t.seq, t.soort, t.bereikt, t.datum, t.dagdeel, t.at
       FROM unnest($2::int[], $3::text[], $4::boolean[], $5::date[], $6::text[], $7::timestamptz[])
            AS t(seq, soort, bereikt, datum, dagdeel, at)
     ON CONFLICT (case_ref, seq) ${conflict}`,
    [
      caseRef,
      attempts.map((_, i) => i + 1),
      attempts.map((a) => a.soort),
      attempts.map((a) => a.bereikt),
      attempts.map((a) => a.datum),
      attempts.map((a) => a.dagdeel),
      attempts.map((a) => a.at),
    ],
  );
}

async function upsertHandovers(
  db: Queryable,
  caseRef: string,
  handovers: Handover[],
  onConflict: 'update' | 'keep',
): Promise<void> {
  if (handovers.length === 0) return;
  const conflict =
    onConflict === 'keep'
      ? 'DO NOTHING'
      : `DO UPDATE SET target = EXCLUDED.target, at = EXCLUDED.at, reason = EXCLUDED.reason
         WHERE (handovers.target, handovers.at, handovers.reason) IS DISTINCT FROM (EXCLUDED.target, EXCLUDED.at, EXCLUDED.reason)`;
  await db.query(
    `INSERT INTO handovers (case_ref, seq, target, at, reason)
     SELECT $1, t.seq, t.target, t.at, t.reason
       FROM unnest($2::int[], $3::text[], $4::timestamptz[], $5::text[]) AS t(seq, target, at, reason)
     ON CONFLICT (case_ref, seq) ${conflict}`,
    [
      caseRef,
      handovers.map((_, i) => i + 1),
      handovers.map((x) => x.to),
      handovers.map((x) => x.at),
      handovers.map((x) => x.reason),
    ],
  );
}

/** A signal's client never changes, so a sealed row, once written, is kept (and not re-encrypted on every save). */
async function insertPersonal(db: Queryable, view: CaseView, rows: PersonalRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO case_personal (municipality, signal_id, case_id, client_sealed, phone_index)
     SELECT $1, t.signal_id, $2, t.client_sealed, t.phone_index
       FROM unnest($3::text[], $4::text[], $5::text[]) AS t(signal_id, client_sealed, phone_index)
     ON CONFLICT (municipality, signal_id) DO NOTHING`,
    [
      view.municipality,
      view.case,
      rows.map((r) => r.signalId),
      rows.map((r) => r.clientSealed),
      rows.map((r) => r.phoneIndex),
    ],
  );
}

export async function latestCaseView(db: Queryable, municipality: string, caseId: string): Promise<CaseView | null> {
  const result = await db.query<{ view: CaseView | null }>(
    'SELECT view FROM cases WHERE municipality = $1 AND case_id = $2 AND view IS NOT NULL ORDER BY round DESC LIMIT 1',
    [municipality, caseId],
  );
  return result.rows[0]?.view ?? null;
}

export async function caseExists(db: Queryable, municipality: string, caseId: string): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM cases WHERE municipality = $1 AND case_id = $2
     UNION ALL SELECT 1 FROM signals WHERE municipality = $1 AND case_id = $2 LIMIT 1`,
    [municipality, caseId],
  );
  return (result.rowCount ?? 0) > 0;
}

export interface CaseListItem {
  case: string;
  caseRef: string;
  round: number;
  status: string;
  segment: string | null;
  result: string | null;
  matchedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
}

/** Latest round per case, ordered by case ID (keyset pagination: `after` is the last case ID of the previous page). */
export async function listCases(
  db: Queryable,
  municipality: string,
  options: { status?: string; after?: string; limit: number },
): Promise<{ items: CaseListItem[]; more: boolean }> {
  const result = await db.query<{
    case_id: string;
    case_ref: string;
    round: number;
    status: string;
    segment: string | null;
    result: string | null;
    matched_at: Date | null;
    closed_at: Date | null;
    updated_at: Date;
  }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (case_id) case_id, case_ref, round, status, segment, result, matched_at, closed_at, updated_at
         FROM cases
        WHERE municipality = $1 AND ($3::text IS NULL OR case_id > $3)
        ORDER BY case_id, round DESC
     ) latest
     WHERE ($2::text IS NULL OR status = $2)
     ORDER BY case_id
     LIMIT $4`,
    [municipality, options.status ?? null, options.after ?? null, options.limit + 1],
  );
  const rows = result.rows.slice(0, options.limit);
  return {
    more: result.rows.length > options.limit,
    items: rows.map((r) => ({
      case: r.case_id,
      caseRef: r.case_ref,
      round: r.round,
      status: r.status,
      segment: r.segment,
      result: r.result,
      matchedAt: r.matched_at?.toISOString() ?? null,
      closedAt: r.closed_at?.toISOString() ?? null,
      updatedAt: r.updated_at.toISOString(),
    })),
  };
}

/** How many households of a municipality their workflows have saved a view of (the intake bench waits on it). */
export async function countCasesSavedByWorkflows(db: Queryable, municipality: string): Promise<number> {
  const result = await db.query<{ n: number }>(
    'SELECT count(DISTINCT case_id)::int AS n FROM cases WHERE municipality = $1 AND view IS NOT NULL',
    [municipality],
  );
  return result.rows[0]!.n;
}
