import { z } from 'zod';
import { caseEventSchema } from '../../domain/events';
import { signalSchema } from '../../domain/signal';

const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with an offset, e.g. 2027-03-05T20:55:00+01:00',
});

/** The scenario file format of ../shared/SCENARIOS.md. Extend it, don't break it. */
export const scenarioSchema = z
  .strictObject({
    name: z.string().default('scenario'),
    policy: z.string().default('default'),
    municipality: z
      .string()
      .regex(/^\d{4}$/, { error: 'must be a 4-digit gemeentecode' })
      .default('0518'),
    start: instant,
    until: instant,
    signals: z
      .array(z.strictObject({ at: instant, signal: signalSchema }))
      .min(1, { error: 'needs at least one signal' }),
    resident: z
      .strictObject({
        answersCalls: z.array(z.number().int().min(1)).default([]),
        respondsToInvitation: z
          .strictObject({ afterHours: z.number().min(0), chooses: instant })
          .nullable()
          .default(null),
        atHomeOnVisits: z.array(z.number().int().min(1)).default([]),
        conversation: z.enum(['help_accepted', 'quick_fix', 'help_declined', 'already_paid']).nullable().default(null),
        knownAtDebtServices: z.boolean().default(false),
        residency: z.enum(['resident', 'moved', 'deceased']).default('resident'),
      })
      .default({
        answersCalls: [],
        respondsToInvitation: null,
        atHomeOnVisits: [],
        conversation: null,
        knownAtDebtServices: false,
        residency: 'resident',
      }),
    /** How the receiving teams answer handovers: taken up this many days after each, or never (null). */
    teams: z
      .strictObject({ answersHandoversAfterDays: z.number().min(0).nullable().default(1) })
      .default({ answersHandoversAfterDays: 1 }),
    events: z
      .array(
        z.looseObject({ at: instant, type: z.string(), signalID: z.string().optional() }).transform((value, ctx) => {
          const { at, ...event } = value;
          const parsed = caseEventSchema.safeParse(event);
          if (!parsed.success) {
            for (const issue of parsed.error.issues)
              ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
            return z.NEVER;
          }
          return { at, event: parsed.data };
        }),
      )
      .default([]),
  })
  .superRefine((s, ctx) => {
    if (Date.parse(s.until) <= Date.parse(s.start))
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must lie after start' });
    s.signals.forEach((sig, i) => {
      if (Date.parse(sig.at) < Date.parse(s.start))
        ctx.addIssue({ code: 'custom', path: ['signals', i, 'at'], message: 'must not lie before start' });
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ResidentScript = Scenario['resident'];
export type TeamScript = Scenario['teams'];
