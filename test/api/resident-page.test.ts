import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { createResidentLinkActivities } from '../../activities/resident-link';
import { signResidentToken } from '../../common/resident-token';
import { caseState } from '../../workflows/case/messages';
import { eventually, KEYS, makeSignal, startStack, type Stack } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const LOGO_URL = 'https://assets.denhaag.example/logo.svg';
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" fill="#1f5a96"/></svg>';
const SCREENSHOTS = process.env.BEREIK_SCREENSHOT_DIR ?? os.tmpdir();

/** WCAG 2.1 A and AA violations axe finds on the page as loaded (axe is injected past the page's CSP). */
async function axeViolations(page: Page): Promise<{ id: string; nodes: number }[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate<{ violations: { id: string; nodes: unknown[] }[] }>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.length }));
}

/** The municipality's logo host is not reachable from a test; Chromium gets the image from here. */
async function serveLogo(context: BrowserContext): Promise<void> {
  await context.route(`${LOGO_URL}`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
  );
}

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
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    stack = await startStack('resident', {
      MATCHING_WINDOW: '1s',
      MUNICIPALITIES: JSON.stringify({
        '0518': { email: 'vroegsignalering@denhaag.example', logoUrl: LOGO_URL, colour: '#1f5a96' },
      }),
    });
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    const res = await request(stack.app)
      .post('/v1/signals')
      .set('Authorization', `Bearer ${KEYS.intake0518}`)
      .send({ signals: [makeSignal()] });
    caseId = res.body.results[0].case;
    await eventually(
      async () =>
        !['matching', 'checking'].includes((await stack.client.workflow.getHandle(caseId).query(caseState)).status),
    );
    const { residentLink } = createResidentLinkActivities({
      secret: stack.config.RESIDENT_LINK_SECRET!,
      publicBaseUrl: baseUrl,
    });
    link = await residentLink({
      caseId,
      caseRef: `${caseId}.1`,
      municipality: '0518',
      round: 1,
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await stack?.stop();
  });

  it('lets the resident choose a slot without JavaScript and hands the moment to the workflow', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
    await serveLogo(context);
    const page = await context.newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');

    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Kies een moment voor ons telefoongesprek',
    );
    // The resident sees who is asking, before anything else, and how to call them back.
    expect(await page.locator('header .sender').textContent()).toBe('Gemeente Den Haag');
    expect(await page.title()).toBe('Kies een moment voor ons telefoongesprek - Gemeente Den Haag');
    expect(await page.locator('footer').textContent()).toBe(
      'Wilt u met ons praten of heeft u een vraag? Bel de gemeente Den Haag op 14 070. U kunt ook een e-mail sturen naar vroegsignalering@denhaag.example.',
    );
    expect(await page.locator('footer a[href="tel:14070"]').textContent()).toBe('14 070');
    expect(await page.locator('input[type=radio][checked]').count()).toBe(0);
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
    await Promise.all([
      page.waitForLoadState('domcontentloaded'),
      page.getByRole('button', { name: 'Dit moment kiezen' }).click(),
    ]);
    await page.waitForSelector('#confirmation');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bedankt! Wij bellen u');
    expect(await page.locator('#confirmation').textContent()).toMatch(/^Wij bellen u op .+ om \d\d:\d\d uur\.$/);

    const state = await stack.client.workflow.getHandle(caseId).query(caseState);
    expect(state.chosenMoment).toBe(moment);
    const audit = await stack.pool.query(
      `SELECT role, key_id, outcome FROM audit_log WHERE case_id = $1 AND action = 'event.contact_moment_chosen'`,
      [caseId],
    );
    expect(audit.rows).toEqual([{ role: 'resident', key_id: null, outcome: 'accepted' }]);

    // Opening the link again shows the choice, checked, and still allows another one.
    await page.goto(link);
    expect(await page.locator('main').textContent()).toContain('U koos eerder');
    expect(await page.locator('input[type=radio][checked]').count()).toBe(1);
    expect(await page.locator('input[type=radio]:checked').getAttribute('value')).toBe(moment);
    expect(await page.locator(`input[value="${moment}"]`).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bereik-resident-page-chosen.png'), fullPage: true });
    await context.close();
  });

  it('switches language, right-to-left for Arabic and Farsi', async () => {
    const page = await browser.newPage();
    await page.goto(link);
    // The house colour's style sheet passes the page's CSP (it is allowed by its hash).
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('button')).backgroundColor`)).toBe(
      'rgb(31, 90, 150)',
    );
    await page.getByRole('link', { name: 'العربية' }).click();
    await page.waitForURL(/lang=ar/);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getByRole('button').textContent()).toBe('اختر هذا الموعد');
    expect(await page.locator('header .sender').textContent()).toBe('بلدية Den Haag');
    for (const [lang, dir] of [
      ['fa', 'rtl'],
      ['tr', 'ltr'],
      ['en', 'ltr'],
    ] as const) {
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
    // A forged link may not borrow a municipality's name.
    expect(await page.content()).not.toContain('Den Haag');

    const expiredToken = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, {
      caseId,
      round: 1,
      purpose: 'choose_moment',
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const expired = await page.goto(`${baseUrl}/r/${expiredToken}`);
    expect(expired?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Deze link werkt niet meer');
    expect(await page.locator('form').count()).toBe(0);
    // Nobody can "reply to our message" to a letter, nor to an e-mail from a no-reply address: it says whom to call.
    expect(await page.locator('main').textContent()).not.toContain('Reageer');
    expect(await page.locator('#contact').textContent()).toBe(
      'Wilt u met ons praten of heeft u een vraag? Bel de gemeente Den Haag op 14 070. U kunt ook een e-mail sturen naar vroegsignalering@denhaag.example.',
    );
    expect(await page.locator('header .sender').textContent()).toBe('Gemeente Den Haag');

    const otherRound = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, {
      caseId,
      round: 2,
      purpose: 'choose_moment',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    expect((await page.goto(`${baseUrl}/r/${otherRound}`))?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kiezen kan niet meer');
    expect(await page.locator('#contact a[href="tel:14070"]').textContent()).toBe('14 070');
    await page.goto(`${baseUrl}/r/${otherRound}?lang=en`);
    expect(await page.locator('#contact').textContent()).toMatch(
      /^Would you like to talk with us, or do you have a question\? Call the Municipality of Den Haag on 14 070\./,
    );
    await page.close();
  });

  it('shows the logo and passes axe (WCAG 2.1 AA) in every language, on the form and on a closed link', async () => {
    const response = await request(stack.app).get(`/r/${link.split('/r/')[1]!}`);
    expect(response.headers['content-security-policy']).toContain(`img-src ${new URL(LOGO_URL).origin};`);
    expect(response.text).toContain(`<img src="${LOGO_URL}" alt="">`);

    const context = await browser.newContext({ bypassCSP: true });
    await serveLogo(context);
    const page = await context.newPage();
    const closed = `${baseUrl}/r/${signResidentToken(stack.config.RESIDENT_LINK_SECRET!, { caseId, round: 2, purpose: 'choose_moment', exp: Math.floor(Date.now() / 1000) + 600 })}`;
    for (const lang of ['nl', 'en', 'ar', 'tr', 'fa']) {
      await page.goto(`${link}?lang=${lang}`);
      expect(await page.evaluate<number>(`document.querySelector('header img').naturalWidth`)).toBe(96);
      expect([lang, await axeViolations(page)]).toEqual([lang, []]);
      if (lang === 'ar')
        await page.screenshot({ path: path.join(SCREENSHOTS, 'bereik-resident-page-ar.png'), fullPage: true });
    }
    // The notices share the layout; one left-to-right and one right-to-left language cover them.
    for (const lang of ['nl', 'fa']) {
      await page.goto(`${closed}?lang=${lang}`);
      expect([lang, 'closed', await axeViolations(page)]).toEqual([lang, 'closed', []]);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bereik-resident-page-closed-fa.png'), fullPage: true });
    await context.close();
  }, 300_000); // axe checks some 300 radio buttons per language: several seconds each on two busy cores

  it('a link of a municipality missing from the directory gets "try again later", never a made-up sender', async () => {
    const unknownCase = `case-0999-${caseId.slice('case-0518-'.length)}`;
    const token = signResidentToken(stack.config.RESIDENT_LINK_SECRET!, {
      caseId: unknownCase,
      round: 1,
      purpose: 'choose_moment',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await request(stack.app).get(`/r/${token}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Het lukt nu even niet.');
    expect(res.text).not.toMatch(/Gemeente|gemeente|undefined|0999/);
  });

  it('refuses a moment outside the offered slots', async () => {
    const token = link.split('/r/')[1]!;
    const res = await request(stack.app)
      .post(`/r/${token}`)
      .type('form')
      .send({ moment: '2020-01-01T03:00:00.000Z', lang: 'en' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This time is no longer available');
    const missing = await request(stack.app).post(`/r/${token}`).type('form').send({ lang: 'nl' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('U heeft nog geen moment gekozen');
  });

  it('ignores fields it does not know, however many, and answers an unreadable form with the page', async () => {
    const token = link.split('/r/')[1]!;
    // A dozen fields in 61 bytes (browser extensions and autofill add such fields) was refused as "413 Content Too Large".
    const dozen = 'lang=en&a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=0&k=1&l=2&m=345';
    expect(Buffer.byteLength(dozen)).toBe(61);
    const extra = await request(stack.app).post(`/r/${token}`).type('form').send(dozen);
    expect(extra.status).toBe(400);
    expect(extra.headers['content-type']).toMatch(/^text\/html/);
    expect(extra.text).toContain('You have not chosen a time yet');

    const offered = [
      ...(await request(stack.app).get(`/r/${token}`)).text.matchAll(/name="moment" id="[^"]+" value="([^"]+)"/g),
    ].map((m) => m[1]!);
    const moment = offered.at(-1)!;
    const chosen = await request(stack.app)
      .post(`/r/${token}`)
      .type('form')
      .send(`${dozen}&moment=${encodeURIComponent(moment)}`);
    expect(chosen.status).toBe(200);
    expect(chosen.text).toContain('Thank you! We will call you');
    expect((await stack.client.workflow.getHandle(caseId).query(caseState)).chosenMoment).toBe(moment);

    // Larger than any form of this page: still a page, in the resident's language, saying what to do.
    const huge = await request(stack.app)
      .post(`/r/${token}?lang=en`)
      .type('form')
      .send(`moment=${'x'.repeat(5000)}`);
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^text\/html/);
    expect(huge.text).toContain('We could not read your choice. Choose a time and try again.');
    expect(huge.text).toContain(`value="${moment}" required checked`);
  });
});
