import path from 'node:path';
import { z } from 'zod';
import { createMunicipalityDirectory, municipalityOverridesSchema } from '../domain/municipalities';
import { apiKeyScopeProblem } from '../domain/teams';

/**
 * The one typed configuration of bereik, read from the environment. Every variable is documented here and in the
 * README; a bad value stops start-up with a message naming the variable.
 */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, { error: 'must be a duration such as 10s, 15m, 24h or 2d' })
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+/, '');
    const ms = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
    return n * ms;
  });

const API_KEY_ROLES = ['intake', 'staff', 'admin', 'partner'] as const;

/** `key:gemeentecode:role[:scope]`: a staff key may be scoped to a team, a partner key must name its partner. */
const apiKeys = z.string().transform((value, ctx) => {
  const keys: { key: string; municipality: string; role: (typeof API_KEY_ROLES)[number]; scope?: string }[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [key, municipality, role, scope, ...rest] = entry.split(':');
    if (
      !key ||
      !municipality ||
      !role ||
      rest.length > 0 ||
      !/^\d{4}$/.test(municipality) ||
      !(API_KEY_ROLES as readonly string[]).includes(role)
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'entries must look like key:gemeentecode:role[:scope] with a 4-digit gemeentecode and role intake, staff, admin or partner',
      });
      return z.NEVER;
    }
    if (key.length < 16) {
      ctx.addIssue({ code: 'custom', message: 'each key must be at least 16 characters' });
      return z.NEVER;
    }
    const scopeProblem = apiKeyScopeProblem(role as (typeof API_KEY_ROLES)[number], scope || undefined);
    if (scopeProblem) {
      ctx.addIssue({ code: 'custom', message: scopeProblem });
      return z.NEVER;
    }
    keys.push({
      key,
      municipality,
      role: role as (typeof API_KEY_ROLES)[number],
      ...(scope ? { scope } : {}),
    });
  }
  return keys;
});

