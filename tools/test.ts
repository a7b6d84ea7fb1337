import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { provision } from './provision';
import { projectRoot } from './toolchain/paths';
import { say } from './toolchain';

/**
 * `npm test`: provisions the real servers, type-checks, lints and runs jest. Ends with the line
 * `N passed, N failed` taken from jest's own results.
 */
async function main(): Promise<number> {
  await provision({ temporalCli: true, testServer: true, postgres: true });
  say('type-checking ...');
  if ((await exec('node_modules/.bin/tsc', ['--noEmit'])) !== 0) return 1;
  say('linting ...');
  if ((await exec('node_modules/.bin/eslint', ['.'])) !== 0) return 1;
  const resultsDir = path.join(projectRoot, '.data');
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = path.join(resultsDir, 'jest-results.json');
  rmSync(resultsFile, { force: true });
  say('running jest ...');
  const code = await exec('node_modules/.bin/jest', ['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)]);
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; numFailedTestSuites: number };
    const brokenSuites = results.numFailedTestSuites > 0 && results.numFailedTests === 0 ? ` (${results.numFailedTestSuites} suites failed to run)` : '';
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests} failed${brokenSuites}\n`);
  }
  return code;
}

function exec(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(path.join(projectRoot, command), args, { cwd: projectRoot, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
