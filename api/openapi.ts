import type { Config } from '../config';
import { z } from 'zod';
import { caseEventSchema } from '../domain/events';
import { workOutcomeSchema } from '../domain/work-items';
import { DDAS_V12_SCHEMA } from './ddas-v12';
import { CSV_COLUMNS } from './intake-csv';
import { FUNNEL_REPORT_JSON_SCHEMA, funnelQuerySchema } from './routes/funnel';
import { MAX_SIGNALS_PER_REQUEST } from './intake';
import { consolePaths } from './console/openapi';
import {
  caseListQuerySchema,
  caseListResponseSchema,
  caseViewSchema,
  ddasDeliverySchema,
  ddasQuerySchema,
  eventAcceptedSchema,
  healthSchema,
  intakeRequestSchema,
  intakeResponseSchema,
  problemSchema,
  residentChoiceSchema,
} from './schemas';
import {
  workItemSchema,
  workItemSummarySchema,
  workListQuerySchema,
  workListResponseSchema,
  workOutcomeResponseSchema,
} from './work-schemas';
import { feedbackQuerySchema, feedbackResponseSchema, resolvedResponseSchema } from './partner-schemas';

type JsonSchema = Record<string, unknown>;

function schema(zodSchema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(zodSchema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  return rest;
}

function queryParameters(zodSchema: z.ZodObject): JsonSchema[] {
  const json = schema(zodSchema, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

/**
 * The shipped DDAS v1.2 JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) as components: the delivery itself plus one
 * component per `$defs` entry, its `#/$defs/...` references pointed at them. So the description is the national
 * schema, not a copy that could drift from it.
 */
function ddasV12Components(): Record<string, JsonSchema> {
  const name = (def: string) =>
    `DdasV12${def.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toUpperCase())}`;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')
          ? [key, `#/components/schemas/${name(value.slice('#/$defs/'.length))}`]
          : [key, rewrite(value)],
      ),
    );
  };
  const {
    $schema: _schema,
    $id: id,
    $defs: defs = {},
    ...delivery
  } = DDAS_V12_SCHEMA as JsonSchema & {
    $defs?: Record<string, unknown>;
  };
  return {
    DdasDeliveryV12: {
      ...(rewrite(delivery) as JsonSchema),
      description: `A DDAS Uitwisselmodel v1.2 delivery (${String(id)}), as shipped in domain/ddas/v1.2/.`,
    },
    ...Object.fromEntries(Object.entries(defs).map(([def, body]) => [name(def), rewrite(body) as JsonSchema])),
  };
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, body: JsonSchema) => ({
  description,
  content: { 'application/json': { schema: body } },
});
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const authErrors = {
  '401': problem('No key or an unknown key.'),
  '403': problem('The key does not have the role this route needs.'),
};
const caseParameter = {
  name: 'case',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^case-[0-9]{4}-[a-z2-7]{26}$' },
};
const tokenParameter = {
  name: 'token',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'Signed resident token from the invitation link.',
};
const langParameter = {
  name: 'lang',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['nl', 'en', 'ar', 'tr', 'fa'] },
};
const codecBody = {
  type: 'object',
  required: ['payloads'],
  properties: {
    payloads: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          metadata: {
            type: ['object', 'null'],
            additionalProperties: {
              type: 'string',
              contentEncoding: 'base64',
              pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
            },
          },
          data: {
            type: ['string', 'null'],
            contentEncoding: 'base64',
            pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
          },
        },
      },
    },
  },
};

export interface OpenApiOptions {
  publicBaseUrl?: string;
  /** The codec endpoint is served (a keyring was given). */
  codec: boolean;
  /** The Twilio webhooks are served (TWILIO_AUTH_TOKEN is set). */
  twilio: boolean;
  /** The CBS pull is set up (CBS_PULL_ISSUER and its companions), and whether it signs with a throwaway certificate. */
  cbsPull?: { developmentCertificate: boolean; issuer: string };
}