const municipalityPolicies = z.string().transform((value, ctx) => {
  const map: Record<string, string> = {};
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [code, name] = entry.split(':');
    if (!code || !name || !/^\d{4}$/.test(code)) {
      ctx.addIssue({ code: 'custom', message: 'entries must look like gemeentecode:policy, e.g. 0392:haarlem' });
      return z.NEVER;
    }
    map[code] = name;
  }
  return map;
});

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Where local state lives: database files, dev keys, print queue. */
  DATA_DIR: z.string().default('.data'),
  PORT: port.default(3000),
  /** Public base URL of the API, used in resident links and webhook URLs. */
  PUBLIC_BASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** host:port of the Temporal frontend. Unset: `npm start` runs a local dev server on TEMPORAL_PORT. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, { error: 'must be host:port' })
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('bereik-cases'),
  TEMPORAL_UI_PORT: port.default(8233),
  /** gRPC port of the dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
  TEMPORAL_PORT: port.default(7233),
  /** Origins of the Temporal Web UI that may call /codec (CORS), comma-separated; unset: the local UI on TEMPORAL_UI_PORT. */
  CODEC_ALLOWED_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1, { error: 'name at least one origin' }))
    .optional(),
  /** What `npm start` runs when TEMPORAL_ADDRESS is unset: the dev server, or `cluster`, the real server on PostgreSQL. */
  TEMPORAL_SERVER: z.enum(['dev', 'cluster']).default('dev'),
  /** host:port where the worker serves Temporal's worker metrics for Prometheus (cache hits, task latencies); unset: none. */
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, { error: 'must be host:port' })
    .optional(),
  /**
   * host:port where the worker serves its own business metrics (`/metrics`, prom-client: the Twilio rate-limit queue).
   * Loopback by default; set 0.0.0.0:9465 in a container for Prometheus to reach it.
   */
  BEREIK_WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, { error: 'must be host:port' })
    .default('127.0.0.1:9465'),
  /** Worker Versioning (deploy/ROLLOUT.md): the Worker Deployment this worker belongs to; unset: unversioned. */
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'letters, digits, - and _ only' })
    .optional(),
  /** The version's build ID; unset: the package version and a hash of the workflow bundle. */
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.+-]+$/, { error: 'letters, digits, -, _, + and . only' })
    .optional(),
  /** Sleeping cases are evicted, not cached: this bounds worker memory. */
  MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),

  /** PostgreSQL connection string. Unset: `npm start` runs a local cluster under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' })
    .optional(),
  PG_PORT: port.default(5433),

  /** Development and test keys: key:gemeentecode:role,... Production keys live hashed in PostgreSQL. */
  API_KEYS: apiKeys.default([]),
  /** Secret for the keyed hash that turns an address into a case ID. Required in production. */
  CASE_ID_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Secret for signing resident links. Required in production. */
  RESIDENT_LINK_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Key of the blind index that finds a case by phone number (inbound SMS). Never rotated. Unset in development: generated under DATA_DIR. */
  PHONE_INDEX_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Bearer token Prometheus sends for the API's `/metrics`. Unset: open in development, closed (403) in production. */
  METRICS_TOKEN: z.string().min(24, { error: 'at least 24 characters' }).optional(),
  /** Set by `npm start` for one run: the capability in the local Web UI's codec endpoint URL. Never in production. */
  CODEC_LOCAL_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,}$/, { error: 'must be at least 32 URL-safe characters' })
    .optional(),
  /** keyId:base64key,...; the first encrypts, all decrypt. Unset in development: a key is generated under DATA_DIR. */
  ENCRYPTION_KEYS: z.string().optional(),

  /** Contact policy per municipality (gemeentecode:policy,...); others get DEFAULT_POLICY. */
  MUNICIPALITY_POLICIES: municipalityPolicies.default({}),
  DEFAULT_POLICY: z.string().min(1).default('default'),
  /** Overrides the policy's matching window (e.g. 10s) so a demo sees the first outreach at once. */
  MATCHING_WINDOW: duration.optional(),
  /**
   * JSON object per gemeentecode: name, returnAddress, phone, website, email, replyTo, team, logoUrl, colour. Adds
   * municipalities to the built-in directory (`domain/municipalities.ts`) or changes fields of built-in ones.
   */
  MUNICIPALITIES: z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON object, e.g. {"0518":{"replyTo":"vroegsignalering@denhaag.nl"}}',
        });
        return z.NEVER;
      }
    })
    .pipe(municipalityOverridesSchema)
    .default({}),

  /**
   * Months after a household's last round closed before its personal data is purged (to be confirmed against the
   * Wgs and the municipality's own retention schedule). Anonymous statistics stay.
   */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  /** Per municipality: gemeentecode:months,... */
  RETENTION_MONTHS_BY_MUNICIPALITY: z
    .string()
    .regex(/^(\d{4}:\d{1,3})?(,\d{4}:\d{1,3})*$/, { error: 'entries must look like gemeentecode:months, e.g. 0518:18' })
    .transform((v) =>
      Object.fromEntries(
        v
          .split(',')
          .filter(Boolean)
          .map((e) => e.split(':'))
          .map(([code, months]) => [code, Number(months)]),
      ),
    )
    .default({}),

  /** DDAS codeGegevensleverancier: the code of whoever delivers the data on the municipality's behalf. */
  DDAS_SUPPLIER_CODE: z.string().min(1).default('BEREIK'),

  // The CBS pull (POST /ddas/v1/gegevens, ../shared/ddas/v1.2/DDAS-VS.yaml). Off unless CBS_PULL_ISSUER is set.
  /** Issuer (`iss`) of the OAuth2 client-credentials tokens CBS presents. */
  CBS_PULL_ISSUER: z.url().optional(),
  /** The issuer's JWKS; its keys verify the tokens. */
  CBS_PULL_JWKS_URL: z.url().optional(),
  /** The audience (`aud`) a token must be for: this service's resource identifier. */
  CBS_PULL_AUDIENCE: z.string().min(1).optional(),
  /** gemeentecodes whose deliveries CBS may pull from this service, comma-separated. */
  CBS_PULL_MUNICIPALITIES: z
    .string()
    .regex(/^\d{4}(\s*,\s*\d{4})*$/, { error: 'must be gemeentecodes separated by commas, e.g. 0518,0392' })
    .transform((v) => v.split(',').map((c) => c.trim()))
    .optional(),
  /** Requests per minute per CBS client before 429. */
  CBS_PULL_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().max(10_000).default(30),
  /** PEM of the PKIoverheid (or, in development, local) CA certificates that request signatures must chain to. */
  CBS_PULL_TRUST_ANCHORS: z.string().optional(),
  /**
   * The key (PKCS#8 PEM) and certificate chain (PEM, signing certificate first) that sign responses, with the
   * key's `kid`. Unset in development: a throwaway key and self-signed certificate are made at start.
   */
  DDAS_SIGNING_KEY: z.string().optional(),
  DDAS_SIGNING_CERTIFICATES: z.string().optional(),
  DDAS_SIGNING_KID: z.string().min(1).default('bereik-ddas-signing'),

  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, { error: 'must be a Twilio account SID (AC + 32 hex)' })
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_WHATSAPP_FROM: z.string().optional(),
  TWILIO_CALLER_ID: z.string().optional(),
  TWILIO_CALL_CENTRE_NUMBER: z.string().optional(),
  /** Base-URL override for Twilio's API (a local Prism mock in development). */
  TWILIO_API_URL: z.url().optional(),
  /** Base-URL override for Twilio Lookups, which is a separate host (a second Prism in development). */
  TWILIO_LOOKUPS_URL: z.url().optional(),
  /**
   * What the Twilio account may send, per municipality: Twilio queues (and eventually drops) anything beyond it.
   * Defaults are a new account's: 1 message and 1 call per second. Raise them after Twilio raised the account's.
   */
  TWILIO_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1000).optional(),
  TWILIO_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).optional(),
  /** Line-type look-ups (Twilio Lookups) per second and municipality; default 5. */
  TWILIO_LOOKUPS_PER_SECOND: z.coerce.number().positive().max(1000).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  MAIL_FROM: z.string().default('bereik <noreply@localhost>'),
  /** Letters to print. Default: OUTBOX_DIR/print-queue. */
  PRINT_QUEUE_DIR: z.string().optional(),
  /**
   * Development: what local peers "sent" (e-mails as .eml, letters). Outside DATA_DIR on purpose: these are messages
   * to residents and carry their names and addresses, while DATA_DIR holds system state that must not.
   */
  OUTBOX_DIR: z.string().default('.outbox'),
  /** The monthly DDAS v1.2 files, validated, for transfer to CBS (they identify residents). Default: OUTBOX_DIR/ddas. */
  DDAS_OUTBOX_DIR: z.string().optional(),

  // Registries: which BRP, SDV and phone-enrichment services the worker calls (config/registries.ts decides).
  /** Haal Centraal BRP Personen bevragen v2 base URL, e.g. https://brp.example.nl/haalcentraal/api/brp. */
  BRP_URL: z.url().optional(),
  /** The BRP API key (a secret); required in production when BRP_URL is set. */
  BRP_API_KEY: z.string().min(1).optional(),
  /** Per municipality (gemeentecode:key,...), for a deployment serving several: each asks the BRP under its own key. */
  BRP_API_KEYS_BY_MUNICIPALITY: z
    .string()
    .regex(/^\d{4}:[^,\s]+(,\s*\d{4}:[^,\s]+)*$/, {
      error: 'entries must look like gemeentecode:key, e.g. 0518:abc123',
    })
    .transform((v) => {
      const entries = v.split(',').map((e) => e.trim());
      return Object.fromEntries(entries.map((e) => [e.slice(0, 4), e.slice(5)])) as Record<string, string>;
    })
    .optional(),
  /** Header the BRP API key goes in. */
  BRP_API_KEY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, { error: 'must be an HTTP header name' })
    .default('X-API-KEY'),
  /** Base URL of the SDV look-up (contract: activities/registries/sdv.openapi.yaml). */
  SDV_URL: z.url().optional(),
  SDV_API_KEY: z.string().min(1).optional(),
  /** Base URL of the phone-number enrichment (contract: activities/registries/enrichment.openapi.yaml). */
  PHONE_ENRICHMENT_URL: z.url().optional(),
  PHONE_ENRICHMENT_API_KEY: z.string().min(1).optional(),
  /** Registries deliberately run without a service (brp, sdv, phone-enrichment, or all): their checks don't filter. */
  UNCONNECTED_REGISTRIES: z
    .string()
    .regex(/^(all|((brp|sdv|phone-enrichment)(\s*,\s*(brp|sdv|phone-enrichment))*))$/, {
      error: 'must be all or a list of brp, sdv, phone-enrichment',
    })
    .transform((v) => {
      const names = v === 'all' ? ['brp', 'sdv', 'phone-enrichment'] : v.split(',').map((e) => e.trim());
      return names as ('brp' | 'sdv' | 'phone-enrichment')[];
    })
    .optional(),
  /** Per registry request. */
  REGISTRY_TIMEOUT: duration.default(15_000),

  /** The staff console's OpenID Connect provider (issuer URL). Unset: `npm start` runs a local development provider. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('bereik-console'),
  /** The console's client secret at the provider (client_secret_basic). */
  OIDC_CLIENT_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** Port of the local development OpenID provider that `npm start` runs when OIDC_ISSUER is unset. */
  OIDC_DEV_PORT: port.default(3009),
  /** A console session ends after this long without a request ... */
  CONSOLE_SESSION_IDLE: duration.default(30 * 60_000),
  /** ... and this long after sign-in in any case. */
  CONSOLE_SESSION_MAX: duration.default(10 * 3_600_000),
});

