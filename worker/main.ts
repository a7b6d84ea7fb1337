import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../config';
import { dataConverterFor } from '../common/codec';
import { keyringFromEnv, loadOrCreateDevKeys } from '../common/encryption-keys';
import { createLogger } from '../common/logger';
import { createPool, databaseUrlFrom } from '../db/connection';
import { resolveSecrets } from '../config/secrets';
import { createActivities } from '../activities';
import { createTeamNotifier } from '../activities/team-notifier';
import { assertValidRegistry } from '../policy';
import { createRegistries } from '../activities/registries';
import { resolveRegistries } from '../config/registries';
import type { retentionWorkflow } from '../workflows';
import { createChannels } from './channels';

/**
 * The Temporal worker: the case and retention workflows plus every activity. Sleeping cases are evicted from the
 * cache (MAX_CACHED_WORKFLOWS), so memory stays bounded however many cases are open.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const registrySettings = resolveRegistries(config);
  assertValidRegistry();
  const logger = createLogger('worker', config.LOG_LEVEL);
  // The SDK's own logs go through the same redacting logger; worker lifecycle chatter stays at debug.
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      const pinoLevel = level === 'WARN' ? 'warn' : level === 'ERROR' ? 'error' : 'debug';
      logger[pinoLevel](meta ?? {}, message);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(config.WORKER_METRICS_ADDRESS
        ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } }
        : {}),
    },
  });
  const keyring = process.env.ENCRYPTION_KEYS ? keyringFromEnv() : loadOrCreateDevKeys(config.DATA_DIR);
  const secrets = resolveSecrets(config);
  const pool = createPool(databaseUrlFrom(config), { max: 20 });
  const address = config.temporalAddress;
  const dataConverter = dataConverterFor(keyring);

  const channels = createChannels(config, { pool, logger });
  logger.info({ channels: channels.configured }, 'channels configured');
  const registries = createRegistries(registrySettings, { logger });
  const unconnected = Object.entries(registries.connected)
    .filter(([, on]) => !on)
    .map(([name]) => name);
  logger.info({ registries: registries.connected }, 'registries configured');
  if (unconnected.length > 0) {
    logger.warn({ unconnected }, 'registries not connected: their checks do not filter (see UNCONNECTED_REGISTRIES)');
  }

  const [connection, clientConnection] = await Promise.all([
    NativeConnection.connect({ address }),
    Connection.connect({ address }),
  ]);
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({
      pool,
      keyring,
      channels: channels.activities,
      registries: registries.registries,
      secrets,
      publicBaseUrl: config.publicBaseUrl,
      notifyTeam: createTeamNotifier({ pool, keyring, email: channels.teamMail, publicBaseUrl: config.publicBaseUrl }),
    }),
    dataConverter,
    maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
  });

  try {
    await client.workflow.start<typeof retentionWorkflow>('retentionWorkflow', {
      workflowId: 'bereik-retention',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [
        {
          retentionMonths: {
            default: config.RETENTION_MONTHS,
            byMunicipality: config.RETENTION_MONTHS_BY_MUNICIPALITY,
          },
          intervalHours: 24,
        },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }

  // "worker running" is the start-up signal tests and benchmarks wait for: logged once run() put the worker in its
  // RUNNING state, not for a worker merely created. Only the server sees polls arrive; npm start asks it for those.
  const running = worker.run();
  if (worker.getState() === 'RUNNING') {
    logger.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        temporalAddress: address,
        maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
      },
      'worker running',
    );
  }
  try {
    await running;
  } finally {
    channels.close();
    await Promise.all([pool.end(), clientConnection.close(), connection.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
