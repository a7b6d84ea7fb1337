import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isExecutable } from './paths';

/**
 * The fast path for machines with internet access: let the Temporal SDK download its server into our cache,
 * then keep using that binary. Offline it fails at once ("failed to download ephemeral server executable").
 */
export async function trySdkDownload(
  kind: 'dev-server' | 'time-skipping',
  downloadDir: string,
): Promise<string | null> {
  if (process.env.BEREIK_SKIP_SDK_DOWNLOAD === '1') return null;
  mkdirSync(downloadDir, { recursive: true });
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const executable = { type: 'cached-download' as const, downloadDir };
  try {
    const env = await withTimeout(
      kind === 'dev-server'
        ? TestWorkflowEnvironment.createLocal({ server: { executable, ui: false } })
        : TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }),
      120_000,
    );
    await env.teardown();
  } catch {
    return null;
  }
  const files = readdirSync(downloadDir)
    .map((name) => path.join(downloadDir, name))
    .filter((file) => statSync(file).isFile() && isExecutable(file));
  return files[0] ?? null;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
