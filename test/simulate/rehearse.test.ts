import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PRESET = 'policy/presets/default.ts';

/**
 * A commit whose default preset has a phone round of 2 attempts instead of 7, built with a throwaway index and
 * `git commit-tree`: no branch, work tree or stash is touched, so the working copy plays the change "7 attempts".
 */
function commitWithShortRound(): string {
  const git = (args: string[], env: NodeJS.ProcessEnv = process.env, input?: string) =>
    execFileSync('git', args, { cwd: ROOT, env, input, encoding: 'utf8' }).trim();
  const committed = git(['show', `HEAD:${PRESET}`]);
  const changed = committed.replace(/(phoneRound: \{\s*maxAttempts: )7,/, '$12,');
  if (changed === committed) throw new Error(`${PRESET} at HEAD has no phoneRound.maxAttempts of 7`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bereik-rehearse-'));
  try {
    const env = { ...process.env, GIT_INDEX_FILE: path.join(dir, 'index') };
    git(['read-tree', 'HEAD'], env);
    const blob = git(['hash-object', '-w', '--stdin'], env, changed);
    git(['update-index', '--cacheinfo', `100644,${blob},${PRESET}`], env);
    const tree = git(['write-tree'], env);
    const identity = {
      ...env,
      GIT_AUTHOR_NAME: 'rehearse test',
      GIT_AUTHOR_EMAIL: 'test@example.org',
      GIT_COMMITTER_NAME: 'rehearse test',
      GIT_COMMITTER_EMAIL: 'test@example.org',
    };
    return git(['commit-tree', tree, '-p', 'HEAD', '-m', 'rehearse test: phoneRound.maxAttempts 2'], identity);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rehearse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/simulate/rehearse.ts'), ...args], {
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

type Difference = { committed: number; working: number; difference: number };
interface Rehearsal {
  changedFields: { path: string; committed: unknown }[];
  funnel: Record<string, Difference>;
  load: ({ date: string } & Record<'calls' | 'visits' | 'handovers' | 'messages', Difference>)[];
  unfinished: Difference;
  runs: { committed: { funnel: Record<string, number> }; working: { funnel: Record<string, number> } };
}

describe('npm run rehearse', () => {
  it('plays a one-leaf change (a longer phone round) beside the committed preset and prints the difference', async () => {
    const against = commitWithShortRound();
    const run = await rehearse(['--policy', 'default', '--against', against, '--signals', '24', '--seed', '5']);
    expect(run.stderr).toMatch(/1 field\(s\) differ/);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as Rehearsal;
    expect(output.changedFields).toEqual([{ path: 'phoneRound.maxAttempts', committed: 2 }]);
    expect(output.unfinished).toEqual({ committed: 0, working: 0, difference: 0 });
    // Same signals, same residents: only the round's length differs, so the working copy calls more and reaches
    // at least as many; the signals and cases are the same on both sides.
    const total = (side: 'committed' | 'working') => output.load.reduce((a, d) => a + d.calls[side], 0);
    expect(total('working')).toBeGreaterThan(total('committed'));
    expect(output.load.reduce((a, d) => a + d.calls.difference, 0)).toBe(total('working') - total('committed'));
    expect(output.funnel.reached.difference).toBeGreaterThanOrEqual(0);
    expect(output.funnel.signals.difference).toBe(0);
    expect(output.funnel.cases.difference).toBe(0);
    for (const [step, d] of Object.entries(output.funnel)) {
      expect(d.committed).toBe(output.runs.committed.funnel[step]);
      expect(d.working).toBe(output.runs.working.funnel[step]);
      expect(d.difference).toBe(d.working - d.committed);
    }
    // The committed side was read from the commit, not from the working copy.
    expect(readFileSync(path.join(ROOT, PRESET), 'utf8')).toMatch(/maxAttempts: 7,/);
  }, 300_000);
});
