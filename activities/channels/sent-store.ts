import type { SentRecord, SentStore } from '../../db/sent-messages';

/**
 * Idempotency for outbound messages and calls. Twilio and SMTP have no idempotency key, so the adapters keep
 * their own record per key (channel + messageKey or callKey):
 *
 *   get(key) → 'sent'     : return the stored provider reference, send nothing.
 *   get(key) → 'pending'  : an earlier attempt may have reached the provider; the outcome is unknown.
 *   get(key) → 'failed' / null : send.
 *   before the request     : put(key, pending)
 *   provider accepted      : put(key, sent + SID)
 *   provider refused it    : put(key, failed)   (4xx, connection refused: nothing went out)
 *
 * Remaining window, by design at-most-once: when an attempt dies after the request left (process crash, timeout,
 * Twilio 5xx, lost response) the record stays 'pending' and a retry does NOT send again; it reports the outcome as
 * uncertain so the workflow moves on (another channel, the next attempt). A resident may then miss one message;
 * they never get the same message twice. The store must be durable (PostgreSQL in production) and `put` must be
 * awaited before the provider request is made.
 *
 * Concurrency: Temporal runs one attempt of an activity at a time unless an attempt outlives its timeout, so keep
 * startToCloseTimeout above the rate-limit wait plus the HTTP timeout. A PostgreSQL store can make `put` of a
 * pending record an `INSERT ... ON CONFLICT DO NOTHING` and throw SentStoreConflict when it lost the race.
 */
export { SentStoreConflict, type SentRecord, type SentStore } from '../../db/sent-messages';

/** For tests and single-process development only: forgets everything on restart. */
export class MemorySentStore implements SentStore {
  readonly records = new Map<string, SentRecord>();

  async get(key: string): Promise<SentRecord | null> {
    return this.records.get(key) ?? null;
  }

  async put(key: string, record: SentRecord): Promise<void> {
    this.records.set(key, { ...record });
  }
}

export type OnceResult<T> =
  { outcome: 'done'; value: T } | { outcome: 'already'; ref: string } | { outcome: 'uncertain'; since: string };

export interface SendOnceOptions<T> {
  /** Returns the provider reference. */
  send: () => Promise<T>;
  /** Whether a thrown error proves nothing went out, so a retry may send again. */
  refused: (error: unknown) => boolean;
  /** Runs after the store check and before the pending mark, e.g. waiting for a rate-limit token. */
  beforeSend?: () => Promise<void>;
  now?: () => Date;
}

/** Runs `send` at most once per key (see the window described above). */
export async function sendOnce<T extends { ref: string }>(
  store: SentStore,
  key: string,
  options: SendOnceOptions<T>,
): Promise<OnceResult<T>> {
  const now = options.now ?? (() => new Date());
  const existing = await store.get(key);
  if (existing?.state === 'sent' && existing.ref) return { outcome: 'already', ref: existing.ref };
  if (existing?.state === 'pending') return { outcome: 'uncertain', since: existing.at };
  await options.beforeSend?.();
  await store.put(key, { state: 'pending', ref: null, at: now().toISOString() });
  let value: T;
  try {
    value = await options.send();
  } catch (error) {
    if (options.refused(error)) await store.put(key, { state: 'failed', ref: null, at: now().toISOString() });
    throw error;
  }
  await store.put(key, { state: 'sent', ref: value.ref, at: now().toISOString() });
  return { outcome: 'done', value };
}
