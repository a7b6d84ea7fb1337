import os from 'node:os';
import { elapsed, run, say } from './progress';
import { findOnPath, isExecutable } from './paths';

/** Debian's Chromium for the browser tests (never a browser download: playwright-core drives this one). */
export async function ensureChromium(): Promise<string> {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/lib/chromium/chromium',
    findOnPath('chromium'),
  ];
  const found = candidates.find((c): c is string => Boolean(c) && isExecutable(c as string));
  if (found) return found;
  if (os.userInfo().uid !== 0 || !findOnPath('apt-get'))
    throw new Error("Chromium not found. Install Debian's chromium package or set CHROMIUM_PATH.");
  say('installing Chromium from Debian packages (apt-get) ...');
  const startedAt = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env, label: 'apt-get update', quiet: true });
  await run('apt-get', ['install', '-y', '-q', 'chromium'], { env, label: 'apt-get install', quiet: true });
  say(`Chromium installed in ${elapsed(startedAt)}`);
  return '/usr/bin/chromium';
}
