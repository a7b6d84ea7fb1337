import type { Pool, PoolClient } from 'pg';
import type { CaseView, Handover, RoundSummary } from '../domain/case';
import type { Contactpoging } from '../domain/ddas';

type Queryable = Pick<Pool | PoolClient, 'query'>;

// ---------------------------------------------------------------------------------------------------------------
// Intake

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

// ---------------------------------------------------------------------------------------------------------------
// Read model written by the case workflow

export interface PersonalRow {
  signalId: string;
  clientSealed: string;
  phoneIndex: string | null;
}

const CLOSED_ROUND_STATUS = 'dormant';

/** Idempotent upsert of one round's view, its signals, attempts, handovers, and sealed personal rows. */
export async function saveCaseRecord(pool: Pool, view: CaseView, personal: PersonalRow[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await upsertRound(client, view);
    for (const previous of view.previousRounds) await insertPreviousRound(client, view, previous);
    await upsertSignals(client, view);
    await upsertAttempts(client, view.caseRef, view.attempts, 'update');
    await upsertHandovers(client, view.caseRef, view.handovers, 'update');
    await insertPersonal(client, view, personal);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function upsertRound(db: Queryable, view: CaseView): Promise<void> {
  await db.query(
    `INSERT INTO cases (case_ref, case_id, municipality, round, status, segment, result, reached, signal_ids, matched_at,
                        reached_at, closed_at, policy_name, policy_version, view)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (case_ref) DO UPDATE SET
       status = EXCLUDED.status, segment = EXCLUDED.segment, result = EXCLUDED.result, reached = EXCLUDED.reached,
       signal_ids = EXCLUDED.signal_ids, matched_at = EXCLUDED.matched_at, reached_at = EXCLUDED.reached_at,
       closed_at = EXCLUDED.closed_at, policy_name = EXCLUDED.policy_name, policy_version = EXCLUDED.policy_version,
       view = EXCLUDED.view, updated_at = now()
     WHERE cases.view IS DISTINCT FROM EXCLUDED.view`,
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

async function upsertAttempts(db: Queryable, caseRef: string, attempts: Contactpoging[], onConflict: 'update' | 'keep'): Promise<void> {
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

async function upsertHandovers(db: Queryable, caseRef: string, handovers: Handover[], onConflict: 'update' | 'keep'): Promise<void> {
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
    [caseRef, handovers.map((_, i) => i + 1), handovers.map((x) => x.to), handovers.map((x) => x.at), handovers.map((x) => x.reason)],
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
    [view.municipality, view.case, rows.map((r) => r.signalId), rows.map((r) => r.clientSealed), rows.map((r) => r.phoneIndex)],
  );
}

/** Deletes a case's personal data. Cases, signals, attempts and handovers stay: they are the anonymous statistics. */
export async function purgePersonalData(db: Queryable, municipality: string, caseId: string): Promise<number> {
  const result = await db.query('DELETE FROM case_personal WHERE municipality = $1 AND case_id = $2', [municipality, caseId]);
  return result.rowCount ?? 0;
}

/** Cases whose residents gave this phone number (blind index), for inbound SMS and calls. */
export async function findCasesByPhoneIndex(db: Queryable, phoneIndex: string): Promise<{ municipality: string; caseId: string }[]> {
  const result = await db.query<{ municipality: string; case_id: string }>(
    'SELECT DISTINCT municipality, case_id FROM case_personal WHERE phone_index = $1 ORDER BY municipality, case_id',
    [phoneIndex],
  );
  return result.rows.map((r) => ({ municipality: r.municipality, caseId: r.case_id }));
}

/**
 * Cases with an open round (not dormant or ended) whose residents gave this phone number, most recently active
 * first; optionally only in one municipality.
 */
export async function openCasesByPhoneIndex(db: Queryable, phoneIndex: string, municipality?: string): Promise<string[]> {
  const result = await db.query<{ case_id: string }>(
    `SELECT latest.case_id FROM (
       SELECT DISTINCT ON (c.case_id) c.case_id, c.status, c.updated_at
         FROM cases c
        WHERE c.case_id IN (SELECT p.case_id FROM case_personal p WHERE p.phone_index = $1 AND ($2::text IS NULL OR p.municipality = $2))
        ORDER BY c.case_id, c.round DESC
     ) latest
     WHERE latest.status NOT IN ('dormant', 'ended')
     ORDER BY latest.updated_at DESC`,
    [phoneIndex, municipality ?? null],
  );
  return result.rows.map((r) => r.case_id);
}

// ---------------------------------------------------------------------------------------------------------------
// Staff reads

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

// ---------------------------------------------------------------------------------------------------------------
// DDAS

export interface DdasRoundRow {
  caseRef: string;
  result: string | null;
  signalIds: string[];
  matchingsdatum: string;
  attempts: { soort: string; bereikt: boolean; datum: string; dagdeel: string }[];
}

export interface DdasSignalRow {
  signalId: string;
  caseId: string;
  crisis: boolean;
  warmeOverdracht: boolean | null;
  amount: number;
  ontstaansdatum: string | null;
  signaaldatum: string;
  status: string;
  partnerType: string;
  /** Null once the personal data has been purged. */
  clientSealed: string | null;
}

const AMSTERDAM_DATE = (column: string) => `(${column} AT TIME ZONE 'Europe/Amsterdam')::date`;

/**
 * Rounds matched in [from, to] (Europe/Amsterdam dates), the signals they refer to, and the signals received in the
 * period that are not matched yet. Undelivered intake rows are left out: the partner re-posts those.
 */
export async function ddasFacts(db: Queryable, municipality: string, from: string, to: string): Promise<{ rounds: DdasRoundRow[]; signals: DdasSignalRow[] }> {
  const rounds = await db.query<{ case_ref: string; result: string | null; signal_ids: string[]; matchingsdatum: string }>(
    `SELECT case_ref, result, signal_ids, to_char(${AMSTERDAM_DATE('matched_at')}, 'YYYY-MM-DD') AS matchingsdatum
       FROM cases
      WHERE municipality = $1 AND matched_at IS NOT NULL AND ${AMSTERDAM_DATE('matched_at')} BETWEEN $2::date AND $3::date
      ORDER BY matched_at, case_ref`,
    [municipality, from, to],
  );
  const caseRefs = rounds.rows.map((r) => r.case_ref);
  const attempts = await db.query<{ case_ref: string; soort: string; bereikt: boolean; datum: string; dagdeel: string }>(
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
    partner_type: string;
    client_sealed: string | null;
  }>(
    `SELECT s.signal_id, s.case_id, s.crisis, s.warme_overdracht, s.amount, to_char(s.ontstaansdatum, 'YYYY-MM-DD') AS ontstaansdatum,
            to_char(s.signaaldatum, 'YYYY-MM-DD') AS signaaldatum, s.status, s.partner_type, p.client_sealed
       FROM signals s LEFT JOIN case_personal p ON p.municipality = s.municipality AND p.signal_id = s.signal_id
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
      partnerType: s.partner_type,
      clientSealed: s.client_sealed,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Audit

export interface AuditEntry {
  municipality: string;
  keyId: string | null;
  role: string;
  caseId: string | null;
  action: string;
  requestId: string | null;
  /** Never personal data: types, enumerations, IDs. */
  detail: Record<string, unknown>;
  /** Defaults to `requested`; set the final outcome with {@link setAuditOutcome}. */
  outcome?: 'requested' | 'accepted' | 'rejected' | 'failed';
}

export async function insertAudit(db: Queryable, entry: AuditEntry): Promise<string> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO audit_log (municipality, key_id, role, case_id, action, request_id, detail, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [entry.municipality, entry.keyId, entry.role, entry.caseId, entry.action, entry.requestId, JSON.stringify(entry.detail), entry.outcome ?? 'requested'],
  );
  return result.rows[0]!.id;
}

export async function setAuditOutcome(db: Queryable, id: string, outcome: 'accepted' | 'rejected' | 'failed', reason?: string): Promise<void> {
  await db.query(
    `UPDATE audit_log SET outcome = $2, detail = CASE WHEN $3::text IS NULL THEN detail ELSE detail || jsonb_build_object('reason', $3::text) END
      WHERE id = $1`,
    [id, outcome, reason ?? null],
  );
}
