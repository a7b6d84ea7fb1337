import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { provision } from './provision';
import { projectRoot } from './toolchain/paths';
import { say } from './toolchain';

/**
 * What `npm run test:cluster` runs against the real Temporal server on PostgreSQL (deploy/temporal/): the API, a
 * worker in-process and as a child process, the crash drills and the privacy scan.
 */
const CLUSTER_TESTS = [
  'test/api/intake.test.ts',
  'test/api/case-events.test.ts',
  'test/workflows/case-client.test.ts',
  'test/resilience/crash-restart.test.ts',
  'test/privacy/privacy-scan.test.ts',
];

/**
 * `npm test`: provisions the real servers, type-checks, lints and runs jest. Ends with the line
 * `N passed, N failed` taken from jest's own results. `--cluster` (npm run test:cluster) runs CLUSTER_TESTS with
 * TEMPORAL_SERVER=cluster instead, after npm test has checked types, formatting and lint.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const cluster = args[0] === '--cluster';
  const resultsFile = path.join(projectRoot, '.data', cluster ? 'jest-cluster-results.json' : 'jest-results.json');
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  rmSync(resultsFile, { force: true });
  await provision({ temporalCli: true, testServer: true, postgres: true, chromium: true, temporalServer: true });
  if (cluster) {
    say('running jest against the real Temporal server on PostgreSQL ...');
    process.env.TEMPORAL_SERVER = 'cluster';
    return report(
      resultsFile,
      await exec('node_modules/.bin/jest', [
        '--json',
        `--outputFile=${resultsFile}`,
        ...CLUSTER_TESTS,
        ...args.slice(1),
      ]),
    );
  }
  say('type-checking ...');
  if ((await exec('node_modules/.bin/tsc', ['--noEmit'])) !== 0) return 1;
  say('checking formatting (npm run format fixes it) ...');
  if ((await exec('node_modules/.bin/prettier', ['--check', '--log-level', 'warn', '.'])) !== 0) return 1;
  say('linting ...');
  if ((await exec('node_modules/.bin/eslint', ['.'])) !== 0) return 1;
  say('running jest ...');
  const code = await exec('node_modules/.bin/jest', ['--json', `--outputFile=${resultsFile}`, ...args]);
  return report(resultsFile, code);
}

function report(resultsFile: string, code: number): number {
  if (existsSync(resultsFile)) {
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numRuntimeErrorTestSuites: number;
    };
    process.stdout.write(
      `${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed\n`,
    );
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
