import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EINDRESULTATEN } from '../../domain/ddas';

const ROOT = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'bereik-simulate-'));

/** The simulator as a user runs it: its own process, JSON on stdout, progress on stderr. */
function simulate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/simulate/cli.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

interface Output {
  seed: number;
  signals: number;
  period: { from: string; to: string };
  policies: {
    policy: string;
    cases: number;
    funnel: Record<'signals' | 'cases' | 'firstAttemptInTime' | 'reached' | 'helpAccepted', number>;
    results: Record<string, number>;
    load: { date: string; calls: number; visits: number; handovers: number; messages: number }[];
    breaches: { firstAttempt: number; close: number };
    unfinished: number;
  }[];
}

const SMALL = ['--signals', '40', '--seed', '11', '--policy', 'default', '--policy', 'zoetermeer', '--no-timing'];

/** Intake CSV (api/intake-csv.ts) with synthetic people; the last two rows are one household, so one case. */
const CSV = [
  'ID,signaaldatum,ontstaansdatum,bedrag,crisissignaal,signaalpartner.type,signaalpartner.naam,client.Voorletters,client.Achternaam,client.Straatnaam,client.Huisnummer,client.Postcode,client.Plaatsnaam,client.telefoon,client.email',
  'C-1,2024-05-01,2024-03-01,320.50,nee,Energie,Energie BV,A.,Jansen,Dorpsstraat,1,2711AB,Zoetermeer,+31612345001,',
  'C-2,2024-05-01,,1250,nee,Huur,Woonstad,B.,de Vries,Dorpsstraat,2,2711AB,Zoetermeer,,b@example.org',
  'C-3,2024-05-02,,80,ja,Water,Dunea,C.,Bakker,Dorpsstraat,3,2711AB,Zoetermeer,+31701234003,',
  'C-4,2024-05-03,,2400,nee,CAK Zorgverzekeringen,CAK,D.,Visser,Dorpsstraat,4,2711AB,Zoetermeer,+31612345004,d@example.org',
  'C-5,2024-05-06,,610,nee,Energie,Energie BV,E.,Smit,Dorpsstraat,5,2711AB,Zoetermeer,+31612345005,',
  'C-6,2024-05-08,,140,nee,Water,Dunea,E.,Smit,Dorpsstraat,5,2711AB,Zoetermeer,+31612345005,',
].join('\n');

describe('npm run simulate', () => {
  let first: { code: number; stdout: string; stderr: string };
  let second: { code: number; stdout: string; stderr: string };
  let fromCsv: { code: number; stdout: string; stderr: string };
  const report = path.join(work, 'report.html');

  beforeAll(async () => {
    const csv = path.join(work, 'signals.csv');
    writeFileSync(csv, `${CSV}\n`);
    // At once: each run mostly waits on its own test server's round trips, so three overlap well on two cores.
    [first, second, fromCsv] = await Promise.all([
      simulate([...SMALL, '--report', report]),
      simulate(SMALL),
      simulate(['--csv', csv, '--policy', 'haarlem', '--seed', '3', '--no-timing']),
    ]);
  }, 900_000);

  it('gives the same JSON for the same seed twice', () => {
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
  });

  it('keeps the contract and its invariants: every case closed or dormant, counts consistent through the funnel', () => {
    const output = JSON.parse(first.stdout) as Output;
    expect(output.seed).toBe(11);
    expect(output.signals).toBe(40);
    expect(output.policies.map((p) => p.policy)).toEqual(['default', 'zoetermeer']);
    for (const p of output.policies) {
      const { funnel } = p;
      expect(p.unfinished).toBe(0);
      expect(funnel.signals).toBe(40);
      expect(funnel.cases).toBe(p.cases);
      expect(funnel.cases).toBeLessThanOrEqual(funnel.signals);
      expect(funnel.firstAttemptInTime).toBeLessThanOrEqual(funnel.cases);
      expect(funnel.reached).toBeLessThanOrEqual(funnel.cases);
      expect(funnel.helpAccepted).toBeLessThanOrEqual(funnel.reached);
      // Every round closed with a DDAS result: the results add up to the cases.
      expect(Object.values(p.results).reduce((a, b) => a + b, 0)).toBe(p.cases);
      for (const result of Object.keys(p.results)) expect(EINDRESULTATEN).toContain(result);
      for (const value of [...Object.values(funnel), ...Object.values(p.results), p.breaches.firstAttempt])
        expect(Number.isInteger(value)).toBe(true);
      const dates = p.load.map((d) => d.date);
      expect(dates).toEqual([...dates].sort());
      expect(p.load.reduce((a, d) => a + d.calls, 0)).toBeGreaterThan(0);
    }
  });

  it('plays the signals of an intake CSV end to end: one case per household, every case closed or dormant', () => {
    expect(fromCsv.stderr).not.toMatch(/invalid/);
    expect(fromCsv.code).toBe(0);
    const output = JSON.parse(fromCsv.stdout) as Output;
    const [haarlem] = output.policies;
    expect(output.signals).toBe(6);
    expect(haarlem.policy).toBe('haarlem');
    expect(haarlem.funnel.signals).toBe(6);
    expect(haarlem.cases).toBe(5);
    expect(haarlem.unfinished).toBe(0);
    expect(Object.values(haarlem.results).reduce((a, b) => a + b, 0)).toBe(5);
    // The earliest signaaldatum is the period's first day; C-6 arrives a week later.
    expect(haarlem.load.length).toBeGreaterThan(7);
  });

  it('writes a self-contained HTML report with charts', () => {
    const html = readFileSync(report, 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).not.toMatch(/<script/);
  });
});

describe('npm run simulate on invalid input', () => {
  const cases: [string[], RegExp][] = [
    [['--policy', 'nowhere'], /Unknown contact policy/],
    [['--start', '2020-01-06T00:00:00+01:00'], /in the past/],
    [['--policy', 'default', '--set', 'phoneRound.maxAttempts=-1'], /invalid/],
    [['--signals', 'many'], /whole number/],
  ];
  let runs: { code: number; stdout: string; stderr: string }[];
  let badCsv: { code: number; stdout: string; stderr: string };

  // The refusals come before any server starts; run at once, they cost one process start instead of five.
  beforeAll(async () => {
    const file = path.join(work, 'bad.csv');
    writeFileSync(
      file,
      `${CSV.split('\n').slice(0, 3).join('\n').replace('C-2,2024-05-01,,1250', 'C-2,2024-05-01,,veel')}\n`,
    );
    [badCsv, ...runs] = await Promise.all([simulate(['--csv', file]), ...cases.map(([args]) => simulate(args))]);
  }, 300_000);

  it.each(cases.map(([args, message], i) => [args, message, i] as const))(
    '%j exits 2 with a message',
    (_args, message, i) => {
      expect(runs[i].code).toBe(2);
      expect(runs[i].stdout).toBe('');
      expect(runs[i].stderr).toMatch(message);
    },
  );

  it('a CSV with an invalid row exits 2 naming the row and the field', () => {
    expect(badCsv.code).toBe(2);
    expect(badCsv.stdout).toBe('');
    expect(badCsv.stderr).toMatch(/row 2 \(line 3\) bedrag: .*number/);
    expect(badCsv.stderr).not.toMatch(/row 1 /);
  });
});
