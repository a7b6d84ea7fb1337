import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

describe('npm packages on a fresh clone', () => {
  // `npm start` and `npm test` begin with `npm ci`: a lockfile it refuses costs a new user a screen of errors and
  // leaves package-lock.json rewritten.
  test('npm ci accepts the committed lockfile as it is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bereik-lockfile-'));
    try {
      for (const file of ['package.json', 'package-lock.json'])
        copyFileSync(path.join(root, file), path.join(dir, file));
      const { stderr } = await run(
        'npm',
        ['ci', '--dry-run', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
        {
          cwd: dir,
        },
      );
      expect(stderr).not.toMatch(/not in sync|Missing: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every install script was decided on in package.json allowScripts', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls'], { cwd: root });
    expect(stdout).toContain('No packages with unreviewed install scripts.');
  });
});
