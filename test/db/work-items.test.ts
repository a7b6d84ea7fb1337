import {
  claimWorkItem,
  clearWorkItemReminded,
  closeWorkItemForCase,
  completeWorkItem,
  findWorkItem,
  insertWorkItem,
  listWorkItems,
  markWorkItemReminded,
  type NewWorkItem,
} from '../../db/work-items';
import { freshDatabase } from '../api/support';

const HOUR = 3600_000;

describe('work items in PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const item = (key: string, dueInHours: number, overrides: Partial<NewWorkItem> = {}): NewWorkItem => ({
    key,
    municipality: '0518',
    caseId: 'case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa',
    caseRef: 'case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa.1',
    kind: 'visit',
    team: 'visits',
    plannedAt: new Date(Date.now() + (dueInHours - 48) * HOUR).toISOString(),
    dueAt: new Date(Date.now() + dueInHours * HOUR).toISOString(),
    dagdeel: 'Middag',
    visit: 1,
    reason: 'home visit 1',
    packetSealed: 'sealed',
    ...overrides,
  });

  beforeAll(async () => {
    db = await freshDatabase('work-items');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates once per key, derives overdue from the due instant, filters and pages soonest due first', async () => {
    const first = await insertWorkItem(db.pool, item('a:visit:1', -2));
    expect(first.created).toBe(true);
    expect(await insertWorkItem(db.pool, item('a:visit:1', -2))).toEqual({ id: first.id, created: false });
    const later = await insertWorkItem(db.pool, item('a:visit:2', 30));
    const handover = await insertWorkItem(db.pool, item('a:handover:sdv', 5, { kind: 'handover', team: 'sdv' }));
    await insertWorkItem(
      db.pool,
      item('b:visit:1', 1, { municipality: '0363', caseId: 'case-0363-aaaaaaaaaaaaaaaaaaaaaaaaaa' }),
    );

    const page1 = await listWorkItems(db.pool, '0518', { limit: 2 });
    expect(page1.items.map((i) => [i.id, i.status])).toEqual([
      [first.id, 'overdue'],
      [handover.id, 'open'],
    ]);
    const page2 = await listWorkItems(db.pool, '0518', { limit: 2, after: page1.next! });
    expect(page2.items.map((i) => i.id)).toEqual([later.id]);
    expect(page2.next).toBeNull();

    expect((await listWorkItems(db.pool, '0518', { status: 'overdue', limit: 10 })).items.map((i) => i.id)).toEqual([
      first.id,
    ]);
    expect((await listWorkItems(db.pool, '0518', { status: 'open', limit: 10 })).items.map((i) => i.id)).toEqual([
      handover.id,
      later.id,
    ]);
    expect((await listWorkItems(db.pool, '0518', { team: 'sdv', limit: 10 })).items.map((i) => i.id)).toEqual([
      handover.id,
    ]);
    expect(await findWorkItem(db.pool, '0363', first.id)).toBeNull();

    // Claimed but past due is still overdue; done never is.
    expect((await claimWorkItem(db.pool, '0518', first.id, 'key_a')).kind).toBe('changed');
    expect((await findWorkItem(db.pool, '0518', first.id))?.status).toBe('overdue');
    const done = await completeWorkItem(db.pool, '0518', first.id, 'key_a', 'not_at_home');
    expect(done).toMatchObject({ kind: 'changed', item: { status: 'done', outcome: 'not_at_home' } });
    expect(await completeWorkItem(db.pool, '0518', first.id, 'key_b', 'at_home')).toMatchObject({
      kind: 'conflict',
      reason: 'the work item is done with not_at_home',
    });
    expect((await listWorkItems(db.pool, '0518', { status: 'overdue', limit: 10 })).items).toEqual([]);
    expect((await claimWorkItem(db.pool, '0518', 'wi_00000000000000000000000000000000', 'key_a')).kind).toBe(
      'not_found',
    );
  });

  it("the case closes what it stopped waiting for; a person's accepted outcome still replaces that; a done item stays", async () => {
    const lapsed = await insertWorkItem(db.pool, item('c:visit:1', 1));
    const answered = await insertWorkItem(db.pool, item('c:visit:2', 1, { visit: 2 }));
    await completeWorkItem(db.pool, '0518', answered.id, 'key_a', 'at_home');
    await closeWorkItemForCase(db.pool, '0518', 'c:visit:1', 'lapsed');
    await closeWorkItemForCase(db.pool, '0518', 'c:visit:2', 'not_needed');
    await closeWorkItemForCase(db.pool, '0363', 'c:visit:1', 'not_needed'); // another municipality: no effect
    expect(await findWorkItem(db.pool, '0518', lapsed.id)).toMatchObject({
      status: 'done',
      outcome: 'lapsed',
      closedByCase: true,
      claimedBy: null,
    });
    expect(await findWorkItem(db.pool, '0518', answered.id)).toMatchObject({ outcome: 'at_home', closedByCase: false });
    expect(await completeWorkItem(db.pool, '0518', lapsed.id, 'key_b', 'not_at_home')).toMatchObject({
      kind: 'changed',
      item: { status: 'done', outcome: 'not_at_home', claimedBy: 'key_b', closedByCase: false },
    });
  });

  it('each reminder of an open item counts once; a failed one can be sent again; a done item gets none', async () => {
    const open = await insertWorkItem(db.pool, item('d:handover:sdv', -1, { kind: 'handover', team: 'sdv' }));
    expect(await markWorkItemReminded(db.pool, '0518', 'd:handover:sdv', 1)).toMatchObject({
      id: open.id,
      team: 'sdv',
      kind: 'handover',
    });
    expect(await markWorkItemReminded(db.pool, '0518', 'd:handover:sdv', 1)).toBeNull();
    await clearWorkItemReminded(db.pool, open.id, 1);
    expect(await markWorkItemReminded(db.pool, '0518', 'd:handover:sdv', 1)).not.toBeNull();
    expect(await markWorkItemReminded(db.pool, '0363', 'd:handover:sdv', 2)).toBeNull();
    await completeWorkItem(db.pool, '0518', open.id, 'key_a', 'taken_up');
    expect(await markWorkItemReminded(db.pool, '0518', 'd:handover:sdv', 2)).toBeNull();
  });
});
