import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { defaultPeriod, STAGES } from '../../api/console/rapportage';
import { funnelCsv } from '../../api/routes/funnel';
import { funnelReport } from '../../db/funnel';
import { amsterdamDate, type FunnelFigures } from '../../domain/funnel';
import { axeViolations, signIn, startConsoleStack, type ConsoleStack } from './support';

const dayOffset = (days: number) => amsterdamDate(new Date(Date.now() + days * 86_400_000).toISOString());

/** Anonymous funnel rows as the read model writes them (db/funnel.ts), straight into funnel_stats. */
const ROWS = [
  // municipality, signal_date, segment, partners, attempt min, in time, contact min, channel, dagdeel, reached, help, result, breaches, closed
  [
    '0518',
    dayOffset(0),
    'standard',
    ['Energie', 'Water'],
    30,
    true,
    45,
    'Telefoon',
    'Ochtend',
    true,
    true,
    'Vervolghulp en/of verwijzing financieel',
    [],
    dayOffset(0),
  ],
  [
    '0518',
    dayOffset(-10),
    'priority',
    ['Huur'],
    600,
    false,
    null,
    null,
    null,
    false,
    false,
    null,
    ['first_attempt_late'],
    null,
  ],
  [
    '0518',
    dayOffset(-10),
    'light',
    ['Zorgverzekeraar'],
    120,
    true,
    120,
    'Huisbezoek',
    'Middag',
    true,
    false,
    '(Budget)advies en/of quick fix',
    [],
    dayOffset(-1),
  ],
  // Outside the default period: never counted.
  [
    '0518',
    '2025-01-06',
    'standard',
    ['Huur'],
    10,
    true,
    10,
    'Telefoon',
    'Ochtend',
    true,
    true,
    'Vervolghulp en/of verwijzing financieel',
    [],
    '2025-01-20',
  ],
] as const;

