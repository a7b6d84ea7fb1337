import type { Queryable } from './connection';

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
    [
      entry.municipality,
      entry.keyId,
      entry.role,
      entry.caseId,
      entry.action,
      entry.requestId,
      JSON.stringify(entry.detail),
      entry.outcome ?? 'requested',
    ],
  );
  return result.rows[0]!.id;
}

export async function setAuditOutcome(
  db: Queryable,
  id: string,
  outcome: 'accepted' | 'rejected' | 'failed',
  reason?: string,
): Promise<void> {
  await db.query(
    `UPDATE audit_log SET outcome = $2, detail = CASE WHEN $3::text IS NULL THEN detail ELSE detail || jsonb_build_object('reason', $3::text) END
      WHERE id = $1`,
    [id, outcome, reason ?? null],
  );
}
