import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CaseView } from '../../domain/case';
import { caseState } from '../../workflows/case/messages';
import { registerSearchAttributes } from '../../tools/scenario/search-attributes';
import { eventually, KEYS, makeSignal } from '../api/support';
import { timeSkippingEnv } from '../support/time-skipping';
import { arrowTo, axeViolations, screenshot, signIn, startConsoleStack, tabTo, type ConsoleStack } from './support';

const HOUR = 3_600_000;

/**
 * Work items end to end in Chromium: the real API, worker, PostgreSQL, local OpenID provider and the console, on a
 * time-skipping Temporal test server so that a case's days pass in seconds while the browser does the people's part.
 * Time only moves when the test skips it (to the case's next planned action); between skips it runs as usual.
 */
describe('work items through the console, from intake to handover', () => {
  let env: TestWorkflowEnvironment;
  let app: ConsoleStack;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    env = await timeSkippingEnv();
    await registerSearchAttributes(env);
    app = await startConsoleStack('work-e2e', {}, { temporalAddress: env.address });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await app?.stop();
    await env?.teardown();
  });

  async function staff(login: string): Promise<Page> {
    const context = await (app.browser as Browser).newContext();
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, app.baseUrl, login);
    return page;
  }

  async function intake(overrides: Parameters<typeof makeSignal>[0]): Promise<string> {
    const res = await request(app.stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal(overrides)] });
    expect(res.body.results[0].status).toBe('accepted');
    return res.body.results[0].case as string;
  }

  const view = (caseId: string): Promise<CaseView> => app.stack.client.workflow.getHandle(caseId).query(caseState);

  async function itemOf(caseId: string, kind: string, team: string, visit?: number): Promise<string | undefined> {
    const { rows } = await app.stack.pool.query<{ item_id: string }>(
      `SELECT item_id FROM team_tasks
        WHERE case_id = $1 AND kind = $2 AND team = $3 AND ($4::int IS NULL OR visit_number = $4) AND status <> 'done'`,
      [caseId, kind, team, visit ?? null],
    );
    return rows[0]?.item_id;
  }

  /** Skips test time to the case's next planned action, again and again, until `find` finds what it looks for. */
  async function skipUntil<T>(caseId: string, find: () => Promise<T | undefined>, maxSkips = 200): Promise<T> {
    for (let skip = 0; skip < maxSkips; skip++) {
      const found = await find();
      if (found) return found;
      const next = (await view(caseId)).nextAction;
      const now = await env.currentTimeMs();
      const to = next ? Date.parse(next.at) : now;
      // Never past a planned action, and never far enough to let a visit's outcome window lapse unseen.
      await env.sleep(Math.min(Math.max(to - now + 1_000, 60_000), 6 * HOUR));
    }
    throw new Error(`not found after ${maxSkips} skips of test time`);
  }

  /** Opens the team's queue and the work item of this case from it, as a person would. */
  async function openFromQueue(page: Page, caseRef: string, link: string): Promise<void> {
    await page.goto(`${app.baseUrl}/console/`);
    const row = page.getByRole('row').filter({ hasText: caseRef });
    await row.getByRole('link', { name: link }).click();
    await page.getByRole('heading', { level: 1, name: `Werk voor zaak ${caseRef}` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  }

  async function recordOutcome(page: Page, outcome: string): Promise<void> {
    await page.getByLabel(outcome).check();
    await page.getByRole('button', { name: 'Uitkomst vastleggen' }).click();
    await page.getByText('De uitkomst is vastgelegd.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  }

  it('a priority case: the wijkteam works its handover to a recorded outcome, with the keyboard only', async () => {
    const caseId = await intake({ bedrag: 2500, crisissignaal: true, address: 301 });
    const caseRef = `${caseId}.1`;
    await eventually(() => itemOf(caseId, 'handover', 'wijkteam'), 60_000);
    const page = await staff('wijkteam-0518');
    await page.goto(`${app.baseUrl}/console/`);
    expect(await axeViolations(page)).toEqual([]);
    const row = page.getByRole('row').filter({ hasText: caseRef });
    await tabTo(page, row.getByRole('link', { name: 'warme overdracht' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Werk voor zaak ${caseRef}` }).waitFor();
    // The wijkteam sees who to help; the reason says why the case came to it.
    await page.getByText('Jansen').first().waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Ik pak dit op' }));
    await page.keyboard.press('Enter');
    await page.getByText('opgepakt door u').waitFor();
    // Tab reaches the group of outcomes at its first radio; the arrow keys choose within it.
    await tabTo(page, page.getByRole('radio').first());
    await arrowTo(page, page.getByLabel('Hulp aangenomen'));
    expect(await page.getByLabel('Hulp aangenomen').isChecked()).toBe(true);
    await tabTo(page, page.getByRole('button', { name: 'Uitkomst vastleggen' }));
    await page.keyboard.press('Enter');
    await page.getByText('De uitkomst is vastgelegd.').waitFor();
    await screenshot(page, 'work-priority-done');
    expect(await axeViolations(page)).toEqual([]);

    const closed = await eventually(async () => {
      const v = await view(caseId);
      return v.status === 'dormant' ? v : null;
    });
    expect(closed.result).toBe('Vervolghulp en/of verwijzing financieel');
    expect(closed.handovers).toMatchObject([{ to: 'wijkteam', answer: { outcome: 'taken_up' } }]);
    await page.goto(`${app.baseUrl}/console/zaken/${caseId}`);
    await page.getByText('Vervolghulp en/of verwijzing financieel').first().waitFor();
  });

  it('a standard case never reached by phone: two visits, the conversation, then the warm handover, completed', async () => {
    const { telefoon: _none, ...client } = makeSignal().client;
    const caseId = await intake({ bedrag: 800, address: 302, client });
    const caseRef = `${caseId}.1`;
    const visits = await staff('visits-0518');

    await skipUntil(caseId, () => itemOf(caseId, 'visit', 'visits', 1));
    await openFromQueue(visits, caseRef, 'huisbezoek 1');
    await visits.getByText('Kaartje vroegsignalering').waitFor();
    await recordOutcome(visits, 'Niet thuis, kaartje achtergelaten');

    await skipUntil(caseId, () => itemOf(caseId, 'visit', 'visits', 2));
    await openFromQueue(visits, caseRef, 'huisbezoek 2');
    await recordOutcome(visits, 'Thuis, gesprek gevoerd');

    // Reached at the door: the visit team records how the conversation went.
    await eventually(() => itemOf(caseId, 'conversation', 'visits'), 60_000);
    await openFromQueue(visits, caseRef, 'gesprek vastleggen');
    await visits.getByLabel('Toelichting (niet verplicht)').fill('Wil hulp bij de energierekening.');
    await recordOutcome(visits, 'Hulp aangenomen');

    // Help accepted: a warm handover to the wijkteam, which answers it after the round closed.
    await eventually(() => itemOf(caseId, 'handover', 'wijkteam'), 60_000);
    const wijkteam = await staff('wijkteam-0518');
    await openFromQueue(wijkteam, caseRef, 'warme overdracht');
    expect(await wijkteam.getByLabel('Hulp aangenomen').count()).toBe(0); // the round's outcome is known
    await recordOutcome(wijkteam, 'Opgepakt: wij helpen de inwoner verder');
    await screenshot(wijkteam, 'work-warm-handover-done');

    const done = await eventually(async () => {
      const v = await view(caseId);
      return v.handovers[0]?.answer ? v : null;
    });
    expect(done.result).toBe('Vervolghulp en/of verwijzing financieel');
    expect(done.attempts.map((a) => [a.soort, a.bereikt])).toEqual(
      expect.arrayContaining([
        ['Huisbezoek', false],
        ['Kaartje', false],
        ['Huisbezoek', true],
      ]),
    );
    expect(done.handovers).toMatchObject([{ to: 'wijkteam', answer: { outcome: 'taken_up' } }]);
    expect(done.deadlines.breaches).toEqual([]);
  });

  it("a handover nobody answers becomes a breach that shows in the team's queue and in the admin's overview", async () => {
    const caseId = await intake({ bedrag: 2600, crisissignaal: true, address: 303 });
    const caseRef = `${caseId}.1`;
    await skipUntil(caseId, async () => ((await view(caseId)).deadlines.breaches.length > 0 ? true : undefined));
    expect((await view(caseId)).deadlines.breaches[0]).toMatch(/^handover to wijkteam unanswered after 14 days/);

    const wijkteam = await staff('wijkteam-0518');
    await eventually(async () => {
      await wijkteam.goto(`${app.baseUrl}/console/`);
      const row = wijkteam.getByRole('row').filter({ hasText: caseRef }).filter({ hasText: 'warme overdracht' });
      return (await row.getByText('Termijn overschreden').count()) > 0;
    });
    await screenshot(wijkteam, 'work-breach-queue');
    expect(await axeViolations(wijkteam)).toEqual([]);

    const admin = await staff('admin-0518');
    await admin.goto(`${app.baseUrl}/console/overschrijdingen`);
    await admin.getByRole('link', { name: caseRef }).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
  });

  it("a member of staff of another municipality finds none of this municipality's work", async () => {
    const { rows } = await app.stack.pool.query<{ item_id: string; case_ref: string }>(
      'SELECT item_id, case_ref FROM team_tasks',
    );
    expect(rows.length).toBeGreaterThan(0);
    const other = await staff('callcentre-0363');
    const queue = await other.content();
    for (const row of rows) expect(queue).not.toContain(row.case_ref);
    for (const row of rows.slice(0, 3)) {
      const direct = await other.goto(`${app.baseUrl}/console/werk/${row.item_id}`);
      expect(direct?.status()).toBe(404);
    }
  });
});
