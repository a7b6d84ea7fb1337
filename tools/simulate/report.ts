import { svgOf, type ChartSpec } from '../../common/charts';
import type { SimulationOutput } from './simulate';

type Spec = ChartSpec;

const FUNNEL_STEPS = ['signals', 'cases', 'firstAttemptInTime', 'reached', 'helpAccepted'] as const;

function label(p: SimulationOutput['policies'][number], index: number): string {
  const changes = p.changes?.map((c) => `${c.path}=${JSON.stringify(c.value)}`).join(', ');
  return `${index + 1}. ${p.policy} v${p.version}${changes ? ` (${changes})` : ''}`;
}

/** The self-contained HTML report: funnel, speed, staff load per day and dagdeel, breaches and DDAS results. */
export async function writeReport(output: SimulationOutput): Promise<string> {
  const policies = output.policies.map((p, i) => ({ ...p, label: label(p, i) }));
  const color = {
    field: 'policy',
    type: 'nominal',
    title: 'policy',
    legend: { orient: 'bottom', columns: 1, labelLimit: 600 },
  };
  const funnel = policies.flatMap((p) =>
    FUNNEL_STEPS.map((step, order) => ({ policy: p.label, step, order, count: p.funnel[step] })),
  );
  const speed = policies.flatMap((p) => [
    { policy: p.label, measure: 'first attempt, median', hours: p.timeToFirstAttemptHours.median },
    { policy: p.label, measure: 'first attempt, p90', hours: p.timeToFirstAttemptHours.p90 },
    { policy: p.label, measure: 'first contact, median', hours: p.timeToReachedHours.median },
    { policy: p.label, measure: 'first contact, p90', hours: p.timeToReachedHours.p90 },
  ]);
  const daily = policies.flatMap((p) =>
    p.load.flatMap((d) =>
      (['calls', 'visits', 'handovers'] as const).map((kind) => ({
        policy: p.label,
        date: d.date,
        kind,
        count: d[kind],
      })),
    ),
  );
  const dagdelen = policies.flatMap((p) =>
    p.load.flatMap((d) =>
      (['Ochtend', 'Middag', 'Avond'] as const).flatMap((dagdeel) =>
        (['calls', 'visits', 'handovers'] as const).map((kind) => ({
          policy: p.label,
          dagdeel,
          kind,
          count: d.byDagdeel[dagdeel][kind],
        })),
      ),
    ),
  );
  const breaches = policies.flatMap((p) => [
    { policy: p.label, deadline: 'first attempt', count: p.breaches.firstAttempt },
    { policy: p.label, deadline: 'close', count: p.breaches.close },
    { policy: p.label, deadline: 'unfinished cases', count: p.unfinished },
  ]);
  const results = policies.flatMap((p) =>
    Object.entries(p.results)
      .filter(([, count]) => count > 0)
      .map(([result, count]) => ({ policy: p.label, result, count })),
  );
  const width = 640;
  const charts: [string, Spec][] = [
    [
      'Reach funnel per policy',
      {
        width,
        height: 260,
        data: { values: funnel },
        mark: 'bar',
        encoding: {
          x: { field: 'step', type: 'nominal', sort: [...FUNNEL_STEPS], title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'policy' },
          y: { field: 'count', type: 'quantitative', title: 'cases' },
          color,
        },
      },
    ],
    [
      'Time to first attempt and to first contact (hours after the signal arrived)',
      {
        width,
        height: 220,
        data: { values: speed },
        mark: 'bar',
        encoding: {
          y: { field: 'measure', type: 'nominal', title: null },
          yOffset: { field: 'policy' },
          x: { field: 'hours', type: 'quantitative', title: 'hours' },
          color,
        },
      },
    ],
    [
      'Staff load per day',
      {
        data: { values: daily },
        facet: { row: { field: 'policy', title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
        spec: {
          width,
          height: 140,
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'date', type: 'temporal', title: null },
            y: { field: 'count', type: 'quantitative', title: 'per day' },
            color: { field: 'kind', type: 'nominal', title: null },
          },
        },
      },
    ],
    [
      'Staff load per dagdeel (the whole run)',
      {
        data: { values: dagdelen },
        facet: { column: { field: 'kind', title: null } },
        spec: {
          width: 200,
          height: 200,
          mark: 'bar',
          encoding: {
            x: { field: 'dagdeel', type: 'nominal', sort: ['Ochtend', 'Middag', 'Avond'], title: null },
            xOffset: { field: 'policy' },
            y: { aggregate: 'sum', field: 'count', type: 'quantitative', title: 'total' },
            color,
          },
        },
        resolve: { scale: { y: 'independent' } },
      },
    ],
    [
      'Deadline breaches and unfinished cases',
      {
        width,
        height: 160,
        data: { values: breaches },
        mark: 'bar',
        encoding: {
          y: { field: 'deadline', type: 'nominal', title: null },
          yOffset: { field: 'policy' },
          x: { field: 'count', type: 'quantitative', title: 'cases' },
          color,
        },
      },
    ],
    [
      'DDAS results',
      {
        width,
        height: 60 * policies.length,
        data: { values: results },
        mark: 'bar',
        encoding: {
          y: { field: 'policy', type: 'nominal', title: null },
          x: { aggregate: 'sum', field: 'count', type: 'quantitative', stack: 'normalize', title: 'share of cases' },
          color: {
            field: 'result',
            type: 'nominal',
            title: null,
            legend: { orient: 'bottom', columns: 2, labelLimit: 400 },
          },
        },
      },
    ],
  ];
  const figures = [];
  for (const [title, spec] of charts) figures.push(`<section><h2>${escape(title)}</h2>${await svgOf(spec)}</section>`);
  const rows = policies
    .map(
      (p) =>
        `<tr><td>${escape(p.label)}</td>${FUNNEL_STEPS.map((s) => `<td>${p.funnel[s]}</td>`).join('')}<td>${p.unfinished}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bereik simulation, seed ${escape(String(output.seed))}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}section{margin:2em 0}</style>
</head><body>
<h1>bereik policy simulation</h1>
<p>${output.signals} signals from ${escape(output.period.from)} to ${escape(output.period.to)}, seed ${escape(String(output.seed))}.
Every policy saw the same signals and the same resident draws.</p>
<table><tr><th>policy</th>${FUNNEL_STEPS.map((s) => `<th>${s}</th>`).join('')}<th>unfinished</th></tr>${rows}</table>
${figures.join('\n')}
</body></html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
