import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, Request } from 'express';
import type { Config } from '../../config';
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

  app.get('/metrics', async (req, res) => {
    assertMayScrape(req, ctx.deps.config);
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });

  app.get('/openapi.json', (_req, res) => {
    openApi ??= JSON.stringify(buildOpenApiDocument(openApiOptions(ctx.deps.config, Boolean(ctx.deps.keyring))));
    res.type('application/json').send(openApi);
  });
}

/**
 * `/metrics` wants METRICS_TOKEN as bearer token when one is configured (401 without a token, 403 for a wrong one);
 * without one it is open in development and test, and closed in production.
 */
function assertMayScrape(req: Request, config: Pick<Config, 'METRICS_TOKEN' | 'NODE_ENV'>): void {
  const expected = config.METRICS_TOKEN;
  if (!expected) {
    if (config.NODE_ENV === 'production') throw problems.forbidden('Set METRICS_TOKEN to scrape /metrics.');
    return;
  }
  const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!given) throw problems.unauthorized('/metrics wants the METRICS_TOKEN as bearer token.');
  const digest = (value: string) => createHash('sha256').update(value).digest();
  if (!timingSafeEqual(digest(given), digest(expected))) throw problems.forbidden('Wrong metrics token.');
}
