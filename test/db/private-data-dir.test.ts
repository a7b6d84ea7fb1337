import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensurePostgresBinaries, freePort, startPostgres, type PostgresCluster } from '../../tools/toolchain';

// `npm start` with DATA_DIR=$(mktemp -d)/... : as root the cluster runs as the postgres user, who must get through.
describe('the local PostgreSQL cluster in a private folder', () => {
  const outer = mkdtempSync(path.join(os.tmpdir(), 'bereik-private-')); // 0700, like mktemp -d
  const inner = path.join(outer, 'only-root');
  const dataDir = path.join(inner, 'state', 'postgres');
  let cluster: PostgresCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    rmSync(outer, { recursive: true, force: true });
  });

  test('starts, two private levels deep, and opens those folders for passing through only', async () => {
    mkdirSync(inner, { mode: 0o700 });
    expect(statSync(outer).mode & 0o777).toBe(0o700);

    cluster = await startPostgres({
      binDir: await ensurePostgresBinaries(),
      dataDir,
      port: await freePort(),
      database: 'bereik_private',
      throwaway: true,
    });
    const client = new Client({ connectionString: cluster.url });
    await client.connect();
    try {
      expect((await client.query<{ db: string }>('SELECT current_database() AS db')).rows[0].db).toBe('bereik_private');
    } finally {
      await client.end();
    }

    // As root: enter, not list (o+x only). Otherwise the cluster is the user's own and the folders stay untouched.
    const expected = os.userInfo().uid === 0 ? 0o701 : 0o700;
    expect(statSync(outer).mode & 0o777).toBe(expected);
    expect(statSync(inner).mode & 0o777).toBe(expected);
  });
});
