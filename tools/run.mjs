#!/usr/bin/env node
// Entry point of every npm script: makes sure the npm packages are installed (this file itself needs none),
// then hands over to the TypeScript command in tools/. That is what lets `npm start` and `npm test` work on a
// fresh clone with nothing installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const commands = {
  start: 'tools/start.ts',
  test: 'tools/test.ts',
  scenario: 'tools/scenario/cli.ts',
  simulate: 'tools/simulate/cli.ts',
  rehearse: 'tools/simulate/rehearse.ts',
  bench: 'tools/bench/cli.ts',
  'record-histories': 'tools/record-histories.ts',
  provision: 'tools/provision.ts',
  build: 'tools/build.ts',
};

function packagesInstalled() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  // npm rewrites the marker on every install; an older marker means package-lock.json changed since.
  return statSync(marker).mtimeMs >= statSync(path.join(root, 'package-lock.json')).mtimeMs - 1000;
}

if (!packagesInstalled()) {
  console.log('[bereik] installing npm packages (npm ci) ...');
  const started = Date.now();
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) {
    // No fallback to `npm install`: it would rewrite package-lock.json and hide a lockfile that is out of sync.
    console.error(
      '[bereik] npm ci failed; if package-lock.json is out of sync with package.json, run npm install and commit it',
    );
    process.exit(npm.status ?? 1);
  }
  console.log(`[bereik] npm packages installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

const [name, ...args] = process.argv.slice(2);
const script = commands[name];
if (!script) {
  console.error(`usage: node tools/run.mjs <${Object.keys(commands).join('|')}> [args]`);
  process.exit(2);
}
// tsx as a loader in this one node process, not its CLI: the CLI relays signals to a second process and SIGKILLs it
// when that does not acknowledge within 30 ms, which on a busy machine cut npm start's orderly Ctrl-C short.
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script), ...args], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole process group; the command shuts its servers down and exits by itself.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
