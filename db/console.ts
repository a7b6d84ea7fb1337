import type { CaseView } from '../domain/case';
import type { Queryable } from './connection';

export interface ConsoleSessionRow {
  municipality: string;
  subject: string;
  teams: string[];
  role: 'staff' | 'admin';
  csrfToken: string;
  expiresAt: Date;
}

export async function insertConsoleSession(
  db: Queryable,
  tokenHash: string,
  session: ConsoleSessionRow,
): Promise<void> {
  await db.query(
    `INSERT INTO console_sessions (token_hash, municipality, subject, teams, role, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      tokenHash,
      session.municipality,
      session.subject,
      session.teams,
      session.role,
      session.csrfToken,
      session.expiresAt,
    ],
  );
}

/**
 * The session when it exists, has not passed its absolute end and was used within `idleMs`; touching it moves its
 * idle clock. One statement, so an expired session is never served.
 */
export async function touchConsoleSession(
  db: Queryable,
  tokenHash: string,
  idleMs: number,
): Promise<ConsoleSessionRow | null> {
  const result = await db.query<{
    municipality: string;
    subject: string;
    teams: string[];
    role: 'staff' | 'admin';
    csrf_token: string;
    expires_at: Date;
  }>(
    `UPDATE console_sessions SET last_seen_at = now()
      WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
      RETURNING municipality, subject, teams, role, csrf_token, expires_at`,
    [tokenHash, idleMs],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    municipality: row.municipality,
    subject: row.subject,
    teams: row.teams,
    role: row.role,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export async function deleteConsoleSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredConsoleState(db: Queryable, idleMs: number): Promise<void> {
  await db.query(
    `DELETE FROM console_sessions
      WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1::double precision / 1000)`,
    [idleMs],
  );
  await db.query('DELETE FROM console_logins WHERE expires_at <= now()');
}

export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function insertPendingLogin(
  db: Queryable,
  tokenHash: string,
  login: PendingLogin,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    'INSERT INTO console_logins (token_hash, state, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [tokenHash, login.state, login.nonce, login.codeVerifier, expiresAt],
  );
}

/** Takes the pending login out (one use only); null when unknown or expired. */
export async function takePendingLogin(db: Queryable, tokenHash: string): Promise<PendingLogin | null> {
  const result = await db.query<{ state: string; nonce: string; code_verifier: string }>(
    'DELETE FROM console_logins WHERE token_hash = $1 AND expires_at > now() RETURNING state, nonce, code_verifier',
    [tokenHash],
  );
  const row = result.rows[0];
  return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier } : null;
}

/** The case ID of a round reference (`<case>.<round>`) in this municipality, or null. */
export async function caseIdByRef(db: Queryable, municipality: string, caseRef: string): Promise<string | null> {
  const result = await db.query<{ case_id: string }>(
    'SELECT case_id FROM cases WHERE municipality = $1 AND case_ref = $2',
    [municipality, caseRef],
  );
  return result.rows[0]?.case_id ?? null;
}

export interface CaseAuditRow {
  at: string;
  action: string;
  role: string;
  keyId: string | null;
  outcome: string;
  detail: Record<string, unknown>;
}

export async function caseAuditTrail(db: Queryable, municipality: string, caseId: string): Promise<CaseAuditRow[]> {
  const result = await db.query<{
    at: Date;
    action: string;
    role: string;
    key_id: string | null;
    outcome: string;
    detail: Record<string, unknown>;
  }>(
    `SELECT at, action, role, key_id, outcome, detail FROM audit_log
      WHERE municipality = $1 AND case_id = $2 ORDER BY at, id LIMIT 1000`,
    [municipality, caseId],
  );
  return result.rows.map((r) => ({
    at: r.at.toISOString(),
    action: r.action,
    role: r.role,
    keyId: r.key_id,
    outcome: r.outcome,
    detail: r.detail,
  }));
}

export interface BreachRow {
  case: string;
  caseRef: string;
  status: string;
  segment: string | null;
  breaches: string[];
  firstAttemptBy: string | null;
  closeBy: string | null;
}

/**
 * Rounds whose view records a breached deadline, most recent first: open rounds, and closed ones whose handover is
 * still overdue and unanswered.
 */
export async function openBreaches(db: Queryable, municipality: string, limit: number): Promise<BreachRow[]> {
  const result = await db.query<{ view: CaseView }>(
    `SELECT view FROM cases
      WHERE municipality = $1 AND view IS NOT NULL
        AND jsonb_array_length(COALESCE(view #> '{deadlines,breaches}', '[]'::jsonb)) > 0
        AND (status NOT IN ('dormant', 'ended')
             OR jsonb_path_exists(view, '$.handovers[*] ? (@.overdue == true && !(exists(@.answer)))'))
      ORDER BY updated_at DESC LIMIT $2`,
    [municipality, limit],
  );
  return result.rows.map(({ view }) => ({
    case: view.case,
    caseRef: view.caseRef,
    status: view.status,
    segment: view.segment,
    breaches: view.deadlines.breaches,
    firstAttemptBy: view.deadlines.firstAttemptBy,
    closeBy: view.deadlines.closeBy,
  }));
}

/** The sealed clients of a case (one per signal), for the caller to open. */
export async function sealedClientsOfCase(db: Queryable, municipality: string, caseId: string): Promise<string[]> {
  const result = await db.query<{ client_sealed: string }>(
    'SELECT client_sealed FROM case_personal WHERE municipality = $1 AND case_id = $2 ORDER BY created_at',
    [municipality, caseId],
  );
  return result.rows.map((r) => r.client_sealed);
}

export interface QueueItemRow {
  id: string;
  case: string;
  caseRef: string;
  kind: string;
  team: string;
  dueAt: string;
  dagdeel: string | null;
  status: string;
  visit: number | null;
  breached: boolean;
}

const QUEUE_COLUMNS = 'item_id, case_id, case_ref, municipality, kind, team, due_at, dagdeel, status, visit_number';

/**
 * Unfinished work items of these teams (all teams: null), soonest due first, with whether their case breached a
 * deadline. Each team's first page comes in order from its partial index (one ordered scan cannot serve several
 * teams), and only the page's rows are joined to their case.
 */
export async function openWorkQueue(
  db: Queryable,
  municipality: string,
  teams: string[] | null,
  limit: number,
): Promise<QueueItemRow[]> {
  const page =
    teams === null
      ? `SELECT ${QUEUE_COLUMNS} FROM team_tasks
          WHERE municipality = $1 AND status IN ('open', 'claimed')
          ORDER BY due_at, item_id LIMIT $2`
      : `SELECT w.* FROM unnest($3::text[]) AS member(team) CROSS JOIN LATERAL (
           SELECT ${QUEUE_COLUMNS} FROM team_tasks
            WHERE municipality = $1 AND team = member.team AND status IN ('open', 'claimed')
            ORDER BY due_at, item_id LIMIT $2) w
          ORDER BY w.due_at, w.item_id LIMIT $2`;
  const result = await db.query<{
    item_id: string;
    case_id: string;
    case_ref: string;
    kind: string;
    team: string;
    due_at: Date;
    dagdeel: string | null;
    status: string;
    visit_number: number | null;
    breached: boolean | null;
  }>(
    `SELECT t.item_id, t.case_id, t.case_ref, t.kind, t.team, t.due_at, t.dagdeel, t.status, t.visit_number,
            jsonb_array_length(COALESCE(c.view #> '{deadlines,breaches}', '[]'::jsonb)) > 0 AS breached
       FROM (${page}) t LEFT JOIN cases c ON c.case_ref = t.case_ref AND c.municipality = t.municipality
      ORDER BY t.due_at, t.item_id`,
    teams === null ? [municipality, limit] : [municipality, limit, [...new Set(teams)]],
  );
  return result.rows.map((r) => ({
    id: r.item_id,
    case: r.case_id,
    caseRef: r.case_ref,
    kind: r.kind,
    team: r.team,
    dueAt: r.due_at.toISOString(),
    dagdeel: r.dagdeel,
    status: r.status,
    visit: r.visit_number,
    breached: r.breached ?? false,
  }));
}

/** The teams that have a task (visit, handover) for the case: who may see its contact details. */
export async function teamsWithTasksOnCase(db: Queryable, municipality: string, caseId: string): Promise<string[]> {
  const result = await db.query<{ team: string }>(
    'SELECT DISTINCT team FROM team_tasks WHERE municipality = $1 AND case_id = $2',
    [municipality, caseId],
  );
  return result.rows.map((r) => r.team);
}

/** Whether the case's current round is `caseRef` and still open (not dormant or ended). */
export async function isRoundOpen(
  db: Queryable,
  municipality: string,
  caseId: string,
  caseRef: string,
): Promise<boolean> {
  const result = await db.query(
    `SELECT 1 FROM cases
      WHERE municipality = $1 AND case_id = $2 AND view ->> 'caseRef' = $3 AND status NOT IN ('dormant', 'ended')`,
    [municipality, caseId, caseRef],
  );
  return result.rowCount === 1;
}
