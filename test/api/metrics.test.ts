import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createLogger } from '../../common/logger';
import { policyFor } from '../../config';
import { saveCaseRecord } from '../../db/read-model';
import type { CaseView } from '../../domain/case';
import { startStack, testConfig, type Stack } from './support';
import { createWorkerMetrics } from '../../worker/metrics';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

const CALLING_CASE: CaseView = {
  case: 'case-0518-abcdefghijklmnopqrstuvwxyz',
  caseRef: 'case-0518-abcdefghijklmnopqrstuvwxyz.1',
  municipality: '0518',
  round: 1,
  status: 'calling',
  segment: 'standard',
  policy: { name: 'default', version: 1 },
  flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
  signals: [],
  attempts: [
    { soort: 'SMS/Whatsapp', bereikt: false, datum: '2027-03-06', dagdeel: 'Ochtend', at: '2027-03-06T09:00:00.000Z' },
    { soort: 'Telefoon', bereikt: false, datum: '2027-03-08', dagdeel: 'Avond', at: '2027-03-08T18:30:00.000Z' },
    { soort: 'Telefoon', bereikt: false, datum: '2027-03-09', dagdeel: 'Avond', at: '2027-03-09T18:30:00.000Z' },
  ],
  handovers: [],
  chosenMoment: null,
  nextAction: { type: 'call', at: '2027-03-10T07:30:00.000Z' },
  deadlines: {
    firstAttemptBy: '2027-03-10T23:00:00.000Z',
    closeBy: '2027-04-03T19:55:00.000Z',
    breaches: ['no contact attempt before the deadline of 2027-03-10T23:00:00.000Z'],
  },
  matchedAt: '2027-03-06T08:55:00.000Z',
  reachedAt: null,
  closedAt: null,
  result: null,
  previousRounds: [],
} as unknown as CaseView;

describe('/metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('metrics', { METRICS_TOKEN }, { worker: false });
    await saveCaseRecord(stack.pool, CALLING_CASE, []);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('wants the METRICS_TOKEN: 401 without a token, 403 for a wrong one', async () => {
    const none = await request(stack.app).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.type).toBe('application/problem+json');
    const wrong = await request(stack.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`);
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain('bereik_');
  });

  it('is closed in production when no token is configured', async () => {
    const config = testConfig();
    const app = createApp({
      config: { ...config, NODE_ENV: 'production', METRICS_TOKEN: undefined },
      pool: stack.pool,
      temporalClient: stack.client,
      logger: createLogger('api-test', 'silent'),
      keyring: stack.keyring,
      policyFor: (municipality) => policyFor(config, municipality),
    });
    expect((await request(app).get('/metrics')).status).toBe(403);
  });

  it('counts households, attempts and breaches from the read model, labelled without personal data', async () => {
    const res = await request(stack.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('bereik_read_model_up 1');
    for (const name of ['bereik_cases', 'bereik_contact_attempts', 'bereik_deadline_breaches'])
      expect(res.text).toContain(`# TYPE ${name} gauge`);
    expect(res.text).toContain('bereik_cases{municipality="0518",status="calling",segment="standard"} 1');
    expect(res.text).toContain('bereik_contact_attempts{municipality="0518",soort="Telefoon",outcome="not_reached"} 2');
    expect(res.text).toContain('bereik_deadline_breaches{municipality="0518"} 1');
    expect(res.text).not.toContain('case-0518-');
    const labels = [...res.text.matchAll(/^bereik_(?!api_)\w+\{([^}]*)\}/gm)].flatMap((m) =>
      m[1].split(',').map((pair) => pair.split('=')[0]),
    );
    expect(new Set(labels)).toEqual(
      new Set(
        labels.filter((l) =>
          ['method', 'route', 'status', 'le', 'type', 'outcome', 'municipality', 'segment', 'soort'].includes(l),
        ),
      ),
    );
  });

  it('the Grafana dashboard queries only metrics the API or the worker serves', async () => {
    const res = await request(stack.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    const namesIn = (text: string) =>
      new Set(
        [...text.matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap(([, name, type]) =>
          type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
        ),
      );
    const served = namesIn(res.text);
    // The worker's own registry (BEREIK_WORKER_METRICS_ADDRESS): the rate-limit queue lives where the sends wait.
    const workerServed = namesIn(await createWorkerMetrics().registry.metrics());
    const dashboard = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../deploy/grafana/dashboards/bereik.json'), 'utf8'),
    ) as { panels: { targets: { expr: string }[] }[]; templating: { list: { query: string }[] } };
    const queries = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => v.query),
    ];
    const referenced = new Set(queries.flatMap((q) => q.match(/\bbereik_\w+/g) ?? []));
    expect(referenced.size).toBeGreaterThanOrEqual(7);
    const fromWorker = [...referenced].filter((name) => name.startsWith('bereik_rate_limit_'));
    expect(fromWorker.length).toBeGreaterThan(0);
    expect(fromWorker.filter((name) => !workerServed.has(name))).toEqual([]);
    expect([...referenced].filter((name) => !fromWorker.includes(name) && !served.has(name))).toEqual([]);
    // Each metric has one home: the API serves none of the worker's.
    expect([...workerServed].filter((name) => served.has(name))).toEqual([]);
  });
});
