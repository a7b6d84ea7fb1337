import { z } from 'zod';
import { DAGDELEN } from '../domain/ddas';
import { TEAMS } from '../domain/teams';
import { WORK_ITEM_KINDS, WORK_ITEM_STATUSES } from '../domain/work-items';

// Request and response shapes of the work routes; /openapi.json is generated from them.

export const workListQuerySchema = z.strictObject({
  team: z.enum(TEAMS).optional().meta({ description: "A team-scoped key sees its own team's work only." }),
  status: z
    .enum(WORK_ITEM_STATUSES)
    .optional()
    .meta({ description: 'overdue: open or claimed past its due instant; open and claimed exclude overdue items.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional().meta({ description: 'The nextCursor of the previous page.' }),
});

export const workItemSummarySchema = z.object({
  id: z.string(),
  case: z.string(),
  team: z.enum(TEAMS),
  kind: z.enum(WORK_ITEM_KINDS),
  plannedAt: z.string(),
  dagdeel: z.enum(DAGDELEN).nullable(),
  dueAt: z.string(),
  status: z.enum(WORK_ITEM_STATUSES),
  reason: z.string().nullable(),
  visit: z.number().int().nullable(),
  claimedBy: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});

export const workListResponseSchema = z.object({
  items: z.array(workItemSummarySchema),
  nextCursor: z.string().nullable(),
});

export const workItemSchema = workItemSummarySchema.extend({
  packet: z
    .object({
      bestTimeToCall: z.string().optional(),
      description: z.string().optional(),
      history: z.array(z.record(z.string(), z.unknown())).optional(),
      instructions: z.string().optional(),
      card: z.string().optional(),
      client: z.record(z.string(), z.unknown()),
    })
    .nullable()
    .meta({
      description:
        "The handover packet with the resident's contact details: only for a staff key scoped to the item's team; " +
        'null for other keys.',
    }),
});

export const workOutcomeResponseSchema = z.object({
  item: workItemSummarySchema,
  caseStatus: z.string().nullable().meta({ description: "The case's status after the outcome; null on a repeat." }),
});
