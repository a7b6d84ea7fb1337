import { execFileSync } from 'node:child_process';
import {
  ensureTemporalServer,
  TEMPORAL_CONFIG_DIR,
  TEMPORAL_DYNAMIC_CONFIG_FILE,
} from '../../../tools/toolchain/temporal-server';

/**
 * deploy/temporal/ is checked by the Temporal server's own loader (`temporal-server render-config` and
 * `validate-dynamic-config`), with the environment docker-compose gives it; `npm run test:cluster` runs the server on it.
 */
describe('the Temporal server configuration', () => {
  const render = async (env: Record<string, string>) => {
    const { server } = await ensureTemporalServer();
    return execFileSync(
      server,
      ['--root', '/', '--config', TEMPORAL_CONFIG_DIR, '--env', 'production', 'render-config'],
      {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  };

  test('renders under the server loader as compose configures it: PostgreSQL for persistence and visibility, 8 shards', async () => {
    const rendered = await render({
      TEMPORAL_DB_HOST: 'postgresql',
      TEMPORAL_DB_USER: 'temporal',
      TEMPORAL_DB_PASSWORD: 'compose-secret',
      TEMPORAL_BIND_IP: '0.0.0.0',
      TEMPORAL_DYNAMIC_CONFIG_FILE: '/etc/bereik/temporal/dynamicconfig/production.yaml',
    });
    expect(rendered).toMatch(/numhistoryshards: 8/i);
    expect(rendered).toMatch(/connectaddr: postgresql:5432/i);
    expect(rendered).toMatch(/databasename: temporal_visibility/i);
    expect(rendered).toMatch(/pluginname: postgres12/i);
    expect(rendered).toMatch(/bindonip: 0\.0\.0\.0/i);
    // The loader masks secrets when it prints; the password reached the config all the same.
    expect(rendered).not.toContain('compose-secret');
  });

  test('a shard count that is not a number fails the loader', async () => {
    await expect(render({ TEMPORAL_NUM_HISTORY_SHARDS: 'eight' })).rejects.toThrow();
  });

  test('the dynamic config has only keys the server knows', async () => {
    const { server } = await ensureTemporalServer();
    const out = execFileSync(server, ['validate-dynamic-config', TEMPORAL_DYNAMIC_CONFIG_FILE], { encoding: 'utf8' });
    expect(out).not.toMatch(/unknown|error/i);
  });
});
