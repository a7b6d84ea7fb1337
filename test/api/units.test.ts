import fc from 'fast-check';
import { parseCsv } from '../../api/csv';
import { signalsFromCsv, CSV_COLUMNS } from '../../api/intake-csv';
import { signResidentToken, verifyResidentToken } from '../../common/resident-token';
import { createResidentLinkActivities } from '../../activities/resident-link';

const SECRET = 'resident-token-secret-0123456789';
const claims = {
  caseId: 'case-0518-abcdefghijklmnopqrstuvwxyz',
  round: 2,
  purpose: 'choose_moment' as const,
  exp: Math.floor(Date.now() / 1000) + 3600,
};

describe('resident tokens', () => {
  it('round-trip and carry no personal data', () => {
    const token = signResidentToken(SECRET, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(verifyResidentToken(SECRET, token)).toEqual({ ok: true, claims });
    expect(token.length).toBeLessThanOrEqual(60); // an invitation SMS with the link stays inside 3 segments
    expect(Buffer.from(token.split('.')[0]!, 'base64url')).toHaveLength(27);
  });

  it('reject tampering, another secret, expiry and garbage', () => {
    const token = signResidentToken(SECRET, claims);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ c: 'case-0363-abcdefghijklmnopqrstuvwxyz', r: 2, p: 'choose_moment', e: claims.exp }),
    ).toString('base64url');
    expect(verifyResidentToken(SECRET, `${forged}.${mac}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyResidentToken('another-secret-0123456789abcdef', token)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyResidentToken(SECRET, `${payload}.${mac.slice(0, -1)}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyResidentToken(SECRET, token, { nowMs: (claims.exp + 1) * 1000 })).toEqual({
      ok: false,
      reason: 'expired',
      municipality: '0518',
    });
    for (const junk of ['', 'a', 'a.b.c', '../../etc', 'x'.repeat(600)])
      expect(verifyResidentToken(SECRET, junk).ok).toBe(false);
    fc.assert(fc.property(fc.string(), (junk) => verifyResidentToken(SECRET, junk).ok === false));
  });

  it('make links under the public base URL', async () => {
    const { residentLink } = createResidentLinkActivities({
      secret: SECRET,
      publicBaseUrl: 'https://bereik.example.nl/',
    });
    const link = await residentLink({
      caseId: claims.caseId,
      caseRef: `${claims.caseId}.2`,
      municipality: '0518',
      round: 2,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    });
    expect(link).toMatch(/^https:\/\/bereik\.example\.nl\/r\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyResidentToken(SECRET, link.split('/r/')[1]!)).toEqual({ ok: true, claims });
  });
});

describe('CSV', () => {
  const encode = (rows: string[][], delimiter: string) =>
    rows
      .map((row) =>
        row.map((f) => (/[",;\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f)).join(delimiter),
      )
      .join('\r\n');

  it('parses what an RFC 4180 writer writes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r', 'é') }), {
            minLength: 2,
            maxLength: 4,
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(',', ';'),
        (rows, delimiter) => {
          const width = rows[0]!.length;
          const table = [
            Array.from({ length: width }, (_, i) => `h${i}`),
            ...rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x')),
          ];
          const parsed = parseCsv(encode(table, delimiter));
          expect(parsed.delimiter).toBe(delimiter);
          expect(parsed.records.map((r) => r.fields)).toEqual(table);
        },
      ),
    );
  });

  it('reports broken quoting with a line number', () => {
    expect(() => parseCsv('a,b\n"x,y\n')).toThrow(/line 2: unterminated/);
    expect(() => parseCsv('a,b\n"x"y,z\n')).toThrow(/line 2/);
  });

  it('maps columns to signal fields', () => {
    const { signals, rowErrors } = signalsFromCsv(
      '\ufeffID,bedrag,crisissignaal,client.Postcode\nA,12.5,ja,2011AB\nB,abc,1\n',
    );
    expect(signals).toEqual([
      { ID: 'A', bedrag: 12.5, crisissignaal: true, client: { Postcode: '2011AB' } },
      { ID: 'B', bedrag: 'abc', crisissignaal: true },
    ]);
    expect(rowErrors.get(1)).toEqual([{ path: '/signals/1', message: 'line 3 has 3 fields; the header has 4' }]);
    expect(CSV_COLUMNS).toEqual(
      expect.arrayContaining(['ID', 'client.Postcode', 'client.telefoon', 'signaalpartner.type']),
    );
  });
});
