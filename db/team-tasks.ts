import type { Queryable } from './connection';

export interface TeamTaskRow {
  /** The workflow's task key: a retried activity finds its task already there. */
  key: string;
  municipality: string;
  caseId: string;
  caseRef: string;
  kind: 'visit' | 'handover';
  team: string;
  plannedAt: string;
  reason: string | null;
  /** Address, contact details and description, sealed by the caller. */
  detailsSealed: string;
}

/** Inserts a task for people; true when it is new, false when a task with its key was there already. */
export async function insertTeamTask(db: Queryable, task: TeamTaskRow): Promise<boolean> {
  const inserted = await db.query(
    `INSERT INTO team_tasks (task_key, municipality, case_id, case_ref, kind, team, planned_at, reason, details_sealed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (task_key) DO NOTHING`,
    [
      task.key,
      task.municipality,
      task.caseId,
      task.caseRef,
      task.kind,
      task.team,
      task.plannedAt,
      task.reason,
      task.detailsSealed,
    ],
  );
  return inserted.rowCount === 1;
}
