import request from 'supertest';
import { createTeamActivities } from '../../activities/teams';
import type { CaseView } from '../../domain/case';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

const SCOPED = {
  wijkteam0518: 'staff-0518-wijkteam-key-1',
  wijkteamOther0518: 'staff-0518-wijkteam-key-2',
  visits0518: 'staff-0518-visits-key-111',
};

describe('work items for people', () => {
  let stack: Stack;
  let caseId: string;
  let handoverId: string;

  const as = (key: string) => ({
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: object) => {
      const req = request(stack.app).post(path).set('Authorization', `Bearer ${key}`);
      return body ? req.send(body) : req;
    },
  });
  const wijkteam = () => as(SCOPED.wijkteam0518);
  const view = async (id: string) => (await as(KEYS.staff0518).get(`/v1/cases/${id}`)).body as CaseView;

  beforeAll(async () => {
    stack = await startStack('work', {
      MATCHING_WINDOW: '1s',
      API_KEYS: [
        `${KEYS.intake0518}:0518:intake`,
        `${KEYS.staff0518}:0518:staff`,
        `${KEYS.admin0518}:0518:admin`,
        `${KEYS.staff0363}:0363:staff`,
        `${SCOPED.wijkteam0518}:0518:staff:wijkteam`,
        `${SCOPED.wijkteamOther0518}:0518:staff:wijkteam`,
        `${SCOPED.visits0518}:0518:staff:visits`,
      ].join(','),
    });
    // A crisis signal above EUR 2,000 is a priority case: handed over to the wijkteam at once.
    const res = await as(KEYS.intake0518).post('/v1/signals', {
      signals: [makeSignal({ bedrag: 2500, crisissignaal: true })],
    });
    caseId = res.body.results[0].case;
    handoverId = await eventually(async () => {
      const list = await wijkteam().get('/v1/work?status=open');
      return (list.body.items as { id: string; case: string }[]).find((i) => i.case === caseId)?.id;
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('lists the handover for its team without personal data; a team-scoped key sees its own team only', async () => {
    const list = await wijkteam().get('/v1/work');
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { id: string }) => i.id === handoverId);
    expect(item).toMatchObject({ case: caseId, team: 'wijkteam', kind: 'handover', status: 'open', claimedBy: null });
    expect(item.id).toMatch(/^wi_[0-9a-f]{32}$/);
    expect(Date.parse(item.dueAt) - Date.parse(item.plannedAt)).toBe(14 * 24 * 3600_000);
    expect(JSON.stringify(list.body)).not.toContain('Jansen');

    expect((await as(SCOPED.visits0518).get('/v1/work?team=wijkteam')).status).toBe(403);
    const visitsList = await as(SCOPED.visits0518).get('/v1/work');
    expect(visitsList.body.items.map((i: { id: string }) => i.id)).not.toContain(handoverId);
    const unscoped = await as(KEYS.staff0518).get('/v1/work?team=wijkteam');
    expect(unscoped.body.items.map((i: { id: string }) => i.id)).toContain(handoverId);
    expect((await as(KEYS.staff0363).get('/v1/work')).body.items).toEqual([]);
    expect((await as(KEYS.intake0518).get('/v1/work')).status).toBe(403);
    expect((await request(stack.app).get('/v1/work')).status).toBe(401);

    const bad = await wijkteam().get('/v1/work?status=lost&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/query/limit', '/query/status']);
  });

  it("opens the packet only for the item's team; another municipality or team gets 404", async () => {
    const own = await wijkteam().get(`/v1/work/${handoverId}`);
    expect(own.status).toBe(200);
    expect(own.body.packet.client).toMatchObject({ Achternaam: 'Jansen', telefoon: '+31612345678' });
    expect(own.body.packet.history).toEqual([]);
    const unscoped = await as(KEYS.staff0518).get(`/v1/work/${handoverId}`);
    expect(unscoped.status).toBe(200);
    expect(unscoped.body.packet).toBeNull();
    expect(JSON.stringify(unscoped.body)).not.toContain('Jansen');
    expect((await as(SCOPED.visits0518).get(`/v1/work/${handoverId}`)).status).toBe(404);
    expect((await as(KEYS.staff0363).get(`/v1/work/${handoverId}`)).status).toBe(404);
    expect((await as(KEYS.staff0363).post(`/v1/work/${handoverId}/claim`)).status).toBe(404);
    expect((await wijkteam().get('/v1/work/wi_00000000000000000000000000000000')).status).toBe(404);
    expect((await wijkteam().get('/v1/work/not-an-item')).status).toBe(404);
  });

  it('claims and releases: twice is harmless, another key is refused with a reason', async () => {
    const claimed = await wijkteam().post(`/v1/work/${handoverId}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: expect.stringMatching(/^config:/) });
    expect((await wijkteam().post(`/v1/work/${handoverId}/claim`)).body.status).toBe('claimed');
    const other = await as(SCOPED.wijkteamOther0518).post(`/v1/work/${handoverId}/claim`);
    expect(other.status).toBe(409);
    expect(other.body.detail).toBe('the work item is claimed by someone else');
    expect((await as(SCOPED.wijkteamOther0518).post(`/v1/work/${handoverId}/release`)).status).toBe(409);
    expect(
      (await as(SCOPED.wijkteamOther0518).post(`/v1/work/${handoverId}/outcome`, { outcome: 'help_declined' })).status,
    ).toBe(409);
    const claimedList = await wijkteam().get('/v1/work?status=claimed');
    expect(claimedList.body.items.map((i: { id: string }) => i.id)).toContain(handoverId);

    expect((await wijkteam().post(`/v1/work/${handoverId}/release`)).body).toMatchObject({
      status: 'open',
      claimedBy: null,
    });
    expect((await wijkteam().post(`/v1/work/${handoverId}/release`)).status).toBe(200);
    expect((await wijkteam().post(`/v1/work/${handoverId}/claim`)).status).toBe(200);
  });

  it("refuses a visit outcome the case's state does not allow, with the workflow's reason", async () => {
    // A visit item for the same case while its workflow waits for no visit: the update's validator refuses it.
    const ref = { caseId, caseRef: `${caseId}.1`, municipality: '0518', round: 1 };
    await createTeamActivities({ pool: stack.pool, keyring: stack.keyring }).createVisitTask({
      ...ref,
      visitKey: `${ref.caseRef}:visit:test`,
      visit: 7,
      plannedAt: new Date().toISOString(),
      team: 'wijkteam',
      client: makeSignal().client as never,
    });
    const visitItem = (await wijkteam().get('/v1/work')).body.items.find(
      (i: { kind: string; case: string }) => i.kind === 'visit' && i.case === caseId,
    );
    expect(visitItem).toMatchObject({ team: 'wijkteam', visit: 7 });
    const wrongKind = await wijkteam().post(`/v1/work/${visitItem.id}/outcome`, { outcome: 'help_declined' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.errors).toEqual([{ path: '/outcome', message: 'a visit item takes not_at_home, at_home' }]);
    const invalid = await wijkteam().post(`/v1/work/${visitItem.id}/outcome`, { outcome: 'maybe' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toBe('/outcome');
    const refused = await wijkteam().post(`/v1/work/${visitItem.id}/outcome`, { outcome: 'not_at_home' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/home visit|visit waiting/);
    expect((await wijkteam().get(`/v1/work/${visitItem.id}`)).body.status).not.toBe('done');
  });

  it('completes the handover with its outcome through the workflow: the case closes with its DDAS result', async () => {
    const done = await wijkteam().post(`/v1/work/${handoverId}/outcome`, {
      outcome: 'help_accepted',
      financial: false,
    });
    expect(done.status).toBe(200);
    expect(done.body.item).toMatchObject({ status: 'done', outcome: 'help_accepted' });
    const closed = await eventually(async () => {
      const v = await view(caseId);
      return v.status === 'dormant' ? v : null;
    });
    expect(closed.result).toBe('Vervolghulp en/of verwijzing niet financieel');

    const repeat = await wijkteam().post(`/v1/work/${handoverId}/outcome`, {
      outcome: 'help_accepted',
      financial: false,
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body.item.status).toBe('done');
    const other = await wijkteam().post(`/v1/work/${handoverId}/outcome`, { outcome: 'help_declined' });
    expect(other.status).toBe(409);
    expect(other.body.detail).toBe('the work item is done with help_accepted');
    const audit = await stack.pool.query(
      `SELECT outcome, detail FROM audit_log WHERE case_id = $1 AND action = 'event.help_accepted'`,
      [caseId],
    );
    expect(audit.rows).toEqual([
      {
        outcome: 'accepted',
        detail: { type: 'help_accepted', financial: false, workItem: handoverId, workKind: 'handover' },
      },
    ]);
    const doneList = await wijkteam().get('/v1/work?status=done');
    expect(doneList.body.items.map((i: { id: string }) => i.id)).toContain(handoverId);
  });
});