/** The options that follow from the configuration, for the route table and for /openapi.json alike. */
export function openApiOptions(config: Config, hasKeyring: boolean): OpenApiOptions {
  const cbsPull = Boolean(config.CBS_PULL_ISSUER && config.CBS_PULL_JWKS_URL && config.CBS_PULL_AUDIENCE);
  return {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    codec: hasKeyring,
    twilio: Boolean(config.TWILIO_AUTH_TOKEN),
    ...(cbsPull
      ? {
          cbsPull: {
            developmentCertificate: !(config.DDAS_SIGNING_KEY && config.DDAS_SIGNING_CERTIFICATES),
            issuer: config.CBS_PULL_ISSUER!,
          },
        }
      : {}),
  };
}

/** The OpenAPI 3.1 description of every route, from the zod schemas the routes parse with. */
function workComponents(): Record<string, JsonSchema> {
  return {
    WorkItemSummary: schema(workItemSummarySchema),
    WorkItem: schema(workItemSchema),
    WorkList: schema(workListResponseSchema),
    WorkOutcome: schema(workOutcomeSchema, 'input'),
    WorkOutcomeAccepted: schema(workOutcomeResponseSchema),
  };
}

const itemParameter = {
  name: 'item',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^wi_[0-9a-f]{32}$' },
  description: "The work item's opaque ID.",
};

/** Work for people (role staff or admin): a team-scoped staff key sees and works its own team's items only. */
function workPaths(): Record<string, JsonSchema> {
  const change = (summary: string, conflict: string) => ({
    post: {
      summary,
      security: [{ apiKey: [] }],
      parameters: [itemParameter],
      responses: {
        '200': json('The item as it is now; repeating the same request changes nothing.', ref('WorkItemSummary')),
        ...authErrors,
        '404': problem('No such work item for this key (another municipality or team).'),
        '409': problem(conflict),
      },
    },
  });
  return {
    '/v1/work': {
      get: {
        summary: 'Work items for people: visits, handovers, escalations, conversations to record (role staff)',
        description: 'Soonest due first, paginated. A team-scoped key sees its own team; asking for another is 403.',
        security: [{ apiKey: [] }],
        parameters: queryParameters(workListQuerySchema),
        responses: {
          '200': json('A page of work items.', ref('WorkList')),
          '400': problem('Invalid query parameters.'),
          ...authErrors,
        },
      },
    },
    '/v1/work/{item}': {
      get: {
        summary: 'One work item with its handover packet',
        description:
          "The packet (best time to call, description, earlier rounds, the resident's contact details) is decrypted " +
          "only for a staff key scoped to the item's team; other keys get packet null.",
        security: [{ apiKey: [] }],
        parameters: [itemParameter],
        responses: {
          '200': json('The work item.', ref('WorkItem')),
          ...authErrors,
          '404': problem('No such work item for this key (another municipality or team).'),
        },
      },
    },
    '/v1/work/{item}/claim': change('Claim an open work item for this key', 'Done, or claimed by another key.'),
    '/v1/work/{item}/release': change('Give a claimed work item back to its team', 'Done, or claimed by another key.'),
    '/v1/work/{item}/outcome': {
      post: {
        summary: 'Complete a work item with its outcome; the outcome reaches the case workflow through its update',
        description:
          'A visit takes at_home or not_at_home; a conversation help_accepted, quick_fix, help_declined or ' +
          "already_paid. A handover is answered with taken_up or not_taken_up (it must be within the policy's " +
          'deadlines.handoverOutcomeDays, or it becomes overdue: a breach, and reminders to the team); while its team ' +
          'still works an open round (the priority route), it may take the conversation outcomes too. An item the ' +
          'case closed itself (lapsed, not needed) goes to the case, which decides. Repeating the same outcome ' +
          'changes nothing. Audited with the key.',
        security: [{ apiKey: [] }],
        parameters: [itemParameter],
        requestBody: { required: true, content: { 'application/json': { schema: ref('WorkOutcome') } } },
        responses: {
          '200': json('The outcome was applied.', ref('WorkOutcomeAccepted')),
          '400': problem('The outcome is not valid, or does not fit this kind of item.'),
          ...authErrors,
          '404': problem('No such work item for this key (another municipality or team).'),
          '409': problem(
            "The case's state refuses the outcome, or the item is claimed or done otherwise; detail says why.",
          ),
          '503': problem('The case did not answer in time.'),
        },
      },
    },
  };
}

