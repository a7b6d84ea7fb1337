import { z } from 'zod';
import { HANDOVER_ANSWERS } from './case';
import { asciiIdentifier, plainText } from './text';

/** Events that staff, webhooks and residents send into a running case. One schema for API, workflow and tests. */
export const caseEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contact_moment_chosen'), moment: z.iso.datetime({ offset: true }) }),
  z.strictObject({
    type: z.literal('call_outcome'),
    attempt: z.number().int().min(1).optional(),
    outcome: z.enum(['answered', 'no-answer', 'busy', 'failed']),
  }),
  z.strictObject({
    type: z.literal('visit_outcome'),
    visit: z.number().int().min(1).optional(),
    atHome: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('resident_contact'),
    channel: z.enum(['phone', 'sms', 'whatsapp', 'email', 'letter', 'desk', 'other']).optional(),
  }),
  z.strictObject({
    type: z.literal('help_accepted'),
    to: z.enum(['wijkteam', 'budgetcoach', 'sdv']).optional(),
    financial: z.boolean().optional(),
    bestTimeToCall: plainText(200).optional(),
    description: plainText(2000, { multiline: true }).optional(),
  }),
  z.strictObject({ type: z.literal('quick_fix'), description: plainText(2000, { multiline: true }).optional() }),
  z.strictObject({ type: z.literal('help_declined') }),
  z.strictObject({ type: z.literal('already_paid') }),
  z.strictObject({
    type: z.literal('handover_answered'),
    to: z.enum(['wijkteam', 'sdv', 'budgetcoach', 'meldpunt']),
    outcome: z.enum(HANDOVER_ANSWERS),
  }),
  z.strictObject({
    type: z.literal('arrears_resolved'),
    signalID: asciiIdentifier('a signal ID').optional(),
  }),
  z.strictObject({
    type: z.literal('objection'),
    channel: z.enum(['all', 'sms', 'whatsapp', 'email', 'phone', 'letter']).default('all'),
  }),
  z.strictObject({
    type: z.literal('message_status'),
    messageRef: asciiIdentifier('a message reference'),
    status: z.enum(['delivered', 'undelivered', 'failed']),
  }),
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
export type CaseEventType = CaseEvent['type'];
export const CASE_EVENT_TYPES = caseEventSchema.options.map((o) => o.shape.type.value) as CaseEventType[];
