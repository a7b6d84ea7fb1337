import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import type { RateLimitObserver } from '../activities/channels/rate-limit';
import { createRateLimitMetrics } from '../activities/channels/rate-limit-metrics';

/**
 * The worker's own business metrics on a prom-client registry (the Temporal SDK's Rust-core metrics stay on
 * WORKER_METRICS_ADDRESS): today the Twilio rate-limit queue.
 */
export interface WorkerMetrics {
  registry: Registry;
  rateLimit: RateLimitObserver;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  return { registry, rateLimit: createRateLimitMetrics(registry) };
}

/** Serves `GET /metrics` at host:port (BEREIK_WORKER_METRICS_ADDRESS); resolves once listening. */
export function serveWorkerMetrics(registry: Registry, address: string): Promise<Server> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  const port = Number(address.slice(at + 1));
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
