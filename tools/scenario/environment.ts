import { spawn, type ChildProcess } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';
import { freePort, waitForPort } from '../toolchain/test-server';

const START_TIMEOUT_MS = 90_000;

/** The SDK's own constructor for an environment on a server it did not start (private in its types, public in JS). */
type CreateEnvironment = (opts: {
  server: { type: 'existing' };
  address: string;
  namespace: string;
  supportsTimeSkipping: boolean;
  client: { dataConverter: { failureConverterPath: string } };
}) => Promise<TestWorkflowEnvironment>;

/**
 * A time-skipping environment on the provisioned test server (`ensureTestServer()`), with bereik's failure
 * converter. The server is started here, not by Temporal's core: core gives it a fixed 5 s to answer and kills it
 * when it does not, and a JVM on two cores busy with a test suite sometimes needs longer. Here it gets as long as it
 * needs to listen (bounded), and the environment then connects to it as to an existing server, with time skipping.
 */
export async function startTimeSkippingEnvironment(
  serverPath: string,
  report: (line: string) => void = () => {},
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawn(serverPath, [String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    server.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) =>
      server.once('exit', (code, signal) =>
        reject(new Error(`the test server exited (${signal ?? code}) before it listened: ${output.trim()}`)),
      ),
    );
    exited.catch(() => undefined);
    try {
      await Promise.race([waitForPort(port, START_TIMEOUT_MS), exited]);
    } catch (error) {
      server.kill('SIGKILL');
      // Another process may have taken the free port before the JVM bound it: try a new one, twice.
      if (attempt >= 3) throw error;
      report(`the time-skipping test server did not start (attempt ${attempt}): ${(error as Error).message}`);
      continue;
    }
    const create = (TestWorkflowEnvironment as unknown as { create: CreateEnvironment }).create.bind(
      TestWorkflowEnvironment,
    );
    const env = await create({
      server: { type: 'existing' },
      address: `127.0.0.1:${port}`,
      namespace: 'default',
      supportsTimeSkipping: true,
      client: { dataConverter: { failureConverterPath: FAILURE_CONVERTER_PATH } },
    }).catch((error: unknown) => {
      server.kill('SIGKILL');
      throw error;
    });
    const disconnect = env.teardown.bind(env);
    env.teardown = async () => {
      await disconnect();
      await stop(server);
    };
    return env;
  }
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}
