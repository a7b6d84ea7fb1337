import { z } from 'zod';
import type { CaseStatus, CaseView } from '../domain/case';
import { CONTACTSOORTEN, DAGDELEN, EINDRESULTATEN, SIGNAALPARTNER_TYPES, SIGNAALSTATUSSEN } from '../domain/ddas';
import { signalSchema } from '../domain/signal';
import { MAX_SIGNALS_PER_REQUEST } from './intake';

// Request and response shapes of the HTTP API. Routes parse with these and /openapi.json is generated from them.

export const CASE_STATUSES = [
  'matching',
  'checking',
  'inviting',
  'calling',
  'scheduled',
  'visiting',
  'reached',
  'handed_over',
  'dormant',
  'ended',
] as const satisfies readonly CaseStatus[];

export const fieldErrorSchema = z.object({
  path: z.string().meta({
    description:
      'JSON Pointer (RFC 6901) into the request, e.g. /signals/3/client/Postcode; /query/<name> for query parameters.',
  }),
  message: z.string(),
});

export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'urn:bereik:problem:<kind>' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(fieldErrorSchema).optional(),
  })
  .meta({ description: 'RFC 9457 problem details (application/problem+json).' });

/** Parsing shape: each signal is validated on its own so that one bad signal does not reject the batch. */
export const intakeEnvelopeSchema = z.strictObject({ signals: z.array(z.unknown()).min(1) });

/** Documented shape of the intake body. */
export const intakeRequestSchema = z.strictObject({
  signals: z.array(signalSchema).min(1).max(MAX_SIGNALS_PER_REQUEST),
});

export const intakeResponseSchema = z
  .object({
    results: z.array(
      z.object({
        ID: z.string().nullable(),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        case: z.string().optional().meta({ description: 'The household case (workflow ID) the signal belongs to.' }),
        errors: z.array(fieldErrorSchema).optional(),
      }),
    ),
  })
  .meta({ description: 'One result per signal, in request order.' });

const contactpogingSchema = z.object({
  soort: z.enum(CONTACTSOORTEN),
  bereikt: z.boolean(),
  datum: z.string(),
  dagdeel: z.enum(DAGDELEN),
  at: z.string(),
});
const handoverSchema = z.object({
  to: z.enum(['wijkteam', 'sdv', 'budgetcoach', 'meldpunt']),
  at: z.string(),
  reason: z.string(),
});
const segmentSchema = z.enum(['light', 'standard', 'priority']);

export const caseViewSchema = z
  .object({
    case: z.string(),
    caseRef: z.string(),
    municipality: z.string(),
    round: z.number().int(),
    status: z.enum(CASE_STATUSES),
    segment: segmentSchema.nullable(),
    policy: z.object({ name: z.string(), version: z.number().int() }),
    flags: z.object({
      meervoudig: z.boolean(),
      opeenvolgend: z.boolean(),
      crisis: z.boolean(),
      reopenedWarm: z.boolean(),
    }),
    signals: z.array(
      z.object({
        ID: z.string(),
        partnerType: z.enum(SIGNAALPARTNER_TYPES),
        amount: z.number(),
        signaaldatum: z.string(),
        receivedAt: z.string(),
        status: z.enum(SIGNAALSTATUSSEN),
        repeat: z.boolean(),
        resolved: z.boolean(),
      }),
    ),
    attempts: z.array(contactpogingSchema),
    handovers: z.array(handoverSchema),
    chosenMoment: z.string().nullable(),
    nextAction: z
      .object({
        type: z.enum([
          'match',
          'check',
          'message',
          'call',
          'chosen_moment_call',
          'visit',
          'close',
          'dormant_end',
          'wait',
        ]),
        at: z.string(),
        detail: z.string().optional(),
      })
      .nullable(),
    deadlines: z.object({
      firstAttemptBy: z.string().nullable(),
      closeBy: z.string().nullable(),
      breaches: z.array(z.string()),
    }),
    matchedAt: z.string().nullable(),
    reachedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    result: z.enum(EINDRESULTATEN).nullable(),
    previousRounds: z.array(
      z.object({
        round: z.number().int(),
        caseRef: z.string(),
        segment: segmentSchema.nullable(),
        matchedAt: z.string(),
        closedAt: z.string().nullable(),
        result: z.enum(EINDRESULTATEN).nullable(),
        reached: z.boolean(),
        helpDeclined: z.boolean(),
        maxAmount: z.number(),
        signals: z.array(
          z.object({
            ID: z.string(),
            partnerType: z.enum(SIGNAALPARTNER_TYPES),
            amount: z.number(),
            receivedAt: z.string(),
          }),
        ),
        attempts: z.array(contactpogingSchema),
        handovers: z.array(handoverSchema),
      }),
    ),
  })
  .meta({ description: 'A case round as staff see it. No personal data.' });

