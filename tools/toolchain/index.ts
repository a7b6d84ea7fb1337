export { ensureTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';
export { ensureTestServer, freePort, waitForPort, TEST_SERVER_VERSION } from './test-server';
export {
  clusterStopCommand,
  ensurePostgresBinaries,
  startPostgres,
  stopLeftoverCluster,
  type PostgresCluster,
} from './postgres';
export {
  startDevServer,
  startSupervisedDevServer,
  waitUntilServing,
  SEARCH_ATTRIBUTES,
  type DevServer,
  type SupervisedDevServer,
} from './dev-server';
export { say, elapsed } from './progress';
export { ensureChromium } from './chromium';
export {
  ensureTemporalServer,
  startTemporalServer,
  startSupervisedTemporalServer,
  TEMPORAL_SERVER_VERSION,
  type TemporalServer,
  type TemporalServerBinaries,
  type TemporalServerOptions,
} from './temporal-server';
