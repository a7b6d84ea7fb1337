import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { elapsed, run, say } from './progress';
import { findOnPath, isExecutable, projectToolsDir, userCacheDir } from './paths';
import { trySdkDownload } from './sdk-download';

/** Newest release that `go install` can build (later ones carry a replace directive it refuses). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/**
 * Finds the Temporal CLI (which embeds the dev server and Web UI): an explicit path, the project's tool folder,
 * the user cache, `temporal` on PATH, the SDK download, and finally a build from the Go module proxy.
 */
export async function ensureTemporalCli(): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  const fileName = `temporal-${TEMPORAL_CLI_VERSION}`;
  const cached = path.join(userCacheDir(), 'bin', fileName);
  for (const candidate of [path.join(projectToolsDir, fileName), cached]) {
    if (isExecutable(candidate)) return candidate;
  }
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;

  say('Temporal CLI not found; trying the SDK download ...');
  const downloaded = await trySdkDownload('dev-server', path.join(userCacheDir(), 'sdk-download', 'dev-server'));
  if (downloaded) {
    install(downloaded, cached);
    say(`Temporal CLI downloaded to ${cached}`);
    return cached;
  }

  const go = findOnPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go)
    throw new Error(
      'No Temporal CLI found and no Go toolchain to build one. Set TEMPORAL_CLI_PATH or install Go >= 1.25.',
    );
  say(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} from the Go module proxy (several minutes on a cold cache) ...`,
  );
  const startedAt = Date.now();
  const gobin = path.join(userCacheDir(), 'go-build-bin');
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  const env = { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  try {
    await run(
      go,
      ['install', '-v', '-ldflags=-s -w', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
      { env, label: 'go install', quiet: true },
    );
  } catch (error) {
    if (!/checksum|sum\.golang\.org|verifying/.test(String(error))) throw error;
    // The checksum database is unreachable from some networks; the module proxy itself is trusted here.
    say('checksum database unreachable; retrying this one build with GONOSUMDB for the Temporal modules');
    await run(
      go,
      ['install', '-v', '-ldflags=-s -w', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
      {
        env: { ...env, GOFLAGS: '-buildvcs=false -mod=mod', GONOSUMDB: '*', GONOSUMCHECK: '1', GOSUMDB: 'off' },
        label: 'go install',
        quiet: true,
      },
    );
  }
  install(path.join(gobin, 'temporal'), cached);
  say(`Temporal CLI built in ${elapsed(startedAt)} and cached at ${cached}`);
  return cached;
}

function install(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  const partial = `${to}.partial`;
  copyFileSync(from, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, to);
  if (!existsSync(to)) throw new Error(`could not install ${to}`);
}
