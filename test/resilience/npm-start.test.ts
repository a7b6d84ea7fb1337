import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { clusterStopCommand, ensurePostgresBinaries, freePort } from '../../tools/toolchain';
import { projectRoot } from '../../tools/toolchain/paths';
import { listeningAddresses, portHolders } from '../../tools/toolchain/ports';
import { childEnv, waitFor } from '../../tools/toolchain/processes';

/**
 * `npm start` as a developer runs it: the whole script as a child process (npm, tools/run.mjs, tsx, tools/start.ts
 * and everything it starts), with a DATA_DIR and ports of its own. A closed terminal or the OOM killer stops it
 * without a chance to clean up; the next start on the same DATA_DIR must find the same cases.
 */

const INTAKE_KEY = 'npmstart-intake-0518-key';
const STAFF_KEY = 'npmstart-staff-0518-key-x';
const START_MS = 300_000;

interface Run {
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
}

interface Setup {
  dir: string;
  dataDir: string;
  ports: { api: number; pg: number; temporal: number; ui: number };
  taskQueue: string;
  env: NodeJS.ProcessEnv;
  runs: Run[];
}

async function setup(label: string): Promise<Setup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bereik-${label}-`));
  chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, who must reach its data directory
  const dataDir = path.join(dir, 'data');
  const ports = { api: await freePort(), pg: await freePort(), temporal: await freePort(), ui: await freePort() };
  const taskQueue = `npmstart-${randomBytes(4).toString('hex')}`;
  const env = childEnv({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    OUTBOX_DIR: path.join(dir, 'outbox'),
    PORT: String(ports.api),
    PG_PORT: String(ports.pg),
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_TASK_QUEUE: taskQueue,
    API_KEYS: `${INTAKE_KEY}:0518:intake,${STAFF_KEY}:0518:staff`,
    // Prism is a child like the others; leaving it out keeps four starts inside the time on two busy cores.
    TWILIO_SPEC_DIR: path.join(dir, 'no-twilio-specs'),
    BEREIK_CACHE_DIR: process.env.BEREIK_CACHE_DIR,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    PG_BIN_DIR: process.env.PG_BIN_DIR,
  });
  return { dir, dataDir, ports, taskQueue, env, runs: [] };
}

/** `npm start`, leading a process group of its own as a terminal's foreground job does. */
function npmStart(s: Setup): Run {
  const child = spawn('npm', ['start'], {
    cwd: projectRoot,
    env: s.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('npm start did not start');
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const run: Run = { pid: child.pid, output: () => output, exited, running: () => !done };
  s.runs.push(run);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Should jest end this process before the teardown ran, no run outlives it (its watchdog then ends the rest).
    process.once('exit', () => {
      for (const started of startedRuns) killGroup(started, 'SIGKILL');
    });
  }
  startedRuns.add(run.pid);
  return run;
}

const startedRuns = new Set<number>();
let exitHookInstalled = false;

/** Resolves once the run printed its ready line; fails with its output when it exits first or takes too long. */
async function ready(run: Run, timeoutMs = START_MS): Promise<void> {
  await waitFor(
    'npm start to print ready',
    () => {
      if (!run.running() && !run.output().includes('press Ctrl-C to stop'))
        throw new Error(`npm start exited:\n${run.output().slice(-4000)}`);
      return run.output().includes('press Ctrl-C to stop');
    },
    timeoutMs,
    100,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- output ---\n${run.output().slice(-4000)}`);
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // gone
  }
}

