import type { CaseView } from '../../domain/case';
import { openWorkQueue } from '../../db/console';
import { saveCaseRecord } from '../../db/read-model';
import { completeWorkItem, insertWorkItem, type NewWorkItem } from '../../db/work-items';
import { freshDatabase } from '../api/support';

const HOUR = 3600_000;

function view(municipality: string, caseId: string, breaches: string[]): CaseView {
  return {
    case: caseId,
    caseRef: `${caseId}.1`,
    municipality,
    round: 1,
    status: 'visiting',
    segment: 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
    signals: [],
    attempts: [],
    handovers: [],
    chosenMoment: null,
    nextAction: null,
    deadlines: { firstAttemptBy: null, closeBy: null, breaches },
    matchedAt: new Date().toISOString(),
    reachedAt: null,
    closedAt: null,
    result: null,
    previousRounds: [],
  };
}

describe("the console's work queue in PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const ids = new Map<string, string>();

  const add = async (key: string, dueInHours: number, overrides: Partial<NewWorkItem> = {}) => {
    const municipality = overrides.municipality ?? '0518';
    const caseId = overrides.caseId ?? `case-${municipality}-${key.padEnd(26, 'a')}`;
    const created = await insertWorkItem(db.pool, {
      key,
      municipality,
      caseId,
      caseRef: `${caseId}.1`,
      kind: 'visit',
      team: 'visits',
      plannedAt: new Date(Date.now() + (dueInHours - 2) * HOUR).toISOString(),
      dueAt: new Date(Date.now() + dueInHours * HOUR).toISOString(),
      dagdeel: null,
      visit: 1,
      reason: null,
      packetSealed: 'sealed',
      ...overrides,
    });
    ids.set(key, created.id);
    return created.id;
  };
  const keysOf = (rows: { id: string }[]) => rows.map((r) => [...ids].find(([, id]) => id === r.id)?.[0]);

  beforeAll(async () => {
    db = await freshDatabase('console-queue');
    await saveCaseRecord(db.pool, view('0518', 'case-0518-breachedaaaaaaaaaaaaaaaaaa', ['closeBy']), []);
    await saveCaseRecord(db.pool, view('0518', 'case-0518-calmaaaaaaaaaaaaaaaaaaaaaa', []), []);
    await add('v-late', -3);
    await add('v-breached', 20, { caseId: 'case-0518-breachedaaaaaaaaaaaaaaaaaa' });
    await add('v-calm', 1, { caseId: 'case-0518-calmaaaaaaaaaaaaaaaaaaaaaa' });
    await add('w-soon', 0.5, { team: 'wijkteam', kind: 'handover' });
    await add('s-later', 5, { team: 'sdv', kind: 'handover' });
    const done = await add('v-done', -10);
    await completeWorkItem(db.pool, '0518', done, 'key_a', 'not_at_home');
    await add('other-municipality', -20, { municipality: '0363' });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("shows a team its unfinished items, soonest due first, with its cases' breaches", async () => {
    const rows = await openWorkQueue(db.pool, '0518', ['visits'], 100);
    expect(keysOf(rows)).toEqual(['v-late', 'v-calm', 'v-breached']);
    expect(rows.map((r) => r.breached)).toEqual([false, false, true]);
    expect(rows[2]).toMatchObject({
      case: 'case-0518-breachedaaaaaaaaaaaaaaaaaa',
      caseRef: 'case-0518-breachedaaaaaaaaaaaaaaaaaa.1',
      kind: 'visit',
      team: 'visits',
      status: 'open',
      visit: 1,
    });
  });

  it('merges several teams in due order and cuts the merged list at the limit', async () => {
    expect(keysOf(await openWorkQueue(db.pool, '0518', ['visits', 'wijkteam', 'visits'], 100))).toEqual([
      'v-late',
      'w-soon',
      'v-calm',
      'v-breached',
    ]);
    expect(keysOf(await openWorkQueue(db.pool, '0518', ['sdv', 'visits', 'wijkteam'], 3))).toEqual([
      'v-late',
      'w-soon',
      'v-calm',
    ]);
    expect(await openWorkQueue(db.pool, '0518', [], 100)).toEqual([]);
    expect(await openWorkQueue(db.pool, '0518', ['budgetcoach'], 100)).toEqual([]);
  });

  it("gives an admin every team's work, and never another municipality's", async () => {
    expect(keysOf(await openWorkQueue(db.pool, '0518', null, 100))).toEqual([
      'v-late',
      'w-soon',
      'v-calm',
      's-later',
      'v-breached',
    ]);
    expect(keysOf(await openWorkQueue(db.pool, '0518', null, 2))).toEqual(['v-late', 'w-soon']);
    expect(keysOf(await openWorkQueue(db.pool, '0363', null, 100))).toEqual(['other-municipality']);
    expect(keysOf(await openWorkQueue(db.pool, '0363', ['visits'], 100))).toEqual(['other-municipality']);
  });

  it('takes the first page from the partial indexes, not from a sort of every item', async () => {
    const plan = async (sql: string, params: unknown[]) => {
      const client = await db.pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        return JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows);
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
    };
    // Tiny tables make any plan cheap; what matters is that an index serves the queue's ordering.
    const byTeam = await plan(
      `SELECT item_id FROM team_tasks WHERE municipality = $1 AND team = $2 AND status IN ('open', 'claimed')
          ORDER BY due_at, item_id LIMIT 100`,
      ['0518', 'visits'],
    );
    expect(byTeam).toContain('"Index Name":"team_tasks_unfinished_by_team"');
    expect(byTeam).not.toContain('"Node Type":"Sort"');
    const all = await plan(
      `SELECT item_id FROM team_tasks WHERE municipality = $1 AND status IN ('open', 'claimed')
          ORDER BY due_at, item_id LIMIT 100`,
      ['0518'],
    );
    expect(all).toContain('"Index Name":"team_tasks_unfinished"');
    expect(all).not.toContain('"Node Type":"Sort"');
  });
});
