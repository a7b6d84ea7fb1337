/** Time source for the limiter; tests pass a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimit {
  /** Sustained rate: Twilio's default is 1 message per second per long code, 1 call per second per account. */
  perSecond: number;
  /** Requests allowed back to back after a quiet period. */
  burst?: number;
  /**
   * Longest a caller may queue. Beyond it `take` throws RateLimitQueueFull without consuming a token, so the
   * activity fails and Temporal retries it later: queued, never dropped, and no activity sits past its timeout.
   */
  maxWaitMs?: number;
}

/**
 * Told about callers that have to wait, e.g. for Prometheus (activities/channels/rate-limit-metrics.ts). `waiting` is
 * called when a caller starts to wait `waitMs` for its slot and returns what to call once it has it; `refused` when
 * the queue was too long to join.
 */
export interface RateLimitObserver {
  waiting(key: string, waitMs: number): () => void;
  refused?(key: string): void;
}

export class RateLimitQueueFull extends Error {
  override name = 'RateLimitQueueFull';
  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(`rate limit queue for ${key} is ${Math.ceil(waitMs)} ms long`);
  }
}

/**
 * Token bucket with FIFO reservations: every caller books the next free slot at once (tokens may go negative)
 * and sleeps until it. Order is arrival order and a burst of thousands of cases waking at 08:30 is spread
 * evenly at `perSecond`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
    private readonly key = 'default',
    private readonly observer?: RateLimitObserver,
  ) {
    if (!(limit.perSecond > 0)) throw new Error('perSecond must be positive');
    this.burst = Math.max(1, limit.burst ?? 1);
    this.maxWaitMs = limit.maxWaitMs ?? 60_000;
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Milliseconds a caller arriving now would wait. */
  pendingWaitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.limit.perSecond) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.pendingWaitMs();
    if (wait > this.maxWaitMs) {
      this.observer?.refused?.(this.key);
      throw new RateLimitQueueFull(this.key, wait);
    }
    this.tokens -= 1;
    if (wait <= 0) return;
    const done = this.observer?.waiting(this.key, wait);
    try {
      await this.clock.sleep(wait);
    } finally {
      done?.();
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.limit.perSecond);
  }
}

/** One bucket per key, e.g. `${municipality}:messages`. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limitFor: (key: string) => RateLimit,
    private readonly clock: Clock = systemClock,
    private readonly observer?: RateLimitObserver,
  ) {}

  take(key: string): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.limitFor(key), this.clock, key, this.observer);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }
}
