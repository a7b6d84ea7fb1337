import type { Pool } from 'pg';
import type { Keyring } from '../common/encryption-keys';
import { sealJson } from '../common/field-crypto';
import type { CaseActivities, HandoverInput, VisitTaskInput } from './types';

export interface TeamActivitiesDeps {
  pool: Pool;
  keyring: Keyring;
  /** Tells a team that work is waiting (e-mail to its shared mailbox, a chat message); never with personal data. */
  notify?: (task: { municipality: string; team: string; kind: 'visit' | 'handover'; caseRef: string; plannedAt: string }) => Promise<void>;
}

/**
 * Home visits and warm handovers become tasks for people, in PostgreSQL where the team's own tooling (or the staff
 * API) picks them up. The outcome comes back later as a `visit_outcome` or conversation event.
 */
export function createTeamActivities(deps: TeamActivitiesDeps): Pick<CaseActivities, 'createVisitTask' | 'warmHandover'> {
  async function createTask(task: { key: string; municipality: string; caseId: string; caseRef: string; kind: 'visit' | 'handover'; team: string; plannedAt: string; reason?: string; details: unknown }) {
    const sealed = sealJson(deps.keyring, task.details, [task.municipality, task.caseId]);
    const inserted = await deps.pool.query(
      `INSERT INTO team_tasks (task_key, municipality, case_id, case_ref, kind, team, planned_at, reason, details_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (task_key) DO NOTHING`,
      [task.key, task.municipality, task.caseId, task.caseRef, task.kind, task.team, task.plannedAt, task.reason ?? null, sealed],
    );
    if (inserted.rowCount === 1) await deps.notify?.({ municipality: task.municipality, team: task.team, kind: task.kind, caseRef: task.caseRef, plannedAt: task.plannedAt });
  }

  return {
    async createVisitTask(input: VisitTaskInput) {
      await createTask({
        key: input.visitKey,
        municipality: input.municipality,
        caseId: input.caseId,
        caseRef: input.caseRef,
        kind: 'visit',
        team: input.team,
        plannedAt: input.plannedAt,
        details: { client: input.client, visit: input.visit },
      });
    },
    async warmHandover(input: HandoverInput) {
      await createTask({
        key: input.handoverKey,
        municipality: input.municipality,
        caseId: input.caseId,
        caseRef: input.caseRef,
        kind: 'handover',
        team: input.to,
        plannedAt: input.at,
        reason: input.reason,
        details: { client: input.client, bestTimeToCall: input.bestTimeToCall, description: input.description, history: input.history },
      });
    },
  };
}
