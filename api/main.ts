import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, policyFor, type Config } from '../config';
import { dataConverterFor } from '../common/codec';
import { loadOrCreateDevKeys, type Keyring } from '../common/encryption-keys';
import { createLogger, type Logger } from '../common/logger';
import { createPool, databaseUrlFrom } from '../db/connection';
import { migrate } from '../db/migrate';
import { createApp } from './app';
import { resolveSecrets } from '../config/secrets';

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartApiOptions {
  logger?: Logger;
  keyring?: Keyring;
  /** Reuse the process's Temporal client; otherwise one is connected (and closed with the server). */
  temporalClient?: Client;
  /** Skip migrations when the caller already ran them. */
  migrated?: boolean;
}

/** Migrates the database, connects to Temporal and PostgreSQL, and serves the API on config.PORT (0: any free port). */
export async function startApi(config: Config, options: StartApiOptions = {}): Promise<ApiServer> {
  const logger = options.logger ?? createLogger('api', config.LOG_LEVEL);
  const secrets = resolveSecrets(config);
  const keyring = options.keyring ?? loadOrCreateDevKeys(config.DATA_DIR);
  const databaseUrl = databaseUrlFrom(config);
  if (!options.migrated) {
    const ran = await migrate(databaseUrl);
    if (ran.length > 0) logger.info({ migrations: ran }, 'database migrated');
  }
  const pool = createPool(databaseUrl);
  let connection: Connection | null = null;
  let temporalClient = options.temporalClient;
  if (!temporalClient) {
    connection = await Connection.connect({ address: config.temporalAddress });
    temporalClient = new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: dataConverterFor(keyring),
    });
  }
  const app = createApp({
    config: {
      ...config,
      CASE_ID_SECRET: secrets.caseIdSecret,
      RESIDENT_LINK_SECRET: secrets.residentLinkSecret,
      PHONE_INDEX_SECRET: secrets.phoneIndexSecret,
    },
    pool,
    temporalClient,
    logger,
    keyring,
    policyFor: (municipality) => policyFor(config, municipality),
  });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'API listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await pool.end();
      await connection?.close();
    },
  };
}

if (require.main === module) {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  startApi(config, { logger })
    .then((api) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'API stopping');
        api.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'API did not stop cleanly');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    })
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'API failed to start');
      process.exitCode = 1;
    });
}
