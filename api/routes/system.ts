import type { Express } from 'express';
import { ping } from '../../db/connection';
import { buildOpenApiDocument, openApiOptions } from '../openapi';
import { problems } from '../problem';
import type { AppContext } from '../context';

const CHECK_TIMEOUT_MS = 3_000;

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function registerSystemRoutes(app: Express, ctx: AppContext): void {
  const { pool, temporalClient } = ctx.deps;
  let openApi: string | null = null;

  app.get('/healthz', async (_req, res) => {
    const [postgres, temporal] = await Promise.all([
      reachable(() => ping(pool)),
      reachable(() =>
        temporalClient.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
          temporalClient.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    const checks = { api: 'up', postgres: postgres ? 'up' : 'down', temporal: temporal ? 'up' : 'down' } as const;
    res.setHeader('Cache-Control', 'no-store');
    if (postgres && temporal) {
      res.json({ status: 'ok', checks });
      return;
    }
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
    throw problems.unavailable(`Not reachable: ${down.join(', ')}.`, { down, checks });
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });

  app.get('/openapi.json', (_req, res) => {
    openApi ??= JSON.stringify(buildOpenApiDocument(openApiOptions(ctx.deps.config, Boolean(ctx.deps.keyring))));
    res.type('application/json').send(openApi);
  });
}
