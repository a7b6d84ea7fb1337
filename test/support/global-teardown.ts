import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.bereikServers;
  if (!servers) return;
  // The real Temporal server (TEMPORAL_SERVER=cluster) keeps its state in this PostgreSQL: it stops first.
  await servers.devServer.stop();
  await servers.postgres.stop();
  rmSync(servers.dir, { recursive: true, force: true });
}
