import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../common/codec';
import { run, say, elapsed } from './toolchain/progress';
import { projectRoot } from './toolchain/paths';

/** What the compiled service reads from disk besides its JavaScript: migrations, registry contracts, DDAS schema. */
const ASSETS = /\.(sql|yaml|json)$/;
const SOURCE_FOLDERS = ['domain', 'policy', 'workflows', 'activities', 'worker', 'api', 'config', 'common', 'db'];

/** The file the worker loads instead of bundling the workflow code at start-up (worker/main.ts). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * `npm run build`: the service as plain JavaScript in `dist/` (run with `node dist/worker/main.js` and
 * `node dist/api/main.js`, no tsx) and the workflow code bundled once into `dist/worker/workflow-bundle.js`, so a
 * production worker starts without webpack. The Dockerfile runs it.
 */
export async function build(outDir = path.join(projectRoot, 'dist')): Promise<void> {
  const startedAt = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  await run(
    path.join(projectRoot, 'node_modules', '.bin', 'tsc'),
    ['-p', path.join(projectRoot, 'tsconfig.build.json'), '--outDir', outDir],
    { label: 'tsc', cwd: projectRoot },
  );
  for (const folder of SOURCE_FOLDERS)
    for (const file of readdirSync(path.join(projectRoot, folder), { recursive: true, encoding: 'utf8' }))
      if (ASSETS.test(file)) {
        mkdirSync(path.dirname(path.join(outDir, folder, file)), { recursive: true });
        cpSync(path.join(projectRoot, folder, file), path.join(outDir, folder, file));
      }
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(projectRoot, 'workflows', 'index.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
  });
  writeFileSync(path.join(outDir, 'worker', WORKFLOW_BUNDLE_FILE), bundle.code);
  say(`built ${outDir} in ${elapsed(startedAt)}`);
}

if (require.main === module) {
  build(process.argv[2] ? path.resolve(process.argv[2]) : undefined).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