/** The environment's variables as parsed, before derived defaults. */
export type EnvConfig = z.infer<typeof configSchema>;

/** Where `npm start` runs the Temporal dev server when TEMPORAL_ADDRESS is unset. */
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * Values whose default depends on other variables, resolved once by {@link loadConfig}. The variables themselves stay
 * as given, so that `npm start` can tell an unset TEMPORAL_ADDRESS (run a dev server) from a set one.
 */
export interface ResolvedConfig {
  /** TEMPORAL_ADDRESS, else the local dev server. */
  temporalAddress: string;
  /** PUBLIC_BASE_URL without a trailing slash, else http://localhost:PORT: resident links and webhook URLs. */
  publicBaseUrl: string;
  /** PRINT_QUEUE_DIR, else OUTBOX_DIR/print-queue; absolute. */
  printQueueDir: string;
  /** DDAS_OUTBOX_DIR, else OUTBOX_DIR/ddas; absolute. */
  ddasOutboxDir: string;
}

export type Config = EnvConfig & ResolvedConfig;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable is an unset one: compose files pass `${VAR:-}` for everything optional.
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  // Every municipality the configuration names must be one residents can be told about.
  const directory = createMunicipalityDirectory(config.MUNICIPALITIES);
  const named = [
    ...config.API_KEYS.map((k) => ['API_KEYS', k.municipality] as const),
    ...Object.keys(config.MUNICIPALITY_POLICIES).map((code) => ['MUNICIPALITY_POLICIES', code] as const),
    ...Object.keys(config.RETENTION_MONTHS_BY_MUNICIPALITY).map(
      (code) => ['RETENTION_MONTHS_BY_MUNICIPALITY', code] as const,
    ),
  ];
  const unknown = named
    .filter(([, code]) => !directory.find(code))
    .map(([name, code]) => `  ${name}: municipality ${code} is not in the directory; add it to MUNICIPALITIES`);
  if (unknown.length > 0) throw new ConfigError(`Invalid configuration:\n${[...new Set(unknown)].join('\n')}`);
  const cbsProblems = cbsPullProblems(config);
  if (cbsProblems.length > 0) throw new ConfigError(`Invalid configuration:\n${cbsProblems.join('\n')}`);
  if (config.NODE_ENV === 'production') {
    if (config.CODEC_LOCAL_TOKEN)
      throw new ConfigError('Invalid configuration:\n  CODEC_LOCAL_TOKEN: is for local development only');
    for (const name of [
      'CASE_ID_SECRET',
      'RESIDENT_LINK_SECRET',
      'ENCRYPTION_KEYS',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
    ] as const) {
      if (!config[name]) throw new ConfigError(`Invalid configuration:\n  ${name}: is required in production`);
    }
    if (config.SMTP_URL && /@localhost>?$/.test(config.MAIL_FROM)) {
      throw new ConfigError(
        'Invalid configuration:\n  MAIL_FROM: must be an address the SMTP relay may send from, not localhost, in production',
      );
    }
  }
  const outboxDir = path.resolve(config.OUTBOX_DIR);
  return {
    ...config,
    DATA_DIR: path.resolve(config.DATA_DIR),
    OUTBOX_DIR: outboxDir,
    temporalAddress: config.TEMPORAL_ADDRESS ?? LOCAL_TEMPORAL_ADDRESS,
    publicBaseUrl: (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, ''),
    printQueueDir: path.resolve(config.PRINT_QUEUE_DIR ?? path.join(outboxDir, 'print-queue')),
    ddasOutboxDir: path.resolve(config.DDAS_OUTBOX_DIR ?? path.join(outboxDir, 'ddas')),
  };
}

