import { RateLimitQueueFull, RateLimiter, TokenBucket } from '../../activities/channels/rate-limit';
import { FakeClock } from './support/fake-clock';

describe('token bucket rate limiter', () => {
  test('a burst of callers is spread at the configured rate, in arrival order, and nobody is dropped', async () => {
    const clock = new FakeClock(1_000_000);
    const bucket = new TokenBucket({ perSecond: 2, burst: 2, maxWaitMs: 60_000 }, clock);
    const started = clock.now();
    const doneAt: number[] = [];
    const order: number[] = [];
    const all = Array.from({ length: 7 }, (_, i) =>
      bucket.take().then(() => {
        order.push(i);
        doneAt.push(clock.now() - started);
      }),
    );
    await clock.advance(0);
    expect(doneAt).toEqual([0, 0]);
    await clock.advance(10_000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(doneAt).toEqual([0, 0, 500, 1000, 1500, 2000, 2500]);
  });

  test('thousands of cases waking at 08:30 never exceed the rate in any second', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ perSecond: 10, burst: 10, maxWaitMs: 10 * 60_000 }, clock);
    const times: number[] = [];
    const all = Array.from({ length: 3000 }, () => bucket.take().then(() => times.push(clock.now())));
    await clock.advance(301_000);
    await Promise.all(all);
    expect(times).toHaveLength(3000);
    const perSecond = new Map<number, number>();
    for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    // Second 0 holds the burst plus the steady rate.
    expect(Math.max(...[...perSecond.entries()].filter(([s]) => s > 0).map(([, n]) => n))).toBeLessThanOrEqual(10);
    expect(perSecond.get(0)).toBeLessThanOrEqual(20);
  });

  test('tokens refill while idle, but never beyond the burst', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ perSecond: 1, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) await bucket.take();
    await clock.advance(60_000);
    const doneAt: number[] = [];
    const all = Array.from({ length: 4 }, () => bucket.take().then(() => doneAt.push(clock.now() - 60_000)));
    await clock.advance(5_000);
    await Promise.all(all);
    expect(doneAt).toEqual([0, 0, 0, 1000]);
  });

  test('a queue longer than maxWaitMs is refused without using a token, so the activity retries later', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, maxWaitMs: 2_000 }, clock);
    const queued = [bucket.take(), bucket.take(), bucket.take()]; // waits 0, 1 s, 2 s
    await expect(bucket.take()).rejects.toBeInstanceOf(RateLimitQueueFull);
    expect(bucket.pendingWaitMs()).toBe(3_000);
    await clock.advance(2_000);
    await Promise.all(queued);
    // The refused caller took nothing: the next one waits one interval, not two.
    expect(bucket.pendingWaitMs()).toBe(1_000);
    const next = bucket.take();
    await clock.advance(1_000);
    await expect(next).resolves.toBeUndefined();
  });

  test('each municipality has its own bucket', async () => {
    const clock = new FakeClock(0);
    const limiter = new RateLimiter(
      (key) => (key.startsWith('0518') ? { perSecond: 1, burst: 1 } : { perSecond: 1, burst: 1 }),
      clock,
    );
    const done: string[] = [];
    const all = [
      limiter.take('0518|messages').then(() => done.push('den haag 1')),
      limiter.take('0518|messages').then(() => done.push('den haag 2')),
      limiter.take('0392|messages').then(() => done.push('haarlem 1')),
    ];
    await clock.advance(0);
    expect(done.sort()).toEqual(['den haag 1', 'haarlem 1']);
    await clock.advance(1_000);
    await Promise.all(all);
    expect(done).toContain('den haag 2');
  });
});
