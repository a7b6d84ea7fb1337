import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { createResidentLinkActivities } from '../../activities/resident-link';
import { signResidentToken } from '../../common/resident-token';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('resident page', () => {
  let stack: Stack;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  let caseId: string;
  let link: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    stack = await startStack('resident', { MATCHING_WINDOW: '1s' });
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    const res = await request(stack.app).post('/v1/signals').set('Authorization', `Bearer ${KEYS.intake0518}`).send({ signals: [makeSignal()] });
    caseId = res.body.results[0].case;
    await eventually(async () => !['matching', 'checking'].includes((await stack.client.workflow.getHandle(caseId).query(caseState)).status));
    const { residentLink } = createResidentLinkActivities({ secret: stack.config.RESIDENT_LINK_SECRET!, publicBaseUrl: baseUrl });
    link = await residentLink({ caseId, caseRef: `${caseId}.1`, municipality: '0518', round: 1, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await stack?.stop();
  });

  it('lets the resident choose a slot without JavaScript and hands the moment to the workflow', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');

    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Kies een moment voor ons telefoongesprek');
    const html = await page.content();
    expect(html).not.toContain('Jansen');
    expect(html).not.toContain('Dorpsstraat');
    expect(html).not.toContain('<script');

    // Every radio button has a label and sits in a fieldset.
    const radios = page.locator('input[type=radio][name=moment]');
    expect(await radios.count()).toBeGreaterThan(10);
    expect(await page.locator('fieldset input[type=radio]').count()).toBe(await radios.count());
    const unlabeled = await page.evaluate<number>(
      `[...document.querySelectorAll('input[type=radio]')].filter((i) => !document.querySelector('label[for="' + i.id + '"]')).length`,
    );
    expect(unlabeled).toBe(0);

    // Slots of a later day: open its group, pick its second time, send.
    const days = page.locator('details');
    expect(await days.count()).toBeGreaterThanOrEqual(9);
    await days.nth(1).locator('summary').click();
    const choice = days.nth(1).locator('input[type=radio]').nth(1);
    const moment = await choice.getAttribute('value');
    await days.nth(1).locator('label').nth(1).click();
    expect(await choice.isChecked()).toBe(true);
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.getByRole('button', { name: 'Dit moment kiezen' }).click()]);
    await page.waitForSelector('#confirmation');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bedankt! Wij bellen u');
    expect(await page.locator('#confirmation').textContent()).toMatch(/^Wij bellen u op .+ om \d\d:\d\d uur\.$/);

    const state = await stack.client.workflow.getHandle(caseId).query(caseState);
    expect(state.chosenMoment).toBe(moment);
    const audit = await stack.pool.query(`SELECT role, key_id, outcome FROM audit_log WHERE case_id = $1 AND action = 'event.contact_moment_chosen'`, [caseId]);
    expect(audit.rows).toEqual([{ role: 'resident', key_id: null, outcome: 'accepted' }]);

    // Opening the link again shows the choice and still allows another one.
    await page.goto(link);
    expect(await page.locator('main').textContent()).toContain('U koos eerder');
    await context.close();
  });

  it('switches language, right-to-left for Arabic and Farsi', async () => {
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByRole('link', { name: 'العربية' }).click();
    await page.waitForURL(/lang=ar/);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getByRole('button').textContent()).toBe('اختر هذا الموعد');
    for (const [lang, dir] of [['fa', 'rtl'], ['tr', 'ltr'], ['en', 'ltr']] as const) {
      await page.goto(`${link}?lang=${lang}`);
      expect(await page.getAttribute('html', 'dir')).toBe(dir);
      expect(await page.locator('input[name=lang]').getAttribute('value')).toBe(lang);
    }
    // Keyboard users see where they are.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.close();
  });

  it('shows a friendly page without case data for tampered and expired links', async () => {
    const page = await browser.newPage({ locale: 'nl-NL' });
    const tampered = `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await page.goto(tampered);
    expect(bad?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deze link werkt niet');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.content()).not.toContain(caseId);

    const expiredToken = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, { caseId, round: 1, purpose: 'choose_moment', exp: Math.floor(Date.now() / 1000) - 60 });
    const expired = await page.goto(`${baseUrl}/r/${expiredToken}`);
    expect(expired?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deze link werkt niet meer');
    expect(await page.locator('form').count()).toBe(0);

    const otherRound = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, { caseId, round: 2, purpose: 'choose_moment', exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await page.goto(`${baseUrl}/r/${otherRound}`))?.status()).toBe(410);
    await page.close();
  });

  it('refuses a moment outside the offered slots', async () => {
    const token = link.split('/r/')[1]!;
    const res = await request(stack.app).post(`/r/${token}`).type('form').send({ moment: '2020-01-01T03:00:00.000Z', lang: 'en' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This time is no longer available');
    const missing = await request(stack.app).post(`/r/${token}`).type('form').send({ lang: 'nl' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('U heeft nog geen moment gekozen');
  });
});
