import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort } from './test-server';
import { projectRoot } from './paths';

export interface LocalPeer {
  url: string;
  stop(): Promise<void>;
}

/** Where Twilio's OpenAPI specs are: TWILIO_SPEC_DIR, or ../shared/twilio beside the clone. */
export function twilioSpecDir(): string | null {
  const dir = process.env.TWILIO_SPEC_DIR ?? path.resolve(projectRoot, '..', 'shared', 'twilio');
  return existsSync(path.join(dir, 'twilio_api_v2010.json')) ? dir : null;
}

/** Where the Haal Centraal BRP Personen spec is: BRP_SPEC_DIR, or ../shared/brp beside the clone. */
export function brpSpecDir(): string | null {
  const dir = process.env.BRP_SPEC_DIR ?? path.resolve(projectRoot, '..', 'shared', 'brp');
  return existsSync(path.join(dir, 'openapi.json')) ? dir : null;
}

/** Stoplight Prism serving an OpenAPI spec (Twilio's, the BRP's) on loopback: the real contract, nothing sent. */
export async function startPrism(
  spec: string,
  timeoutMs = 120_000,
  group: { ownProcessGroup?: boolean; onProcess?: (pid: number) => void } = {},
): Promise<LocalPeer> {
  const port = await freePort();
  const child = spawn(
    path.join(projectRoot, 'node_modules/.bin/prism'),
    ['mock', '-h', '127.0.0.1', '-p', String(port), spec],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: group.ownProcessGroup ?? false,
    },
  );
  if (child.pid !== undefined) group.onProcess?.(child.pid);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism did not start within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
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
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // Prism does not always end on SIGTERM while it is busy; a stop must end, so it gets 5 s and then SIGKILL.
        const kill = setTimeout(() => {
          if (child.pid === undefined) return;
          if (group.ownProcessGroup) process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        }, 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A local SMTP server that keeps every e-mail as an .eml file: development mail never leaves the machine. */
export async function startSmtpSink(outbox: string): Promise<LocalPeer> {
  mkdirSync(outbox, { recursive: true });
  let counter = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        writeFileSync(
          path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++counter}.eml`),
          Buffer.concat(chunks),
          { mode: 0o600 },
        );
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
