import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.bereikServers;
  if (!servers) return;
  await Promise.all([servers.devServer.stop(), servers.postgres.stop()]);
  rmSync(servers.dir, { recursive: true, force: true });
}
