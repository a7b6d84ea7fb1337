import fc from 'fast-check';
import type { Response } from 'supertest';
import { clientSchema, type SignalInput } from '../../domain/signal';
import { makeSignal } from '../api/support';

/** How many cases each property tries; BEREIK_FUZZ_RUNS raises it for a longer hunt, BEREIK_FUZZ_SEED replays one. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.BEREIK_FUZZ_SEED ? Number(process.env.BEREIK_FUZZ_SEED) : undefined;
  const scale = process.env.BEREIK_FUZZ_RUNS ? Number(process.env.BEREIK_FUZZ_RUNS) / 100 : 1;
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed !== undefined ? { seed } : {}),
    endOnFailure: true,
  };
}

/**
 * A client error as the API promises it: 4xx, application/problem+json, `status` equal to the HTTP status, a
 * `urn:bereik:problem:*` type, a title, and a reason: a detail text and/or field errors with JSON Pointer paths.
 */
export function expectProblem(res: Response): Record<string, unknown> {
  const context = `${res.status} ${res.headers['content-type']} ${res.text?.slice(0, 300)}`;
  expect([context, res.status >= 400 && res.status < 500]).toEqual([context, true]);
  expect([context, /^application\/problem\+json/.test(String(res.headers['content-type']))]).toEqual([context, true]);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toMatchObject({
    status: res.status,
    type: expect.stringMatching(/^urn:bereik:problem:[a-z-]+$/),
    title: expect.any(String),
  });
  const errors = body.errors as { path: string; message: string }[] | undefined;
  const hasReason =
    (typeof body.detail === 'string' && body.detail.trim().length > 0) || (Array.isArray(errors) && errors.length > 0);
  expect([context, hasReason]).toEqual([context, true]);
  for (const e of errors ?? [])
    expect(e).toEqual({ path: expect.stringMatching(/^(\/[^/]*)*$/), message: expect.any(String) });
  return body;
}

/** Strings that have broken other systems: injection, traversal, template, log and protocol tricks, odd unicode. */
export const NASTY_STRINGS = [
  "'; DROP TABLE signals; --",
  "' OR '1'='1",
  "';DROP_TABLE_signals;--",
  '" OR ""="',
  '$(reboot)',
  '`id`',
  '{{7*7}}${7*7}<%= 7*7 %>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  '\n{"level":60,"msg":"forged"}',
  '%s%s%s%n%n',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '\u202eRTL override',
  '\ufeffBOM',
  '\ud800',
  '\udfff\ud800',
  'Zalgo Z̷̢̛̛͎a̸l̵g̶o̴',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'مرحبا بالعالم',
  '日本語テキスト',
  ' ',
  '',
  '\t',
  '\\',
  '"',
  '\\u0000',
] as const;

export const nastyString = fc.constantFrom(...NASTY_STRINGS);

/** Short strings of control characters, NUL, lone surrogates and noncharacters between ordinary letters. */
export const controlString = fc.string({
  unit: fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u2028',
    '\ud800',
    '\udc00',
    '\ufffe',
    '\uffff',
    '\n',
    '\r',
    'a',
    'Z',
    '1',
    '-',
  ),
  minLength: 1,
  maxLength: 12,
});

/** Any string: nasty ones, control characters, arbitrary unicode, or big ones. */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: controlString },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** A value of the wrong kind for any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  anyString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    [],
    {},
    [1, 2],
    { $gt: '' },
    { __proto__: { polluted: true } },
  ),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Dates around the edges: leap days, impossible days, year 0, far future, other formats. */
export const edgeDate = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0001-01-01',
    '1900-02-29',
    '2000-02-29',
    '2027-02-29',
    '2027-02-30',
    '2027-13-01',
    '2027-00-10',
    '9999-12-31',
    '+002027-01-01',
    '2027-1-1',
    '20270101',
    '2027-01-01T00:00:00Z',
    '31-12-2027',
  ),
  fc
    .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

