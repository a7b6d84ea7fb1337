import {
  ensureChromium,
  ensurePostgresBinaries,
  ensureTemporalCli,
  ensureTemporalServer,
  ensureTestServer,
  elapsed,
  say,
} from './toolchain';

/** Installs (idempotently) every server the tests and the local service need; prints what it finds. */
export async function provision(needs: {
  temporalCli: boolean;
  testServer: boolean;
  postgres: boolean;
  chromium?: boolean;
  /** The real Temporal server and temporal-sql-tool (npm run test:cluster, TEMPORAL_SERVER=cluster npm start). */
  temporalServer?: boolean;
}): Promise<void> {
  const startedAt = Date.now();
  const found: string[] = [];
  if (needs.postgres) found.push(`PostgreSQL ${await ensurePostgresBinaries()}`);
  if (needs.testServer) found.push(`test server ${await ensureTestServer()}`);
  if (needs.temporalCli) found.push(`Temporal CLI ${await ensureTemporalCli()}`);
  if (needs.chromium) found.push(`Chromium ${await ensureChromium()}`);
  if (needs.temporalServer) found.push(`Temporal server ${(await ensureTemporalServer()).server}`);
  say(`toolchain ready in ${elapsed(startedAt)}: ${found.join('; ')}`);
}

if (require.main === module) {
  provision({ temporalCli: true, testServer: true, postgres: true, chromium: true, temporalServer: true }).catch(
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
