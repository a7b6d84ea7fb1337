import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../db/connection';
import { operationalCounts, type OperationalCounts } from '../db/operational-metrics';

/** Labels are route templates, methods, statuses and enumerations only: never IDs, tokens or personal data. */
export interface ApiMetrics {
  registry: Registry;
  httpMiddleware: RequestHandler;
  intakeSignals: Counter<'status'>;
  intakeBatchSeconds: Histogram;
  caseEvents: Counter<'type' | 'outcome'>;
}

export function createMetrics(readModel?: Queryable): ApiMetrics {
  // One registry per app, so tests can create several apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bereik_api_' });
  const requests = new Counter({
    name: 'bereik_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'bereik_http_request_duration_seconds',
    help: 'HTTP request duration by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const intakeSignals = new Counter({
    name: 'bereik_intake_signals_total',
    help: 'Signals received at intake by result',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const intakeBatchSeconds = new Histogram({
    name: 'bereik_intake_batch_duration_seconds',
    help: 'Time to validate, store and deliver one intake request',
    buckets: [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const caseEvents = new Counter({
    name: 'bereik_case_events_total',
    help: 'Case events by type and outcome (accepted, rejected, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });

  if (readModel) registerReadModelGauges(registry, readModel);

  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const label = typeof route === 'string' ? route : 'unmatched';
      requests.inc({ method: req.method, route: label, status: String(res.statusCode) });
      end({ method: req.method, route: label });
    });
    next();
  };

  return { registry, httpMiddleware, intakeSignals, intakeBatchSeconds, caseEvents };
}

/**
 * Business gauges, counted from the read model when Prometheus scrapes: one query per scrape, shared by the gauges.
 * A failed count leaves the gauges empty and sets bereik_read_model_up to 0, so the scrape itself still answers.
 */
function registerReadModelGauges(registry: Registry, readModel: Queryable): void {
  let pending: Promise<OperationalCounts | null> | null = null;
  const counts = () =>
    (pending ??= operationalCounts(readModel)
      .catch(() => null)
      .finally(() => setImmediate(() => (pending = null))));
  new Gauge({
    name: 'bereik_read_model_up',
    help: '1 when the business gauges could be counted from the read model at this scrape',
    registers: [registry],
    async collect() {
      this.set((await counts()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bereik_cases',
    help: "Households by their latest round's status and segment, per municipality",
    labelNames: ['municipality', 'status', 'segment'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { count, ...labels } of (await counts())?.cases ?? []) this.set(labels, count);
    },
  });
  new Gauge({
    name: 'bereik_contact_attempts',
    help: 'Contact attempts recorded in the read model by contactsoort and outcome (reached, not_reached)',
    labelNames: ['municipality', 'soort', 'outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const a of (await counts())?.attempts ?? []) {
        this.set(
          { municipality: a.municipality, soort: a.soort, outcome: a.reached ? 'reached' : 'not_reached' },
          a.count,
        );
      }
    },
  });
  new Gauge({
    name: 'bereik_deadline_breaches',
    help: 'Deadline breaches (no first attempt in time) recorded on rounds, per municipality',
    labelNames: ['municipality'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const b of (await counts())?.breaches ?? []) this.set({ municipality: b.municipality }, b.count);
    },
  });
}
