import { escapeHtml } from '../resident/page';

/** HTML that is already safe: built from escaped parts. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof Html) return part.value;
  return escapeHtml(String(part));
}

/** Tagged template: every interpolation is escaped unless it is Html already. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += render(part) + strings[i + 1]!));
  return new Html(out);
}

export interface Viewer {
  municipalityName: string;
  teams: string[];
  role: 'staff' | 'admin';
  csrfToken: string;
}

/**
 * The page frame: NL Design System (Utrecht) components and design tokens, no inline style or script. htmx is a
 * progressive enhancement: without JavaScript every page works as it is.
 */
export function layout(options: { title: string; viewer: Viewer | null; body: Html; current?: string }): string {
  const { viewer } = options;
  const nav = viewer
    ? html`<nav aria-label="Hoofdmenu" class="utrecht-nav-bar">
          <ul class="utrecht-nav-list">
            ${navItem('/console/', 'Werkvoorraad', options.current)}
            ${navItem('/console/zoeken', 'Zoeken', options.current)}
            ${navItem('/console/rapportage', 'Rapportage', options.current)}
            ${viewer.role === 'admin' ? navItem('/console/overschrijdingen', 'Termijnen overschreden', options.current) : ''}
          </ul>
        </nav>
        <form method="post" action="/console/afmelden" class="bereik-signout">
          <input type="hidden" name="_csrf" value="${viewer.csrfToken}" />
          <p class="utrecht-paragraph">
            Gemeente ${viewer.municipalityName}, team ${viewer.teams.map(teamLabel).join(', ')}
            <button type="submit" class="utrecht-button utrecht-button--subtle">Afmelden</button>
          </p>
        </form>`
    : '';
  return `<!doctype html>
<html lang="nl" class="utrecht-theme">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – bereik</title>
<link rel="stylesheet" href="/console/assets/tokens.css">
<link rel="stylesheet" href="/console/assets/components.css">
<link rel="stylesheet" href="/console/assets/console.css">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0}'>
<script src="/console/assets/htmx.min.js" defer></script>
</head>
<body class="utrecht-document utrecht-document--surface">
<a class="utrecht-link bereik-skip" href="#inhoud">Naar de inhoud</a>
<div class="utrecht-page-layout">
<header class="utrecht-page-header"><div class="utrecht-page-header__content">
<p class="utrecht-paragraph utrecht-paragraph--lead">bereik – vroegsignalering</p>
${nav}
</div></header>
<main id="inhoud" class="utrecht-page-body"><div class="utrecht-page-body__content">
<h1 class="utrecht-heading-1">${escapeHtml(options.title)}</h1>
${options.body}
</div></main>
<footer class="utrecht-page-footer"><p class="utrecht-paragraph utrecht-paragraph--small">Alleen voor medewerkers van de gemeente. Gegevens van inwoners blijven binnen uw team.</p></footer>
</div>
</body>
</html>`;
}

function navItem(href: string, label: string, current: string | undefined): Html {
  const isCurrent = current === href;
  return html`<li class="utrecht-nav-list__item">
    <a class="utrecht-link utrecht-nav-list__link" href="${href}" ${isCurrent ? new Html(' aria-current="page"') : ''}
      >${label}</a
    >
  </li>`;
}

const TEAM_LABELS: Record<string, string> = {
  callcentre: 'belteam',
  visits: 'huisbezoek',
  wijkteam: 'wijkteam',
  sdv: 'schuldhulp',
  budgetcoach: 'budgetcoach',
  meldpunt: 'meldpunt',
};
export const teamLabel = (team: string): string => TEAM_LABELS[team] ?? team;

const STATUS_LABELS: Record<string, string> = {
  matching: 'signalen verzamelen',
  checking: 'controle BRP en schuldhulp',
  inviting: 'uitnodiging verstuurd',
  calling: 'bellen',
  scheduled: 'afspraak gepland',
  visiting: 'huisbezoek',
  reached: 'bereikt, gesprek volgt',
  handed_over: 'overgedragen',
  dormant: 'afgesloten, adres wordt gevolgd',
  ended: 'beëindigd',
};
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status;

const SEGMENT_LABELS: Record<string, string> = { light: 'licht', standard: 'standaard', priority: 'voorrang' };
export const segmentLabel = (segment: string | null): string => (segment ? (SEGMENT_LABELS[segment] ?? segment) : '–');

const ACTION_LABELS: Record<string, string> = {
  match: 'signalen samenvoegen',
  check: 'controle in de registers',
  message: 'bericht sturen',
  call: 'bellen',
  chosen_moment_call: 'bellen op het gekozen moment',
  visit: 'huisbezoek',
  close: 'zaak afsluiten',
  dormant_end: 'einde van de volgperiode',
  wait: 'wachten',
};
export const actionLabel = (type: string): string => ACTION_LABELS[type] ?? type;

const BREACH_LABELS: Record<string, string> = {
  firstAttemptBy: 'eerste contactpoging te laat',
  closeBy: 'zaak niet op tijd afgesloten',
};
export const breachLabel = (breach: string): string => BREACH_LABELS[breach] ?? breach;

const DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
export function when(iso: string | null | undefined): Html {
  if (!iso) return html`–`;
  return html`<time datetime="${iso}">${DATE_TIME.format(new Date(iso))}</time>`;
}
