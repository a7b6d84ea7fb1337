import request from 'supertest';
import { parseCsv } from '../../api/csv';
import { funnelReport } from '../../db/funnel';
import { purgePersonalData } from '../../db/retention';
import type { CaseView } from '../../domain/case';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

function amsterdamDate(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
    Date.now() + offsetDays * 86_400_000,
  );
}

const PERIOD = `from=${amsterdamDate(-1)}&to=${amsterdamDate(1)}`;
/** The period, seen seven months on: the six-month recidive window of today's closed rounds has passed. */
const LATER = { from: amsterdamDate(-1), to: amsterdamDate(1), now: new Date(Date.now() + 213 * 86_400_000) };

/**
 * Households through the real case workflow on the dev server (drill-free default policy, matching window 1 s), staff
 * events through the API; the funnel must agree with what the case list and case views say.
 */
describe('GET /v1/reports/funnel', () => {
  let stack: Stack;
  const caseIds: string[] = [];
  let otherMunicipalityCase: string;

  const get = (path: string, key = KEYS.staff0518) =>
    request(stack.app).get(path).set('Authorization', `Bearer ${key}`);
  const event = (caseId: string, body: object) =>
    request(stack.app).post(`/v1/cases/${caseId}/events`).set('Authorization', `Bearer ${KEYS.staff0518}`).send(body);
  const view = async (caseId: string): Promise<CaseView> => (await get(`/v1/cases/${caseId}`)).body as CaseView;
  // The case view of a running case is the workflow's own; the funnel reads the read model, written a moment later.
  const closed = async (caseId: string) => {
    const listed = (await get('/v1/cases?limit=100')).body.items as { case: string; status: string }[];
    return listed.some((item) => item.case === caseId && item.status === 'dormant');
  };

  beforeAll(async () => {
    stack = await startStack('funnel', { MATCHING_WINDOW: '1s' });
    const helped = makeSignal({ address: 7101 });
    const helpedWater = makeSignal({ address: 7101, signaalpartner: { type: 'Water' }, bedrag: 90 });
    const quickFix = makeSignal({ address: 7102, signaalpartner: { type: 'Huur' } });
    const open = makeSignal({ address: 7103 });
    const posted = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [helped, helpedWater, quickFix, open] });
    expect(posted.status).toBe(202);
    caseIds.push(...new Set<string>(posted.body.results.map((r: { case: string }) => r.case)));
    expect(caseIds).toHaveLength(3);
    const other = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0363}`)
      .send({ signals: [makeSignal({ address: 7104 })] });
    otherMunicipalityCase = other.body.results[0].case;

    const [helpedCase, quickFixCase] = caseIds as [string, string];
    for (const [caseId, outcome] of [
      [helpedCase, { type: 'help_accepted', to: 'budgetcoach' }],
      [quickFixCase, { type: 'quick_fix' }],
    ] as const) {
      await eventually(
        async () => (await event(caseId, { type: 'resident_contact', channel: 'phone' })).status === 200,
      );
      await eventually(async () => (await event(caseId, outcome)).status === 200);
      await eventually(() => closed(caseId));
    }
    await eventually(async () => (await view(caseIds[2]!)).status !== 'matching');
    await eventually(async () => (await get(`/v1/cases/${otherMunicipalityCase}`, KEYS.staff0363)).status === 200);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('agrees with the case list and the case views', async () => {
    const list = await get('/v1/cases?limit=100');
    expect(list.status).toBe(200);
    const items = list.body.items as { case: string; segment: string | null; result: string | null }[];
    const views = await Promise.all(items.map((i) => view(i.case)));

    const res = await get(`/v1/reports/funnel?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { total } = res.body;
    expect(total.cases).toBe(items.length);
    expect(total.signals).toBe(views.reduce((n, v) => n + v.signals.length, 0));
    expect(total.reached).toBe(views.filter((v) => v.reachedAt !== null).length);
    const firstAttemptAt = (v: CaseView) => v.attempts.map((a) => a.at).sort()[0];
    expect(total.firstAttemptInTime).toBe(
      views.filter(
        (v) =>
          firstAttemptAt(v) !== undefined &&
          (v.deadlines.firstAttemptBy === null || firstAttemptAt(v)! <= v.deadlines.firstAttemptBy),
      ).length,
    );
    expect(total.helpAccepted).toBe(items.filter((i) => i.result?.startsWith('Vervolghulp')).length);
    for (const result of new Set(items.map((i) => i.result ?? 'open'))) {
      expect([result, total.results[result]]).toEqual([
        result,
        items.filter((i) => (i.result ?? 'open') === result).length,
      ]);
    }
    expect(total.results).toMatchObject({
      'Vervolghulp en/of verwijzing financieel': 1,
      '(Budget)advies en/of quick fix': 1,
      open: 1,
    });
    expect(total.timeToFirstAttempt.count).toBe(views.filter((v) => v.attempts.length > 0).length);
    expect(total.timeToFirstContact.count).toBe(views.filter((v) => v.reachedAt !== null).length);
    expect(total.timeToFirstContact.count).toBe(2);
    const contactMinutes = views
      .filter((v) => v.reachedAt !== null)
      .map((v) => {
        const firstSignal = Math.min(...v.signals.map((x) => Date.parse(x.receivedAt)));
        return Math.round((Date.parse(v.reachedAt!) - firstSignal) / 60_000);
      })
      .sort((a, b) => a - b);
    // Nearest rank over two values: the median is the shorter wait, p90 the longer.
    expect(total.timeToFirstContact).toEqual({
      count: 2,
      medianMinutes: contactMinutes[0],
      p90Minutes: contactMinutes[1],
    });

    const bySegment = (await get(`/v1/reports/funnel?${PERIOD}&by=segment`)).body;
    for (const group of bySegment.groups) {
      expect([group.key, group.cases]).toEqual([group.key, items.filter((i) => i.segment === group.key).length]);
    }
    const byPartner = (await get(`/v1/reports/funnel?${PERIOD}&by=partner`)).body;
    expect(byPartner.groups.map((g: { key: string; signals: number }) => [g.key, g.signals])).toEqual([
      ['Energie', 2],
      ['Huur', 1],
      ['Water', 1],
    ]);
    const byChannel = (await get(`/v1/reports/funnel?${PERIOD}&by=channel`)).body;
    expect(byChannel.groups.map((g: { key: string | null; reached: number }) => [g.key, g.reached])).toEqual([
      ['resident', 2],
      [null, 0],
    ]);
    const byMonth = (await get(`/v1/reports/funnel?${PERIOD}&by=month`)).body;
    expect(byMonth.groups.reduce((n: number, g: { cases: number }) => n + g.cases, 0)).toBe(items.length);
  });

  it('gives the same figures as CSV when asked for text/csv', async () => {
    const json = (await get(`/v1/reports/funnel?${PERIOD}&by=partner`)).body;
    const res = await get(`/v1/reports/funnel?${PERIOD}&by=partner`).set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(res.text).records.map((r) => r.fields);
    const column = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[0])).toEqual(['total', 'Energie', 'Huur', 'Water']);
    expect(Number(rows[0]![column('cases')])).toBe(json.total.cases);
    expect(Number(rows[3]![column('signals')])).toBe(1);
    expect(Number(rows[0]![column('result: (Budget)advies en/of quick fix')])).toBe(1);
  });

  it('shows a municipality only its own figures', async () => {
    const mine = (await get(`/v1/reports/funnel?${PERIOD}`)).body;
    const theirs = (await get(`/v1/reports/funnel?${PERIOD}`, KEYS.staff0363)).body;
    expect(mine.municipality).toBe('0518');
    expect(theirs).toMatchObject({ municipality: '0363', total: { cases: 1, signals: 1 } });
    expect(mine.total.cases).toBe(3);
  });

  it('counts recidive when a closed household gets a new signal', async () => {
    const quickFixCase = caseIds[1]!;
    const again = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal({ address: 7102, signaalpartner: { type: 'Energie' }, bedrag: 700 })] });
    expect(again.body.results[0]).toMatchObject({ status: 'accepted', case: quickFixCase });
    await eventually(async () => (await view(quickFixCase)).round === 2);
    await eventually(async () => {
      const r = await stack.pool.query(`SELECT count(*)::int AS n FROM funnel_stats WHERE reopened_date IS NOT NULL`);
      return r.rows[0].n === 1;
    });
    const query = { municipality: '0518', from: amsterdamDate(-1), to: amsterdamDate(1) };
    // Today nobody's six months have passed; seen from seven months on, one of the two closed rounds came back.
    const today = await funnelReport(stack.pool, query);
    expect(today.total.recidive).toMatchObject({ closed: 2, observable6Months: 0, within6Months: 0 });
    expect(today.total.cases).toBe(4);
    const later = await funnelReport(stack.pool, { ...query, now: new Date(Date.now() + 213 * 86_400_000) });
    expect(later.total.recidive).toMatchObject({
      closed: 2,
      observable6Months: 2,
      within6Months: 1,
      share6Months: 0.5,
      observable12Months: 0,
    });
  });

  it('keeps every figure through the retention purge, and the rows lose their household key', async () => {
    const before = (await get(`/v1/reports/funnel?${PERIOD}&by=segment`)).body;
    const recidiveBefore = await funnelReport(stack.pool, { municipality: '0518', ...LATER });
    const purged = await purgePersonalData(
      stack.pool,
      caseIds.map((caseId) => ({ municipality: '0518', caseId })),
    );
    expect(purged).toBe(5);
    const after = (await get(`/v1/reports/funnel?${PERIOD}&by=segment`)).body;
    expect(after).toEqual(before);
    expect(await funnelReport(stack.pool, { municipality: '0518', ...LATER })).toEqual(recidiveBefore);
    const rows = await stack.pool.query(`SELECT * FROM funnel_stats WHERE municipality = '0518'`);
    expect(rows.rows).toHaveLength(4);
    expect(rows.rows.filter((r) => r.reopened_date !== null)).toHaveLength(1);
    const stored = JSON.stringify(rows.rows);
    for (const caseId of caseIds) expect(stored).not.toContain(caseId);
    expect(stored).not.toMatch(/VS-|Jansen|2011AB|\+316/);
  });

  it('refuses a bad split or period with problem+json naming the field, and intake keys', async () => {
    const bad = await get(`/v1/reports/funnel?${PERIOD}&by=colour`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/query/by' })]);
    const noFrom = await get(`/v1/reports/funnel?to=2027-01-01`);
    expect(noFrom.body.errors.map((e: { path: string }) => e.path)).toEqual(['/query/from']);
    const backwards = await get(`/v1/reports/funnel?from=2027-02-01&to=2027-01-01`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((e: { path: string }) => e.path)).toEqual(['/query/to']);
    const notADate = await get(`/v1/reports/funnel?from=2027-13-01&to=2027-12-01`);
    expect(notADate.body.errors.map((e: { path: string }) => e.path)).toEqual(['/query/from']);
    const unknown = await get(`/v1/reports/funnel?${PERIOD}&municipality=0363`);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['/query/municipality']);
    expect((await get(`/v1/reports/funnel?${PERIOD}`, KEYS.intake0518)).status).toBe(403);
  });
});
