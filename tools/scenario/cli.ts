import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { ensureTestServer } from '../toolchain/test-server';
import { startTimeSkippingEnvironment } from './environment';
import type { PolicyChange } from '../../policy';
import { runScenario, ScenarioInputError } from './run-scenario';
import { scenarioSchema } from './schema';

const USAGE = 'usage: npm run scenario -- FILE.json [--policy NAME] [--set path.to.leaf=JSON ...]';

/**
 * `npm run scenario -- FILE.json [--policy NAME] [--set path=JSON ...]`: one JSON document on stdout, everything else
 * on stderr. `--set segments.light.reminderAfterDays=6` runs a what-if with that leaf of the policy changed.
 */
async function main(argv: string[]): Promise<void> {
  let policyName: string | undefined;
  const policyChanges: PolicyChange[] = [];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--policy' || arg === '--set') {
      const value = argv[++i];
      if (!value) throw new ScenarioInputError(`${arg} needs a value; ${USAGE}`);
      if (arg === '--policy') policyName = value;
      else policyChanges.push(parseChange(value));
    } else files.push(arg);
  }
  const file = files[0];
  if (!file || files.length > 1) throw new ScenarioInputError(USAGE);

  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8'));
  } catch (error) {
    throw new ScenarioInputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioInputError(
      `invalid scenario ${file}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  }

  // Core (Rust) logs would otherwise go to stdout, which belongs to the JSON document alone.
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) =>
      process.stderr.write(
        `${entry.level} ${entry.message} ${entry.meta?.error ? String((entry.meta.error as Error).message ?? entry.meta.error) : ''}\n`,
      ),
    ),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
  const serverPath = await ensureTestServer();
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./driver-workflow'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: stderrLogger,
  });
  const env = await startTimeSkippingEnvironment(serverPath, (line) => process.stderr.write(`${line}\n`));
  try {
    const result = await runScenario(env, parsed.data, { policyName, policyChanges, workflowBundle });
    // A pipe is written asynchronously: exiting before the write completes would cut the document short.
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    await env.teardown();
  }
}

function parseChange(arg: string): PolicyChange {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new ScenarioInputError(`--set wants path=JSON, got ${arg}`);
  try {
    return { path: arg.slice(0, eq), value: JSON.parse(arg.slice(eq + 1)) as unknown };
  } catch {
    throw new ScenarioInputError(`--set ${arg.slice(0, eq)}: the value is not JSON: ${arg.slice(eq + 1)}`);
  }
}

const stderrLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ScenarioInputError ? error.message : String((error as Error).stack ?? error)}\n`,
    );
    process.exit(error instanceof ScenarioInputError ? 2 : 1);
  },
);