/** The cells of one row of the per-group table, by its row header. */
async function rowCells(page: Page, header: string): Promise<string[]> {
  const row = page
    .locator('#groep-tabel tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: header, exact: true }) });
  return (await row.locator('td').allTextContents()).map((t) => t.trim());
}

const stageCells = (f: FunnelFigures) => STAGES.map(([key]) => String(f[key]));

/**
 * The Rapportage page of the staff console in Chromium: the reach funnel of the session's municipality as charts
 * (vega-lite, SVG rendered on the server), tables and a CSV download, equal to db/funnel.ts's report.
 */
describe('console: rapportage', () => {
  let env: ConsoleStack;
  let context: BrowserContext;
  let page: Page;
  /** What Chromium reports as blocked by the console's Content-Security-Policy (an inline style, a script). */
  const cspErrors: string[] = [];

  beforeAll(async () => {
    env = await startConsoleStack('rapportage');
    for (const r of ROWS) {
      await env.stack.pool.query(
        `INSERT INTO funnel_stats (municipality, round, signal_date, segment, partner_types, first_attempt_minutes,
           first_attempt_in_time, first_contact_minutes, first_contact_channel, first_contact_dagdeel, reached,
           help_accepted, result, breaches, closed_date)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [...r],
      );
    }
    context = await env.browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await signIn(page, env.baseUrl, 'callcentre-0518');
  });

  afterAll(async () => {
    await context?.close();
    await env?.stop();
  });

  it('shows the funnel of the last three months as charts and tables, equal to the report', async () => {
    await page.getByRole('link', { name: 'Rapportage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rapportage' }).waitFor();
    const period = defaultPeriod(new Date());
    expect(await page.getByLabel('Vanaf (eerste dag)').inputValue()).toBe(period.from);
    expect(await page.getByLabel('Tot en met (laatste dag)').inputValue()).toBe(period.to);

    const report = await funnelReport(env.stack.pool, { municipality: '0518', ...period, by: null });
    expect(report.total.cases).toBe(3);
    const totals = await rowCells(page, 'Totaal');
    expect(totals.slice(0, STAGES.length)).toEqual(stageCells(report.total));
    expect(totals.slice(0, STAGES.length)).toEqual(['4', '3', '2', '2', '1']);

    // Two charts, each SVG inside the page with a text alternative on its wrapper, and no style attribute anywhere.
    const charts = page.locator('.bereik-chart__image[role="img"]');
    expect(await charts.count()).toBe(2);
    expect(await charts.locator('svg').count()).toBe(2);
    expect(await charts.first().getAttribute('aria-label')).toContain('Signalen: 4, Zaken: 3, Op tijd benaderd: 2');
    expect(await page.getByText('Vervolghulp en/of verwijzing financieel: 1').first().isVisible()).toBe(true);
    expect(await page.locator('[style]').count()).toBe(0);
    expect(cspErrors).toEqual([]);

    const times = page.locator('#tijden-tabel tbody tr');
    expect((await times.nth(0).locator('td').allTextContents()).map((t) => t.trim())).toEqual([
      String(report.total.timeToFirstAttempt.count),
      '2 uur',
      '10 uur',
    ]);
    expect(report.total.timeToFirstAttempt).toEqual({ count: 3, medianMinutes: 120, p90Minutes: 600 });
    const breaches = await page.locator('#termijnen-tabel td').allTextContents();
    expect(breaches.map(Number)).toEqual([
      report.total.deadlineBreaches.cases,
      report.total.deadlineBreaches.first_attempt_late,
      report.total.deadlineBreaches.no_attempt_by_deadline,
      report.total.deadlineBreaches.handover_unanswered,
      report.total.deadlineBreaches.other,
    ]);
    const recidive = await page.locator('#terugval-tabel tbody tr').first().locator('td').allTextContents();
    expect(recidive.slice(0, 2).map(Number)).toEqual([
      report.total.recidive.observable6Months,
      report.total.recidive.within6Months,
    ]);

    await page.screenshot({ path: '/tmp/rapportage.png', fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('splits the table by partner type through the form', async () => {
    await page.getByLabel('Indeling van de tabel').selectOption('partner');
    await page.getByRole('button', { name: 'Toon rapport' }).click();
    await page.waitForURL(/by=partner/);
    const report = await funnelReport(env.stack.pool, {
      municipality: '0518',
      ...defaultPeriod(new Date()),
      by: 'partner',
    });
    expect(await page.locator('#groep-tabel tbody tr').count()).toBe(report.groups.length + 1);
    for (const group of report.groups)
      expect((await rowCells(page, group.key!)).slice(0, 5)).toEqual(stageCells(group));
    expect(await axeViolations(page)).toEqual([]);
  });

  it('downloads the same CSV as the API', async () => {
    const period = defaultPeriod(new Date());
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download als CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`bereik-0518-${period.from}-${period.to}.csv`);
    const report = await funnelReport(env.stack.pool, { municipality: '0518', ...period, by: 'partner' });
    expect(readFileSync((await download.path())!, 'utf8')).toBe(funnelCsv(report));
  });

  it('gives the page back with a Dutch message next to a wrong date', async () => {
    const res = await page.goto(`${env.baseUrl}/console/rapportage?from=2026-02-31&to=2026-03-01`);
    expect(res?.status()).toBe(400);
    const error = page.locator('#from-fout');
    expect(await error.textContent()).toContain('Vul een echte datum in');
    expect(await page.getByLabel('Vanaf (eerste dag)').getAttribute('aria-describedby')).toBe('from-fout');
    expect(await page.locator('#groep-tabel').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${env.baseUrl}/console/rapportage?from=2026-03-01&to=2026-02-01&by=wijk`);
    expect(await page.locator('#to-fout').textContent()).toContain('De einddatum ligt vóór de begindatum');
    expect(await page.locator('#by-fout').textContent()).toContain('Kies een indeling uit de lijst');
    const csv = await page.request.get(`${env.baseUrl}/console/rapportage.csv?from=nope`);
    expect(csv.status()).toBe(400);
  });

  it("shows a member of staff of Amsterdam only Amsterdam's (zero) figures", async () => {
    const other = await env.browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, env.baseUrl, 'callcentre-0363');
    await otherPage.goto(`${env.baseUrl}/console/rapportage`);
    expect((await rowCells(otherPage, 'Totaal')).slice(0, STAGES.length)).toEqual(['0', '0', '0', '0', '0']);
    expect(await otherPage.getByText('Er zijn geen zaken in deze periode.').count()).toBe(1);
    const period = defaultPeriod(new Date());
    const csv = await otherPage.request.get(
      `${env.baseUrl}/console/rapportage.csv?from=${period.from}&to=${period.to}`,
    );
    expect(await csv.text()).toBe(
      funnelCsv(await funnelReport(env.stack.pool, { municipality: '0363', ...period, by: null })),
    );
    await other.close();
  });
});
