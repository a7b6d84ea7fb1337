import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { caseIdFor } from '../../common/case-id';
import { generateKeyEntry, parseEncryptionKeys } from '../../common/encryption-keys';
import { sealJson } from '../../common/field-crypto';
import { createLogger } from '../../common/logger';
import { personalAad } from '../../common/personal-data';
import type { CaseView } from '../../domain/case';
import { createPool } from '../../db/connection';
import { insertConsoleSession } from '../../db/console';
import { migrate } from '../../db/migrate';
import { saveCaseRecord } from '../../db/read-model';
import { insertWorkItem } from '../../db/work-items';
import { startApi } from '../../api/main';
import { tokenHash } from '../../api/console/session';
import { ensurePostgresBinaries, ensureTemporalCli, freePort, startDevServer, startPostgres, say } from '../toolchain';

const USAGE = `npm run bench:console -- [--cases 10000] [--requests 200]

Seeds --cases open cases (each with a visit work item for team visits, some with a breached deadline) straight into
a throwaway PostgreSQL through db/ functions, starts the API with a Temporal dev server (in memory; the cases have no
running workflow, so the case page reads the read model after asking Temporal), and times --requests GETs of the
team queue and of random case pages with a signed-in session. Prints p50, p95 and max per page.`;

const MUNICIPALITY = '0518';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function viewOf(caseId: string, i: number, now: number): CaseView {
  const matchedAt = new Date(now - ((i % 20) + 1) * 86_400_000).toISOString();
  return {
    case: caseId,
    caseRef: `${caseId}.1`,
    municipality: MUNICIPALITY,
    round: 1,
    status: i % 3 === 0 ? 'visiting' : 'calling',
    segment: i % 10 === 0 ? 'priority' : 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
    signals: [
      {
        ID: `BENCH-${i}`,
        partnerType: 'Energie',
        amount: 250 + (i % 40) * 10,
        signaaldatum: matchedAt.slice(0, 10),
        receivedAt: matchedAt,
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
    ],
    attempts: Array.from({ length: i % 4 }, (_, n) => ({
      soort: 'Telefoon' as const,
      bereikt: false,
      datum: matchedAt.slice(0, 10),
      dagdeel: 'Ochtend' as const,
      at: new Date(Date.parse(matchedAt) + (n + 1) * 3_600_000).toISOString(),
    })),
    handovers: [],
    chosenMoment: null,
    nextAction: { type: 'call', at: new Date(now + (i % 48) * 1_800_000).toISOString() },
    deadlines: {
      firstAttemptBy: new Date(Date.parse(matchedAt) + 7 * 86_400_000).toISOString(),
      closeBy: new Date(Date.parse(matchedAt) + 28 * 86_400_000).toISOString(),
      breaches: i % 50 === 0 ? [`no contact attempt before the deadline of ${matchedAt}`] : [],
    },
    matchedAt,
    reachedAt: null,
    closedAt: null,
    result: null,
    previousRounds: [],
  };
}

export async function benchConsole(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cases = Number(values.cases);
  const requests = Number(values.requests);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'bereik-bench-console-'));
  chmodSync(workDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  try {
    say('starting a throwaway PostgreSQL and a Temporal dev server ...');
    const [cluster, server] = await Promise.all([
      (async () =>
        startPostgres({
          binDir: await ensurePostgresBinaries(),
          dataDir: path.join(workDir, 'pg'),
          port: await freePort(),
          database: 'bereik_bench',
          throwaway: true,
        }))(),
      (async () =>
        startDevServer({
          binary: await ensureTemporalCli(),
          port: await freePort(),
          logFile: path.join(workDir, 'temporal.log'),
        }))(),
    ]);
    stops.push(
      () => cluster.stop(),
      () => server.stop(),
    );
    await migrate(cluster.url);
    const keyring = parseEncryptionKeys(generateKeyEntry('bench'));
    const caseIdSecret = randomBytes(24).toString('base64url');
    const pool = createPool(cluster.url, { max: 10 });
    stops.push(() => pool.end());

    say(`seeding ${cases} open cases with a work item each ...`);
    const seedStart = Date.now();
    const now = Date.now();
    const ids: string[] = [];
    const batch = 16;
    for (let start = 0; start < cases; start += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, cases - start) }, async (_, k) => {
          const i = start + k;
          const client = { Postcode: `${2500 + Math.floor(i / 500)}AB`, Huisnummer: String((i % 500) + 1) };
          const caseId = caseIdFor(caseIdSecret, MUNICIPALITY, client);
          ids.push(caseId);
          const view = viewOf(caseId, i, now);
          const aad = personalAad(MUNICIPALITY, caseId);
          const sealed = sealJson(keyring, { ...client, Achternaam: `Bench${i}`, telefoon: '+31612345678' }, aad);
          await saveCaseRecord(pool, view, [{ signalId: `BENCH-${i}`, clientSealed: sealed, phoneIndex: null }]);
          await insertWorkItem(pool, {
            key: `bench-visit-${i}`,
            municipality: MUNICIPALITY,
            caseId,
            caseRef: view.caseRef,
            kind: 'visit',
            team: 'visits',
            plannedAt: view.nextAction!.at,
            dueAt: new Date(Date.parse(view.nextAction!.at) + 4 * 3_600_000).toISOString(),
            dagdeel: 'Middag',
            visit: 1,
            reason: null,
            packetSealed: sealed,
          });
        }),
      );
    }
    say(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: workDir,
      PORT: '0',
      DATABASE_URL: cluster.url,
      TEMPORAL_ADDRESS: server.address,
      CASE_ID_SECRET: caseIdSecret,
      RESIDENT_LINK_SECRET: randomBytes(24).toString('base64url'),
      PHONE_INDEX_SECRET: randomBytes(24).toString('base64url'),
      OIDC_ISSUER: 'http://127.0.0.1:1/',
      OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
      MUNICIPALITY_POLICIES: '',
    });
    const api = await startApi(config, { keyring, migrated: true, logger: createLogger('bench', 'warn') });
    stops.push(() => api.close());
    // A signed-in member of the visits team, as the OpenID callback would have created it.
    const token = randomBytes(32).toString('base64url');
    await insertConsoleSession(pool, tokenHash(token), {
      municipality: MUNICIPALITY,
      subject: 'bench',
      teams: ['visits'],
      role: 'staff',
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const headers = { cookie: `bereik_console=${token}` };

    const time = async (url: string): Promise<number> => {
      const started = performance.now();
      const response = await fetch(url, { headers, redirect: 'manual' });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 200)}`);
      return performance.now() - started;
    };
    const report = (label: string, samples: number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const f = (ms: number) => `${ms.toFixed(1)} ms`;
      console.log(
        `${label.padEnd(12)} n=${sorted.length}  p50 ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  max ${f(sorted[sorted.length - 1]!)}`,
      );
      return percentile(sorted, 95);
    };
    for (let i = 0; i < 10; i += 1) await time(`${api.url}/console/`); // warm-up
    const queue: number[] = [];
    for (let i = 0; i < requests; i += 1) queue.push(await time(`${api.url}/console/`));
    const casePages: number[] = [];
    for (let i = 0; i < requests; i += 1)
      casePages.push(await time(`${api.url}/console/zaken/${ids[Math.floor(Math.random() * ids.length)]}`));
    console.log(`console pages with ${cases} open cases (one request at a time, 2-core machine):`);
    const p95 = Math.max(report('queue', queue), report('case page', casePages));
    return p95 <= 300 ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    rmSync(workDir, { recursive: true, force: true });
  }
}
