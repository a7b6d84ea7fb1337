import { Registry } from 'prom-client';
import { RateLimitQueueFull, RateLimiter } from '../../activities/channels/rate-limit';
import { createRateLimitMetrics } from '../../activities/channels/rate-limit-metrics';
import { createWorkerMetrics, serveWorkerMetrics } from '../../worker/metrics';
import { FakeClock } from './support/fake-clock';

/** The value of a gauge or counter sample with exactly these labels (undefined: never set). */
async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('rate-limit queue metrics', () => {
  test('the gauge counts the sends waiting per municipality and kind, and drops as each gets its slot', async () => {
    const clock = new FakeClock(0);
    const registry = new Registry();
    const limiter = new RateLimiter(
      () => ({ perSecond: 1, burst: 1, maxWaitMs: 60_000 }),
      clock,
      createRateLimitMetrics(registry),
    );
    const waiting = (municipality: string, kind: string) =>
      valueOf(registry, 'bereik_rate_limit_waiting', { municipality, kind });

    // 0518 messages: the first goes at once, three wait (1, 2 and 3 s); 0363 calls: one goes, one waits.
    const sends = [
      ...Array.from({ length: 4 }, () => limiter.take('0518|messages')),
      limiter.take('0363|calls'),
      limiter.take('0363|calls'),
    ];
    await clock.advance(0);
    expect(await waiting('0518', 'messages')).toBe(3);
    expect(await waiting('0363', 'calls')).toBe(1);
    expect(await waiting('0518', 'calls')).toBeUndefined();

    await clock.advance(1_000);
    expect(await waiting('0518', 'messages')).toBe(2);
    expect(await waiting('0363', 'calls')).toBe(0);
    await clock.advance(2_000);
    await Promise.all(sends);
    expect(await waiting('0518', 'messages')).toBe(0);

    expect(await valueOf(registry, 'bereik_rate_limit_waited_total', { municipality: '0518', kind: 'messages' })).toBe(
      3,
    );
    expect(await valueOf(registry, 'bereik_rate_limit_waited_total', { municipality: '0363', kind: 'calls' })).toBe(1);
    const text = await registry.metrics();
    // 1 + 2 + 3 s waited by the three 0518 messages.
    expect(text).toContain('bereik_rate_limit_wait_seconds_sum{municipality="0518",kind="messages"} 6');
    expect(text).toContain('bereik_rate_limit_wait_seconds_count{municipality="0518",kind="messages"} 3');
  });

  test('a send refused by a full queue is counted, never left in the gauge; labels stay enumerations', async () => {
    const clock = new FakeClock(0);
    const registry = new Registry();
    const limiter = new RateLimiter(
      () => ({ perSecond: 1, burst: 1, maxWaitMs: 1_000 }),
      clock,
      createRateLimitMetrics(registry),
    );
    const queued = [limiter.take('0518|lookups'), limiter.take('0518|lookups')];
    await expect(limiter.take('0518|lookups')).rejects.toBeInstanceOf(RateLimitQueueFull);
    expect(await valueOf(registry, 'bereik_rate_limit_waiting', { municipality: '0518', kind: 'lookups' })).toBe(1);
    expect(await valueOf(registry, 'bereik_rate_limit_refused_total', { municipality: '0518', kind: 'lookups' })).toBe(
      1,
    );
    await clock.advance(1_000);
    await Promise.all(queued);
    expect(await valueOf(registry, 'bereik_rate_limit_waiting', { municipality: '0518', kind: 'lookups' })).toBe(0);

    // A key that is not `${gemeentecode}|${kind}` never puts its text into a label.
    const odd = [limiter.take('+31612345678|sms'), limiter.take('+31612345678|sms')];
    await clock.advance(0);
    expect(await valueOf(registry, 'bereik_rate_limit_waiting', { municipality: 'unknown', kind: 'other' })).toBe(1);
    await clock.advance(1_000);
    await Promise.all(odd);
    expect(await registry.metrics()).not.toContain('+316');
  });

  test('the worker serves its registry at /metrics on the configured address, and nothing else', async () => {
    const metrics = createWorkerMetrics();
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(() => ({ perSecond: 1 }), clock, metrics.rateLimit);
    const sends = [limiter.take('0518|messages'), limiter.take('0518|messages')];
    await clock.advance(0);
    const server = await serveWorkerMetrics(metrics.registry, '127.0.0.1:0');
    try {
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('not listening on a port');
      expect(address.address).toBe('127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('# TYPE bereik_rate_limit_waiting gauge');
      expect(text).toContain('bereik_rate_limit_waiting{municipality="0518",kind="messages"} 1');
      expect(text).toContain('# TYPE bereik_rate_limit_waited_total counter');
      expect(text).toContain('# TYPE bereik_rate_limit_wait_seconds histogram');
      expect((await fetch(`http://127.0.0.1:${address.port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${address.port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await clock.advance(1_000);
    await Promise.all(sends);
  });
});
