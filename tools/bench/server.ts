import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli, freePort, startDevServer, startTemporalServer } from '../toolchain';

export type BenchServerKind = 'dev' | 'cluster';

export interface BenchServer {
  kind: BenchServerKind;
  label: string;
  address: string;
  /** The server's process, for its CPU. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `--server dev,cluster`: each kind once, in the order given. */
export function parseServerKinds(value: string): BenchServerKind[] | null {
  const kinds = value.split(',').map((kind) => kind.trim());
  return kinds.length > 0 &&
    kinds.every((kind) => kind === 'dev' || kind === 'cluster') &&
    new Set(kinds).size === kinds.length
    ? (kinds as BenchServerKind[])
    : null;
}

/**
 * A Temporal server for one benchmark: the dev server (in memory), or the real server (go.temporal.io/server with
 * deploy/temporal/'s production configuration) on the given throwaway PostgreSQL, as `npm start` and
 * `npm run test:cluster` run it.
 */
export async function startBenchServer(kind: BenchServerKind, postgresUrl: string, dir: string): Promise<BenchServer> {
  if (kind === 'cluster') {
    const server = await startTemporalServer({ postgresUrl, dir });
    return {
      kind,
      label: `real Temporal server (PostgreSQL, 8 shards) ${server.address}`,
      address: server.address,
      pid: server.process.pid,
      stop: () => server.stop(),
    };
  }
  const server = await startDevServer({
    binary: await ensureTemporalCli(),
    port: await freePort(),
    logFile: path.join(dir, 'temporal-dev.log'),
  });
  return {
    kind,
    label: `dev server (in memory) ${server.address}`,
    address: server.address,
    pid: server.process.pid,
    stop: () => server.stop(),
  };
}

/** The machine's 1, 5 and 15 minute load averages, for a figure's context. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}
