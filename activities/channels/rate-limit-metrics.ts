import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RateLimitObserver } from './rate-limit';

/** The Twilio adapter's limiter kinds; anything else is counted as `other`. */
const KINDS = new Set(['messages', 'calls', 'lookups']);

/**
 * The rate-limit queue as Prometheus sees it, per municipality and kind: sends waiting now, sends that had to wait,
 * how long they waited, and sends refused because the queue was full (Temporal retries those). Labels are gemeentecodes
 * and the limiter kind only, taken from the limiter key `${municipality}|${kind}`; never a phone number or case.
 */
export function createRateLimitMetrics(registry: Registry): RateLimitObserver {
  const labelNames = ['municipality', 'kind'] as const;
  const waiting = new Gauge({
    name: 'bereik_rate_limit_waiting',
    help: 'Twilio sends waiting in the rate-limit queue now, by municipality and kind',
    labelNames,
    registers: [registry],
  });
  const waited = new Counter({
    name: 'bereik_rate_limit_waited_total',
    help: 'Twilio sends that had to wait for the rate limit, by municipality and kind',
    labelNames,
    registers: [registry],
  });
  const waitSeconds = new Histogram({
    name: 'bereik_rate_limit_wait_seconds',
    help: 'How long Twilio sends waited for the rate limit, by municipality and kind',
    labelNames,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'bereik_rate_limit_refused_total',
    help: 'Twilio sends refused because the rate-limit queue was full (the activity retries), by municipality and kind',
    labelNames,
    registers: [registry],
  });
  return {
    waiting(key, waitMs) {
      const labels = labelsOf(key);
      waiting.inc(labels);
      waited.inc(labels);
      waitSeconds.observe(labels, waitMs / 1000);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        waiting.dec(labels);
      };
    },
    refused(key) {
      refused.inc(labelsOf(key));
    },
  };
}

function labelsOf(key: string): { municipality: string; kind: string } {
  const [municipality = '', kind = ''] = key.split('|');
  return {
    municipality: /^\d{4}$/.test(municipality) ? municipality : 'unknown',
    kind: KINDS.has(kind) ? kind : 'other',
  };
}
