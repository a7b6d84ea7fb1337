import { startDevOidcProvider } from './provider';

/**
 * The development OpenID provider as a process of its own (the end-to-end tests run it so): OIDC_DEV_PORT (0 for
 * any), OIDC_REDIRECT_URIS (comma-separated), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. Prints one JSON line with the
 * issuer once it listens; ends on SIGTERM.
 */
async function main(): Promise<void> {
  const provider = await startDevOidcProvider({
    port: Number(process.env.OIDC_DEV_PORT ?? 0),
    redirectUris: (process.env.OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean),
    clientId: process.env.OIDC_CLIENT_ID,
    clientSecret: process.env.OIDC_CLIENT_SECRET,
  });
  process.stdout.write(`${JSON.stringify({ issuer: provider.issuer })}\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => void provider.stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
