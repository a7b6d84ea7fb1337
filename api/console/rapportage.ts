// The reach funnel in the staff console (issue 12): a GET form, two charts rendered to SVG on the server, the figures
// as accessible tables, and the same CSV as GET /v1/reports/funnel.

import { z } from 'zod';
import { svgOf, type ChartSpec } from '../../common/charts';
import { EINDRESULTATEN } from '../../domain/ddas';
import {
  amsterdamDate,
  FUNNEL_SPLITS,
  RESIDENT_MADE_CONTACT,
  type DurationSummary,
  type FunnelFigures,
  type FunnelReport,
  type FunnelSplit,
} from '../../domain/funnel';
import { MAX_PERIOD_DAYS } from '../routes/funnel';
import { html, Html, segmentLabel } from './html';

export interface RapportageQuery {
  from: string;
  to: string;
  by: FunnelSplit | null;
}

/** What the form shows: the values as typed, and a Dutch message per field that is wrong. */
export interface RapportageForm {
  values: { from: string; to: string; by: string };
  errors: Partial<Record<'from' | 'to' | 'by', string>>;
}

export const SPLIT_LABELS: Record<FunnelSplit, string> = {
  channel: 'Manier van eerste contact',
  segment: 'Segment',
  partner: 'Soort signaalpartner',
  dagdeel: 'Dagdeel van eerste contact',
  month: 'Maand van het eerste signaal',
};

/** The funnel's stages, in order, with the words staff use. */
export const STAGES: [
  keyof Pick<FunnelFigures, 'signals' | 'cases' | 'firstAttemptInTime' | 'reached' | 'helpAccepted'>,
  string,
][] = [
  ['signals', 'Signalen'],
  ['cases', 'Zaken'],
  ['firstAttemptInTime', 'Op tijd benaderd'],
  ['reached', 'Bereikt'],
  ['helpAccepted', 'Hulp aanvaard'],
];

const isoDate = z.iso.date();

/** Default period: the current calendar month and the two before it, up to today (Europe/Amsterdam). */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = amsterdamDate(now.toISOString());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 - 2, 1));
  return { from: first.toISOString().slice(0, 10), to: today };
}

const one = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Reads the page's query string; a missing date takes the default, a wrong one gets a message next to its field. */
export function parseRapportageQuery(
  query: Record<string, unknown>,
  now: Date,
): { ok: true; query: RapportageQuery; form: RapportageForm } | { ok: false; form: RapportageForm } {
  const defaults = defaultPeriod(now);
  const values = {
    from: one(query.from) || defaults.from,
    to: one(query.to) || defaults.to,
    by: one(query.by),
  };
  const errors: RapportageForm['errors'] = {};
  const fromOk = isoDate.safeParse(values.from).success;
  const toOk = isoDate.safeParse(values.to).success;
  if (!fromOk) errors.from = 'Vul een echte datum in, zoals 2026-09-01.';
  if (!toOk) errors.to = 'Vul een echte datum in, zoals 2026-11-30.';
  if (fromOk && toOk) {
    if (values.from > values.to) errors.to = 'De einddatum ligt vóór de begindatum. Kies een latere einddatum.';
    else if ((Date.parse(values.to) - Date.parse(values.from)) / 86_400_000 > MAX_PERIOD_DAYS)
      errors.to = `De periode is te lang. Kies hoogstens ${MAX_PERIOD_DAYS} dagen (3 jaar).`;
  }
  if (values.by !== '' && !(FUNNEL_SPLITS as readonly string[]).includes(values.by))
    errors.by = 'Kies een indeling uit de lijst.';
  const form = { values, errors };
  if (Object.keys(errors).length > 0) return { ok: false, form };
  return {
    ok: true,
    form,
    query: { from: values.from, to: values.to, by: values.by === '' ? null : (values.by as FunnelSplit) },
  };
}

/** The query string of this period and split, for the CSV link and the page itself. */
export function rapportageSearch(query: RapportageQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.by) params.set('by', query.by);
  return params.toString();
}

const NUMBER = new Intl.NumberFormat('nl-NL');
const PERCENT = new Intl.NumberFormat('nl-NL', { style: 'percent', maximumFractionDigits: 0 });
const DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateInDutch = (date: string) => DATE.format(new Date(`${date}T12:00:00Z`));

