import { z } from 'zod';
import type { Contactpoging, Dagdeel } from './ddas';
import type { Team } from './teams';
import { plainText } from './text';

/**
 * Work items: everything the case workflow hands to people. A planned home visit, a handover to the wijkteam, SDV,
 * budgetcoach or Meldpunt, and the conversation a call-centre agent records once a resident is reached.
 */
export const WORK_ITEM_KINDS = ['visit', 'handover', 'conversation'] as const;
export type WorkItemKind = (typeof WORK_ITEM_KINDS)[number];

/** Stored statuses; `overdue` is derived: an open or claimed item past its due instant. */
export const WORK_ITEM_STATUSES = ['open', 'claimed', 'done', 'overdue'] as const;
export type WorkItemStatus = (typeof WORK_ITEM_STATUSES)[number];

/** What a work item shows in a list: no personal data. */
export interface WorkItemSummary {
  /** Opaque, random: says nothing about the case or the resident. */
  id: string;
  case: string;
  team: Team;
  kind: WorkItemKind;
  /** When the work is planned (the visit's moment, the handover's instant). */
  plannedAt: string;
  dagdeel: Dagdeel | null;
  /** When its outcome is due; past it, an unfinished item is overdue. */
  dueAt: string;
  status: WorkItemStatus;
  /** Why the case came to this team (no personal data). */
  reason: string | null;
  /** The visit's number in its plan, for visit items. */
  visit: number | null;
  claimedBy: string | null;
  outcome: string | null;
  createdAt: string;
  doneAt: string | null;
}

/** The warm-handover packet: what the receiving team needs. Sealed at rest; opened only for the item's team. */
export interface WorkItemPacket {
  bestTimeToCall?: string;
  description?: string;
  /** Earlier rounds' and this round's contact attempts. */
  history?: Contactpoging[];
  /** What to do on a visit, and the card to leave when nobody is home. */
  instructions?: string;
  card?: string;
  client: Record<string, unknown>;
}

export interface WorkItem extends WorkItemSummary {
  packet: WorkItemPacket | null;
}

/**
 * Outcomes people record on a work item. A visit: the resident was at home or not (a card was left). A conversation:
 * how it went, in the words of the DDAS end results. A handover: the team took the case up or could not; while the
 * team still works an open round (the priority route), it may record the conversation's DDAS outcome instead.
 */
export const workOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('not_at_home') }),
  z.strictObject({ outcome: z.literal('at_home') }),
  z.strictObject({
    outcome: z.literal('help_accepted'),
    to: z.enum(['wijkteam', 'budgetcoach', 'sdv']).optional(),
    financial: z.boolean().optional(),
    bestTimeToCall: plainText(200).optional(),
    description: plainText(2000, { multiline: true }).optional(),
  }),
  z.strictObject({ outcome: z.literal('quick_fix'), description: plainText(2000, { multiline: true }).optional() }),
  z.strictObject({ outcome: z.literal('help_declined') }),
  z.strictObject({ outcome: z.literal('already_paid') }),
  z.strictObject({ outcome: z.literal('taken_up') }),
  z.strictObject({ outcome: z.literal('not_taken_up') }),
]);
export type WorkOutcome = z.infer<typeof workOutcomeSchema>;
export type WorkOutcomeName = WorkOutcome['outcome'];

/** Which outcomes fit which kind of item. */
export const OUTCOMES_OF_KIND: Record<WorkItemKind, readonly WorkOutcomeName[]> = {
  visit: ['not_at_home', 'at_home'],
  handover: ['taken_up', 'not_taken_up', 'help_accepted', 'quick_fix', 'help_declined', 'already_paid'],
  conversation: ['help_accepted', 'quick_fix', 'help_declined', 'already_paid'],
};
