import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const TWILIO_SPEC_DIR = process.env.TWILIO_SPEC_DIR ?? path.resolve(__dirname, '../../../../shared/twilio');
export const API_SPEC = path.join(TWILIO_SPEC_DIR, 'twilio_api_v2010.json');
export const LOOKUPS_SPEC = path.join(TWILIO_SPEC_DIR, 'twilio_lookups_v2.json');
export const specsAvailable = existsSync(API_SPEC) && existsSync(LOOKUPS_SPEC);

/** describe() when the Twilio OpenAPI specs are present, otherwise a skipped block with a clear reason. */
export function describeWithTwilioSpecs(name: string, fn: () => void): void {
  if (specsAvailable) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED "${name}": Twilio OpenAPI specs not found in ${TWILIO_SPEC_DIR} (set TWILIO_SPEC_DIR)`);
    describe.skip(`${name} (Twilio specs absent in ${TWILIO_SPEC_DIR})`, fn);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Prism {
  url: string;
  log: () => string;
  stop(): Promise<void>;
}

/** Starts Stoplight Prism in mock mode on a free loopback port and waits until it listens. */
export async function startPrism(spec: string, timeoutMs = 90_000): Promise<Prism> {
  const port = await freePort();
  const bin = path.resolve(__dirname, '../../../node_modules/.bin/prism');
  const child: ChildProcess = spawn(bin, ['mock', '-h', '127.0.0.1', '-p', String(port), spec], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
