import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { elapsed, run, say } from './progress';
import { findOnPath, isExecutable } from './paths';

/** Finds PostgreSQL's server binaries, installing Debian's package when they are missing and we are root. */
export async function ensurePostgresBinaries(): Promise<string> {
  const found = findPostgresBinDir();
  if (found) return found;
  if (os.userInfo().uid !== 0 || !findOnPath('apt-get')) {
    throw new Error(
      'PostgreSQL server binaries not found. Install PostgreSQL 15 or set PG_BIN_DIR (or DATABASE_URL to use your own server).',
    );
  }
  say('installing PostgreSQL from Debian packages (apt-get) ...');
  const startedAt = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env, label: 'apt-get update', quiet: true });
  await run('apt-get', ['install', '-y', '-q', 'postgresql'], { env, label: 'apt-get install', quiet: true });
  const installed = findPostgresBinDir();
  if (!installed) throw new Error('apt-get installed postgresql but its binaries were not found');
  say(`PostgreSQL installed in ${elapsed(startedAt)}`);
  return installed;
}

function findPostgresBinDir(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config is only there with the dev package
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  return (
    candidates.find((dir) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'pg_ctl'))) ?? null
  );
}

export interface PostgresCluster {
  url: string;
  stop(): Promise<void>;
}

/** Commands as the cluster's owner: initdb refuses root, so as root the cluster belongs to the `postgres` user. */
function asClusterOwner(args: string[]): { command: string; args: string[] } {
  return os.userInfo().uid === 0
    ? { command: 'runuser', args: ['-u', 'postgres', '--', ...args] }
    : { command: args[0]!, args: args.slice(1) };
}

function stopArgs(binDir: string, dataDir: string): string[] {
  return [path.join(binDir, 'pg_ctl'), '-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'];
}

/** The `pg_ctl stop` command line of the cluster in `dataDir`, as its owner runs it. */
export function clusterStopCommand(opts: { binDir: string; dataDir: string }): string[] {
  const stop = asClusterOwner(stopArgs(opts.binDir, opts.dataDir));
  return [stop.command, ...stop.args];
}

/**
 * The cluster in `dataDir` as its `postmaster.pid` describes it: running (the pid is a postgres whose working
 * directory is this data directory), stale (the pid is gone or now another process), or absent.
 */
function clusterState(
  dataDir: string,
): { state: 'running'; pid: number; port: number } | { state: 'stale' | 'absent' } {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return { state: 'absent' };
  const [pidLine, , , portLine] = readFileSync(lockFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  try {
    if (pid > 0 && readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dataDir))
      return { state: 'running', pid, port: Number(portLine) };
  } catch {
    // no such process, or not ours to inspect
  }
  return { state: 'stale' };
}

/**
 * A start after a hard stop (SIGKILL, a closed terminal) can find its own cluster still running, or its lock file
 * left behind. A running one is stopped, so this start runs it with its own settings and port; a stale lock file,
 * whose pid may meanwhile belong to another process, is removed. Returns what it did, or null.
 */
export async function stopLeftoverCluster(opts: { binDir: string; dataDir: string }): Promise<string | null> {
  const found = clusterState(opts.dataDir);
  if (found.state === 'absent') return null;
  if (found.state !== 'running') {
    rmSync(path.join(opts.dataDir, 'postmaster.pid'));
    return 'removed the stale postmaster.pid of an earlier PostgreSQL';
  }
  const stop = asClusterOwner(stopArgs(opts.binDir, opts.dataDir));
  await run(stop.command, stop.args, { label: 'pg_ctl stop', quiet: true });
  return `stopped the PostgreSQL an earlier start left running (pid ${found.pid}, port ${found.port})`;
}

/**
 * Starts (creating on first use) a private PostgreSQL cluster in `dataDir`, listening on 127.0.0.1 only, and
 * creates `database`. initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres(opts: {
  binDir: string;
  dataDir: string;
  port: number;
  database: string;
  throwaway?: boolean;
}): Promise<PostgresCluster> {
  const asRoot = os.userInfo().uid === 0;
  const pgUser = asRoot ? 'postgres' : os.userInfo().username;
  const sh = asClusterOwner;
  mkdirSync(opts.dataDir, { recursive: true });
  if (asRoot) {
    chownSync(opts.dataDir, uidOf('postgres'), gidOf('postgres'));
    letPostgresThrough(opts.dataDir);
  }

  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    const init = sh([
      path.join(opts.binDir, 'initdb'),
      '-D',
      opts.dataDir,
      '-A',
      'trust',
      '-U',
      pgUser,
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await run(init.command, init.args, { label: 'initdb', quiet: true });
    const settings = [
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = ''`,
      `max_connections = 200`,
      ...(opts.throwaway ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
    ];
    writeFileSync(path.join(opts.dataDir, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
    if (asRoot) chownSync(path.join(opts.dataDir, 'postgresql.auto.conf'), uidOf('postgres'), gidOf('postgres'));
  }
  const logFile = path.join(opts.dataDir, 'server.log');
  const start = sh([
    path.join(opts.binDir, 'pg_ctl'),
    '-D',
    opts.dataDir,
    '-l',
    logFile,
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${opts.port}`,
    'start',
  ]);
  await run(start.command, start.args, { label: 'pg_ctl', quiet: true });

  const adminUrl = `postgres://${pgUser}@127.0.0.1:${opts.port}/postgres`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  await admin.end();

  const stop = sh(stopArgs(opts.binDir, opts.dataDir));
  return {
    url: `postgres://${pgUser}@127.0.0.1:${opts.port}/${opts.database}`,
    async stop() {
      await run(stop.command, stop.args, { label: 'pg_ctl stop', quiet: true });
    },
  };
}

/**
 * As root the cluster runs as the postgres user, who must pass through every folder above its data directory: a
 * private one anywhere on the path (mktemp -d makes 0700) stops initdb with "Permission denied". Each folder the
 * postgres user cannot pass gets traversal for others (o+x: enter, not list, so its contents stay unlisted); one
 * that refuses the change stops start-up naming the folder and the fix.
 */
function letPostgresThrough(dataDir: string): void {
  const uid = uidOf('postgres');
  const groups = execFileSync('id', ['-G', 'postgres'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    const { mode, uid: owner, gid } = statSync(dir);
    const bit = owner === uid ? 0o100 : groups.includes(gid) ? 0o010 : 0o001;
    const passes = (mode & bit) !== 0;
    if (!passes) {
      try {
        chmodSync(dir, (mode & 0o7777) | 0o001);
      } catch (error) {
        throw new Error(
          `PostgreSQL runs as the postgres user, who cannot enter ${dir} (${(error as Error).message}). ` +
            `Run \`chmod o+x ${dir}\` or choose a DATA_DIR the postgres user can reach.`,
        );
      }
    }
    if (path.dirname(dir) === dir) break;
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
