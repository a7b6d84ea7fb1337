import type { Pool } from 'pg';
import type { Keyring } from '../common/encryption-keys';
import { sealJson } from '../common/field-crypto';
import { personalAad } from '../common/personal-data';
import {
  clearWorkItemNotified,
  clearWorkItemReminded,
  closeWorkItemForCase,
  insertWorkItem,
  markWorkItemNotified,
  markWorkItemReminded,
  type NewWorkItem,
} from '../db/work-items';
import type { Team } from '../domain/teams';
import type { WorkItemPacket } from '../domain/work-items';
import type { CaseActivities, ConversationTaskInput, HandoverInput, VisitTaskInput, WorkItemKeyInput } from './types';

/** What a team hears of a new work item: never personal data, only where to find it. */
export interface NewWorkNotice {
  itemId: string;
  municipality: string;
  team: Team;
  kind: NewWorkItem['kind'];
  dueAt: string;
  dagdeel: NewWorkItem['dagdeel'];
  /** Set on a reminder of an overdue item: which one. */
  reminder?: number;
}

export interface TeamActivitiesDeps {
  pool: Pool;
  keyring: Keyring;
  /** Tells a team that work is waiting (its mailbox, its webhook); never with personal data. */
  notify?: (notice: NewWorkNotice) => Promise<void>;
}

const VISIT_INSTRUCTIONS =
  'Bezoek het adres in dit dagdeel. Thuis: voer het gesprek en leg de uitkomst vast. ' +
  'Niemand thuis: laat het kaartje achter en leg "niet thuis" vast.';
const VISIT_CARD = 'Kaartje vroegsignalering: "We kwamen langs omdat we u willen helpen. Bel ons of kies een moment."';

/**
 * Everything the workflow hands to people becomes a work item in PostgreSQL, where the staff API and console (or
 * the team's own tooling, told by mail or webhook) pick it up. Its outcome comes back through the case's update.
 */
export function createTeamActivities(
  deps: TeamActivitiesDeps,
): Pick<
  CaseActivities,
  'createVisitTask' | 'warmHandover' | 'createConversationTask' | 'closeWorkItem' | 'remindTeam'
> {
  async function createItem(item: Omit<NewWorkItem, 'packetSealed'>, packet: WorkItemPacket) {
    const packetSealed = sealJson(deps.keyring, packet, personalAad(item.municipality, item.caseId));
    const { id } = await insertWorkItem(deps.pool, { ...item, packetSealed });
    // Notified once: a retry after a failed notice tries again, a retry after a sent one does not.
    if (deps.notify && (await markWorkItemNotified(deps.pool, id))) {
      const { municipality, team, kind, dueAt, dagdeel } = item;
      await tell({ itemId: id, municipality, team, kind, dueAt, dagdeel }, () => clearWorkItemNotified(deps.pool, id));
    }
  }

  /** Sends a notice already marked as sent; a failure undoes the mark, so the activity's retry sends it. */
  async function tell(notice: NewWorkNotice, undo: () => Promise<void>): Promise<void> {
    try {
      await deps.notify!(notice);
    } catch (error) {
      await undo();
      throw error;
    }
  }

  return {
    async createVisitTask(input: VisitTaskInput) {
      await createItem(
        {
          key: input.visitKey,
          municipality: input.municipality,
          caseId: input.caseId,
          caseRef: input.caseRef,
          kind: 'visit',
          team: input.team === 'visit' ? 'visits' : 'wijkteam',
          plannedAt: input.plannedAt,
          dueAt: input.dueAt ?? input.plannedAt,
          dagdeel: input.dagdeel ?? null,
          visit: input.visit,
          reason: `home visit ${input.visit}`,
        },
        { client: input.client, instructions: VISIT_INSTRUCTIONS, card: VISIT_CARD },
      );
    },
    async warmHandover(input: HandoverInput) {
      await createItem(
        {
          key: input.handoverKey,
          municipality: input.municipality,
          caseId: input.caseId,
          caseRef: input.caseRef,
          kind: 'handover',
          team: input.to,
          plannedAt: input.at,
          dueAt: input.dueAt ?? input.at,
          dagdeel: null,
          visit: null,
          reason: input.reason,
        },
        {
          client: input.client,
          ...(input.bestTimeToCall ? { bestTimeToCall: input.bestTimeToCall } : {}),
          ...(input.description ? { description: input.description } : {}),
          history: input.history,
        },
      );
    },
    async createConversationTask(input: ConversationTaskInput) {
      await createItem(
        {
          key: input.conversationKey,
          municipality: input.municipality,
          caseId: input.caseId,
          caseRef: input.caseRef,
          kind: 'conversation',
          team: input.team,
          plannedAt: input.at,
          dueAt: input.dueAt,
          dagdeel: null,
          visit: null,
          reason: 'resident reached: record how the conversation went',
        },
        { client: input.client, history: input.history },
      );
    },
    async closeWorkItem(input: WorkItemKeyInput & { reason: 'lapsed' | 'not_needed' }) {
      await closeWorkItemForCase(deps.pool, input.municipality, input.key, input.reason);
    },
    async remindTeam(input: WorkItemKeyInput & { reminder: number }) {
      const item = await markWorkItemReminded(deps.pool, input.municipality, input.key, input.reminder);
      if (!item || !deps.notify) return;
      const { id, ...rest } = item;
      await tell({ itemId: id, municipality: input.municipality, ...rest, reminder: input.reminder }, () =>
        clearWorkItemReminded(deps.pool, id, input.reminder),
      );
    },
  };
}