// Compile-time guard: the documented schema and the domain type may not drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const caseViewSchemaMatchesDomain: Same<z.infer<typeof caseViewSchema>, CaseView> = true;

export const caseListQuerySchema = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().meta({ description: 'The nextCursor of the previous page.' }),
});

export const caseListResponseSchema = z.object({
  items: z.array(
    z.object({
      case: z.string(),
      caseRef: z.string(),
      round: z.number().int(),
      status: z.enum(CASE_STATUSES),
      segment: segmentSchema.nullable(),
      result: z.enum(EINDRESULTATEN).nullable(),
      matchedAt: z.string().nullable(),
      closedAt: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const eventAcceptedSchema = z.object({ accepted: z.literal(true), status: z.enum(CASE_STATUSES) });

const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
export const DDAS_VERSIONS = ['1.2', '0.9'] as const;
export const ddasQuerySchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    version: z.enum(DDAS_VERSIONS, { error: 'must be 1.2 or 0.9' }).default('1.2'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], error: 'must not be before from' });

const ddasClientSchema = z.object({
  Burgerservicenummer: z.string().optional(),
  Voorletters: z.string().optional(),
  Voorvoegsel: z.string().optional(),
  Achternaam: z.string().optional(),
  Geboortedatum: z.string().optional(),
  Straatnaam: z.string().optional(),
  Postcode: z.string().optional(),
  Huisnummer: z.string().optional(),
  Huisnummertoevoeging: z.string().optional(),
  Plaatsnaam: z.string().optional(),
});

export const ddasDeliverySchema = z
  .object({
    startdatumLevering: z.string(),
    einddatumLevering: z.string(),
    aanleverdatumEnTijd: z.string(),
    codeGegevensleverancier: z.string(),
    leveringen: z.array(
      z.object({
        teller: z.number().int(),
        gemeentecode: z.string(),
        aanleverende_organisatie: z.object({ naam: z.string() }),
        vroegsignalen: z.array(
          z.object({
            ID: z.string(),
            crisissignaal: z.boolean(),
            warmeOverdracht: z.boolean().optional(),
            bedrag: z.number().int(),
            ontstaansdatum: z.string().optional(),
            signaaldatum: z.string(),
            status: z
              .enum(SIGNAALSTATUSSEN)
              .optional()
              .meta({ description: 'Absent once the signal is picked up: v0.9 has no "Opgepakt".' }),
            signaalpartner: z.object({ type: z.enum(SIGNAALPARTNER_TYPES) }),
            client: ddasClientSchema.meta({ description: 'Empty once the personal data has been purged.' }),
          }),
        ),
        vroegsignaalzaken: z.array(
          z.object({
            resultaat: z.enum(EINDRESULTATEN).optional(),
            matchingsdatum: z.string(),
            datum_opgepakt: z.string().optional(),
            vroegsignalen: z.array(z.object({ ID: z.string() })).optional(),
            contactpogingen: z.array(
              z.object({
                soort: z.enum(CONTACTSOORTEN),
                bereikt: z.boolean(),
                datum: z.string(),
                dagdeel: z.enum(DAGDELEN),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .meta({
    description:
      'A DDAS Uitwisselmodel v0.9 delivery (https://github.com/VNG-Realisatie/ddas, v0.9/json_schema_Uitwisselmodel.json).',
  });

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({ api: z.enum(['up', 'down']), postgres: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) }),
});

export const residentChoiceSchema = z.object({
  moment: z.string().optional().meta({ description: 'ISO 8601 instant of one of the offered slots.' }),
  lang: z.string().optional(),
});
