import { createServer } from 'node:net';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { redactUrl } from '../../api/app';
import { createLogger } from '../../common/logger';
import { createPool } from '../../db/connection';
import { policyFor } from '../../config';
import { documentedRoutes, KEYS, makeSignal, routesOf, startStack, testConfig, type Stack } from './support';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('system routes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('system', {}, { worker: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('/openapi.json is OpenAPI 3.1 and describes exactly the routes the app serves', async () => {
    const res = await request(stack.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = documentedRoutes(res.body);
    expect(documented).toEqual(routesOf(stack.app));
    expect(documented).toEqual(
      expect.arrayContaining([
        'POST /v1/signals',
        'GET /v1/cases/{case}',
        'POST /v1/cases/{case}/events',
        'GET /r/{token}',
      ]),
    );
    // Generated from the zod schemas the routes parse with.
    expect(
      res.body.components.schemas.IntakeRequest.properties.signals.items.properties.client.properties.Postcode,
    ).toBeDefined();
    expect(res.body.components.schemas.CaseEvent.oneOf.length).toBeGreaterThanOrEqual(10);
    const refs = JSON.stringify(res.body).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice(8, -1);
      expect(target).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(res.body.components.schemas[target.split('/').pop()!]).toBeDefined();
    }
  });

  it('/healthz is 200 when Temporal and PostgreSQL answer', async () => {
    const res = await request(stack.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { api: 'up', postgres: 'up', temporal: 'up' } });
  });

  it('/healthz is 503 naming what is down', async () => {
    const [temporalPort, pgPort] = [await closedPort(), await closedPort()];
    const connection = Connection.lazy({ address: `127.0.0.1:${temporalPort}` });
    const pool = createPool(`postgres://nobody@127.0.0.1:${pgPort}/none`, { connectionTimeoutMillis: 1000 });
    const config = testConfig();
    const app = createApp({
      config,
      pool,
      temporalClient: new Client({ connection }),
      logger: createLogger('t', 'silent'),
      policyFor: (m) => policyFor(config, m),
    });
    try {
      const res = await request(app).get('/healthz');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 503,
        down: ['postgres', 'temporal'],
        checks: { api: 'up', postgres: 'down', temporal: 'down' },
      });
      expect(res.body.detail).toMatch(/postgres.*temporal/);

      const onlyTemporal = createApp({
        config,
        pool: stack.pool,
        temporalClient: new Client({ connection }),
        logger: createLogger('t', 'silent'),
        policyFor: (m) => policyFor(config, m),
      });
      const partial = await request(onlyTemporal).get('/healthz');
      expect(partial.status).toBe(503);
      expect(partial.body.down).toEqual(['temporal']);
    } finally {
      // Let the health check's retrying gRPC call reach its own deadline before its channel goes away.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      await pool.end();
      await connection.close();
    }
  });

  it('/metrics serves Prometheus text with route templates, not IDs or personal data', async () => {
    await request(stack.app)
      .get('/v1/cases/case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa')
      .set('Authorization', `Bearer ${KEYS.staff0518}`);
    await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [{ ...makeSignal(), bedrag: -1 }] });
    const res = await request(stack.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('bereik_http_requests_total{method="GET",route="/v1/cases/:case",status="404"}');
    expect(res.text).toContain('bereik_intake_signals_total{status="rejected"}');
    expect(res.text).not.toContain('case-0518-');
    expect(res.text).not.toContain('Jansen');
  });

  it('logs requests with their ID, without tokens, keys or personal data', async () => {
    expect(redactUrl('/r/eyJhYmMiOjF9.c2lnbmF0dXJl?lang=en')).toBe('/r/[token]?lang=en');
    expect(redactUrl('/v1/cases')).toBe('/v1/cases');

    const lines: string[] = [];
    const logger = createLogger('api-test', 'info', {
      destination: { write: (line: string) => void lines.push(line) },
    });
    const app = createApp({
      config: stack.config,
      pool: stack.pool,
      temporalClient: stack.client,
      logger,
      policyFor: (m) => policyFor(stack.config, m),
    });
    await request(app).get('/r/eyJhYmMiOjF9.c2lnbmF0dXJl').set('X-Request-Id', 'log-test-1');
    await request(app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [{ ...makeSignal(), bedrag: 'x' }] });
    const log = lines.join('');
    expect(log).toContain('"id":"log-test-1"');
    expect(log).toContain('/r/[token]');
    expect(log).not.toContain('c2lnbmF0dXJl');
    expect(log).not.toContain(KEYS.intake0518);
    expect(log).not.toContain('Jansen');
  });
});
