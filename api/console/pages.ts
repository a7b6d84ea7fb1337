import type { CaseView } from '../../domain/case';
import type { Client } from '../../domain/signal';
import type { BreachRow, CaseAuditRow, QueueItemRow } from '../../db/console';
import type { StoredWorkItem } from '../../db/work-items';
import { OUTCOMES_OF_KIND, type WorkItemPacket, type WorkOutcomeName } from '../../domain/work-items';
import { eventForm, EVENT_TITLES, STAFF_EVENT_TYPES, type FormState, type StaffEventType } from './forms';
import { actionLabel, html, Html, segmentLabel, statusLabel, teamLabel, when } from './html';

const DAGDEEL_OF_HOUR = (hour: number) => (hour < 12 ? 'ochtend' : hour < 18 ? 'middag' : 'avond');
const AMSTERDAM_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});
function localDayAndHour(instant: Date): { day: string; hour: number } {
  const parts = Object.fromEntries(AMSTERDAM_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** Breaches are the workflow's words; these are the staff's. */
export function breachInDutch(breach: string): Html {
  let m: RegExpExecArray | null;
  if ((m = /^first contact attempt after the deadline of (\S+)$/.exec(breach)))
    return html`Eerste contactpoging na de uiterste datum (${when(m[1])})`;
  if ((m = /^no contact attempt before the deadline of (\S+)$/.exec(breach)))
    return html`Geen contactpoging vóór de uiterste datum (${when(m[1])})`;
  if ((m = /^handover to (\w+) unanswered after (\d+) days \(due (\S+)\)$/.exec(breach)))
    return html`Overdracht aan ${teamLabel(m[1]!)} niet beantwoord binnen ${m[2]} dagen (${when(m[3])})`;
  return html`${breach}`;
}

const PRIORITY_REASONS: Record<string, string> = {
  'crisis signal': 'crisissignaal',
  'rent arrears': 'huurachterstand',
  'high arrears': 'hoge achterstand',
};

/** Why work came to a team: the workflow's words, in the staff's. */
export function reasonInDutch(reason: string | null): string {
  if (reason === null) return '–';
  let m: RegExpExecArray | null;
  if ((m = /^priority case: (.+)$/.exec(reason))) return `Voorrang: ${PRIORITY_REASONS[m[1]!] ?? m[1]}`;
  if ((m = /^home visit (\d+)$/.exec(reason))) return `Huisbezoek ${m[1]}`;
  const known: Record<string, string> = {
    'help accepted': 'De inwoner neemt hulp aan',
    'already known at schulddienstverlening': 'De inwoner is al bekend bij schuldhulpverlening',
    'already in a trajectory': 'De inwoner heeft al een ander traject',
    'arrears growing after help was declined': 'De achterstand groeit, en eerder wilde de inwoner geen hulp',
    'arrears growing and the resident was never reached': 'De achterstand groeit, en de inwoner is nooit bereikt',
    'new signal after an earlier round: warm reopen': 'Nieuw signaal na een eerdere ronde',
    'resident reached: record how the conversation went': 'De inwoner is bereikt: leg vast hoe het gesprek ging',
  };
  return known[reason] ?? reason;
}

export interface QueueGroup {
  title: string;
  rows: QueueItemRow[];
}

const DAGDEEL_NAMES: Record<string, string> = { Ochtend: 'ochtend', Middag: 'middag', Avond: 'avond' };

/** Overdue first (a breached deadline counts as overdue), then what is due today by dagdeel, then what comes later. */
export function groupQueue(rows: QueueItemRow[], now: Date): QueueGroup[] {
  const today = localDayAndHour(now).day;
  const overdue: QueueItemRow[] = [];
  const byDagdeel: Record<string, QueueItemRow[]> = { ochtend: [], middag: [], avond: [] };
  const later: QueueItemRow[] = [];
  for (const row of rows) {
    const due = new Date(row.dueAt);
    const local = localDayAndHour(due);
    if (row.breached || due < now) overdue.push(row);
    else if (local.day === today)
      byDagdeel[(row.dagdeel && DAGDEEL_NAMES[row.dagdeel]) ?? DAGDEEL_OF_HOUR(local.hour)]!.push(row);
    else later.push(row);
  }
  return [
    { title: 'Te laat', rows: overdue },
    { title: 'Vandaag in de ochtend', rows: byDagdeel.ochtend! },
    { title: 'Vandaag in de middag', rows: byDagdeel.middag! },
    { title: 'Vandaag in de avond', rows: byDagdeel.avond! },
    { title: 'Later', rows: later },
  ];
}

const KIND_LABELS: Record<string, string> = {
  visit: 'huisbezoek',
  handover: 'warme overdracht',
  conversation: 'gesprek vastleggen',
};
export const kindLabel = (kind: string, visit: number | null): string =>
  kind === 'visit' && visit ? `huisbezoek ${visit}` : (KIND_LABELS[kind] ?? kind);

export function queuePage(groups: QueueGroup[]): Html {
  // With JavaScript the queue refreshes itself every minute and when the window gets the focus back.
  return html`<div
    id="werkvoorraad"
    hx-get="/console/"
    hx-trigger="every 60s, focus from:window"
    hx-select="#werkvoorraad"
    hx-swap="outerHTML"
  >
    <p class="utrecht-paragraph">
      Het werk van uw team. Wat eerst moet, staat bovenaan. Een zaak met een overschreden termijn krijgt een markering.
    </p>
    ${groups.map(
      (group, index) =>
        html`<section aria-labelledby="groep-${index}">
          <h2 class="utrecht-heading-2 utrecht-heading-2--distanced" id="groep-${index}">
            ${group.title} (${group.rows.length})
          </h2>
          ${
            group.rows.length === 0
              ? html`<p class="utrecht-paragraph">Niets.</p>`
              : html`<table class="utrecht-table utrecht-table--distanced">
                  <thead class="utrecht-table__header">
                    <tr class="utrecht-table__row">
                      <th class="utrecht-table__header-cell" scope="col">Werk</th>
                      <th class="utrecht-table__header-cell" scope="col">Zaak</th>
                      <th class="utrecht-table__header-cell" scope="col">Team</th>
                      <th class="utrecht-table__header-cell" scope="col">Klaar uiterlijk</th>
                      <th class="utrecht-table__header-cell" scope="col">Stand</th>
                      <th class="utrecht-table__header-cell" scope="col">Termijn</th>
                    </tr>
                  </thead>
                  <tbody class="utrecht-table__body">
                    ${group.rows.map(
                      (row) =>
                        html`<tr class="utrecht-table__row">
                          <td class="utrecht-table__cell">
                            <a class="utrecht-link" href="/console/werk/${row.id}">${kindLabel(row.kind, row.visit)}</a>
                          </td>
                          <td class="utrecht-table__cell">
                            <a class="utrecht-link" href="/console/zaken/${row.case}">${row.caseRef}</a>
                          </td>
                          <td class="utrecht-table__cell">${teamLabel(row.team)}</td>
                          <td class="utrecht-table__cell">
                            ${when(row.dueAt)}${row.dagdeel ? html` (${row.dagdeel.toLowerCase()})` : ''}
                          </td>
                          <td class="utrecht-table__cell">${row.status === 'claimed' ? 'opgepakt' : 'open'}</td>
                          <td class="utrecht-table__cell">
                            ${
                              row.breached
                                ? html`<strong class="utrecht-badge-status utrecht-badge-status--danger"
                                    >Termijn overschreden</strong
                                  >`
                                : new Date(row.dueAt) < new Date()
                                  ? html`<strong class="utrecht-badge-status utrecht-badge-status--warning"
                                      >Te laat</strong
                                    >`
                                  : 'op tijd'
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>`,
    )}
  </div>`;
}

const OUTCOME_TITLES: Record<WorkOutcomeName | 'lapsed' | 'not_needed', string> = {
  not_at_home: 'Niet thuis, kaartje achtergelaten',
  at_home: 'Thuis, gesprek gevoerd',
  help_accepted: 'Hulp aangenomen',
  quick_fix: 'Snel opgelost',
  help_declined: 'Wil geen hulp',
  already_paid: 'Al betaald',
  taken_up: 'Opgepakt: wij helpen de inwoner verder',
  not_taken_up: 'Niet gelukt: wij konden de inwoner niet helpen',
  lapsed: 'te laat: de zaak ging verder zonder uitkomst',
  not_needed: 'niet meer nodig',
};

export function itemPage(options: {
  item: StoredWorkItem;
  packet: WorkItemPacket | null;
  csrfToken: string;
  mine: boolean;
  /** Whether the item's round is still open: a handover of a closed round is only answered, not worked. */
  roundOpen: boolean;
  error?: string;
  notice?: string;
}): Html {
  const { item, packet } = options;
  const client = packet?.client as Partial<Client> | undefined;
  const outcomes = OUTCOMES_OF_KIND[item.kind].filter(
    (o) => item.kind !== 'handover' || options.roundOpen || o === 'taken_up' || o === 'not_taken_up',
  );
  const facts: [string, Html | string][] = [
    ['Werk', kindLabel(item.kind, item.visit)],
    ['Team', teamLabel(item.team)],
    ['Zaak', html`<a class="utrecht-link" href="/console/zaken/${item.case}">${item.caseRef}</a>`],
    ['Gepland', when(item.plannedAt)],
    ['Klaar uiterlijk', html`${when(item.dueAt)}${item.dagdeel ? ` (${item.dagdeel.toLowerCase()})` : ''}`],
    [
      'Stand',
      item.status === 'done'
        ? `klaar: ${OUTCOME_TITLES[item.outcome as WorkOutcomeName] ?? 'zonder uitkomst'}`
        : item.status === 'claimed'
          ? options.mine
            ? 'opgepakt door u'
            : 'opgepakt door een collega'
          : 'open',
    ],
    ['Reden', reasonInDutch(item.reason)],
  ];
  return html` ${options.notice ? html`<div class="utrecht-alert utrecht-alert--ok" role="status"><p class="utrecht-paragraph">${options.notice}</p></div>` : ''}
    <dl class="utrecht-data-list utrecht-data-list--rows">
      ${facts.map(
        ([key, value]) =>
          html`<div class="utrecht-data-list__item">
            <dt class="utrecht-data-list__item-key">${key}</dt>
            <dd class="utrecht-data-list__item-value">${value}</dd>
          </div>`,
      )}
    </dl>
    <h2 class="utrecht-heading-2">Voor het team</h2>
    ${
      packet
        ? html`<dl class="utrecht-data-list utrecht-data-list--rows">
            ${[
              ['Naam', [client?.Voorletters, client?.Voorvoegsel, client?.Achternaam].filter(Boolean).join(' ') || '–'],
              [
                'Adres',
                [
                  client?.Straatnaam,
                  client?.Huisnummer,
                  client?.Huisnummertoevoeging,
                  client?.Postcode,
                  client?.Plaatsnaam,
                ]
                  .filter(Boolean)
                  .join(' ') || '–',
              ],
              ['Telefoon', client?.telefoon ?? '–'],
              ['E-mail', client?.email ?? '–'],
              ['Beste tijd om te bellen', packet.bestTimeToCall ?? '–'],
              ['Wat speelt er', packet.description ?? '–'],
              ['Wat te doen', packet.instructions ?? '–'],
              ['Kaartje', packet.card ?? '–'],
            ].map(
              ([key, value]) =>
                html`<div class="utrecht-data-list__item">
                  <dt class="utrecht-data-list__item-key">${key}</dt>
                  <dd class="utrecht-data-list__item-value">${value}</dd>
                </div>`,
            )}
          </dl>`
        : html`<p class="utrecht-paragraph">De gegevens van de inwoner ziet alleen het team dat dit werk doet.</p>`
    }
    ${
      item.status === 'done'
        ? ''
        : html`${
              item.status === 'open'
                ? html`<form method="post" action="/console/werk/${item.id}/oppakken">
                    <input type="hidden" name="_csrf" value="${options.csrfToken}" />
                    <p class="utrecht-button-group">
                      <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                        Ik pak dit op
                      </button>
                    </p>
                  </form>`
                : ''
            }
            <section aria-labelledby="uitkomst-titel">
              <h2 class="utrecht-heading-2" id="uitkomst-titel">Uitkomst vastleggen</h2>
              <form method="post" action="/console/werk/${item.id}/uitkomst" novalidate>
                <input type="hidden" name="_csrf" value="${options.csrfToken}" />
                <fieldset
                  class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${options.error ? ' utrecht-form-fieldset--invalid' : ''}"
                  ${options.error ? new Html(' aria-describedby="uitkomst-fout"') : ''}
                >
                  <legend class="utrecht-form-fieldset__legend">Wat is de uitkomst?</legend>
                  ${options.error ? html`<p class="utrecht-form-field-error-message" id="uitkomst-fout">${options.error}</p>` : ''}
                  ${outcomes.map(
                    (o) =>
                      html`<div class="utrecht-form-field utrecht-form-field--radio">
                        <input
                          class="utrecht-radio-button utrecht-radio-button--html-input"
                          type="radio"
                          id="uitkomst-${o}"
                          name="outcome"
                          value="${o}"
                        />
                        <label class="utrecht-form-label utrecht-form-label--radio" for="uitkomst-${o}"
                          >${OUTCOME_TITLES[o]}</label
                        >
                      </div>`,
                  )}
                </fieldset>
                ${
                  item.kind === 'visit'
                    ? ''
                    : html`<div class="utrecht-form-field">
                        <p class="utrecht-form-label">
                          <label for="uitkomst-description">Toelichting (niet verplicht)</label>
                        </p>
                        <textarea
                          class="utrecht-textarea utrecht-textarea--html-textarea"
                          id="uitkomst-description"
                          name="description"
                          rows="3"
                        ></textarea>
                      </div>`
                }
                <p class="utrecht-button-group">
                  <button type="submit" class="utrecht-button utrecht-button--primary-action">
                    Uitkomst vastleggen
                  </button>
                </p>
              </form>
            </section>`
    }`;
}

interface TimelineEntry {
  at: string;
  round: number;
  what: Html;
}

const SOORT_LABELS: Record<string, string> = {
  Mail: 'e-mail',
  Brief: 'brief',
  'SMS/Whatsapp': 'sms of WhatsApp',
  Telefoon: 'telefoongesprek',
  Huisbezoek: 'huisbezoek',
  Kaartje: 'kaartje in de bus',
  Overige: 'ander contact',
  Administratief: 'administratief',
};

export function timeline(view: CaseView, staffEvents: CaseAuditRow[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const rounds = [
    ...view.previousRounds.map((r) => ({
      round: r.round,
      signals: r.signals,
      attempts: r.attempts,
      handovers: r.handovers ?? [],
      closedAt: r.closedAt,
      result: r.result,
    })),
    {
      round: view.round,
      signals: view.signals,
      attempts: view.attempts,
      handovers: view.handovers,
      closedAt: view.closedAt,
      result: view.result,
    },
  ];
  for (const round of rounds) {
    for (const s of round.signals)
      entries.push({
        at: s.receivedAt,
        round: round.round,
        what: html`Signaal van ${s.partnerType} over € ${s.amount}`,
      });
    for (const a of round.attempts)
      entries.push({
        at: a.at,
        round: round.round,
        what: html`${SOORT_LABELS[a.soort] ?? a.soort}: ${a.bereikt ? 'inwoner bereikt' : 'niet bereikt'}`,
      });
    for (const h of round.handovers) {
      entries.push({
        at: h.at,
        round: round.round,
        what: html`Warme overdracht naar ${teamLabel(h.to)}: ${reasonInDutch(h.reason)}`,
      });
      if (h.answer)
        entries.push({
          at: h.answer.at,
          round: round.round,
          what: html`${teamLabel(h.to)}
          ${h.answer.outcome === 'taken_up' ? 'heeft de zaak opgepakt' : 'kon de inwoner niet helpen'}`,
        });
    }
    if (round.closedAt && round.result)
      entries.push({ at: round.closedAt, round: round.round, what: html`Ronde afgesloten: ${round.result}` });
  }
  for (const event of staffEvents) {
    const type = event.action.replace(/^event\./, '') as StaffEventType;
    if (!event.action.startsWith('event.') || event.outcome !== 'accepted') continue;
    const title = EVENT_TITLES[type] ?? type;
    entries.push({
      at: event.at,
      round: 0,
      what: html`Vastgelegd door
      ${event.role === 'resident' ? 'de inwoner' : event.role === 'twilio' ? 'het belsysteem' : 'een medewerker'}:
      ${title}`,
    });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

export function casePage(options: {
  view: CaseView;
  staffEvents: CaseAuditRow[];
  contacts: Client[] | null;
  csrfToken: string;
  isAdmin: boolean;
  state?: FormState;
  notice?: string;
}): Html {
  const { view } = options;
  const signalIds = view.signals.map((s) => s.ID);
  const facts: [string, Html | string][] = [
    ['Stand', statusLabel(view.status)],
    ['Soort', segmentLabel(view.segment)],
    ['Ronde', String(view.round)],
    [
      'Volgende stap',
      view.nextAction ? html`${actionLabel(view.nextAction.type)}, ${when(view.nextAction.at)}` : 'geen',
    ],
    ['Eerste contact uiterlijk', when(view.deadlines.firstAttemptBy)],
    ['Afsluiten uiterlijk', when(view.deadlines.closeBy)],
    ['Gekozen belmoment', when(view.chosenMoment)],
    ['DDAS-resultaat', view.result ?? 'nog niet bekend'],
  ];
  return html` ${options.notice ? html`<div class="utrecht-alert utrecht-alert--ok" role="status"><p class="utrecht-paragraph">${options.notice}</p></div>` : ''}
    ${
      view.deadlines.breaches.length > 0
        ? html`<div class="utrecht-alert utrecht-alert--warning">
            <p class="utrecht-paragraph"><strong>Termijn overschreden.</strong></p>
            <ul class="utrecht-unordered-list">
              ${view.deadlines.breaches.map((b) => html`<li>${breachInDutch(b)}</li>`)}
            </ul>
          </div>`
        : ''
    }
    <h2 class="utrecht-heading-2">Stand van zaken</h2>
    <dl class="utrecht-data-list utrecht-data-list--rows">
      ${facts.map(
        ([key, value]) =>
          html`<div class="utrecht-data-list__item">
            <dt class="utrecht-data-list__item-key">${key}</dt>
            <dd class="utrecht-data-list__item-value">${value}</dd>
          </div>`,
      )}
    </dl>
    ${options.isAdmin ? html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/console/zaken/${view.case}/audit">Auditspoor van deze zaak</a></p>` : ''}
    <h2 class="utrecht-heading-2">Contactgegevens</h2>
    ${
      options.contacts
        ? options.contacts.length === 0
          ? html`<p class="utrecht-paragraph">Geen contactgegevens bekend.</p>`
          : html`<ul class="utrecht-unordered-list">
              ${options.contacts.map(
                (c) =>
                  html`<li>
                    ${[c.Voorletters, c.Voorvoegsel, c.Achternaam].filter(Boolean).join(' ') || 'Naam onbekend'}${
                      c.telefoon
                        ? html`, telefoon
                            <a class="utrecht-link utrecht-link--telephone" href="tel:${c.telefoon}">${c.telefoon}</a>`
                        : ''
                    }${c.email ? html`, e-mail ${c.email}` : ''}
                  </li>`,
              )}
            </ul>`
        : html`<p class="utrecht-paragraph">Alleen zichtbaar voor het team dat aan deze zaak werkt.</p>`
    }
    <h2 class="utrecht-heading-2">Tijdlijn</h2>
    <ol class="utrecht-ordered-list bereik-timeline">
      ${timeline(view, options.staffEvents).map((e) => html`<li>${when(e.at)}: ${e.what}</li>`)}
    </ol>
    <h2 class="utrecht-heading-2">Vastleggen</h2>
    <p class="utrecht-paragraph">Kies wat er gebeurd is. De zaak controleert of het nu kan.</p>
    <ul class="utrecht-unordered-list">
      ${STAFF_EVENT_TYPES.map((t) => html`<li><a class="utrecht-link" href="#${t}">${EVENT_TITLES[t]}</a></li>`)}
    </ul>
    ${STAFF_EVENT_TYPES.map((type) =>
      eventForm({ caseId: view.case, type, csrfToken: options.csrfToken, signalIds, state: options.state }),
    )}`;
}

export function searchPage(options: { csrfToken: string; message?: string; values?: Record<string, string> }): Html {
  const v = options.values ?? {};
  return html` ${options.message ? html`<div class="utrecht-alert utrecht-alert--info" role="status"><p class="utrecht-paragraph">${options.message}</p></div>` : ''}
    <section aria-labelledby="zoek-ref">
      <h2 class="utrecht-heading-2" id="zoek-ref">Op zaaknummer</h2>
      <form method="post" action="/console/zoeken">
        <input type="hidden" name="_csrf" value="${options.csrfToken}" />
        <div class="utrecht-form-field">
          <p class="utrecht-form-label"><label for="ref">Zaaknummer</label></p>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            id="ref"
            name="ref"
            value="${v.ref ?? ''}"
            autocomplete="off"
          />
        </div>
        <p class="utrecht-button-group">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">Zoeken</button>
        </p>
      </form>
    </section>
    <section aria-labelledby="zoek-adres">
      <h2 class="utrecht-heading-2" id="zoek-adres">Op adres</h2>
      <p class="utrecht-paragraph">
        We zoeken met een versleutelde sleutel van het adres. Het adres zelf bewaren we niet.
      </p>
      <form method="post" action="/console/zoeken">
        <input type="hidden" name="_csrf" value="${options.csrfToken}" />
        <div class="utrecht-form-field">
          <p class="utrecht-form-label"><label for="postcode">Postcode</label></p>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            id="postcode"
            name="postcode"
            autocomplete="off"
            value="${v.postcode ?? ''}"
          />
        </div>
        <div class="utrecht-form-field">
          <p class="utrecht-form-label"><label for="huisnummer">Huisnummer</label></p>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            id="huisnummer"
            name="huisnummer"
            autocomplete="off"
            inputmode="numeric"
            value="${v.huisnummer ?? ''}"
          />
        </div>
        <div class="utrecht-form-field">
          <p class="utrecht-form-label"><label for="toevoeging">Toevoeging (niet verplicht)</label></p>
          <input
            class="utrecht-textbox utrecht-textbox--html-input"
            id="toevoeging"
            name="toevoeging"
            autocomplete="off"
            value="${v.toevoeging ?? ''}"
          />
        </div>
        <p class="utrecht-button-group">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">Zoeken</button>
        </p>
      </form>
    </section>`;
}

const OUTCOME_LABELS: Record<string, string> = {
  requested: 'gevraagd',
  accepted: 'aangenomen',
  rejected: 'geweigerd',
  failed: 'mislukt',
};

export function auditPage(view: CaseView, rows: CaseAuditRow[]): Html {
  return html`<p class="utrecht-paragraph">
      <a class="utrecht-link" href="/console/zaken/${view.case}">Terug naar zaak ${view.caseRef}</a>
    </p>
    <table class="utrecht-table">
      <caption class="utrecht-table__caption">
        Alles wat met deze zaak is gedaan, oudste eerst
      </caption>
      <thead class="utrecht-table__header">
        <tr class="utrecht-table__row">
          <th class="utrecht-table__header-cell" scope="col">Wanneer</th>
          <th class="utrecht-table__header-cell" scope="col">Wat</th>
          <th class="utrecht-table__header-cell" scope="col">Wie</th>
          <th class="utrecht-table__header-cell" scope="col">Uitkomst</th>
          <th class="utrecht-table__header-cell" scope="col">Reden</th>
        </tr>
      </thead>
      <tbody class="utrecht-table__body">
        ${rows.map(
          (r) =>
            html`<tr class="utrecht-table__row">
              <td class="utrecht-table__cell">${when(r.at)}</td>
              <td class="utrecht-table__cell">${r.action}</td>
              <td class="utrecht-table__cell">${r.role}${r.keyId ? html` (${r.keyId})` : ''}</td>
              <td class="utrecht-table__cell">${OUTCOME_LABELS[r.outcome] ?? r.outcome}</td>
              <td class="utrecht-table__cell">${typeof r.detail.reason === 'string' ? r.detail.reason : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function breachesPage(rows: BreachRow[]): Html {
  if (rows.length === 0) return html`<p class="utrecht-paragraph">Geen open zaken met een overschreden termijn.</p>`;
  return html`<table class="utrecht-table">
    <caption class="utrecht-table__caption">
      Open zaken met een overschreden termijn (${rows.length})
    </caption>
    <thead class="utrecht-table__header">
      <tr class="utrecht-table__row">
        <th class="utrecht-table__header-cell" scope="col">Zaak</th>
        <th class="utrecht-table__header-cell" scope="col">Stand</th>
        <th class="utrecht-table__header-cell" scope="col">Wat is te laat</th>
      </tr>
    </thead>
    <tbody class="utrecht-table__body">
      ${rows.map(
        (r) =>
          html`<tr class="utrecht-table__row">
            <td class="utrecht-table__cell">
              <a class="utrecht-link" href="/console/zaken/${r.case}">${r.caseRef}</a>
            </td>
            <td class="utrecht-table__cell">${statusLabel(r.status)}</td>
            <td class="utrecht-table__cell">${r.breaches.map((b) => html`${breachInDutch(b)}<br />`)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export const messagePage = (text: string, link?: { href: string; label: string }): Html =>
  html`<p class="utrecht-paragraph">${text}</p>
    ${
      link ? html`<p class="utrecht-paragraph"><a class="utrecht-link" href="${link.href}">${link.label}</a></p>` : ''
    }`;
