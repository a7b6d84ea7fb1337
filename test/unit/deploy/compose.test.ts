import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../../../config';
import { TEMPORAL_SERVER_VERSION } from '../../../tools/toolchain/temporal-server';

const root = path.resolve(__dirname, '../../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: { context: string; target: string };
      environment?: Record<string, string>;
      depends_on?: unknown;
      entrypoint?: string[];
      command?: string[];
      restart?: string;
      healthcheck?: { test: string[] };
    }
  >;
};
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
/** The variables a file reads: `env "X"` in the server's config template, `${X` in a shell script. */
const variablesRead = (text: string) =>
  new Set([...text.matchAll(/env "([A-Z_]+)"|\$\{([A-Z_]+)/g)].map((m) => (m[1] ?? m[2])!));
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const configKeys = new Set(Object.keys(configSchema.shape));

describe('docker-compose.yml', () => {
  test('runs the production-like stack: Temporal on PostgreSQL, its UI, and the worker and API images', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
        'api',
      ]),
    );
    expect(compose.services.temporal.environment).toMatchObject({ TEMPORAL_DB_HOST: 'postgresql' });
  });

  test('the Temporal server runs the configuration in deploy/temporal/, not auto-setup, in the release the tests build', () => {
    const { temporal, 'temporal-schema': schema } = compose.services;
    expect(temporal.image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION.slice(1)}`);
    expect(schema.image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.slice(1)}`);
    expect(Object.values(compose.services).map((s) => s.image ?? '')).not.toContainEqual(
      expect.stringContaining('auto-setup'),
    );
    expect([...(temporal.entrypoint ?? []), ...(temporal.command ?? [])].join(' ')).toContain(
      '--config /etc/bereik/temporal/config --env production',
    );
    expect(schema.entrypoint).toEqual(['sh', '/etc/bereik/temporal/setup-schema.sh']);
    const template = variablesRead(read('deploy/temporal/config/production.yaml'));
    expect(Object.keys(temporal.environment ?? {}).filter((key) => !template.has(key))).toEqual([]);
    expect(temporal.environment?.TEMPORAL_DYNAMIC_CONFIG_FILE).toBe(
      '/etc/bereik/temporal/dynamicconfig/production.yaml',
    );
    const schemaScript = variablesRead(read('deploy/temporal/setup-schema.sh'));
    expect(Object.keys(schema.environment ?? {}).filter((key) => !schemaScript.has(key))).toEqual([]);
  });

  test('every database role gets its password from the environment', () => {
    const init = read('deploy/postgres-init.sh');
    expect(init).toMatch(/CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password'/);
    expect(init).toMatch(/CREATE ROLE bereik LOGIN PASSWORD :'bereik_password'/);
    const env = compose.services.postgresql.environment ?? {};
    for (const name of ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD', 'BEREIK_DB_PASSWORD'])
      expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
  });

  test('every service that keeps running has a health check; one-shot jobs do not restart', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.restart === 'no') continue;
      expect([name, service.healthcheck?.test?.length ?? 0]).not.toEqual([name, 0]);
    }
    expect(compose.services['temporal-schema'].restart).toBe('no');
    expect(compose.services['temporal-setup'].restart).toBe('no');
  });

  test('the codec CORS origins come from configuration', () => {
    expect(compose.services.api.environment).toHaveProperty('CODEC_ALLOWED_ORIGINS');
  });

  test.each(['worker', 'api'])(
    '%s is built from a Dockerfile target and sets only variables the config reads',
    (name) => {
      const service = compose.services[name];
      expect(dockerfile).toContain(`AS ${service.build?.target}`);
      const env = service.environment ?? {};
      expect(Object.keys(env).filter((key) => !configKeys.has(key))).toEqual([]);
    },
  );

  test('the worker and API get every secret production requires', () => {
    const env = compose.services.api.environment ?? {};
    const production = configSchema.safeParse({ NODE_ENV: 'production' });
    expect(production.success).toBe(true);
    for (const secret of [
      'CASE_ID_SECRET',
      'RESIDENT_LINK_SECRET',
      'ENCRYPTION_KEYS',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
    ])
      expect(env).toHaveProperty(secret);
  });

  test('the worker gets every registry variable, so production chooses each registry explicitly', () => {
    const env = compose.services.worker.environment ?? {};
    for (const name of ['BRP_URL', 'BRP_API_KEY', 'SDV_URL', 'PHONE_ENRICHMENT_URL', 'UNCONNECTED_REGISTRIES'])
      expect(env).toHaveProperty(name);
  });

  test('the image runs compiled JavaScript and the prebuilt workflow bundle, not tsx', () => {
    expect(dockerfile).toContain('RUN node --import tsx tools/build.ts /app/dist');
    expect(dockerfile).toContain('CMD ["node", "dist/worker/main.js"]');
    expect(dockerfile).toContain('CMD ["node", "dist/api/main.js"]');
    expect(dockerfile).not.toMatch(/CMD \[[^\]]*tsx/);
  });

  test('the Dockerfile copies every folder the worker and API import', () => {
    for (const folder of [
      'config',
      'domain',
      'policy',
      'workflows',
      'activities',
      'templates',
      'common',
      'db',
      'api',
      'worker',
    ]) {
      expect(dockerfile).toContain(`COPY ${folder} ./${folder}`);
    }
  });
});
