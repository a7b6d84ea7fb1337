import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { elapsed, run, say } from './progress';
import { findOnPath, isExecutable, projectToolsDir, userCacheDir } from './paths';
import { trySdkDownload } from './sdk-download';

/** Newest io.temporal:temporal-test-server that Maven Central serves (1.39 does not resolve). */
export const TEST_SERVER_VERSION = process.env.TEMPORAL_TEST_SERVER_VERSION ?? '1.38.0';

/**
 * Finds Temporal's time-skipping test server: an explicit path, the tool folder, the user cache,
 * `temporal-test-server` on PATH, the SDK download, and finally the Java server from Maven Central behind a
 * wrapper script. The SDK spawns it as `<path> <port> [--enable-time-skipping]` and gives it 5 s to listen, so
 * the wrapper execs the JVM (teardown must reach it) and uses a class-data-sharing archive to start in < 1 s.
 */
export async function ensureTestServer(): Promise<string> {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  // The suffix changes when the wrapper or its class path does, so cached builds are redone once.
  const name = `temporal-test-server-${TEST_SERVER_VERSION}-r2`;
  const cachedDir = path.join(userCacheDir(), name);
  const wrapper = path.join(cachedDir, 'temporal-test-server');
  for (const candidate of [path.join(projectToolsDir, name, 'temporal-test-server'), wrapper]) {
    if (isExecutable(candidate)) return candidate;
  }
  const onPath = findOnPath('temporal-test-server');
  if (onPath) return onPath;

  say('time-skipping test server not found; trying the SDK download ...');
  const downloaded = await trySdkDownload('time-skipping', path.join(userCacheDir(), 'sdk-download', 'test-server'));
  if (downloaded) return downloaded;

  const mvn = findOnPath('mvn');
  const java = findOnPath('java');
  if (!mvn || !java)
    throw new Error(
      'No time-skipping test server found and no Java 17 + Maven to fetch one. Set TEMPORAL_TEST_SERVER_PATH.',
    );
  say(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central ...`);
  const startedAt = Date.now();
  const building = `${cachedDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  writeFileSync(
    path.join(building, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.bereik</groupId><artifactId>temporal-test-server-fetch</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency></dependencies>
</project>\n`,
  );
  await run(mvn, ['-B', '-q', 'dependency:copy-dependencies', '-DoutputDirectory=lib'], {
    cwd: building,
    label: 'maven',
    quiet: true,
  });
  const jvmFlags = `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off -cp "${cachedDir}/lib/*"`;
  say('creating a class-data-sharing archive so the JVM starts fast ...');
  await createCdsArchive(java, building);
  writeFileSync(
    path.join(building, 'temporal-test-server'),
    `#!/bin/sh\n# Temporal time-skipping test server ${TEST_SERVER_VERSION} (Maven Central). exec: stopping this process stops the JVM.\n` +
      `exec java -XX:SharedArchiveFile="${cachedDir}/app.jsa" -Xshare:auto ${jvmFlags} io.temporal.testserver.TestServer "$@"\n`,
  );
  chmodSync(path.join(building, 'temporal-test-server'), 0o755);
  rmSync(cachedDir, { recursive: true, force: true });
  renameSync(building, cachedDir);
  say(`test server ready in ${elapsed(startedAt)} at ${wrapper}`);
  return wrapper;
}

async function createCdsArchive(java: string, dir: string): Promise<void> {
  const port = await freePort();
  const child = spawn(
    java,
    [
      `-XX:ArchiveClassesAtExit=${path.join(dir, 'app.jsa')}`,
      '-Xlog:cds=off',
      '-Xlog:cds+dynamic=off',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-cp',
      `${dir}/lib/*`,
      'io.temporal.testserver.TestServer',
      String(port),
      '--enable-time-skipping',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await waitForPort(port, 60_000);
  child.kill('SIGTERM');
  await exited;
  if (!existsSync(path.join(dir, 'app.jsa')))
    say('class-data-sharing archive not created; the server will start slower');
}

/**
 * Servers listen below the kernel's ephemeral range (32768-60999 here): a port the kernel hands out for listen(0) is
 * also one it hands to outgoing connections, and one of those took a Temporal server's port between our pick and its
 * restart after SIGKILL ("bind: address already in use").
 */
const SERVER_PORTS = { from: 20_000, to: 32_000 };

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries += 1) {
    const port = SERVER_PORTS.from + Math.floor(Math.random() * (SERVER_PORTS.to - SERVER_PORTS.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${SERVER_PORTS.from} and ${SERVER_PORTS.to} on 127.0.0.1`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
