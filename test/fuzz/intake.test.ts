import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import { MAX_SIGNALS_PER_REQUEST } from '../../api/intake';
import { CSV_COLUMNS } from '../../api/intake-csv';
import { signalSchema } from '../../domain/signal';
import { KEYS, startStack, type Stack } from '../api/support';
import {
  anyString,
  edgeDate,
  expectProblem,
  fuzzParameters,
  malformedJson,
  mutate,
  mutation,
  validSignal,
  wrongValue,
} from './support';

/**
 * Bad input against the real intake (express app, PostgreSQL, Temporal dev server, a worker): whatever arrives,
 * the answer is a 202 with a result per signal or a 4xx problem with a reason, never a 5xx; valid signals in a
 * batch are accepted beside invalid ones; and nothing is half-written: a rejected signal leaves no row.
 */

const runId = randomBytes(3).toString('hex');
const CONTENT_TYPES = [
  'application/json',
  'application/problem+json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/csv',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
] as const;

describe('fuzz: POST /v1/signals', () => {
  let stack: Stack;
  const accepted = new Set<string>();
  let household = 0;

  beforeAll(async () => {
    stack = await startStack('fuzz_intake');
  });
  afterAll(async () => {
    await stack.stop();
  });

  const post = (body: string | Buffer, contentType?: string, headers: Record<string, string> = {}) => {
    let req = request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${KEYS.intake0518}`);
    if (contentType) req = req.set('Content-Type', contentType);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req.send(body);
  };
  const rowCount = async () => Number((await stack.pool.query('SELECT count(*) FROM signals')).rows[0].count);
  const rowsFor = async (ids: string[]) =>
    // (Text with NUL can't be a PostgreSQL value, so it can't be a stored ID either.)
    new Map(
      (
        await stack.pool.query<{ signal_id: string; case_id: string; delivered: boolean }>(
          'SELECT signal_id, case_id, delivered FROM signals WHERE signal_id = ANY($1)',
          [ids.filter((id) => !id.includes('\u0000'))],
        )
      ).rows.map((r) => [r.signal_id, r]),
    );

  /** A 202 lists one result per signal; anything else is a problem with a reason. Returns the results, if any. */
  function checkAnswer(
    res: request.Response,
    signalCount: number | null,
  ): { ID: string | null; status: string; case?: string; errors?: unknown[] }[] | null {
    if (res.status === 202) {
      const results = res.body.results as { ID: string | null; status: string }[];
      expect(Array.isArray(results)).toBe(true);
      if (signalCount !== null) expect(results).toHaveLength(signalCount);
      for (const r of results) expect(['accepted', 'duplicate', 'rejected']).toContain(r.status);
      return results;
    }
    expectProblem(res);
    return null;
  }

  it('answers any body, in any content type, with 202 or a 4xx problem, never a 5xx', async () => {
    const sample = JSON.stringify({ signals: [validSignal(runId, 1, 'FZRAW'), { ID: 'x' }] });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          malformedJson(sample),
          fc.json({ maxDepth: 4 }),
          fc.jsonValue({ maxDepth: 3 }).map((signals) => JSON.stringify({ signals })),
          fc.array(wrongValue, { minLength: 1, maxLength: 5 }).map((signals) => JSON.stringify({ signals })),
          fc.string({ unit: 'binary', maxLength: 300 }).map((row) => `ID,signaaldatum,bedrag\n${row}`),
        ),
        fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
        async (body, contentType) => {
          const before = await rowCount();
          const res = await post(body, contentType);
          const results = checkAnswer(res, null);
          if (!results)
            expect(await rowCount()).toBe(before); // a refused request writes nothing
          else {
            const rows = await rowsFor(results.filter((r) => r.ID !== null).map((r) => r.ID!));
            for (const r of results) {
              if (r.status === 'accepted') accepted.add(r.ID!);
              if (r.status === 'rejected' && r.ID !== null && !accepted.has(r.ID))
                expect([r.ID, rows.has(r.ID)]).toEqual([r.ID, false]);
            }
          }
        },
      ),
      fuzzParameters(150),
    );
  }, 120_000);

  it('accepts the valid signals of a batch beside mutated ones, in order, and writes no row for a rejected one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(mutation, { freq: 2, nil: null }), { minLength: 1, maxLength: 8 }),
        async (plan) => {
          const batch = plan.map((m) => {
            household += 1;
            const signal = validSignal(runId, household, 'FZMIX');
            return m ? mutate(signal, m) : signal;
          });
          const res = await post(JSON.stringify({ signals: batch }), 'application/json');
          const results = checkAnswer(res, batch.length);
          if (!results) {
            // Only the request as a whole may be refused: too big (a signal with a huge field).
            expect(res.status).toBe(413);
            return;
          }
          const ids = results.filter((r) => r.ID !== null).map((r) => r.ID!);
          const rows = await rowsFor(ids);
          const seen = new Set<string>();
          for (const [i, r] of results.entries()) {
            const candidate = batch[i] as { ID?: unknown };
            const parsed = signalSchema.safeParse(candidate);
            const context = `signal ${i}: ${JSON.stringify(candidate).slice(0, 300)} -> ${JSON.stringify(r).slice(0, 300)}`;
            if (!parsed.success) {
              expect([context, r.status]).toEqual([context, 'rejected']);
              expect([context, (r.errors ?? []).length > 0]).toEqual([context, true]);
              for (const e of r.errors as { path: string }[])
                expect([context, e.path.startsWith(`/signals/${i}`)]).toEqual([context, true]);
              if (r.ID !== null && !accepted.has(r.ID) && !seen.has(r.ID))
                expect([context, rows.has(r.ID)]).toEqual([context, false]);
            } else if (seen.has(parsed.data.ID) || accepted.has(parsed.data.ID)) {
              expect([context, r.status]).toEqual([context, 'duplicate']);
            } else {
              expect([context, r.status]).toEqual([context, 'accepted']);
              expect([context, rows.get(parsed.data.ID)]).toEqual([
                context,
                { signal_id: parsed.data.ID, case_id: r.case, delivered: true },
              ]);
              accepted.add(parsed.data.ID);
            }
            if (parsed.success) seen.add(parsed.data.ID);
          }
        },
      ),
      fuzzParameters(60),
    );
    // Injection attempts in IDs were stored as data, and the table is still there.
    expect(await rowCount()).toBeGreaterThanOrEqual(accepted.size);
  }, 120_000);

  it('takes or refuses every date, number and text edge case of a single field, never failing on the database', async () => {
    const fields = ['signaaldatum', 'ontstaansdatum', 'client.Geboortedatum'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ path: fc.constantFrom(...fields), value: edgeDate as fc.Arbitrary<unknown> }),
          fc.record({
            path: fc.constant('bedrag'),
            value: fc.oneof(
              fc.double({ noNaN: true }),
              fc.constantFrom(0, -0, 0.001, 0.005, 9_999_999.995, 10_000_000, 10_000_000.001, 1e-300, 5e-324),
            ),
          }),
          fc.record({
            path: fc.constantFrom(
              'ID',
              'client.Achternaam',
              'client.Straatnaam',
              'client.Plaatsnaam',
              'signaalpartner.naam',
              'client.Huisnummertoevoeging',
              'client.telefoon',
              'client.email',
            ),
            value: anyString as fc.Arbitrary<unknown>,
          }),
        ),
        async ({ path, value }) => {
          household += 1;
          const candidate = mutate(validSignal(runId, household, 'FZEDGE'), { kind: 'set', path, value });
          const res = await post(JSON.stringify({ signals: [candidate] }), 'application/json');
          const context = `${path} = ${JSON.stringify(value)?.slice(0, 100)}: ${res.status} ${res.text.slice(0, 300)}`;
          expect([context, res.status === 202 || res.status === 413]).toEqual([context, true]);
          if (res.status === 413) {
            expectProblem(res);
            return;
          }
          const [result] = res.body.results as { ID: string; status: string }[];
          const parsed = signalSchema.safeParse(candidate);
          const valid = parsed.success;
          expect([context, result!.status]).toEqual([
            context,
            !parsed.success ? 'rejected' : accepted.has(parsed.data.ID) ? 'duplicate' : 'accepted',
          ]);
          const rows = await rowsFor([String((candidate as { ID: unknown }).ID)]);
          if (valid) accepted.add(result!.ID);
          else if (
            typeof (candidate as { ID: unknown }).ID === 'string' &&
            !accepted.has((candidate as { ID: string }).ID)
          )
            expect([context, rows.size]).toEqual([context, 0]);
        },
      ),
      fuzzParameters(150),
    );
  }, 120_000);

  it('takes CSV rows with any cell content, quoted as RFC 4180 says: one result per row, untouched rows accepted, never a 5xx', async () => {
    const cellOf = (value: unknown) => (value === undefined ? '' : String(value));
    const quote = (cell: string, delimiter: string) =>
      /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(',', ';'),
        fc.shuffledSubarray([...CSV_COLUMNS], { minLength: CSV_COLUMNS.length, maxLength: CSV_COLUMNS.length }),
        fc.array(
          fc.option(
            fc.tuple(
              fc.constantFrom(...CSV_COLUMNS),
              fc.oneof(
                anyString.filter((c) => c.length < 5_000),
                fc.constantFrom('"', '""', '","', '\r\n', ';', ',', '=cmd|calc', '-1', '1,5', 'ja', 'JA'),
              ),
            ),
            { freq: 2, nil: null },
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (delimiter, columns, plan) => {
          const rows = plan.map((change) => {
            household += 1;
            const flat = flatten(validSignal(runId, household, 'FZCSV'));
            if (change) flat[change[0]] = change[1];
            return { change, cells: columns.map((c) => quote(cellOf(flat[c]), delimiter)) };
          });
          const text = [columns.join(delimiter), ...rows.map((r) => r.cells.join(delimiter))].join('\r\n');
          const res = await post(text, 'text/csv');
          const context = `${text.slice(0, 400)} -> ${res.status} ${res.text.slice(0, 300)}`;
          expect([context, res.status]).toEqual([context, 202]);
          const results = checkAnswer(res, rows.length)!;
          for (const [i, r] of results.entries()) {
            if (rows[i]!.change === null) expect([context, i, r.status]).toEqual([context, i, 'accepted']);
            if (r.status === 'accepted') accepted.add(r.ID!);
            else if (r.status === 'rejected')
              for (const e of r.errors as { path: string }[])
                expect([context, e.path.startsWith(`/signals/${i}`)]).toEqual([context, true]);
          }
        },
      ),
      fuzzParameters(60),
    );
  }, 120_000);

  it(`refuses more than ${MAX_SIGNALS_PER_REQUEST} signals, and a body over the size limit, writing nothing`, async () => {
    const before = await rowCount();
    const many = Array.from({ length: MAX_SIGNALS_PER_REQUEST + 1 }, (_, i) =>
      validSignal(runId, 500_000 + i, 'FZBIG'),
    );
    const tooMany = await post(JSON.stringify({ signals: many }), 'application/json');
    expect(tooMany.status).toBe(413);
    expect(expectProblem(tooMany).detail).toMatch(/at most 10000 signals/);

    const huge = JSON.stringify({
      signals: [{ ...validSignal(runId, 1, 'FZHUGE'), padding: 'x'.repeat(33 * 1024 * 1024) }],
    });
    const tooBig = await post(huge, 'application/json');
    expect(tooBig.status).toBe(413);
    expectProblem(tooBig);
    const csvTooBig = await post(`ID,signaaldatum\n${'y'.repeat(33 * 1024 * 1024)}`, 'text/csv');
    expect(csvTooBig.status).toBe(413);
    expectProblem(csvTooBig);
    expect(await rowCount()).toBe(before);
  }, 120_000);

  it('refuses bodies it cannot read (encodings, charsets, compression bombs) with a 4xx problem', async () => {
    const valid = JSON.stringify({ signals: [validSignal(runId, 1, 'FZENC')] });
    const cases: [string | Buffer, string, Record<string, string>][] = [
      [valid, 'application/json', { 'Content-Encoding': 'br' }],
      [valid, 'application/json', { 'Content-Encoding': 'compress' }],
      [Buffer.from('not gzip at all'), 'application/json', { 'Content-Encoding': 'gzip' }],
      [gzipSync(Buffer.from(valid)).subarray(0, 20), 'application/json', { 'Content-Encoding': 'gzip' }],
      [gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), 'application/json', { 'Content-Encoding': 'gzip' }],
      [Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'application/json; charset=utf-16le', {}],
      [Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), 'application/json', {}],
    ];
    const before = await rowCount();
    for (const [body, contentType, headers] of cases) {
      const res = await post(body, contentType, headers);
      const context = `${contentType} ${JSON.stringify(headers)}: ${res.status} ${res.headers['content-type']} ${res.text?.slice(0, 200)}`;
      expect([
        context,
        res.status >= 400 &&
          res.status < 500 &&
          /^application\/problem\+json/.test(String(res.headers['content-type'])),
      ]).toEqual([context, true]);
      expectProblem(res);
    }
    expect(await rowCount()).toBe(before);
  }, 120_000);
});

/** A signal as CSV columns: `client.Achternaam` and the like. */
function flatten(signal: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(signal).flatMap(([key, value]) =>
      value !== null && typeof value === 'object'
        ? Object.entries(flatten(value, `${prefix}${key}.`))
        : [[`${prefix}${key}`, value]],
    ),
  );
}