/** Signal partners (role partner): their own signals, and nothing of the cases behind them. */
function partnerPaths(): Record<string, JsonSchema> {
  return {
    '/v1/signals/{signal}/resolved': {
      post: {
        summary: 'The arrears behind this signal are resolved: outreach for it stops (role partner)',
        description:
          'Only for a signal of the partner the key speaks for. Repeating it changes nothing. Reaches the case as ' +
          'arrears_resolved; audited with the key.',
        security: [{ apiKey: [] }],
        parameters: [{ name: 'signal', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } }],
        responses: {
          '200': json('Recorded (or recorded before).', ref('SignalResolved')),
          '400': problem('The signal ID is not valid.'),
          ...authErrors,
          '404': problem("No such signal of this partner (another partner's, or another municipality's)."),
          '409': problem('The case refuses it, for example because it has ended; detail says why.'),
          '503': problem('The case did not answer in time.'),
        },
      },
    },
    '/v1/feedback': {
      get: {
        summary: 'Per signal of this partner: picked up or not, and whether help was accepted (role partner)',
        description:
          'So that the partner can pause collection. Never the reason behind "Niet opgepakt", nothing of the case, ' +
          'nothing of other partners. Oldest first, paginated.',
        security: [{ apiKey: [] }],
        parameters: queryParameters(feedbackQuerySchema),
        responses: {
          '200': json('A page of feedback.', ref('PartnerFeedback')),
          '400': problem('Invalid query parameters.'),
          ...authErrors,
        },
      },
    },
  };
}

