import type { Express } from 'express';
import { z } from 'zod';
import { funnelReport } from '../../db/funnel';
import { EINDRESULTATEN } from '../../domain/ddas';
import { BREACH_KINDS, FUNNEL_SPLITS, type FunnelFigures, type FunnelReport } from '../../domain/funnel';
import { principalOf } from '../auth';
import { formatCsv } from '../csv';
import { fieldErrors, problems } from '../problem';
import type { AppContext } from '../context';

export const MAX_PERIOD_DAYS = 1096;
const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

export const funnelQuerySchema = z
  .strictObject({
    from: isoDate.describe('First Europe/Amsterdam date of the period (a round counts by its first signal).'),
    to: isoDate.describe('Last date of the period, inclusive.'),
    by: z.enum(FUNNEL_SPLITS, { error: `must be one of ${FUNNEL_SPLITS.join(', ')}` }).optional(),
  })
  .superRefine((q, ctx) => {
    // Only a period of two real dates can be too long or backwards; a bad date has its own error already.
    if (!isoDate.safeParse(q.from).success || !isoDate.safeParse(q.to).success) return;
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > MAX_PERIOD_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_PERIOD_DAYS} days after from` });
    }
  });

/** The reach funnel from the anonymous statistics: JSON, or one CSV line per group (and the total) when asked. */
export function registerFunnelRoutes(app: Express, ctx: AppContext): void {
  app.get('/v1/reports/funnel', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const parsed = funnelQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      throw problems.validation(
        `Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD, optionally by=${FUNNEL_SPLITS.join('|')}.`,
        fieldErrors(parsed.error, ['query']),
      );
    }
    const { from, to, by } = parsed.data;
    const report = await funnelReport(ctx.deps.pool, { municipality: principal.municipality, from, to, by });
    res.setHeader('Cache-Control', 'no-store');
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res.setHeader('Content-Disposition', `attachment; filename="funnel-${principal.municipality}-${from}-${to}.csv"`);
      res.type('text/csv; charset=utf-8').send(funnelCsv(report));
      return;
    }
    res.json(report);
  });
}

const FIGURE_COLUMNS: [string, (f: FunnelFigures) => number | null][] = [
  ['signals', (f) => f.signals],
  ['cases', (f) => f.cases],
  ['first_attempt_in_time', (f) => f.firstAttemptInTime],
  ['reached', (f) => f.reached],
  ['help_accepted', (f) => f.helpAccepted],
  ...[...EINDRESULTATEN, 'open' as const].map((r): [string, (f: FunnelFigures) => number] => [
    `result: ${r}`,
    (f) => f.results[r],
  ]),
  ['first_attempt_median_minutes', (f) => f.timeToFirstAttempt.medianMinutes],
  ['first_attempt_p90_minutes', (f) => f.timeToFirstAttempt.p90Minutes],
  ['first_contact_median_minutes', (f) => f.timeToFirstContact.medianMinutes],
  ['first_contact_p90_minutes', (f) => f.timeToFirstContact.p90Minutes],
  ['breach_cases', (f) => f.deadlineBreaches.cases],
  ...BREACH_KINDS.map((k): [string, (f: FunnelFigures) => number] => [`breach: ${k}`, (f) => f.deadlineBreaches[k]]),
  ['closed', (f) => f.recidive.closed],
  ['recidive_6m_observable', (f) => f.recidive.observable6Months],
  ['recidive_6m', (f) => f.recidive.within6Months],
  ['recidive_12m_observable', (f) => f.recidive.observable12Months],
  ['recidive_12m', (f) => f.recidive.within12Months],
];

/** One line for the whole period (group `total`), then one per group of the split (`none`: no channel, segment...). */
export function funnelCsv(report: FunnelReport): string {
  const header = ['group', ...FIGURE_COLUMNS.map(([name]) => name)];
  const line = (key: string, figures: FunnelFigures) => [key, ...FIGURE_COLUMNS.map(([, value]) => value(figures))];
  return formatCsv([header, line('total', report.total), ...report.groups.map((g) => line(g.key ?? 'none', g))]);
}

const count = { type: 'integer', minimum: 0 };
const minutes = { type: ['integer', 'null'], minimum: 0 };
const duration = {
  type: 'object',
  required: ['count', 'medianMinutes', 'p90Minutes'],
  properties: { count, medianMinutes: minutes, p90Minutes: minutes },
};
const share = { type: ['number', 'null'], minimum: 0, maximum: 1 };
const figures = {
  type: 'object',
  required: ['signals', 'cases', 'firstAttemptInTime', 'reached', 'helpAccepted', 'results'],
  properties: {
    signals: count,
    cases: { ...count, description: 'Case rounds (vroegsignaalzaken) whose first signal falls in the period.' },
    firstAttemptInTime: count,
    reached: count,
    helpAccepted: count,
    results: {
      type: 'object',
      description: 'Rounds per DDAS result (every result, zeros included); `open`: no result yet.',
      properties: Object.fromEntries([...EINDRESULTATEN, 'open'].map((r) => [r, count])),
    },
    timeToFirstAttempt: duration,
    timeToFirstContact: duration,
    deadlineBreaches: {
      type: 'object',
      properties: Object.fromEntries(['cases', ...BREACH_KINDS].map((k) => [k, count])),
    },
    recidive: {
      type: 'object',
      description:
        'Closed rounds whose household had a new signal within 6 and 12 months; shares are of the rounds whose ' +
        'window has passed (`observable...`).',
      properties: {
        closed: count,
        observable6Months: count,
        within6Months: count,
        share6Months: share,
        observable12Months: count,
        within12Months: count,
        share12Months: share,
      },
    },
  },
};

/** The answer of GET /v1/reports/funnel, for the OpenAPI document. */
export const FUNNEL_REPORT_JSON_SCHEMA = {
  type: 'object',
  required: ['municipality', 'from', 'to', 'by', 'asOf', 'total', 'groups'],
  properties: {
    municipality: { type: 'string' },
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    by: { type: ['string', 'null'], enum: [...FUNNEL_SPLITS, null] },
    asOf: { type: 'string', format: 'date' },
    total: figures,
    groups: {
      type: 'array',
      items: { allOf: [figures, { type: 'object', properties: { key: { type: ['string', 'null'] } } }] },
    },
  },
};
