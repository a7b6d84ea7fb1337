import { z } from 'zod';

// Request and response shapes of the partner routes; /openapi.json is generated from them.

export const SIGNAL_ID = /^[\x21-\x7e]{1,100}$/;

export const feedbackQuerySchema = z.strictObject({
  since: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }).meta({
    description: 'Signals received on or after this date (Europe/Amsterdam).',
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(300).optional().meta({ description: 'The nextCursor of the previous page.' }),
});

export const partnerFeedbackSchema = z.object({
  ID: z.string(),
  status: z.enum(['Opgepakt', 'Nog niet opgepakt', 'Niet opgepakt']).meta({
    description: 'The DDAS signal status, without the reason behind "Niet opgepakt".',
  }),
  helpAccepted: z.boolean().meta({ description: 'The resident accepted help in the round that took the signal in.' }),
});

export const feedbackResponseSchema = z.object({
  signals: z.array(partnerFeedbackSchema),
  nextCursor: z.string().nullable(),
});

export const resolvedResponseSchema = z.object({
  ID: z.string(),
  resolved: z.literal(true),
});
