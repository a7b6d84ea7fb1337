import { spawn, type SpawnOptions } from 'node:child_process';

/** Provisioning output: one prefixed line per step, so minutes of work never sit silent. */
export function say(message: string): void {
  process.stdout.write(`[bereik] ${message}\n`);
}

export function elapsed(startedAt: number): string {
  const s = (Date.now() - startedAt) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * Runs a command to completion, streaming its output with a prefix (or, when quiet, printing a heartbeat every
 * 15 s and the output only on failure).
 */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { label: string; quiet?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!options.quiet) {
        for (const line of text.split('\n').filter(Boolean)) process.stdout.write(`[${options.label}] ${line}\n`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const heartbeat = setInterval(() => say(`${options.label}: still working (${elapsed(startedAt)})`), 15_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(output);
      else reject(new Error(`${options.label} failed (${signal ?? `exit ${code}`}):\n${output.slice(-4000)}`));
    });
  });
}
