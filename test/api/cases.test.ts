import request from 'supertest';
import { createApiKey, revokeApiKey } from '../../db/api-keys';
import { createApp } from '../../api/app';
import { createLogger } from '../../common/logger';
import { policyFor } from '../../config';
import type { CaseView } from '../../domain/case';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

describe('cases and events', () => {
  let stack: Stack;
  let caseId: string;

  const get = (path: string, key = KEYS.staff0518) =>
    request(stack.app).get(path).set('Authorization', `Bearer ${key}`);
  const postEvent = (id: string, event: unknown, key = KEYS.staff0518) =>
    request(stack.app)
      .post(`/v1/cases/${id}/events`)
      .set('Authorization', `Bearer ${key}`)
      .send(event as object);
  const view = async (id: string) => (await get(`/v1/cases/${id}`)).body as CaseView;

  beforeAll(async () => {
    stack = await startStack('cases', { MATCHING_WINDOW: '1s' });
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal()] });
    caseId = res.body.results[0].case;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('shows a case to staff and admin of its municipality, from the running workflow', async () => {
    const res = await get(`/v1/cases/${caseId}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-bereik-source']).toBe('workflow');
    expect(res.body).toMatchObject({ case: caseId, municipality: '0518', round: 1 });
    expect(res.body.signals[0]).toEqual(expect.objectContaining({ partnerType: 'Energie', amount: 640 }));
    expect(JSON.stringify(res.body)).not.toContain('Jansen');
    expect((await get(`/v1/cases/${caseId}`, KEYS.admin0518)).status).toBe(200);
  });

  it('auth matrix: 401 without key, 403 for intake keys, 404 for another municipality, 404 for malformed IDs', async () => {
    expect((await request(stack.app).get(`/v1/cases/${caseId}`)).status).toBe(401);
    expect((await get(`/v1/cases/${caseId}`, 'unknown-key-123456789')).status).toBe(401);
    expect((await get(`/v1/cases/${caseId}`, KEYS.intake0518)).status).toBe(403);
    expect((await get('/v1/cases', KEYS.intake0518)).status).toBe(403);
    expect((await get('/v1/reports/ddas?from=2027-01-01&to=2027-01-31', KEYS.intake0518)).status).toBe(403);
    expect((await postEvent(caseId, { type: 'resident_contact' }, KEYS.intake0518)).status).toBe(403);

    const foreign = await get(`/v1/cases/${caseId}`, KEYS.staff0363);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain(caseId.slice(10));
    expect((await postEvent(caseId, { type: 'resident_contact' }, KEYS.staff0363)).status).toBe(404);
    expect((await get('/v1/cases/case-0518-aaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await get('/v1/cases/not-a-case')).status).toBe(404);
    const foreignList = await get('/v1/cases', KEYS.staff0363);
    expect(foreignList.body.items.map((i: { case: string }) => i.case)).not.toContain(caseId);
  });

  it('accepts stored production keys (hashed) and stops accepting them once revoked', async () => {
    const { key, record } = await createApiKey(stack.pool, { municipality: '0518', role: 'staff', label: 'test' });
    const stored = await stack.pool.query('SELECT key_hash FROM api_keys WHERE id = $1', [record.id]);
    expect(stored.rows[0].key_hash).not.toContain(key);
    expect((await get(`/v1/cases/${caseId}`, key)).status).toBe(200);
    await revokeApiKey(stack.pool, record.id);
    // A fresh app has no cache; a running one stops within its 10 s cache.
    const fresh = createApp({
      config: stack.config,
      pool: stack.pool,
      temporalClient: stack.client,
      logger: createLogger('t', 'silent'),
      policyFor: (m) => policyFor(stack.config, m),
    });
    expect((await request(fresh).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${key}`)).status).toBe(401);
  });

  it('rejects invalid events with field paths', async () => {
    const res = await postEvent(caseId, { type: 'call_outcome', outcome: 'maybe' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/outcome', message: expect.any(String) }]);
    expect((await postEvent(caseId, { type: 'no_such_event' })).status).toBe(400);
    const malformed = await request(stack.app)
      .post(`/v1/cases/${caseId}/events`)
      .set('Authorization', `Bearer ${KEYS.staff0518}`)
      .set('Content-Type', 'application/json')
      .send('{"type":');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('applies an event through the workflow, audits it, and answers 409 with the reason once the round is closed', async () => {
    const accepted = await postEvent(caseId, { type: 'help_declined' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ accepted: true });

    const audit = await stack.pool.query(
      `SELECT * FROM audit_log WHERE case_id = $1 AND action = 'event.help_declined'`,
      [caseId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({
      municipality: '0518',
      role: 'staff',
      outcome: 'accepted',
      detail: { type: 'help_declined' },
    });
    expect(audit.rows[0].key_id).toMatch(/^config:/);
    expect(audit.rows[0].at).toBeInstanceOf(Date);

    const closed = await eventually(async () => {
      const v = await view(caseId);
      return v.status === 'dormant' ? v : null;
    });
    expect(closed.result).toBe('Inwoner hoeft geen hulp vanuit vroegsignalering');

    const rejected = await postEvent(caseId, { type: 'help_accepted', to: 'wijkteam', description: 'private words' });
    expect(rejected.status).toBe(409);
    expect(rejected.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(rejected.body.detail).toMatch(/closed/);
    const rejectedAudit = await stack.pool.query(
      `SELECT outcome, detail FROM audit_log WHERE case_id = $1 AND action = 'event.help_accepted'`,
      [caseId],
    );
    expect(rejectedAudit.rows[0].outcome).toBe('rejected');
    expect(JSON.stringify(rejectedAudit.rows[0].detail)).not.toContain('private words');
  });

  it('answers 404 for events on a case that does not exist', async () => {
    expect((await postEvent('case-0518-bbbbbbbbbbbbbbbbbbbbbbbbbb', { type: 'resident_contact' })).status).toBe(404);
  });

  it('falls back to the read model when the workflow is gone', async () => {
    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal()] });
    const id = res.body.results[0].case as string;
    await eventually(
      async () =>
        (await stack.pool.query('SELECT 1 FROM cases WHERE case_id = $1 AND view IS NOT NULL', [id])).rowCount,
    );
    await stack.client.workflow.getHandle(id).terminate('test');
    const fallback = await get(`/v1/cases/${id}`);
    expect(fallback.status).toBe(200);
    expect(fallback.headers['x-bereik-source']).toBe('read-model');
    expect(fallback.body.case).toBe(id);
    const event = await postEvent(id, { type: 'resident_contact' });
    expect(event.status).toBe(409);
    expect(event.body.detail).toMatch(/ended/);
  });

  it('lists cases of the municipality, paginated and filtered by status', async () => {
    const signals = Array.from({ length: 5 }, () => makeSignal());
    // Listed as soon as intake answered: no waiting for the workflows.
    await request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${KEYS.intake0518}`).send({ signals });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await get(`/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((i: { case: string }) => i.case));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect([...seen].sort()).toEqual(seen);
    expect(seen.every((id) => id.startsWith('case-0518-'))).toBe(true);

    const dormant = await get('/v1/cases?status=dormant');
    expect(dormant.body.items.map((i: { case: string }) => i.case)).toContain(caseId);
    expect(dormant.body.items.every((i: { status: string }) => i.status === 'dormant')).toBe(true);

    const bad = await get('/v1/cases?status=sleeping&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/query/limit', '/query/status']);
    expect((await get('/v1/cases?cursor=nonsense')).status).toBe(400);
  });
});