export function buildOpenApiDocument(options: OpenApiOptions): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'bereik API',
      version: '1.0.0',
      description:
        'Intake of vroegsignalen, staff access to household cases, the DDAS delivery, and the resident page. Errors are ' +
        'RFC 9457 problem details; validation errors list the failing fields as JSON Pointers into the request ' +
        '(e.g. /signals/3/client/Postcode, or /query/<name> for query parameters).',
    },
    ...(options.publicBaseUrl ? { servers: [{ url: options.publicBaseUrl }] } : {}),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'One key per municipality and role (intake, staff, admin, partner); a staff key may be scoped to a team.',
        },
        ...(options.cbsPull
          ? {
              cbsOAuth2: {
                type: 'oauth2',
                description: `CBS: client-credentials JWTs of ${options.cbsPull.issuer}, verified against its JWKS.`,
                flows: {
                  clientCredentials: { tokenUrl: options.cbsPull.issuer, scopes: { read: 'VS-gegevens' } },
                },
              },
            }
          : {}),
      },
      schemas: {
        Problem: schema(problemSchema),
        IntakeRequest: schema(intakeRequestSchema, 'input'),
        IntakeResponse: schema(intakeResponseSchema),
        CaseView: schema(caseViewSchema),
        CaseList: schema(caseListResponseSchema),
        CaseEvent: schema(caseEventSchema, 'input'),
        EventAccepted: schema(eventAcceptedSchema),
        DdasDelivery: schema(ddasDeliverySchema),
        ...ddasV12Components(),
        Health: schema(healthSchema),
        ...workComponents(),
        FunnelReport: FUNNEL_REPORT_JSON_SCHEMA,
        PartnerFeedback: schema(feedbackResponseSchema),
        SignalResolved: schema(resolvedResponseSchema),
      },
    },
    paths: {
      ...workPaths(),
      ...partnerPaths(),
      '/v1/signals': {
        post: {
          summary: 'Receive vroegsignalen (role intake, or partner for its own signals)',
          description:
            `Up to ${MAX_SIGNALS_PER_REQUEST} signals per request. Idempotent per (municipality of the key, ID): a re-post answers ` +
            '"duplicate" and changes nothing. Valid signals are accepted even when others in the batch are rejected. ' +
            'As in DDAS v1.2, client is identified by Burgerservicenummer, or by Postcode with Huisnummer; names, ' +
            'street, place and contact details are optional. A client with neither is rejected at /signals/<i>/client. ' +
            `CSV: a header row of column names (${CSV_COLUMNS.join(', ')}), then one row per signal; "," or ";" as ` +
            'delimiter, quoted fields per RFC 4180, empty cells are absent fields, booleans as true/false, ja/nee or 1/0.',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref('IntakeRequest') },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          responses: {
            '202': json('One result per signal, in request order.', ref('IntakeResponse')),
            '400': problem('Malformed body or envelope.'),
            ...authErrors,
            '413': problem(`More than ${MAX_SIGNALS_PER_REQUEST} signals, or a body over the size limit.`),
            '415': problem('Neither JSON nor CSV.'),
          },
        },
      },
      '/v1/cases': {
        get: {
          summary: "List the municipality's cases (role staff or admin), latest round of each, by case ID",
          security: [{ apiKey: [] }],
          parameters: queryParameters(caseListQuerySchema),
          responses: {
            '200': json('A page of cases.', ref('CaseList')),
            '400': problem('Invalid query parameters.'),
            ...authErrors,
          },
        },
      },
      '/v1/cases/{case}': {
        get: {
          summary: 'The current state of a case (role staff or admin)',
          description:
            'From the running workflow when it runs, otherwise from the read model (header X-Bereik-Source).',
          security: [{ apiKey: [] }],
          parameters: [caseParameter],
          responses: {
            '200': json('The case.', ref('CaseView')),
            ...authErrors,
            '404': problem('No such case for this municipality.'),
          },
        },
      },
      '/v1/cases/{case}/events': {
        post: {
          summary: 'Record an event on a case (role staff or admin); audited with the key',
          security: [{ apiKey: [] }],
          parameters: [caseParameter],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CaseEvent') } } },
          responses: {
            '200': json('The event was applied.', ref('EventAccepted')),
            '400': problem('The event is not valid.'),
            ...authErrors,
            '404': problem('No such case for this municipality.'),
            '409': problem("The event does not fit the case's state; detail gives the reason."),
            '413': problem('The body is over the size limit.'),
            '503': problem('The case did not answer in time.'),
          },
        },
      },
      '/v1/reports/ddas': {
        get: {
          summary: "The municipality's DDAS delivery for a period (role staff or admin)",
          description:
            'version=1.2 (the default) gives DDAS Uitwisselmodel v1.2, checked against the national schema before it ' +
            'leaves: a delivery that would not validate is refused (500, urn:bereik:problem:invalid-delivery, with ' +
            'the failing paths into the delivery). Bereik-Omitted-Signals counts the signals left out because their ' +
            'client can no longer be identified (personal data purged). version=0.9 gives the v0.9 delivery as before.',
          security: [{ apiKey: [] }],
          parameters: queryParameters(ddasQuerySchema),
          responses: {
            '200': {
              description: 'The delivery: DDAS Uitwisselmodel v1.2, or v0.9 when asked for.',
              headers: {
                'Bereik-Omitted-Signals': {
                  description: 'v1.2 only: signals left out because their client can no longer be identified.',
                  schema: { type: 'integer', minimum: 0 },
                },
              },
              content: {
                'application/json': { schema: { anyOf: [ref('DdasDeliveryV12'), ref('DdasDelivery')] } },
              },
            },
            '400': problem('Invalid period or version.'),
            ...authErrors,
            '500': problem('The delivery would not validate against the national schema; errors name the paths.'),
          },
        },
      },
      '/v1/reports/funnel': {
        get: {
          summary: 'The reach funnel for a period, from anonymous statistics (role staff or admin)',
          description:
            'Signals, case rounds, first attempt within the deadline, reached, help accepted and every DDAS result; ' +
            'median and p90 minutes from signal to first attempt and first contact; deadline breaches; recidive. ' +
            'by= splits it by channel or dagdeel of first contact, segment, partner type (a round with signals of ' +
            'two partners counts under both) or month. The statistics survive the retention purge. ' +
            'Accept: text/csv gives one line for the total and one per group.',
          security: [{ apiKey: [] }],
          parameters: queryParameters(funnelQuerySchema),
          responses: {
            '200': {
              description: 'The funnel.',
              content: {
                'application/json': { schema: ref('FunnelReport') },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '400': problem('Invalid period or split.'),
            ...authErrors,
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness of the API, Temporal and PostgreSQL',
          responses: {
            '200': json('Everything is reachable.', ref('Health')),
            '503': problem('Something is down; `down` names it.'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics; with METRICS_TOKEN configured, that token as bearer token',
          responses: {
            '200': {
              description: 'Prometheus text format.',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            '401': problem('METRICS_TOKEN is configured and no bearer token was sent.'),
            '403': problem('A wrong token, or production without METRICS_TOKEN.'),
          },
        },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': json('OpenAPI 3.1.', { type: 'object' }) } },
      },
      '/r/{token}': {
        get: {
          summary: 'Resident page: choose a contact moment',
          parameters: [tokenParameter, langParameter],
          responses: {
            '200': html('The free slots.'),
            '404': html('No such link (mistyped or tampered).'),
            '410': html('Expired link, or nothing left to choose.'),
          },
        },
        post: {
          summary: 'Resident page: send the chosen moment',
          parameters: [tokenParameter],
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: schema(residentChoiceSchema, 'input') } },
          },
          responses: {
            '200': html('Confirmation.'),
            '400': html(
              'No moment chosen, or a form that cannot be read: the page again, with what to do. Other fields are ignored.',
            ),
            '404': html('No such link (mistyped or tampered).'),
            '413': html('The form is over 4 KiB: the page again, asking to choose a time.'),
            '409': html('The moment can no longer be chosen.'),
            '410': html('Expired link, or nothing left to choose.'),
          },
        },
      },
      ...consolePaths(),
      ...(options.codec ? codecPaths() : {}),
      ...(options.twilio ? twilioPaths() : {}),
      ...(options.cbsPull ? cbsPullPaths(options.cbsPull.developmentCertificate) : {}),
    },
  };
}