const recordOf = (s: Setup) => {
  const file = path.join(s.dataDir, 'npm-start.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { reaper: { pid: number } | null; groups: { pid: number }[] })
    : null;
};

const portsOf = (s: Setup) => [s.ports.api, s.ports.pg, s.ports.temporal, s.ports.ui];

async function portsFree(s: Setup, timeoutMs: number): Promise<void> {
  await waitFor(
    'every port of the run to be free',
    () => {
      const held = portsOf(s).flatMap((port) =>
        portHolders(port).map((holder) => `${port}: pid ${holder.pid} ${holder.command ?? ''}`),
      );
      if (held.length) throw new Error(`still held: ${held.join('; ')}`);
      return true;
    },
    timeoutMs,
    100,
  );
}

/** Whatever happens in a test, nothing it started stays: runs, the watchdog, what it adopted, the cluster. */
async function teardown(s: Setup | undefined): Promise<void> {
  if (!s) return;
  const record = recordOf(s);
  for (const run of s.runs) killGroup(run.pid, 'SIGKILL');
  if (record?.reaper) killGroup(record.reaper.pid, 'SIGKILL');
  for (const group of record?.groups ?? []) killGroup(group.pid, 'SIGKILL');
  const pgData = path.join(s.dataDir, 'postgres');
  if (existsSync(path.join(pgData, 'postmaster.pid'))) {
    const [command, ...args] = clusterStopCommand({ binDir: await ensurePostgresBinaries(), dataDir: pgData });
    try {
      execFileSync(command!, args, { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // not running
    }
  }
  await portsFree(s, 30_000);
  rmSync(s.dir, { recursive: true, force: true });
}

async function api(
  s: Setup,
  pathname: string,
  init: RequestInit & { key: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${s.ports.api}${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${init.key}`, 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Pollers the server saw on the run's task queue since `since`, per task type. */
async function pollersSince(s: Setup, since: number): Promise<{ workflow: number; activity: number }> {
  const connection = await Connection.connect({ address: `127.0.0.1:${s.ports.temporal}` });
  try {
    const count = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: s.taskQueue },
        taskQueueType,
      });
      return (pollers ?? []).filter(
        (p) =>
          Number(p.lastAccessTime?.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6) >= since,
      ).length;
    };
    const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
    return { workflow: await count(TASK_QUEUE_TYPE_WORKFLOW), activity: await count(TASK_QUEUE_TYPE_ACTIVITY) };
  } finally {
    await connection.close();
  }
}

/** Starts npm start and checks, the moment it says ready, that a worker of this run already polls. */
async function startReady(s: Setup): Promise<Run> {
  const launchedAt = Date.now();
  const run = npmStart(s);
  await ready(run);
  const pollers = await pollersSince(s, launchedAt);
  expect(pollers.workflow).toBeGreaterThan(0);
  expect(pollers.activity).toBeGreaterThan(0);
  return run;
}

const signal = (house: number) => ({
  ID: `NPMSTART-${randomBytes(3).toString('hex')}`,
  signaaldatum: '2027-03-05',
  bedrag: 640,
  crisissignaal: false,
  signaalpartner: { type: 'Energie', naam: 'Energiebedrijf' },
  client: {
    Voorletters: 'H.',
    Achternaam: 'Harde-Stop',
    Straatnaam: 'Herstartlaan',
    Huisnummer: String(house),
    Postcode: '3011AB',
    Plaatsnaam: 'Den Haag',
  },
});

describe('npm start after a hard stop', () => {
  let s: Setup | undefined;
  afterEach(async () => {
    await teardown(s);
    s = undefined;
  });

  test(
    'a hard stop leaves nothing running, and the next start finds the same case',
    async () => {
      s = await setup('npmstart');
      const first = await startReady(s);
      const intake = await api(s, '/v1/signals', {
        method: 'POST',
        key: INTAKE_KEY,
        body: JSON.stringify({ signals: [signal(11)] }),
      });
      expect(intake.status).toBe(202);
      const caseId = (intake.body.results as { case: string }[])[0]!.case;
      expect((await api(s, `/v1/cases/${caseId}`, { key: STAFF_KEY })).status).toBe(200);

      // The Web UI decodes personal data and the dev server holds every case: both on loopback only.
      expect(listeningAddresses(s.ports.ui)).toEqual(['127.0.0.1']);
      expect(listeningAddresses(s.ports.temporal)).toEqual(['127.0.0.1']);
      expect(listeningAddresses(s.ports.pg)).toEqual(['127.0.0.1']);
      // Whoever reaches the UI is handed its codec endpoint, a capability that decodes; the staff endpoint wants a key.
      const uiSettings = (await (await fetch(`http://127.0.0.1:${s.ports.ui}/api/v1/settings`)).json()) as {
        Codec: { Endpoint: string };
      };
      expect(uiSettings.Codec.Endpoint).toMatch(
        new RegExp(`^http://localhost:${s.ports.api}/codec/local/[A-Za-z0-9_-]{32,}/codec$`),
      );
      const payload = {
        metadata: { encoding: Buffer.from('json/plain').toString('base64') },
        data: Buffer.from('{}').toString('base64'),
      };
      const viaUi = await fetch(`${uiSettings.Codec.Endpoint.replace('localhost', '127.0.0.1')}/encode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: `http://localhost:${s.ports.ui}` },
        body: JSON.stringify({ payloads: [payload] }),
      });
      expect(viaUi.status).toBe(200);
      expect(viaUi.headers.get('access-control-allow-origin')).toBe(`http://localhost:${s.ports.ui}`);
      const withoutKey = await fetch(`http://127.0.0.1:${s.ports.api}/codec/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ payloads: [payload] }),
      });
      expect(withoutKey.status).toBe(401);

      // A closed terminal: every process of the foreground job dies at once, none of them cleans up.
      killGroup(first.pid, 'SIGKILL');
      await first.exited;
      await portsFree(s, 60_000);
      expect(existsSync(path.join(s.dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const second = await startReady(s);
      const found = await api(s, `/v1/cases/${caseId}`, { key: STAFF_KEY });
      expect(found.status).toBe(200);
      expect(found.body.case).toBe(caseId);

      // Worse: the watchdog dies with it (kill -9 of both), so the PostgreSQL, dev server, worker and API stay.
      const reaper = recordOf(s)!.reaper!.pid;
      killGroup(second.pid, 'SIGKILL');
      killGroup(reaper, 'SIGKILL');
      await second.exited;
      expect(portHolders(s.ports.pg).length).toBeGreaterThan(0);

      const third = await startReady(s);
      expect(third.output()).toMatch(/left by an earlier start/);
      expect(third.output()).toMatch(/stopped the PostgreSQL an earlier start left running/);
      const again = await api(s, `/v1/cases/${caseId}`, { key: STAFF_KEY });
      expect(again.status).toBe(200);
      expect(again.body.case).toBe(caseId);

      // kill -9 of npm's own pid only: sh, run.mjs, tsx and tools/start.ts live on; the start sees npm gone and stops.
      process.kill(third.pid, 'SIGKILL');
      await third.exited;
      await waitFor(
        'npm start to stop after npm was killed',
        () => /ended from outside; stopping[\s\S]*\[bereik\] stopped\n/.test(third.output()),
        60_000,
        100,
      );
      await portsFree(s, 60_000);
      expect(recordOf(s)).toBeNull();

      // Ctrl-C reaches the terminal's foreground group; the children are not in it, the start stops them in order.
      const fourth = await startReady(s);
      expect((await api(s, `/v1/cases/${caseId}`, { key: STAFF_KEY })).status).toBe(200);
      killGroup(fourth.pid, 'SIGINT');
      await fourth.exited;
      // npm has gone at once; tools/start.ts, which writes to the same pipe, stops the rest in order.
      await waitFor(
        'npm start to say it stopped',
        () => /\[bereik\] stopped\n/.test(fourth.output()),
        120_000,
        100,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; its output ended:\n${fourth.output().slice(-3000)}`);
      });
      await portsFree(s, 60_000);
      expect(recordOf(s)).toBeNull();
    },
    20 * 60_000,
  );

  test(
    'a port held by another process fails the start at once, naming the port, its variable and the holder',
    async () => {
      s = await setup('npmstartport');
      const squatter = net.createServer();
      await new Promise<void>((resolve) => squatter.listen(s!.ports.pg, '127.0.0.1', resolve));
      try {
        const run = npmStart(s);
        const { code } = await run.exited;
        expect(code).not.toBe(0);
        expect(run.output()).toContain(`port ${s.ports.pg} (PG_PORT) is in use by pid ${process.pid}`);
        // Nothing was started before the check.
        expect(existsSync(path.join(s.dataDir, 'postgres', 'PG_VERSION'))).toBe(false);
        expect([s.ports.api, s.ports.temporal, s.ports.ui].flatMap((port) => portHolders(port))).toEqual([]);
      } finally {
        await new Promise((resolve) => squatter.close(resolve));
      }
    },
    5 * 60_000,
  );
});
