import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { apiKeyScopeProblem } from '../domain/teams';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export const ROLES = ['intake', 'staff', 'admin', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRecord {
  id: string;
  municipality: string;
  role: Role;
  /** A staff key's team or a partner key's signal partner; absent for keys that see the whole municipality. */
  scope?: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Keys are 256-bit random, so an unsalted SHA-256 is enough: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export async function createApiKey(
  db: Queryable,
  input: { municipality: string; role: Role; scope?: string; label: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  if (!/^\d{4}$/.test(input.municipality)) throw new Error('municipality must be a 4-digit gemeentecode');
  if (!ROLES.includes(input.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
  const scopeProblem = apiKeyScopeProblem(input.role, input.scope);
  if (scopeProblem) throw new Error(scopeProblem);
  const id = `key_${randomBytes(6).toString('hex')}`;
  const key = `bk_${randomBytes(32).toString('base64url')}`;
  const result = await db.query<{ created_at: Date }>(
    'INSERT INTO api_keys (id, key_hash, municipality, role, scope, label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at',
    [id, hashApiKey(key), input.municipality, input.role, input.scope ?? null, input.label],
  );
  return {
    key,
    record: {
      id,
      municipality: input.municipality,
      role: input.role,
      ...(input.scope ? { scope: input.scope } : {}),
      label: input.label,
      createdAt: result.rows[0]!.created_at.toISOString(),
      revokedAt: null,
    },
  };
}

export async function listApiKeys(db: Queryable): Promise<ApiKeyRecord[]> {
  const result = await db.query<{
    id: string;
    municipality: string;
    role: Role;
    scope: string | null;
    label: string;
    created_at: Date;
    revoked_at: Date | null;
  }>('SELECT id, municipality, role, scope, label, created_at, revoked_at FROM api_keys ORDER BY created_at, id');
  return result.rows.map((r) => ({
    id: r.id,
    municipality: r.municipality,
    role: r.role,
    ...(r.scope ? { scope: r.scope } : {}),
    label: r.label,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

/** True when the key existed and was active. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (result.rowCount ?? 0) > 0;
}

export async function findActiveApiKey(
  db: Queryable,
  keyHash: string,
): Promise<{ id: string; municipality: string; role: Role; scope?: string } | null> {
  const result = await db.query<{ id: string; municipality: string; role: Role; scope: string | null }>(
    'SELECT id, municipality, role, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [keyHash],
  );
  const row = result.rows[0];
  if (!row) return null;
  return { id: row.id, municipality: row.municipality, role: row.role, ...(row.scope ? { scope: row.scope } : {}) };
}