/** The CBS pull, as ../shared/ddas/v1.2/DDAS-VS.yaml describes it (that file is the contract; this is a summary). */
function cbsPullPaths(developmentCertificate: boolean): Record<string, unknown> {
  const fsc = (description: string) => ({
    description: `${description} FSC error: Fsc-Error-Code header, body { code, domain, title, detail, status }.`,
    content: { 'application/problem+json': { schema: { type: 'object', required: ['code', 'domain'] } } },
  });
  const signedHeader = (name: string, description: string) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema: { type: 'string' },
  });
  return {
    '/ddas/v1/gegevens': {
      post: {
        summary: 'CBS pulls the DDAS v1.2 deliveries (DDAS-VS.yaml postGegevens)',
        description:
          'OAuth2 client-credentials bearer JWT of CBS_PULL_ISSUER for CBS_PULL_AUDIENCE with the read scope. The ' +
          'request and the answer carry Digest (SHA-256 of the body) and nlgov-adr-payload-sig (detached JAdES, ' +
          'PS256, sigD HttpHeaders over digest, x5c chain). Pages hold up to 50,000 records (vroegsignalen and ' +
          'vroegsignaalzaken). Without a period: the previous calendar month.',
        security: [{ cbsOAuth2: ['read'] }],
        parameters: [
          signedHeader('Digest', 'SHA-256=<base64 of the SHA-256 of the body>'),
          signedHeader('nlgov-adr-payload-sig', 'Detached JWS over the Digest header, chained to a trusted CA.'),
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  aanleverperiodeStartdatum: { type: 'string', format: 'date' },
                  aanleverperiodeEinddatum: { type: 'string', format: 'date' },
                  aanleverendeOrganisatie: { type: 'string' },
                  page: { type: 'integer', minimum: 1 },
                  pageSize: { type: 'integer', minimum: 1, maximum: 50_000 },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: '{ gegevens: Uitwisselmodel v1.2, paginering? }, signed.',
            headers: {
              Digest: { schema: { type: 'string' } },
              'nlgov-adr-payload-sig': { schema: { type: 'string' } },
            },
            content: { 'application/json': { schema: { type: 'object', required: ['gegevens'] } } },
          },
          '400': problem('The request, its Digest or its signature is invalid; errors name the field or header.'),
          '401': fsc('No token, or an invalid or expired one.'),
          '403': fsc('The token lacks the read scope.'),
          '422': problem('A period running backwards or longer than a year, or an unknown aanleverendeOrganisatie.'),
          '429': problem('More requests than CBS_PULL_REQUESTS_PER_MINUTE; see Retry-After.'),
          '500': problem('The delivery would not validate against the national schema; errors name the paths.'),
        },
      },
    },
    ...(developmentCertificate
      ? {
          '/ddas/v1/development-certificate.pem': {
            get: {
              summary: "Development only: the throwaway certificate this run's answers are signed with",
              responses: { '200': { description: 'PEM', content: { 'application/x-pem-file': {} } } },
            },
          },
        }
      : {}),
  };
}

