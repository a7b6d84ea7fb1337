import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  clusterStopCommand,
  ensurePostgresBinaries,
  freePort,
  startPostgres,
  stopLeftoverCluster,
} from '../../tools/toolchain';
import { portHolders } from '../../tools/toolchain/ports';
import { requireEnv } from '../api/support';

/**
 * The local cluster of `npm start` after a hard stop: still running (its starter was SIGKILLed), or its lock file
 * left behind naming a pid that is now another process. The next start must get its cluster back either way.
 */
describe('a PostgreSQL cluster left by an earlier start', () => {
  let dir: string;
  let dataDir: string;
  let binDir: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bereik-pgleft-'));
    chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, who must reach its data directory
    dataDir = path.join(dir, 'postgres');
    binDir = await ensurePostgresBinaries();
  });
  afterEach(() => {
    const [command, ...args] = clusterStopCommand({ binDir, dataDir });
    try {
      execFileSync(command!, args, { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('SELECT n FROM kept ORDER BY n')).rows.map((r) => r.n);
    } finally {
      await client.end();
    }
  };

  test('still running: it is stopped, and started again on the port this start asks for, with its data', async () => {
    const first = await startPostgres({ binDir, dataDir, port: await freePort(), database: 'bereik', throwaway: true });
    const client = new Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)');
    await client.end();
    const oldPort = Number(new URL(first.url).port);
    // The starter is gone without stopping it: nothing more is done with `first`.

    expect(await stopLeftoverCluster({ binDir, dataDir })).toMatch(
      new RegExp(`stopped the PostgreSQL .* port ${oldPort}\\)`),
    );
    expect(portHolders(oldPort)).toEqual([]);
    const again = await startPostgres({ binDir, dataDir, port: await freePort(), database: 'bereik', throwaway: true });
    expect(await rows(again.url)).toEqual([1, 2]);
    await again.stop();
  });

  test('a stale lock file whose pid is now another process is removed, so the cluster starts', async () => {
    const first = await startPostgres({ binDir, dataDir, port: await freePort(), database: 'bereik', throwaway: true });
    await first.stop();
    // What a SIGKILLed postmaster leaves: its lock file. Its pid may since name another process of the cluster's
    // owner, which PostgreSQL takes for a running server ("another server might be running ... could not start
    // server"). As root the owner is the postgres user: the test run's own cluster is such a process.
    const lockFile = path.join(dataDir, 'postmaster.pid');
    const foreignPid =
      os.userInfo().uid === 0
        ? Number(readFileSync(path.join(requireEnv('BEREIK_TEST_DIR'), 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
        : process.pid;
    const lines = [String(foreignPid), dataDir, '0', '5999', '', '127.0.0.1', '0 0', 'ready', ''];
    writeFileSync(lockFile, lines.join('\n'));
    if (os.userInfo().uid === 0) execFileSync('chown', ['postgres:postgres', lockFile]);

    expect(await stopLeftoverCluster({ binDir, dataDir })).toMatch(/removed the stale postmaster.pid/);
    expect(existsSync(lockFile)).toBe(false);
    const again = await startPostgres({ binDir, dataDir, port: await freePort(), database: 'bereik', throwaway: true });
    expect(Number(readFileSync(lockFile, 'utf8').split('\n')[0])).not.toBe(foreignPid);
    await again.stop();
  });

  test('nothing left: nothing to do', async () => {
    expect(await stopLeftoverCluster({ binDir, dataDir })).toBeNull();
  });

  test('a failed pg_ctl stop is reported, not swallowed', async () => {
    const cluster = await startPostgres({
      binDir,
      dataDir,
      port: await freePort(),
      database: 'bereik',
      throwaway: true,
    });
    await cluster.stop();
    // Stopping a stopped cluster fails in pg_ctl; the error reaches the caller (npm start prints it).
    await expect(cluster.stop()).rejects.toThrow(/pg_ctl stop failed/);
  });
});
