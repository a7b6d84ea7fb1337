import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { FAILURE_CONVERTER_PATH } from '../common/codec';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { runScenario } from './scenario/run-scenario';
import { scenarioSchema } from './scenario/schema';
import { startTimeSkippingEnvironment } from './scenario/environment';
import { ensureTestServer } from './toolchain/test-server';
import { projectRoot } from './toolchain/paths';
import { say } from './toolchain';

/** Representative cases whose histories guard every workflow change: all segments, reopen, escalation, stops. */
export const RECORDED_SCENARIOS = [
  '01-light-invitation-and-reminder',
  '02-light-chosen-moment',
  '04-standard-never-reached',
  '06-priority-rent-arrears',
  '09-arrears-resolved-mid-round',
  '11-known-at-sdv',
  '15-reopen-warm-and-meldpunt',
  '16-repeat-signal-not-worked',
];

export const HISTORY_DIR = path.join(projectRoot, 'test', 'histories');

/**
 * `npm run record-histories -- LABEL`: plays the representative scenarios with the current workflow code and writes
 * every case workflow run's event history to test/histories/LABEL/. Earlier labels stay: `npm test` replays them
 * all, so the current code must still replay every shape of case that may be running (see README).
 */
async function main(label: string | undefined): Promise<void> {
  if (!label || !/^[a-z0-9][a-z0-9.-]*$/.test(label))
    throw new Error('usage: npm run record-histories -- LABEL (e.g. v3-visit-plan)');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = path.join(HISTORY_DIR, label);
  mkdirSync(dir, { recursive: true });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./scenario/driver-workflow'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: silent,
  });
  const serverPath = await ensureTestServer();
  for (const name of RECORDED_SCENARIOS) {
    const scenario = scenarioSchema.parse(
      JSON.parse(readFileSync(path.join(projectRoot, 'scenarios', `${name}.json`), 'utf8')),
    );
    const env = await startTimeSkippingEnvironment(serverPath, say);
    try {
      const result = await runScenario(env, scenario, { workflowBundle, collectRuns: true });
      for (const [index, run] of (result.runs ?? []).entries()) {
        const history = await env.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        const file = path.join(dir, `${name}.run${index + 1}.json`);
        writeFileSync(file, `${historyToJSON(history)}\n`);
        say(`recorded ${path.relative(projectRoot, file)} (${history.events?.length ?? 0} events)`);
      }
    } finally {
      await env.teardown();
    }
  }
}

const silent = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
};

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
