import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Labels are route templates, methods, statuses and enumerations only: never IDs, tokens or personal data. */
export interface ApiMetrics {
  registry: Registry;
  httpMiddleware: RequestHandler;
  intakeSignals: Counter<'status'>;
  intakeBatchSeconds: Histogram;
  caseEvents: Counter<'type' | 'outcome'>;
}

export function createMetrics(): ApiMetrics {
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
