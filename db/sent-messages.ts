import type { Pool } from 'pg';

/** One outbound message's or call's idempotency record (see activities/channels/sent-store.ts for the protocol). */
export interface SentRecord {
  state: 'pending' | 'sent' | 'failed';
  /** Provider reference once sent: Twilio SID, Message-ID, print file name. */
  ref: string | null;
  /** ISO 8601. */
  at: string;
}

export interface SentStore {
  get(key: string): Promise<SentRecord | null>;
  put(key: string, record: SentRecord): Promise<void>;
}

export class SentStoreConflict extends Error {
  override name = 'SentStoreConflict';
}

/** The durable SentStore: a pending mark is claimed with INSERT ... ON CONFLICT, so two racing attempts can't both send. */
export class PgSentStore implements SentStore {
  constructor(private readonly pool: Pool) {}

  async get(key: string): Promise<SentRecord | null> {
    const result = await this.pool.query<{ state: SentRecord['state']; ref: string | null; at: Date }>(
      'SELECT state, ref, at FROM sent_messages WHERE key = $1',
      [key],
    );
    const row = result.rows[0];
    return row ? { state: row.state, ref: row.ref, at: row.at.toISOString() } : null;
  }

  async put(key: string, record: SentRecord): Promise<void> {
    if (record.state === 'pending') {
      const claimed = await this.pool.query(
        `INSERT INTO sent_messages (key, state, ref, at) VALUES ($1, 'pending', NULL, $2)
         ON CONFLICT (key) DO UPDATE SET state = 'pending', at = EXCLUDED.at WHERE sent_messages.state = 'failed'`,
        [key, record.at],
      );
      if (claimed.rowCount !== 1) throw new SentStoreConflict(`${key} is already being sent or was sent`);
      return;
    }
    await this.pool.query('UPDATE sent_messages SET state = $2, ref = $3, at = $4 WHERE key = $1', [
      key,
      record.state,
      record.ref,
      record.at,
    ]);
  }
}
