import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const CENSOR = '[redacted]';

/** Field names that carry personal data or secrets (DDAS client, Twilio, HTTP); matched case-insensitively. */
export const PERSONAL_KEYS = [
  // DDAS client
  'client',
  'Burgerservicenummer',
  'bsn',
  'Voorletters',
  'Voorvoegsel',
  'Achternaam',
  'Geboortedatum',
  'Straatnaam',
  'Huisnummer',
  'Huisnummertoevoeging',
  'Postcode',
  'Plaatsnaam',
  'telefoon',
  'email',
  'e-mail',
  // our own names for the same data
  'naam',
  'residentName',
  'fullName',
  'phone',
  'phoneNumber',
  'telefoonnummer',
  'mobile',
  'address',
  'adres',
  'addressKey',
  'iban',
  'dateOfBirth',
  'resident',
  'contactDetails',
  // Twilio and e-mail
  'To',
  'From',
  'Body',
  'subject',
  'text',
  'html',
  'Caller',
  'Called',
  'CallerName',
  'ForwardedFrom',
  // secrets
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-twilio-signature',
  'apiKey',
  'token',
  'accessToken',
  'refreshToken',
  'password',
  'secret',
  'authToken',
  'signature',
] as const;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// NL numbers: 0 or +31/0031 (optionally "(0)"), then 9 digits with optional spaces, dashes or a bracketed area code.
const PHONE = /(?<![\w+])(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|0|\(0)[1-9](?:[\s\-)]{0,2}\d){8}(?!\d)/g;
// Any other E.164 number: residents may have a foreign phone.
const E164 = /(?<![\w+])\+[1-9]\d{7,14}(?!\d)/g;
const IBAN = /\bNL\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b/gi;
// Nine digits standing alone: inside a hex run ID, a base64 task token or a base32 case ID they are no BSN.
const BSN = /(?<![\dA-Za-z.])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![.]?\d|[A-Za-z])/g;
// Spaced postcodes only in upper case: "5000 ms" or "2024 at" would otherwise be masked.
const POSTCODE_SPACED = /\b[1-9]\d{3} (?!SA\b|SD\b|SS\b)[A-Z]{2}\b/g;
const POSTCODE_TIGHT = /\b[1-9]\d{3}(?!(?:ms|ns|us|px|kb|mb|gb|tb|hz|am|pm|km|cm|mm|sa|sd|ss)\b)[A-Za-z]{2}\b/gi;

/** Masks e-mail addresses, Dutch phone numbers, IBANs, BSNs and postcodes in free text such as error messages. */
export function redactText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(IBAN, '[iban]')
    .replace(PHONE, '[phone]')
    .replace(E164, '[phone]')
    .replace(BSN, '[bsn]')
    .replace(POSTCODE_SPACED, '[postcode]')
    .replace(POSTCODE_TIGHT, '[postcode]');
}

const personalKeys = new Set<string>(PERSONAL_KEYS.map((key) => key.toLowerCase()));
const MAX_DEPTH = 8;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Censors {@link PERSONAL_KEYS} (case-insensitive) at any depth in plain objects and arrays and masks patterns in every
 * string. Copy-on-write: returns the input itself when nothing changed. Class instances (requests, errors) are left to
 * their serializers.
 */
export function redactFields<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return value;
  // Deeper than anyone logs on purpose (or a cycle): dropping it beats leaking it.
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (isArray) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const cleaned = redactValue(item, depth + 1);
      if (cleaned !== item) (copy ??= [...value])[index] = cleaned;
    });
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const cleaned = personalKeys.has(key.toLowerCase()) && item != null ? CENSOR : redactValue(item, depth + 1);
    if (cleaned !== item) (copy ??= { ...record })[key] = cleaned;
  }
  return copy ?? record;
}

function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactText(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => `${pair.split('=')[0]}=${CENSOR}`)
    .join('&');
  return `${path}?${query}`;
}

/**
 * Serializers (pino-http's `req`/`res`) run after `formatters.log`, so their output gets pino's own path redaction:
 * secrets in headers, and query strings, which can carry tokens or phone numbers.
 */
export const HTTP_REDACT_PATHS: readonly string[] = [
  'req.url',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
];

function censorPath(value: unknown, path: string[]): unknown {
  return path[path.length - 1] === 'url' && typeof value === 'string' ? redactUrl(value) : CENSOR;
}

function redactError(error: unknown): unknown {
  // The SDK logs `error` as a plain string at times; spreading that would log it character by character.
  if (!(error instanceof Error)) return redactFields(error);
  // The serialized error is not a plain object (it has pino's own prototype), so copy it first.
  return redactFields({ ...pino.stdSerializers.err(error) });
}

export interface LoggerOptions {
  destination?: DestinationStream;
}

/**
 * JSON logger that censors personal fields at any depth and masks e-mail/phone/BSN/IBAN/postcode patterns in all
 * strings, messages and errors. Redaction is a safety net: still log IDs, not people.
 */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  options: LoggerOptions = {},
): Logger {
  const config: pino.LoggerOptions = {
    name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...HTTP_REDACT_PATHS], censor: censorPath },
    serializers: { err: redactError, error: redactError },
    formatters: {
      log: (object) => redactFields(object),
    },
    hooks: {
      logMethod(args, method) {
        // pino would use a lone Error's message verbatim as msg; give it the masked one instead.
        const [first, ...rest] = args as unknown[];
        const normalised =
          first instanceof Error && typeof rest[0] !== 'string' ? [{ err: first }, first.message, ...rest] : args;
        // The merging object is handled by formatters.log; this covers the message and %s/%o/%j arguments.
        const cleaned = normalised.map((arg: unknown, index) =>
          index === 0 && typeof arg === 'object' ? arg : redactFields(arg),
        );
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  const logger = options.destination ? pino(config, options.destination) : pino(config);
  // pino skips formatters for child bindings; children inherit this override through their prototype chain.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, redactFields(bindings), childOptions);
  } as typeof logger.child;
  return logger;
}
