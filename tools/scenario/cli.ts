import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { ensureTestServer } from '../toolchain/test-server';
import { startTimeSkippingEnvironment } from './environment';
import { runScenario, ScenarioInputError } from './run-scenario';
import { scenarioSchema } from './schema';

/** `npm run scenario -- FILE.json [--policy NAME]`: one JSON document on stdout, everything else on stderr. */
async function main(argv: string[]): Promise<void> {
  const policyFlag = argv.indexOf('--policy');
  const policyName = policyFlag >= 0 ? argv[policyFlag + 1] : undefined;
  if (policyFlag >= 0 && !policyName) throw new ScenarioInputError('--policy needs a policy name');
  const file = argv.filter((_, i) => policyFlag < 0 || (i !== policyFlag && i !== policyFlag + 1))[0];
  if (!file) throw new ScenarioInputError('usage: npm run scenario -- FILE.json [--policy NAME]');

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
    const result = await runScenario(env, parsed.data, { policyName, workflowBundle });
    // A pipe is written asynchronously: exiting before the write completes would cut the document short.
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    await env.teardown();
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
