import os from 'node:os';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Config } from '../config';

/** Database of the local cluster `npm start` runs when DATABASE_URL is unset. */
export const DEV_DATABASE = 'bereik';

/** DATABASE_URL, or the local development cluster on PG_PORT (owned by `postgres` when we run as root). */
export function databaseUrlFrom(config: Config): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const user = os.userInfo().uid === 0 ? 'postgres' : os.userInfo().username;
  return `postgres://${user}@127.0.0.1:${config.PG_PORT}/${DEV_DATABASE}`;
}

export function createPool(databaseUrl: string, options: PoolConfig = {}): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 5_000, ...options });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** A pool or a client inside a transaction: repository functions take either. */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

/** Runs `work` in one transaction on one client: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Resolves when PostgreSQL answers a trivial query: the health check. */
export async function ping(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
