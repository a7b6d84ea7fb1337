import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client as PgClient, type Pool } from 'pg';
import type { Express } from 'express';
import { loadConfig, policyFor, type Config } from '../../config';
import { dataConverterFor } from '../../common/codec';
import { generateKeyEntry, parseEncryptionKeys, type Keyring } from '../../common/encryption-keys';
import { createLogger } from '../../common/logger';
import { createPool } from '../../db/connection';
import { migrate } from '../../db/migrate';
import { createApp } from '../../api/app';
import { createTeamActivities } from '../../activities/teams';
import { createPersistenceActivities } from '../../activities/persistence';
import { createResidentLinkActivities } from '../../activities/resident-link';
import type { CaseActivities } from '../../activities/types';
import type { SignalInput } from '../../domain/signal';
import { waitFor } from '../../tools/toolchain/processes';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the tests through jest (test/support/global-setup.ts)`);
  return value;
}

/** A database of its own per test file, migrated, so files can run in parallel without seeing each other's rows. */
export async function freshDatabase(label: string): Promise<{ url: string; pool: Pool; drop(): Promise<void> }> {
  const serverUrl = new URL(requireEnv('BEREIK_TEST_DATABASE_URL'));
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = createPool(url.toString(), { max: 10 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const cleanup = new PgClient({ connectionString: serverUrl.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export function testKeyring(): Keyring {
  return parseEncryptionKeys(generateKeyEntry(`test-${randomBytes(3).toString('hex')}`));
}

export const KEYS = {
  intake0518: 'intake-0518-key-aaaaaaaa',
  staff0518: 'staff-0518-key-bbbbbbbbb',
  admin0518: 'admin-0518-key-ccccccccc',
  intake0363: 'intake-0363-key-dddddddd',
  staff0363: 'staff-0363-key-eeeeeeeee',
};

/**
 * The test configuration. `EXTRA_API_KEYS` (comma-separated `key:gemeentecode:role[:scope]`) adds keys to the default
 * ones above; `API_KEYS` replaces them.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  const { EXTRA_API_KEYS, ...overrides } = env;
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bereik-api-')),
    API_KEYS: [
      `${KEYS.intake0518}:0518:intake`,
      `${KEYS.staff0518}:0518:staff`,
      `${KEYS.admin0518}:0518:admin`,
      `${KEYS.intake0363}:0363:intake`,
      `${KEYS.staff0363}:0363:staff`,
      ...(EXTRA_API_KEYS ? [EXTRA_API_KEYS] : []),
    ].join(','),
    // Per stack, so that test files running at once never share a household workflow ID.
    CASE_ID_SECRET: `case-id-secret-${randomBytes(12).toString('hex')}`,
    RESIDENT_LINK_SECRET: 'resident-link-secret-for-tests-0123',
    PHONE_INDEX_SECRET: 'phone-index-secret-for-tests-01234',
    TEMPORAL_TASK_QUEUE: `api-test-${randomBytes(4).toString('hex')}`,
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    ...overrides,
  });
}

/** Channel activities that do nothing but succeed; persistence, work items and resident links are the real ones. */
export function recorderActivities(deps: {
  pool: Pool;
  keyring: Keyring;
  config: Config;
  publicBaseUrl?: string;
}): CaseActivities {
  return {
    async checkResidency() {
      return 'resident';
    },
    async lookupDebtServices() {
      return { known: false, trajectory: false };
    },
    async enrichPhone() {
      return { telefoon: null };
    },
    async lookupLineType() {
      return { mobile: true };
    },
    async sendMessage(input) {
      return { providerRef: `test-${input.messageKey}`, sent: true };
    },
    async placeCall(input) {
      return { providerRef: `test-${input.callKey}` };
    },
    ...createTeamActivities({ pool: deps.pool, keyring: deps.keyring }),
    ...createPersistenceActivities({
      pool: deps.pool,
      keyring: deps.keyring,
      phoneIndexSecret: deps.config.PHONE_INDEX_SECRET,
    }),
    ...createResidentLinkActivities({
      secret: deps.config.RESIDENT_LINK_SECRET!,
      publicBaseUrl: deps.publicBaseUrl ?? deps.config.PUBLIC_BASE_URL!,
    }),
  };
}

export interface Stack {
  app: Express;
  config: Config;
  client: Client;
  pool: Pool;
  keyring: Keyring;
  stop(): Promise<void>;
}

/**
 * The API wired as in production against the test run's Temporal dev server and a fresh database, plus a real Worker
 * running the prebuilt workflow bundle on a task queue of its own.
 */
export async function startStack(
  label: string,
  env: Record<string, string> = {},
  options: { worker?: boolean; temporalAddress?: string } = {},
): Promise<Stack> {
  const config = testConfig(env);
  const keyring = testKeyring();
  const db = await freshDatabase(label);
  // The run's dev server, or another server (a time-skipping one) whose address the caller gives.
  const address = options.temporalAddress ?? requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS');
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(keyring),
  });
  let worker: Worker | null = null;
  let running: Promise<void> | null = null;
  let nativeConnection: NativeConnection | null = null;
  if (options.worker !== false) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundle: { codePath: requireEnv('BEREIK_WORKFLOW_BUNDLE') },
      activities: recorderActivities({ pool: db.pool, keyring, config }),
      dataConverter: dataConverterFor(keyring),
    });
    running = worker.run();
  }
  const app = createApp({
    config,
    pool: db.pool,
    temporalClient: client,
    logger: createLogger('api-test', 'silent'),
    keyring,
    policyFor: (municipality) => policyFor(config, municipality),
  });
  return {
    app,
    config,
    client,
    pool: db.pool,
    keyring,
    async stop() {
      worker?.shutdown();
      await running;
      await nativeConnection?.close();
      await connection.close();
      await db.drop();
    },
  };
}

let counter = 0;

/** A valid signal; every call gets another address unless `address` is given. */
export function makeSignal(overrides: Partial<SignalInput> & { address?: number } = {}): SignalInput {
  counter += 1;
  const n = overrides.address ?? counter;
  const { address: _address, ...rest } = overrides;
  return {
    ID: `VS-${Date.now().toString(36)}-${counter}`,
    signaaldatum: '2027-03-05',
    ontstaansdatum: '2027-01-20',
    bedrag: 640,
    crisissignaal: false,
    signaalpartner: { type: 'Energie', naam: 'Energiebedrijf' },
    client: {
      Voorletters: 'A.',
      Achternaam: 'Jansen',
      Geboortedatum: '1980-02-01',
      Straatnaam: 'Dorpsstraat',
      Huisnummer: String((n % 9999) + 1),
      Postcode: '2011AB',
      Plaatsnaam: 'Haarlem',
      telefoon: '+31612345678',
      email: 'a.jansen@example.org',
      taal: 'nl',
    },
    ...rest,
  };
}

/** Polls `probe` until it returns something truthy (see waitFor). */
export function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  return waitFor('the condition', probe, timeoutMs, intervalMs);
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every (method, path) the app serves, in OpenAPI notation, walking mounted routers too. */
export function routesOf(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, enabled] of Object.entries(layer.route.methods)) {
            if (enabled && method !== '_all')
              found.push(`${method.toUpperCase()} ${(prefix + p).replace(/:(\w+)/g, '{$1}')}`);
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...new Set(found)].sort();
}

/** Every (method, path) an OpenAPI document describes. */
export function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${p}`))
    .sort();
}
