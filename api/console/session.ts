import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import { touchConsoleSession, type ConsoleSessionRow } from '../../db/console';

export const SESSION_COOKIE = 'bereik_console';
export const LOGIN_COOKIE = 'bereik_console_login';

export const newToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function readCookie(req: Request, name: string): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      const value = rest.join('=');
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** httpOnly, SameSite=Lax (the IdP's redirect back must carry the login cookie), Secure unless on localhost. */
export function cookieHeader(name: string, value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${name}=${value}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearCookieHeader(name: string, secure: boolean): string {
  return cookieHeader(name, '', { secure, maxAgeSeconds: 0 });
}

export function sessionOf(res: Response): ConsoleSessionRow {
  const session = res.locals.consoleSession as ConsoleSessionRow | undefined;
  if (!session) throw new Error('console route is missing its session middleware');
  return session;
}

/** Pages that need a signed-in member of staff: without a live session, off to sign in. */
export function requireSession(pool: Pool, idleMs: number): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req, SESSION_COOKIE);
    const session = token ? await touchConsoleSession(pool, tokenHash(token), idleMs) : null;
    if (!session) {
      // A refresh by htmx must not swap the sign-in page into the queue: it reloads the whole page instead.
      if (req.get('HX-Request') === 'true') {
        res.status(401).set('HX-Refresh', 'true').end();
        return;
      }
      if (req.method === 'GET') return res.redirect(303, '/console/aanmelden');
      res.status(401).type('text/plain; charset=utf-8').send('Uw sessie is verlopen. Meld u opnieuw aan.');
      return;
    }
    res.locals.consoleSession = session;
    next();
  };
}

/** Synchronizer token: every POST carries the session's CSRF token in `_csrf`. */
export function requireCsrf(req: Request, res: Response, next: NextFunction): void {
  const session = sessionOf(res);
  const given = typeof req.body?._csrf === 'string' ? (req.body._csrf as string) : '';
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    res.status(403).type('text/plain; charset=utf-8').send('Dit formulier is niet geldig. Laad de pagina opnieuw.');
    return;
  }
  next();
}