/** The CBS pull is all or nothing: a token issuer without its keys, audience or municipalities would refuse everyone. */
function cbsPullProblems(config: z.infer<typeof configSchema>): string[] {
  if (!config.CBS_PULL_ISSUER) return [];
  const missing = (
    ['CBS_PULL_JWKS_URL', 'CBS_PULL_AUDIENCE', 'CBS_PULL_MUNICIPALITIES', 'CBS_PULL_TRUST_ANCHORS'] as const
  )
    .filter((name) => !config[name])
    .map((name) => `  ${name}: is required when CBS_PULL_ISSUER is set`);
  if (config.NODE_ENV === 'production' && !(config.DDAS_SIGNING_KEY && config.DDAS_SIGNING_CERTIFICATES))
    missing.push(
      '  DDAS_SIGNING_KEY, DDAS_SIGNING_CERTIFICATES: are required in production when CBS_PULL_ISSUER is set',
    );
  if (Boolean(config.DDAS_SIGNING_KEY) !== Boolean(config.DDAS_SIGNING_CERTIFICATES))
    missing.push('  DDAS_SIGNING_KEY, DDAS_SIGNING_CERTIFICATES: set both or neither');
  const unknown = (config.CBS_PULL_MUNICIPALITIES ?? []).filter(
    (code) => !createMunicipalityDirectory(config.MUNICIPALITIES).find(code),
  );
  for (const code of unknown)
    missing.push(`  CBS_PULL_MUNICIPALITIES: municipality ${code} is not in the directory; add it to MUNICIPALITIES`);
  return missing;
}

export function policyFor(config: Config, municipality: string): string {
  return config.MUNICIPALITY_POLICIES[municipality] ?? config.DEFAULT_POLICY;
}
