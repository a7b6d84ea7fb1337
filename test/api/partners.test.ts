import request from 'supertest';
import { caseIdFor } from '../../common/case-id';
import type { CaseView } from '../../domain/case';
import type { SignalInput } from '../../domain/signal';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

/** Partner keys (issue 12 part 4): own signals in, "resolved" out, feedback without reasons or cases. */
const PARTNER = {
  woonstad0518: 'partner-0518-woonstad-key-1',
  vitens0518: 'partner-0518-vitens-key-22',
  woonstad0363: 'partner-0363-woonstad-key-3',
};

describe('partner keys: intake, resolved and feedback', () => {
  let stack: Stack;
  const as = (key: string) => ({
    get: (path: string) => request(stack.app).get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: object) => {
      const req = request(stack.app).post(path).set('Authorization', `Bearer ${key}`);
      return body ? req.send(body) : req;
    },
  });
  const woonstad = () => as(PARTNER.woonstad0518);
  const staff = () => as(KEYS.staff0518);
  const caseOf = (signal: SignalInput) => caseIdFor(stack.config.CASE_ID_SECRET!, '0518', signal.client);
  const view = async (id: string) => (await staff().get(`/v1/cases/${id}`)).body as CaseView;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const auditRows = async (signalId: string) =>
    (
      await stack.pool.query(
        `SELECT role, key_id, case_id, action, outcome, detail FROM audit_log
          WHERE action = 'event.arrears_resolved' AND detail->>'signalID' = $1 ORDER BY id`,
        [signalId],
      )
    ).rows;

  // Woonstad's own signals: one naming it, one naming no partner (then set to Woonstad).
  const named = makeSignal({ signaalpartner: { type: 'Huur', naam: 'Woonstad' } });
  const unnamed = makeSignal({ signaalpartner: { type: 'Huur' } });
  const third = makeSignal({ signaalpartner: { type: 'Huur', naam: 'Woonstad' } });
  const vitensSignal = makeSignal({ signaalpartner: { type: 'Water', naam: 'Vitens' } });

  beforeAll(async () => {
    stack = await startStack('partners', {
      MATCHING_WINDOW: '1s',
      EXTRA_API_KEYS: [
        `${PARTNER.woonstad0518}:0518:partner:Woonstad`,
        `${PARTNER.vitens0518}:0518:partner:Vitens`,
        `${PARTNER.woonstad0363}:0363:partner:Woonstad`,
      ].join(','),
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('takes in a partner key’s own signals without naming their case, and refuses another partner’s', async () => {
    const res = await woonstad().post('/v1/signals', { signals: [named, unnamed, third] });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual([
      { ID: named.ID, status: 'accepted' },
      { ID: unnamed.ID, status: 'accepted' },
      { ID: third.ID, status: 'accepted' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('case-');
    const stored = await stack.pool.query(
      'SELECT signal_id, partner FROM signals WHERE municipality = $1 AND signal_id = ANY($2::text[]) ORDER BY signal_id',
      ['0518', [named.ID, unnamed.ID]],
    );
    expect(stored.rows.map((r) => r.partner)).toEqual(['Woonstad', 'Woonstad']);

    const other = await woonstad().post('/v1/signals', { signals: [vitensSignal] });
    expect(other.status).toBe(202);
    expect(other.body.results).toHaveLength(1);
    expect(other.body.results[0]).toMatchObject({ ID: vitensSignal.ID, status: 'rejected' });
    expect(other.body.results[0].errors.map((e: { path: string }) => e.path)).toEqual([
      '/signals/0/signaalpartner/naam',
    ]);
    expect((await stack.pool.query('SELECT 1 FROM signals WHERE signal_id = $1', [vitensSignal.ID])).rowCount).toBe(0);

    // Vitens posts its own signal, with its own key.
    const vitens = await as(PARTNER.vitens0518).post('/v1/signals', { signals: [vitensSignal] });
    expect(vitens.body.results).toEqual([{ ID: vitensSignal.ID, status: 'accepted' }]);
  });

  it('answers a duplicate as harmless: no second row, no second signal in the case, still no case ID', async () => {
    const again = await woonstad().post('/v1/signals', { signals: [named, named] });
    expect(again.status).toBe(202);
    expect(again.body.results).toEqual([
      { ID: named.ID, status: 'duplicate' },
      { ID: named.ID, status: 'duplicate' },
    ]);
    expect((await stack.pool.query('SELECT 1 FROM signals WHERE signal_id = $1', [named.ID])).rowCount).toBe(1);
    const v = await eventually(async () => {
      const found = await view(caseOf(named));
      return found.signals?.length ? found : null;
    });
    expect(v.signals.map((s) => s.ID)).toEqual([named.ID]);
  });

  it('refuses a signal ID another partner already used', async () => {
    const stolen = makeSignal({ ID: vitensSignal.ID, signaalpartner: { type: 'Huur', naam: 'Woonstad' } });
    const res = await woonstad().post('/v1/signals', { signals: [stolen] });
    expect(res.body.results[0]).toMatchObject({ ID: vitensSignal.ID, status: 'rejected' });
    expect(res.body.results[0].errors.map((e: { path: string }) => e.path)).toEqual(['/signals/0/ID']);
    expect(JSON.stringify(res.body)).not.toContain('case-');
  });

  it('POST /v1/signals/{ID}/resolved stops outreach, once, audited', async () => {
    const caseId = caseOf(named);
    // Staff find the case in their list.
    const listed = await eventually(async () => {
      const list = await staff().get('/v1/cases?limit=100');
      return list.body.items.some((i: { case: string }) => i.case === caseId) ? list : null;
    });
    expect(listed.status).toBe(200);
    await eventually(async () => ((await view(caseId)).status === 'matching' ? null : true));

    const res = await woonstad().post(`/v1/signals/${named.ID}/resolved`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ID: named.ID, resolved: true });

    const closed = await eventually(async () => {
      const v = await view(caseId);
      return v.status === 'dormant' ? v : null;
    });
    expect(closed.result).toBe('Inwoner heeft zelf al betaald/betalingsregeling getroffen');
    expect(closed.signals.find((s) => s.ID === named.ID)?.resolved).toBe(true);

    const audit = await auditRows(named.ID);
    expect(audit).toEqual([expect.objectContaining({ role: 'partner', case_id: caseId, outcome: 'accepted' })]);
    expect(audit[0].key_id).toMatch(/^config:/);

    // Idempotent: a second report answers 200 and records nothing new.
    const again = await woonstad().post(`/v1/signals/${named.ID}/resolved`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ID: named.ID, resolved: true });
    expect(await auditRows(named.ID)).toHaveLength(1);
    const after = await view(caseId);
    expect(after.status).toBe('dormant');
    expect(after.closedAt).toBe(closed.closedAt);
  });

  it('answers 404 for another partner’s signal, another municipality’s partner and unknown IDs', async () => {
    const vitens = await as(PARTNER.vitens0518).post(`/v1/signals/${unnamed.ID}/resolved`);
    expect(vitens.status).toBe(404);
    const foreign = await as(PARTNER.woonstad0363).post(`/v1/signals/${unnamed.ID}/resolved`);
    expect(foreign.status).toBe(404);
    expect((await woonstad().post(`/v1/signals/${vitensSignal.ID}/resolved`)).status).toBe(404);
    expect((await woonstad().post('/v1/signals/VS-no-such-signal/resolved')).status).toBe(404);
    expect(JSON.stringify(vitens.body) + JSON.stringify(foreign.body)).not.toContain('case-');
    // Nothing reached the case, nothing was audited.
    expect(await auditRows(unnamed.ID)).toEqual([]);
    expect((await view(caseOf(unnamed))).signals.find((s) => s.ID === unnamed.ID)?.resolved).toBe(false);
    // Other roles may not report for a partner.
    expect((await staff().post(`/v1/signals/${unnamed.ID}/resolved`)).status).toBe(403);
    expect((await as(KEYS.intake0518).post(`/v1/signals/${unnamed.ID}/resolved`)).status).toBe(403);
  });

  it('answers a report repeated at once, before the case has closed, as the first: 200 and one event', async () => {
    await eventually(async () => ((await view(caseOf(third))).status === 'matching' ? null : true));
    const first = await woonstad().post(`/v1/signals/${third.ID}/resolved`);
    const second = await woonstad().post(`/v1/signals/${third.ID}/resolved`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual({ ID: third.ID, resolved: true });
    expect(await auditRows(third.ID)).toHaveLength(1);
    await eventually(async () => ((await view(caseOf(third))).status === 'dormant' ? true : null));
  });

  it('GET /v1/feedback lists this partner’s signals only, with ID, status and helpAccepted and nothing more', async () => {
    await eventually(async () => {
      const rows = await stack.pool.query(
        'SELECT 1 FROM signals WHERE signal_id = ANY($1::text[]) AND delivered AND round IS NOT NULL',
        [[named.ID, unnamed.ID, third.ID]],
      );
      return rows.rowCount === 3;
    });
    const res = await woonstad().get(`/v1/feedback?since=${today}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual(['nextCursor', 'signals']);
    expect(res.body.nextCursor).toBeNull();
    const ids = res.body.signals.map((s: { ID: string }) => s.ID);
    expect(ids.sort()).toEqual([named.ID, unnamed.ID, third.ID].sort());
    for (const s of res.body.signals) {
      expect(Object.keys(s).sort()).toEqual(['ID', 'helpAccepted', 'status']);
      expect(['Opgepakt', 'Nog niet opgepakt', 'Niet opgepakt']).toContain(s.status);
      expect(typeof s.helpAccepted).toBe('boolean');
    }
    expect(res.body.signals.find((s: { ID: string }) => s.ID === named.ID)).toEqual({
      ID: named.ID,
      status: 'Opgepakt',
      helpAccepted: false,
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('case-');
    expect(text).not.toContain('betaald');
    expect(text).not.toContain(vitensSignal.ID);

    // Vitens sees its own signal only; Woonstad of another municipality sees nothing of 0518.
    const vitens = await as(PARTNER.vitens0518).get(`/v1/feedback?since=${today}`);
    expect(vitens.body.signals.map((s: { ID: string }) => s.ID)).toEqual([vitensSignal.ID]);
    const foreign = await as(PARTNER.woonstad0363).get(`/v1/feedback?since=${today}`);
    expect(foreign.body).toEqual({ signals: [], nextCursor: null });
  });

  it('filters on since (a Europe/Amsterdam date) and pages with limit and cursor', async () => {
    // 23:30 UTC on 31 October 2026 is already 1 November in Amsterdam.
    await stack.pool.query(`UPDATE signals SET received_at = '2026-10-31T23:30:00Z' WHERE signal_id = $1`, [third.ID]);
    const ids = async (query: string) =>
      ((await woonstad().get(`/v1/feedback?${query}`)).body.signals as { ID: string }[]).map((s) => s.ID);
    expect(await ids('since=2026-11-01')).toContain(third.ID);
    expect(await ids('since=2026-11-02')).not.toContain(third.ID);
    expect(await ids(`since=${today}`)).not.toContain(third.ID);
    expect((await ids('since=2026-11-01'))[0]).toBe(third.ID); // oldest first

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `since=2026-11-01&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await woonstad().get(`/v1/feedback?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.signals.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.signals.map((s: { ID: string }) => s.ID));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(await ids('since=2026-11-01'));
    expect(seen).toHaveLength(3);

    const bad = await woonstad().get('/v1/feedback?since=2026-11-01&cursor=nonsense');
    expect(bad.status).toBe(400);
    expect((await woonstad().get('/v1/feedback')).status).toBe(400);
    expect((await woonstad().get('/v1/feedback?since=1-11-2026')).status).toBe(400);
  });

  it('keeps the roles apart: no feedback for intake or staff keys, no cases for partner keys', async () => {
    expect((await as(KEYS.intake0518).get(`/v1/feedback?since=${today}`)).status).toBe(403);
    expect((await staff().get(`/v1/feedback?since=${today}`)).status).toBe(403);
    expect((await as(KEYS.admin0518).get(`/v1/feedback?since=${today}`)).status).toBe(403);
    expect((await woonstad().get('/v1/cases')).status).toBe(403);
    expect((await woonstad().get(`/v1/cases/${caseOf(named)}`)).status).toBe(403);
    expect((await request(stack.app).get(`/v1/feedback?since=${today}`)).status).toBe(401);
  });
});
