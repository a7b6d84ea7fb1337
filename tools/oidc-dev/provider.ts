import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { DEV_ACCOUNTS, DEV_PASSWORD, type DevAccount } from './accounts';

export interface DevOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * A real OpenID provider (npm `oidc-provider`, authorization code with PKCE) on 127.0.0.1 with the development
 * accounts, for `npm start` and the tests. Its sign-in page is its own (Dutch, one step: the console is a first-party
 * client, so there is no consent screen). Claims: `gemeente`, `teams` and `role` under the `bereik` scope.
 */
export async function startDevOidcProvider(options: {
  port: number;
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  accounts?: DevAccount[];
}): Promise<DevOidcProvider> {
  const accounts = new Map((options.accounts ?? DEV_ACCOUNTS).map((a) => [a.login, a]));
  const clientId = options.clientId ?? 'bereik-console';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], bereik: ['gemeente', 'teams', 'role'] },
    scopes: ['openid', 'profile', 'bereik'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { Session: 3600, Interaction: 600, AccessToken: 600, IdToken: 600, Grant: 3600 },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          name: account.name,
          gemeente: account.gemeente,
          teams: account.teams,
          role: account.role,
        }),
      };
    },
    // First-party client: every scope it asks for is granted without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const grant = await ctx.oidc.provider.Grant.find(existing);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile bereik');
      grant.addOIDCClaims(['gemeente', 'teams', 'role', 'name']);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handleOidc = provider.callback();

  server.on('request', (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return void handleOidc(req, res);
    void handleInteraction(req, res, match[1]!, Boolean(match[2])).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Deze aanmelding is verlopen. Ga terug naar de console en meld u opnieuw aan.');
    });
  });

  async function handleInteraction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, submit: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (!submit || req.method !== 'POST') return renderLogin(res, uid, null);
    const form = new URLSearchParams(await readBody(req));
    const account = accounts.get(form.get('login') ?? '');
    if (!account || form.get('password') !== DEV_PASSWORD)
      return renderLogin(res, uid, 'Deze combinatie van gebruikersnaam en wachtwoord kennen we niet.');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.login } },
      { mergeWithLastSubmission: false },
    );
  }

  function renderLogin(res: http.ServerResponse, uid: string, error: string | null) {
    const errorBlock = error ? `<p role="alert" id="fout">${escapeHtml(error)}</p>` : '';
    const described = error ? ' aria-describedby="fout"' : '';
    res.writeHead(error ? 400 : 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; form-action 'self' http://localhost:* http://127.0.0.1:*; base-uri 'none'",
    });
    res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Aanmelden (ontwikkeling)</title></head><body><main><h1>Aanmelden bij de ontwikkel-IdP</h1>${errorBlock}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label for="login">Gebruikersnaam</label><br><input id="login" name="login" autocomplete="username" required${described}></p>
<p><label for="password">Wachtwoord</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Aanmelden</button></p></form></main></body></html>`);
  }

  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