let counter = 0;

/** A valid signal with an ID no other call returns; `household` picks the address. */
export function validSignal(runId: string, household: number, idPrefix = 'FZ'): SignalInput {
  counter += 1;
  return makeSignal({
    ID: `${idPrefix}-${runId}-${counter}`,
    client: {
      Voorletters: 'F.',
      Achternaam: 'Fuzz',
      Geboortedatum: '1980-02-01',
      Straatnaam: 'Randomweg',
      Huisnummer: String((household % 99_999) + 1),
      Postcode: '5611AB',
      Plaatsnaam: 'Eindhoven',
      telefoon: '+31612345678',
      email: 'f.fuzz@example.org',
      taal: 'nl',
    },
  });
}

const SIGNAL_FIELDS = [
  'ID',
  'signaaldatum',
  'ontstaansdatum',
  'bedrag',
  'crisissignaal',
  'warmeOverdracht',
  'signaalpartner',
  'signaalpartner.type',
  'signaalpartner.naam',
] as const;
const CLIENT_FIELDS = Object.keys(clientSchema.shape);

export type Mutation =
  | { kind: 'set'; path: string; value: unknown }
  | { kind: 'delete'; path: string }
  | { kind: 'extra'; path: string; key: string; value: unknown };

/** One change to a valid signal: a field set to an odd or wrong value, removed, or an unknown field added. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.constantFrom(...SIGNAL_FIELDS, ...CLIENT_FIELDS.map((f) => `client.${f}`), 'client'),
    value: fc.oneof(
      wrongValue,
      edgeDate,
      nastyString.map((s) => `ID-${s}`),
    ),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    path: fc.constantFrom(...SIGNAL_FIELDS, ...CLIENT_FIELDS.map((f) => `client.${f}`), 'client'),
  }),
  fc.record({
    kind: fc.constant('extra' as const),
    path: fc.constantFrom('', 'client', 'signaalpartner'),
    key: fc.oneof(nastyString, fc.string({ maxLength: 10 })),
    value: wrongValue,
  }),
);

/** Applies a mutation to a deep copy; `__proto__` and friends become own properties, as JSON.parse makes them. */
export function mutate(signal: SignalInput, m: Mutation): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(signal)) as Record<string, unknown>;
  const parts = m.path ? m.path.split('.') : [];
  let target: Record<string, unknown> = copy;
  for (const part of parts.slice(0, m.kind === 'extra' ? parts.length : -1)) {
    const next = target[part];
    if (next === null || typeof next !== 'object') return copy;
    target = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (m.kind === 'set')
    Object.defineProperty(target, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  else if (m.kind === 'delete') delete target[last];
  else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A body that is not JSON, or barely: truncated, with stray bytes, deeply nested, or plain noise. */
export function malformedJson(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: Math.max(0, valid.length - 1) }).map((n) => valid.slice(0, n)),
    fc
      .tuple(fc.nat({ max: valid.length }), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
      .map(([n, s]) => valid.slice(0, n) + s + valid.slice(n)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '',
      ' ',
      'null',
      '[]',
      '{}',
      '{"signals":}',
      '{"signals":[,]}',
      "{'signals':[]}",
      '{"signals":[1,]}',
      '\ufeff{"signals":[]}',
      'NaN',
      '{"signals":[NaN]}',
      '{"signals":[Infinity]}',
      '{"__proto__":{"signals":[1]}}',
    ),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `{"signals":${'['.repeat(n)}${']'.repeat(n)}}`),
    fc.integer({ min: 1, max: 5_000 }).map((n) => `{"signals":[${'{"a":'.repeat(n)}1${'}'.repeat(n)}]}`),
  );
}

/** Every UTF-8 byte percent-encoded, also for lone surrogates (which encodeURIComponent refuses): a path segment or query value. */
export function percentEncode(value: string): string {
  return [...Buffer.from(value)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}
