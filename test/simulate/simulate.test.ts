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

describe('npm run simulate', () => {
  let first: { code: number; stdout: string; stderr: string };
  let second: { code: number; stdout: string; stderr: string };
  const report = path.join(work, 'report.html');

  beforeAll(async () => {
    [first, second] = await Promise.all([simulate([...SMALL, '--report', report]), simulate(SMALL)]);
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

  it('writes a self-contained HTML report with charts', () => {
    const html = readFileSync(report, 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).not.toMatch(/<script/);
  });
});

describe('npm run simulate on invalid input', () => {
  it.each([
    [['--policy', 'nowhere'], /Unknown contact policy/],
    [['--start', '2020-01-06T00:00:00+01:00'], /in the past/],
    [['--policy', 'default', '--set', 'phoneRound.maxAttempts=-1'], /invalid/],
    [['--signals', 'many'], /whole number/],
  ])('%j exits 2 with a message', async (args, message) => {
    const run = await simulate(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('a CSV with an invalid row exits 2 naming the row', async () => {
    const file = path.join(work, 'bad.csv');
    writeFileSync(
      file,
      'ID,signaaldatum,bedrag,signaalpartner.type,client.Postcode,client.Huisnummer\nX-1,2024-01-05,veel,Energie,2011AB,3\n',
    );
    const run = await simulate(['--csv', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/row 1 bedrag/);
  });
});
