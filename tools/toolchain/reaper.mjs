// The watchdog of one `npm start` (tools/toolchain/lifeline.ts). It runs in a session of its own with a pipe from
// the start process on stdin, so it outlives a SIGKILL of that process or of the whole terminal's process group. Each
// stdin line is JSON: {"group": pid, "start": ticks} adopts a process group, {"finally": [argv]} a command to run at
// the end (pg_ctl stop), {"done": true} says the start stopped everything itself. When stdin ends without "done", the
// start process is gone: the reaper ends every adopted group (SIGTERM, then SIGKILL) and runs the final commands.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const groups = new Map();
const finalCommands = [];
let done = false;
let buffer = '';

function log(message) {
  process.stdout.write(`${new Date().toISOString()} reaper ${process.pid}: ${message}\n`);
}

function startTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A member of the group that still runs: zombies waiting for whoever adopted them to reap them do not count. */
function hasLiveMember(pgid) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // ended while we looked
    }
  }
  return false;
}

function alive(pid, start) {
  if (!hasLiveMember(pid)) return false;
  // A group whose leader has gone may still have members; a leader with another start time is a reused pid.
  const ticks = startTicks(pid);
  return ticks === null || ticks === start;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // gone meanwhile
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function reap() {
  if (done) return process.exit(0);
  log(`the start process is gone; stopping ${groups.size} process group(s)`);
  let live = [...groups].filter(([pid, start]) => alive(pid, start));
  for (const [pid] of live) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (live.length && Date.now() < deadline) {
    sleep(100);
    live = live.filter(([pid, start]) => alive(pid, start));
  }
  for (const [pid] of live) {
    log(`process group ${pid} did not stop on SIGTERM; SIGKILL`);
    signalGroup(pid, 'SIGKILL');
  }
  for (const [command, ...args] of finalCommands) {
    const result = spawnSync(command, args, { stdio: 'inherit', timeout: 60_000 });
    log(`${command} ${args.slice(-3).join(' ')}: ${result.error ? result.error.message : `exit ${result.status}`}`);
  }
  process.exit(0);
}

for (const signal of ['SIGHUP', 'SIGINT']) process.on(signal, () => undefined);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.group) groups.set(message.group, message.start);
    if (message.finally) finalCommands.push(message.finally);
    if (message.done) done = true;
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
