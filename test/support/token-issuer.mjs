// A real OAuth2 token issuer for tests: oidc-provider with the client-credentials grant, issuing JWT access tokens
// for one resource (audience). Started as its own process because oidc-provider is ESM-only; prints "ready".
// Arguments: one JSON object { port, audience, jwk, clients }.
import Provider, { errors } from 'oidc-provider';

const { port, audience, jwk, clients } = JSON.parse(process.argv[2]);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients,
  jwks: { keys: [jwk] },
  scopes: ['read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== audience) throw new errors.InvalidTarget();
        return {
          scope: 'read',
          audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
provider.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
