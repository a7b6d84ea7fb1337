import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { findActiveApiKey, hashApiKey, type Role } from '../db/api-keys';
import { problems } from './problem';

export interface Principal {
  /** `config:<hash prefix>` for API_KEYS entries, the api_keys row ID for stored keys. Safe to log and audit. */
  keyId: string;
  municipality: string;
  role: Role;
  /** A staff key's team (it sees that team's work only) or a partner key's signal partner. */
  scope?: string;
}

/** Which roles may call a route that needs `role`: admin can do everything staff can. */
const GRANTS: Record<Role, readonly Role[]> = {
  intake: ['intake'],
  staff: ['staff', 'admin'],
  admin: ['admin'],
  partner: ['partner'],
};

const CACHE_MS = 10_000;

export interface Authenticator {
  authenticate(req: Request): Promise<Principal | null>;
  /** Any one of several roles: `require('intake', 'partner')`. */
  require(...roles: [Role, ...Role[]]): RequestHandler;
}

/** API_KEYS from the configuration (development, tests) first, then hashed keys in PostgreSQL (production). */
export function createAuthenticator(config: Config, pool: Pool): Authenticator {
  const configured = new Map<string, Principal>();
  for (const entry of config.API_KEYS) {
    const hash = hashApiKey(entry.key);
    configured.set(hash, {
      keyId: `config:${hash.slice(0, 12)}`,
      municipality: entry.municipality,
      role: entry.role,
      ...(entry.scope ? { scope: entry.scope } : {}),
    });
  }
  // Short positive cache: a revoked key stops working within CACHE_MS without a query per request.
  const cache = new Map<string, { principal: Principal; until: number }>();

  async function authenticate(req: Request): Promise<Principal | null> {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
    if (!match) return null;
    const hash = hashApiKey(match[1]!);
    const fromConfig = configured.get(hash);
    if (fromConfig) return fromConfig;
    const cached = cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const stored = await findActiveApiKey(pool, hash);
    if (!stored) {
      cache.delete(hash);
      return null;
    }
    const principal: Principal = {
      keyId: stored.id,
      municipality: stored.municipality,
      role: stored.role,
      ...(stored.scope ? { scope: stored.scope } : {}),
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }

  return {
    authenticate,
    require(...roles: [Role, ...Role[]]): RequestHandler {
      return async (req: Request, res: Response, next: NextFunction) => {
        const principal = await authenticate(req);
        if (!principal) throw problems.unauthorized('Send a valid API key as "Authorization: Bearer <key>".');
        if (!roles.some((role) => GRANTS[role].includes(principal.role)))
          throw problems.forbidden(
            `This route needs the ${roles.join(' or ')} role; the key has the ${principal.role} role.`,
          );
        res.locals.principal = principal;
        next();
      };
    },
  };
}

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('route is missing its auth middleware');
  return principal;
}
