import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { insertWorkItem } from '../../db/work-items';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, makeSignal } from '../api/support';
import { axeViolations, screenshot, signIn, startConsoleStack, type ConsoleStack } from './support';

/**
 * The staff console in Chromium against the real API, worker, Temporal dev server, PostgreSQL and the local OpenID
 * provider: sign-in, the queue, search through the blind index, a case page with its forms, refusals in Dutch,
 * CSRF, tenancy and session expiry.
 */
describe('staff console', () => {
  let env: ConsoleStack;
  let context: BrowserContext;
  let page: Page;
  let caseId: string;

  beforeAll(async () => {
    env = await startConsoleStack('console');
    const signal = makeSignal({ address: 41 });
    const res = await request(env.stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [signal] });
    expect(res.body.results[0].status).toBe('accepted');
    caseId = res.body.results[0].case;
    await eventually(async () => {
      const view = await env.stack.client.workflow.getHandle(caseId).query(caseState);
      return view.status !== 'matching' && view.status !== 'checking';
    }, 60_000);
    await eventually(
      async () => (await env.stack.pool.query('SELECT 1 FROM cases WHERE case_id = $1', [caseId])).rowCount,
    );
    context = await env.browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await env?.stop();
  });

  it('signs in through OpenID Connect with the keyboard and shows the queue', async () => {
    await signIn(page, env.baseUrl, 'callcentre-0518');
    await screenshot(page, 'queue');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'bereik_console')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds the case by postcode and huisnummer, without the address in any URL', async () => {
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(`${env.baseUrl}/console/zoeken`);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Postcode').fill('2011 AB');
    await page.getByLabel('Huisnummer').fill('42');
    await page.getByRole('button', { name: 'Zoeken' }).nth(1).click();
    await page.getByRole('heading', { level: 1, name: `Zaak ${caseId}.1` }).waitFor();
    expect(urls.some((u) => /2011|Jansen/i.test(u))).toBe(false);
    expect(await page.getByText('+31612345678').count()).toBeGreaterThan(0);
    await screenshot(page, 'case');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a refusal of the workflow in Dutch next to the field', async () => {
    await page.goto(`${env.baseUrl}/console/zaken/${caseId}`);
    const form = page.locator('section#visit_outcome');
    await form.getByLabel('Nee').check();
    await form.getByRole('button', { name: 'Vastleggen' }).click();
    const error = page.locator('#visit_outcome-atHome-fout');
    await error.waitFor();
    expect(await error.textContent()).toContain('Er staat geen huisbezoek open');
    await screenshot(page, 'refusal');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('refuses a form post without its CSRF token', async () => {
    const res = await page.request.post(`${env.baseUrl}/console/zaken/${caseId}/gebeurtenis`, {
      form: { type: 'help_declined' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    const view = await env.stack.client.workflow.getHandle(caseId).query(caseState);
    expect(view.result).toBeNull();
  });

  it('shows nothing of Den Haag to a member of staff of Amsterdam', async () => {
    const other = await env.browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, env.baseUrl, 'callcentre-0363');
    expect(await otherPage.getByRole('link', { name: `${caseId}.1` }).count()).toBe(0);
    const direct = await otherPage.goto(`${env.baseUrl}/console/zaken/${caseId}`);
    expect(direct?.status()).toBe(404);
    await otherPage.goto(`${env.baseUrl}/console/zoeken`);
    await otherPage.getByRole('textbox', { name: 'Zaaknummer' }).fill(`${caseId}.1`);
    await otherPage.getByRole('button', { name: 'Zoeken' }).first().click();
    await otherPage.getByText('Geen zaak gevonden bij uw gemeente.').waitFor();
    await other.close();
  });

  it('refreshes the queue in place with JavaScript (htmx): no reload, no CSP violation', async () => {
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${env.baseUrl}/console/`);
    await page.waitForFunction("'htmx' in window");
    await page.evaluate('window.bereikStayed = true');
    const row = page
      .getByRole('row')
      .filter({ hasText: `${caseId}.1` })
      .filter({ hasText: 'gesprek vastleggen' });
    expect(await row.count()).toBe(0);
    await insertWorkItem(env.stack.pool, {
      key: `${caseId}.1:conversation`,
      municipality: '0518',
      caseId,
      caseRef: `${caseId}.1`,
      kind: 'conversation',
      team: 'callcentre',
      plannedAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      dagdeel: null,
      visit: null,
      reason: 'resident reached: record how the conversation went',
      packetSealed: 'not opened in this test',
    });
    await page.evaluate("window.dispatchEvent(new Event('focus'))");
    await row.waitFor();
    expect(await page.evaluate('window.bereikStayed')).toBe(true);
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('works without JavaScript: sign-in, the queue, a case page and its forms', async () => {
    const plain = await env.browser.newContext({ javaScriptEnabled: false });
    const plainPage = await plain.newPage();
    await signIn(plainPage, env.baseUrl, 'callcentre-0518');
    await plainPage.getByRole('link', { name: 'gesprek vastleggen' }).first().waitFor();
    await plainPage.goto(`${env.baseUrl}/console/zaken/${caseId}`);
    const form = plainPage.locator('section#visit_outcome');
    await form.getByLabel('Nee').check();
    await form.getByRole('button', { name: 'Vastleggen' }).click();
    await plainPage.locator('#visit_outcome-atHome-fout').waitFor();
    await plain.close();
  });

  it('ends a session that was idle too long, and on sign-out', async () => {
    await env.stack.pool.query("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'");
    // The queue's own refresh does not swap the sign-in page in: it is told to reload the whole page.
    const refresh = await page.request.get(`${env.baseUrl}/console/`, {
      headers: { 'HX-Request': 'true' },
      maxRedirects: 0,
    });
    expect([refresh.status(), refresh.headers()['hx-refresh']]).toEqual([401, 'true']);
    await page.goto(`${env.baseUrl}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
    // The IdP still knows the browser: signing in again takes one link, no password.
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Werkvoorraad' }).waitFor();
    await page.getByRole('button', { name: 'Afmelden' }).click();
    await page.getByRole('heading', { level: 1, name: 'Afgemeld' }).waitFor();
    // Signed out, and Amsterdam's session went idle too and was swept at the next sign-in.
    expect((await env.stack.pool.query('SELECT 1 FROM console_sessions')).rowCount).toBe(0);
  });
});
