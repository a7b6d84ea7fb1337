import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../../../config';

const root = path.resolve(__dirname, '../../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { build?: { context: string; target: string }; environment?: Record<string, string>; depends_on?: unknown }
  >;
};
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const configKeys = new Set(Object.keys(configSchema.shape));

describe('docker-compose.yml', () => {
  test('runs the production-like stack: Temporal on PostgreSQL, its UI, and the worker and API images', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'worker', 'api']),
    );
    expect(compose.services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
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
