import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';
import {
  ensurePostgresBinaries,
  ensureTemporalCli,
  ensureTestServer,
  freePort,
  ensureTemporalServer,
  startDevServer,
  startPostgres,
  startTemporalServer,
} from '../../tools/toolchain';
import type { DevServer, PostgresCluster } from '../../tools/toolchain';

declare global {
  var bereikServers: { postgres: PostgresCluster; devServer: DevServer; dir: string } | undefined;
}

/** `npm run test:cluster` sets it: the real Temporal server on PostgreSQL (deploy/temporal/) instead of the dev server. */
const onCluster = process.env.TEMPORAL_SERVER === 'cluster';

/**
 * Starts the real servers once per test run: a throwaway PostgreSQL cluster and an in-memory Temporal dev server (or
 * the real Temporal server on that PostgreSQL, with TEMPORAL_SERVER=cluster),
 * and bundles the workflow code once so that test workers don't each spend seconds in webpack. Time-skipping tests
 * start their own Java test server per file (time is global to a test server).
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bereik-test-'));
  chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, who must reach its data directory
  const [pgBin, temporalCli, testServer, temporalServer] = await Promise.all([
    ensurePostgresBinaries(),
    ensureTemporalCli(),
    ensureTestServer(),
    onCluster ? ensureTemporalServer() : null,
  ]);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [[postgres, realServer], devServerOnly, bundle] = await Promise.all([
    startPostgres({
      binDir: pgBin,
      dataDir: path.join(dir, 'pg'),
      port: pgPort,
      database: 'bereik_test',
      throwaway: true,
    }).then(async (cluster) => {
      const server = temporalServer
        ? await startTemporalServer({ binaries: temporalServer, postgresUrl: cluster.url, dir, port: temporalPort })
        : null;
      return [cluster, server] as const;
    }),
    temporalServer
      ? null
      : startDevServer({ binary: temporalCli, port: temporalPort, logFile: path.join(dir, 'temporal.log') }),
    bundleWorkflowCode({
      workflowsPath: require.resolve('./test-workflows'),
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: quietLogger,
    }),
  ]);
  const devServer = (realServer ?? devServerOnly)!;
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  globalThis.bereikServers = { postgres, devServer, dir };
  process.env.BEREIK_TEST_DIR = dir;
  process.env.BEREIK_TEST_DATABASE_URL = postgres.url;
  process.env.BEREIK_TEST_TEMPORAL_ADDRESS = devServer.address;
  process.env.BEREIK_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
  process.env.TEMPORAL_CLI_PATH = temporalCli;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
