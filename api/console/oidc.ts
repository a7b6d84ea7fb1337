import * as oidc from 'openid-client';
import { z } from 'zod';

const TEAMS = ['callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt'] as const;

/** What the municipality's IdP must say about a member of staff. */
export const staffClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  gemeente: z.string().regex(/^\d{4}$/),
  teams: z.array(z.enum(TEAMS)).min(1),
  role: z.enum(['staff', 'admin']),
});
export type StaffClaims = z.infer<typeof staffClaimsSchema>;

export interface ConsoleOidc {
  start(): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }>;
  finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<StaffClaims | null>;
}

/** Authorization code with PKCE, state and nonce (openid-client). Discovery waits for the first sign-in. */
export function consoleOidc(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): ConsoleOidc {
  let configuration: Promise<oidc.Configuration> | null = null;
  const issuer = new URL(options.issuer);
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  const discover = () => {
    configuration ??= oidc
      .discovery(issuer, options.clientId, options.clientSecret, undefined, {
        execute: local ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        configuration = null;
        throw error;
      });
    return configuration;
  };
  return {
    async start() {
      const config = await discover();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: 'openid profile bereik',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, expected) {
      const config = await discover();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const parsed = staffClaimsSchema.safeParse(tokens.claims());
      return parsed.success ? parsed.data : null;
    },
  };
}