/** Temporal Web UI codec server protocol (Settings → Codec Server); staff or admin key as bearer token. */
function codecPaths(): Record<string, unknown> {
  const operation = (what: string) => ({
    options: {
      summary: `CORS preflight for ${what}`,
      responses: { '204': { description: 'Allowed origin.' }, '403': { description: 'Origin not allowed.' } },
    },
    post: {
      summary: `Payload codec: ${what} (role staff or admin; audited)`,
      security: [{ apiKey: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: codecBody } } },
      responses: {
        '200': json('The payloads.', codecBody),
        '400': problem('Invalid payloads, naming the field.'),
        '401': problem('No key or an unknown key.'),
        '403': problem('The key has neither the staff nor the admin role.'),
        '413': problem('Too many or too large payloads.'),
      },
    },
  });
  return { '/codec/encode': operation('encode'), '/codec/decode': operation('decode') };
}

/** Twilio status callbacks and inbound messages; verified by X-Twilio-Signature over the public URL. */
function twilioPaths(): Record<string, unknown> {
  const form = {
    required: true,
    content: {
      'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } },
    },
  };
  const signature = { name: 'X-Twilio-Signature', in: 'header', required: true, schema: { type: 'string' } };
  const query = (name: string, description: string) => ({
    name,
    in: 'query',
    required: name === 'case',
    schema: { type: 'string' },
    description,
  });
  const callback = (summary: string, extra: unknown[]) => ({
    post: {
      summary,
      parameters: [signature, query('case', 'The case the callback belongs to.'), ...extra],
      requestBody: form,
      responses: {
        '204': { description: 'Recorded.' },
        '400': { description: 'Case reference missing.' },
        '403': { description: 'Bad signature.' },
        '413': { description: 'Over the size limit.' },
        '500': { description: 'Not delivered; Twilio retries.' },
      },
    },
  });
  const inbound = (withMunicipality: boolean) => ({
    post: {
      summary: 'Inbound SMS or WhatsApp: a reply counts as contact, STOP as an objection',
      parameters: [
        signature,
        ...(withMunicipality
          ? [{ name: 'municipality', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{4}$' } }]
          : []),
      ],
      requestBody: form,
      responses: {
        '200': { description: 'Empty TwiML.', content: { 'text/xml': { schema: { type: 'string' } } } },
        '403': { description: 'Bad signature.' },
        '413': { description: 'Over the size limit.' },
      },
    },
  });
  return {
    '/webhooks/twilio/call-status': callback('Twilio call status callback', [
      query('attempt', 'Attempt number.'),
      query('key', 'Call key.'),
    ]),
    '/webhooks/twilio/message-status': callback('Twilio message status callback', [query('key', 'Message key.')]),
    '/webhooks/twilio/inbound': inbound(false),
    '/webhooks/twilio/inbound/{municipality}': inbound(true),
  };
}

/** Each documented path as a pattern with its methods, so an undeclared method gets 405 rather than 404. */
export function documentedMethods(document: JsonSchema): { pattern: RegExp; methods: string[] }[] {
  const paths = (document as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).map(([template, operations]) => ({
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
    methods: Object.keys(operations).map((m) => m.toUpperCase()),
  }));
}
