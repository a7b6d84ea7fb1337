import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  makeTelemetryFilterString,
} from '@temporalio/worker';
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
import { ensureDdasDeliverySchedules } from './ddas-schedules';
import { listApiKeys } from '../db/api-keys';
import { createMunicipalityDirectory } from '../domain/municipalities';
import { workerDeployment } from './versioning';
import { createWorkerMetrics, serveWorkerMetrics } from './metrics';

const PREBUILT_BUNDLE = path.join(__dirname, 'workflow-bundle.js');

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

  const metrics = createWorkerMetrics();
  // A busy port (a second worker on one machine) costs the metrics, not the worker.
  const metricsServer = await serveWorkerMetrics(metrics.registry, config.BEREIK_WORKER_METRICS_ADDRESS).catch(
    (error: unknown) => {
      logger.warn({ err: error, address: config.BEREIK_WORKER_METRICS_ADDRESS }, 'worker business metrics not served');
      return null;
    },
  );
  const channels = createChannels(config, { pool, logger, rateLimitObserver: metrics.rateLimit });
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
  // `npm run build` (the Docker image) bundles the workflow code beside this file; from source it is bundled here
  // rather than by Worker.create, because the build ID of a versioned worker is derived from the bundle.
  const workflowBundle = existsSync(PREBUILT_BUNDLE)
    ? { code: readFileSync(PREBUILT_BUNDLE, 'utf8') }
    : await bundleWorkflowCode({
        workflowsPath: require.resolve('../workflows'),
        failureConverterPath: dataConverter.failureConverterPath,
        logger: Runtime.instance().logger,
      });
  const deployment = workerDeployment(config, workflowBundle.code);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle,
    ...(deployment ? { workerDeploymentOptions: deployment } : {}),
    activities: createActivities({
      pool,
      keyring,
      channels: channels.activities,
      registries: registries.registries,
      secrets,
      publicBaseUrl: config.publicBaseUrl,
      notifyTeam: createTeamNotifier({ pool, keyring, email: channels.teamMail, publicBaseUrl: config.publicBaseUrl }),
      ddasDelivery: {
        outboxDir: config.ddasOutboxDir,
        supplierCode: config.DDAS_SUPPLIER_CODE,
        municipalities: createMunicipalityDirectory(config.MUNICIPALITIES),
      },
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

  // Every municipality the service serves (a key, development or production, or a policy) delivers DDAS monthly.
  const served = [
    ...config.API_KEYS.map((k) => k.municipality),
    ...Object.keys(config.MUNICIPALITY_POLICIES),
    ...(
      await listApiKeys(pool).catch((error: unknown) => {
        // The API migrates the database; a worker that starts first schedules the configured municipalities only.
        logger.warn({ err: error }, 'API keys not readable; DDAS schedules only for configured municipalities');
        return [];
      })
    )
      .filter((k) => k.revokedAt === null)
      .map((k) => k.municipality),
  ];
  const schedules = await ensureDdasDeliverySchedules(client, {
    municipalities: served,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  if (schedules.created.length > 0)
    logger.info({ municipalities: schedules.created }, 'DDAS delivery schedules created');

  // "worker running" is the start-up signal tests and benchmarks wait for: logged once run() put the worker in its
  // RUNNING state, not for a worker merely created. Only the server sees polls arrive; npm start asks it for those.
  const running = worker.run();
  if (worker.getState() === 'RUNNING') {
    logger.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        temporalAddress: address,
        maxCachedWorkflows: config.MAX_CACHED_WORKFLOWS,
        workerDeploymentVersion: deployment
          ? `${deployment.version.deploymentName}.${deployment.version.buildId}`
          : null,
      },
      'worker running',
    );
  }
  try {
    await running;
  } finally {
    channels.close();
    metricsServer?.close();
    await Promise.all([pool.end(), clientConnection.close(), connection.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
