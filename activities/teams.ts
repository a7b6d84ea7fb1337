import type { Pool } from 'pg';
import type { Keyring } from '../common/encryption-keys';
import { sealJson } from '../common/field-crypto';
import { personalAad } from '../common/personal-data';
import { insertTeamTask } from '../db/team-tasks';
import type { CaseActivities, HandoverInput, VisitTaskInput } from './types';

export interface TeamActivitiesDeps {
  pool: Pool;
  keyring: Keyring;
  /** Tells a team that work is waiting (e-mail to its shared mailbox, a chat message); never with personal data. */
  notify?: (task: {
    municipality: string;
    team: string;
    kind: 'visit' | 'handover';
    caseRef: string;
    plannedAt: string;
  }) => Promise<void>;
}

/**
 * Home visits and warm handovers become tasks for people, in PostgreSQL where the team's own tooling (or the staff
 * API) picks them up. The outcome comes back later as a `visit_outcome` or conversation event.
 */
export function createTeamActivities(
  deps: TeamActivitiesDeps,
): Pick<CaseActivities, 'createVisitTask' | 'warmHandover'> {
  async function createTask(task: {
    key: string;
    municipality: string;
    caseId: string;
    caseRef: string;
    kind: 'visit' | 'handover';
    team: string;
    plannedAt: string;
    reason?: string;
    details: unknown;
  }) {
    const sealed = sealJson(deps.keyring, task.details, personalAad(task.municipality, task.caseId));
    const created = await insertTeamTask(deps.pool, { ...task, reason: task.reason ?? null, detailsSealed: sealed });
    if (created)
      await deps.notify?.({
        municipality: task.municipality,
        team: task.team,
        kind: task.kind,
        caseRef: task.caseRef,
        plannedAt: task.plannedAt,
      });
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
        details: {
          client: input.client,
          bestTimeToCall: input.bestTimeToCall,
          description: input.description,
          history: input.history,
        },
      });
    },
  };
}