/** A duration in minutes as staff read it: "45 min", "3 uur 5 min", "2 dagen 4 uur". */
export function durationInDutch(minutes: number | null): string {
  if (minutes === null) return '–';
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} ${days === 1 ? 'dag' : 'dagen'}${hours ? ` ${hours} uur` : ''}`;
  return `${hours} uur${rest ? ` ${rest} min` : ''}`;
}

/** The name of a group of the split, in Dutch. */
export function groupLabel(by: FunnelSplit, key: string | null): string {
  if (key === null) {
    if (by === 'channel' || by === 'dagdeel') return 'Niet bereikt';
    return 'Onbekend';
  }
  if (by === 'channel' && key === RESIDENT_MADE_CONTACT) return 'Inwoner nam zelf contact op';
  if (by === 'segment') return segmentLabel(key);
  if (by === 'month') {
    const [y, m] = key.split('-').map(Number) as [number, number];
    return new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, 15)),
    );
  }
  return key;
}

const share = (part: number, whole: number) => (whole === 0 ? '–' : PERCENT.format(part / whole));

/** The SVG charts of a report; rendered apart from the page so a page without data still gets its frame. */
export async function rapportageCharts(report: FunnelReport): Promise<{ funnel: string; results: string | null }> {
  const base: ChartSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    config: { aria: false, axis: { labelFontSize: 13, titleFontSize: 13 }, view: { stroke: null } },
  };
  const funnelSpec: ChartSpec = {
    ...base,
    height: { step: 36 },
    data: { values: STAGES.map(([key, label]) => ({ stage: label, count: report.total[key] })) },
    layer: [
      { mark: { type: 'bar', color: '#1f5f99' } },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 13, color: '#1a1a1a' },
        encoding: { text: { field: 'count' } },
      },
    ],
    encoding: {
      y: { field: 'stage', type: 'nominal', sort: STAGES.map(([, label]) => label), title: null },
      x: { field: 'count', type: 'quantitative', title: 'Aantal', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  const results = [...EINDRESULTATEN, 'open' as const]
    .map((r) => ({ result: r === 'open' ? 'Nog open' : r, count: report.total.results[r] }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count);
  const resultsSpec: ChartSpec = {
    ...base,
    height: { step: 28 },
    data: { values: results },
    layer: [
      { mark: { type: 'bar', color: '#6b3d8f' } },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 13, color: '#1a1a1a' },
        encoding: { text: { field: 'count' } },
      },
    ],
    encoding: {
      y: {
        field: 'result',
        type: 'nominal',
        sort: results.map((r) => r.result),
        title: null,
        axis: { labelLimit: 0 },
      },
      x: { field: 'count', type: 'quantitative', title: 'Zaken', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
  const [funnel, resultsSvg] = await Promise.all([
    svgOf(funnelSpec),
    results.length > 0 ? svgOf(resultsSpec) : Promise.resolve(null),
  ]);
  return { funnel: cleanSvg(funnel), results: resultsSvg === null ? null : cleanSvg(resultsSvg) };
}

/**
 * The console's CSP has no 'unsafe-inline' for styles: vega writes presentation attributes, never style="", but any
 * that appeared would be blocked, so they are removed. The chart's text alternative is on its wrapper.
 */
export function cleanSvg(svg: string): string {
  return svg
    .replace(/\sstyle="[^"]*"/g, '')
    .replace(/<svg /, '<svg focusable="false" aria-hidden="true" class="bereik-chart__svg" ');
}

export function rapportagePage(options: {
  form: RapportageForm;
  report?: FunnelReport;
  charts?: { funnel: string; results: string | null };
}): Html {
  const { form, report, charts } = options;
  return html`${filterForm(form)}${report && charts ? reportBody(report, charts) : ''}`;
}

function filterForm(form: RapportageForm): Html {
  const { values, errors } = form;
  const hasErrors = Object.keys(errors).length > 0;
  const errorOf = (name: 'from' | 'to' | 'by') =>
    errors[name] ? html`<p class="utrecht-form-field-error-message" id="${name}-fout">${errors[name]}</p>` : '';
  const invalid = (name: 'from' | 'to' | 'by') =>
    errors[name] ? new Html(` aria-invalid="true" aria-describedby="${name}-fout"`) : '';
  const fieldClass = (name: 'from' | 'to' | 'by') =>
    `utrecht-form-field${errors[name] ? ' utrecht-form-field--invalid' : ''}`;
  const dateField = (name: 'from' | 'to', label: string) =>
    html`<div class="${fieldClass(name)}">
      <p class="utrecht-form-label"><label for="${name}">${label}</label></p>
      ${errorOf(name)}
      <input
        class="utrecht-textbox utrecht-textbox--html-input"
        id="${name}"
        name="${name}"
        type="date"
        value="${values[name]}"
        ${invalid(name)}
      />
    </div>`;
  return html`${
      hasErrors
        ? html`<div class="utrecht-alert utrecht-alert--error" role="alert">
            <p class="utrecht-paragraph">Controleer de periode: niet alles klopt. Zie de melding bij het veld.</p>
          </div>`
        : ''
    }
    <form method="get" action="/console/rapportage" class="bereik-report-form" aria-label="Periode en indeling">
      ${dateField('from', 'Vanaf (eerste dag)')} ${dateField('to', 'Tot en met (laatste dag)')}
      <div class="${fieldClass('by')}">
        <p class="utrecht-form-label"><label for="by">Indeling van de tabel</label></p>
        ${errorOf('by')}
        <select class="utrecht-select utrecht-select--html-select" id="by" name="by" ${invalid('by')}>
          <option value="" ${values.by === '' ? new Html(' selected') : ''}>Geen indeling (alleen totaal)</option>
          ${FUNNEL_SPLITS.map(
            (s) =>
              html`<option value="${s}" ${values.by === s ? new Html(' selected') : ''}>${SPLIT_LABELS[s]}</option>`,
          )}
        </select>
      </div>
      <p class="utrecht-button-group">
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Toon rapport</button>
      </p>
    </form>`;
}

function funnelSummary(f: FunnelFigures): string {
  return STAGES.map(([key, label]) => `${label}: ${NUMBER.format(f[key])}`).join(', ');
}

function reportBody(report: FunnelReport, charts: { funnel: string; results: string | null }): Html {
  const t = report.total;
  const search = rapportageSearch(report);
  const results = [...EINDRESULTATEN, 'open' as const].filter((r) => t.results[r] > 0);
  const resultsSummary = results.map((r) => `${r === 'open' ? 'Nog open' : r}: ${t.results[r]}`).join(', ');
  return html`<p class="utrecht-paragraph" id="periode">
      Zaken met een eerste signaal van ${dateInDutch(report.from)} tot en met ${dateInDutch(report.to)}. Terugval is
      gemeten tot ${dateInDutch(report.asOf)}. De cijfers zijn anoniem: er staan geen inwoners in.
    </p>
    <p class="utrecht-paragraph">
      <a class="utrecht-link" href="/console/rapportage.csv?${search}" download>Download als CSV</a>
      (alle cijfers, één regel per groep)
    </p>

    <section class="bereik-report-section" aria-labelledby="trechter">
      <h2 class="utrecht-heading-2" id="trechter">Van signaal tot hulp</h2>
      <figure class="bereik-chart">
        <div
          class="bereik-chart__image"
          role="img"
          aria-label="Staafdiagram van signaal tot hulp. ${funnelSummary(t)}."
        >
          ${new Html(charts.funnel)}
        </div>
        <figcaption class="utrecht-paragraph">${funnelSummary(t)}.</figcaption>
      </figure>
    </section>

    <section class="bereik-report-section" aria-labelledby="uitkomsten">
      <h2 class="utrecht-heading-2" id="uitkomsten">Uitkomst van de zaken</h2>
      ${
        charts.results
          ? html`<figure class="bereik-chart">
              <div
                class="bereik-chart__image"
                role="img"
                aria-label="Staafdiagram van de uitkomsten. ${resultsSummary}."
              >
                ${new Html(charts.results)}
              </div>
              <figcaption class="utrecht-paragraph">${resultsSummary}.</figcaption>
            </figure>`
          : html`<p class="utrecht-paragraph">Er zijn geen zaken in deze periode.</p>`
      }
    </section>

    <section class="bereik-report-section" aria-labelledby="per-groep">
      <h2 class="utrecht-heading-2" id="per-groep">
        Cijfers${report.by ? ` per ${SPLIT_LABELS[report.by].toLowerCase()}` : ''}
      </h2>
      ${groupTable(report)}
    </section>

    <section class="bereik-report-section" aria-labelledby="tijden">
      <h2 class="utrecht-heading-2" id="tijden">Hoe snel</h2>
      <p class="utrecht-paragraph">
        Tijd vanaf het eerste signaal. De helft van de zaken was sneller dan de mediaan; 9 op de 10 zaken waren sneller
        dan de 90e percentiel.
      </p>
      ${timesTable(t.timeToFirstAttempt, t.timeToFirstContact)}
    </section>

    <section class="bereik-report-section" aria-labelledby="termijnen">
      <h2 class="utrecht-heading-2" id="termijnen">Termijnen overschreden</h2>
      <table class="utrecht-table" id="termijnen-tabel">
        <caption class="utrecht-table__caption">
          Zaken met een overschreden termijn
        </caption>
        <tbody class="utrecht-table__body">
          ${[
            ['Zaken met een overschreden termijn', t.deadlineBreaches.cases],
            ['Eerste contactpoging te laat', t.deadlineBreaches.first_attempt_late],
            ['Geen contactpoging voor de uiterste datum', t.deadlineBreaches.no_attempt_by_deadline],
            ['Overdracht niet op tijd beantwoord', t.deadlineBreaches.handover_unanswered],
            ['Andere termijn', t.deadlineBreaches.other],
          ].map(
            ([label, n]) =>
              html`<tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">${label}</th>
                <td class="utrecht-table__cell utrecht-table__cell--numeric">${NUMBER.format(Number(n))}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>

    <section class="bereik-report-section" aria-labelledby="terugval">
      <h2 class="utrecht-heading-2" id="terugval">Terugval (recidive)</h2>
      <p class="utrecht-paragraph">
        Afgesloten zaken waarbij het huishouden binnen 6 of 12 maanden opnieuw een signaal kreeg. We tellen alleen zaken
        waarvan die maanden al voorbij zijn.
      </p>
      <table class="utrecht-table" id="terugval-tabel">
        <caption class="utrecht-table__caption">
          Terugval na afsluiten (${NUMBER.format(t.recidive.closed)} afgesloten zaken)
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="col">Binnen</th>
            <th class="utrecht-table__header-cell" scope="col">Zaken te volgen</th>
            <th class="utrecht-table__header-cell" scope="col">Opnieuw een signaal</th>
            <th class="utrecht-table__header-cell" scope="col">Deel</th>
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${[
            ['6 maanden', t.recidive.observable6Months, t.recidive.within6Months],
            ['12 maanden', t.recidive.observable12Months, t.recidive.within12Months],
          ].map(
            ([label, observable, within]) =>
              html`<tr class="utrecht-table__row">
                <th class="utrecht-table__header-cell" scope="row">${label}</th>
                <td class="utrecht-table__cell utrecht-table__cell--numeric">${NUMBER.format(Number(observable))}</td>
                <td class="utrecht-table__cell utrecht-table__cell--numeric">${NUMBER.format(Number(within))}</td>
                <td class="utrecht-table__cell utrecht-table__cell--numeric">
                  ${share(Number(within), Number(observable))}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
}

function groupTable(report: FunnelReport): Html {
  const rows: [string, FunnelFigures][] = [
    ['Totaal', report.total],
    ...report.groups.map((g): [string, FunnelFigures] => [groupLabel(report.by!, g.key), g]),
  ];
  const columns: [string, (f: FunnelFigures) => string][] = [
    ...STAGES.map(([key, label]): [string, (f: FunnelFigures) => string] => [label, (f) => NUMBER.format(f[key])]),
    ['Deel bereikt', (f) => share(f.reached, f.cases)],
    ['Termijn overschreden', (f) => NUMBER.format(f.deadlineBreaches.cases)],
    ['Eerste poging, mediaan', (f) => durationInDutch(f.timeToFirstAttempt.medianMinutes)],
    ['Eerste contact, mediaan', (f) => durationInDutch(f.timeToFirstContact.medianMinutes)],
  ];
  return html`<div class="bereik-table-scroll">
    <table class="utrecht-table" id="groep-tabel">
      <caption class="utrecht-table__caption">
        ${report.by ? `Cijfers per ${SPLIT_LABELS[report.by].toLowerCase()}, met het totaal` : 'Cijfers van de hele periode'}
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">${report.by ? SPLIT_LABELS[report.by] : 'Groep'}</th>
          ${columns.map(([label]) => html`<th class="utrecht-table__header-cell" scope="col">${label}</th>`)}
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows.map(
          ([label, f]) =>
            html`<tr class="utrecht-table__row">
              <th class="utrecht-table__header-cell" scope="row">${label}</th>
              ${columns.map(
                ([, value]) => html`<td class="utrecht-table__cell utrecht-table__cell--numeric">${value(f)}</td>`,
              )}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function timesTable(attempt: DurationSummary, contact: DurationSummary): Html {
  return html`<table class="utrecht-table" id="tijden-tabel">
    <caption class="utrecht-table__caption">
      Tijd tot de eerste contactpoging en het eerste contact
    </caption>
    <thead class="utrecht-table__header">
      <tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">Tijd tot</th>
        <th class="utrecht-table__header-cell" scope="col">Zaken</th>
        <th class="utrecht-table__header-cell" scope="col">Mediaan</th>
        <th class="utrecht-table__header-cell" scope="col">90e percentiel</th>
      </tr>
    </thead>
    <tbody class="utrecht-table__body">
      ${(
        [
          ['Eerste contactpoging', attempt],
          ['Eerste contact', contact],
        ] as const
      ).map(
        ([label, d]) =>
          html`<tr class="utrecht-table__row">
            <th class="utrecht-table__header-cell" scope="row">${label}</th>
            <td class="utrecht-table__cell utrecht-table__cell--numeric">${NUMBER.format(d.count)}</td>
            <td class="utrecht-table__cell utrecht-table__cell--numeric">${durationInDutch(d.medianMinutes)}</td>
            <td class="utrecht-table__cell utrecht-table__cell--numeric">${durationInDutch(d.p90Minutes)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
