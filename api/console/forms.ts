import { DateTime } from 'luxon';
import { caseEventSchema, type CaseEvent, type CaseEventType } from '../../domain/events';
import { CASE_ENDED_REASON } from '../../workflows/case/client';
import { html, Html } from './html';

/** Event types staff record in the console: every staff event of the API (message_status is Twilio's). */
export const STAFF_EVENT_TYPES = [
  'contact_moment_chosen',
  'call_outcome',
  'visit_outcome',
  'resident_contact',
  'help_accepted',
  'quick_fix',
  'help_declined',
  'already_paid',
  'arrears_resolved',
  'objection',
] as const satisfies readonly CaseEventType[];
export type StaffEventType = (typeof STAFF_EVENT_TYPES)[number];

export const EVENT_TITLES: Record<StaffEventType, string> = {
  contact_moment_chosen: 'Belmoment vastleggen',
  call_outcome: 'Uitkomst van een gesprek',
  visit_outcome: 'Uitkomst van een huisbezoek',
  resident_contact: 'De inwoner nam zelf contact op',
  help_accepted: 'De inwoner neemt hulp aan',
  quick_fix: 'Snel opgelost',
  help_declined: 'De inwoner wil geen hulp',
  already_paid: 'De achterstand is al betaald',
  arrears_resolved: 'De achterstand is opgelost',
  objection: 'De inwoner maakt bezwaar tegen contact',
};

/** One field's errors, keyed by the form field's name. */
export type FieldErrors = Record<string, string>;

const OPTIONS = {
  callOutcome: [
    ['answered', 'Opgenomen'],
    ['no-answer', 'Niet opgenomen'],
    ['busy', 'In gesprek'],
    ['failed', 'Mislukt'],
  ],
  contactChannel: [
    ['phone', 'Telefoon'],
    ['sms', 'Sms'],
    ['whatsapp', 'WhatsApp'],
    ['email', 'E-mail'],
    ['letter', 'Brief'],
    ['desk', 'Balie'],
    ['other', 'Anders'],
  ],
  handoverTo: [
    ['wijkteam', 'Wijkteam'],
    ['budgetcoach', 'Budgetcoach'],
    ['sdv', 'Schuldhulpverlening'],
  ],
  objectionChannel: [
    ['all', 'Alle kanalen'],
    ['sms', 'Sms'],
    ['whatsapp', 'WhatsApp'],
    ['email', 'E-mail'],
    ['phone', 'Telefoon'],
    ['letter', 'Brief'],
  ],
} as const;

const FIELD_MESSAGES: Record<string, string> = {
  moment: 'Vul een datum en tijd in.',
  attempt: 'Vul een geheel getal in, 1 of hoger, of laat het leeg.',
  outcome: 'Kies een uitkomst.',
  visit: 'Vul een geheel getal in, 1 of hoger, of laat het leeg.',
  atHome: 'Kies of de inwoner thuis was.',
  channel: 'Kies een kanaal.',
  to: 'Kies naar wie de inwoner gaat.',
  bestTimeToCall: 'Gebruik hooguit 200 tekens, zonder speciale tekens.',
  description: 'Gebruik hooguit 2000 tekens, zonder speciale tekens.',
  signalID: 'Kies een signaal van deze zaak.',
};

/** Turns a posted form into the API's event and validates it with the API's own schema. */
export function eventFromForm(
  type: StaffEventType,
  form: Record<string, string | undefined>,
): { event: CaseEvent } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const text = (name: string) => {
    const value = form[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    return /^\d+$/.test(value) ? Number(value) : Number.NaN;
  };
  const candidate: Record<string, unknown> = { type };
  switch (type) {
    case 'contact_moment_chosen': {
      const value = text('moment');
      const moment = value ? DateTime.fromISO(value, { zone: 'Europe/Amsterdam' }) : null;
      if (!moment?.isValid) errors.moment = FIELD_MESSAGES.moment!;
      else candidate.moment = moment.toISO({ suppressMilliseconds: true });
      break;
    }
    case 'call_outcome':
      candidate.attempt = integer('attempt');
      candidate.outcome = text('outcome');
      break;
    case 'visit_outcome':
      candidate.visit = integer('visit');
      candidate.atHome = form.atHome === 'ja' ? true : form.atHome === 'nee' ? false : undefined;
      break;
    case 'resident_contact':
      candidate.channel = text('channel');
      break;
    case 'help_accepted':
      candidate.to = text('to');
      candidate.financial = form.financial === 'ja' ? true : undefined;
      candidate.bestTimeToCall = text('bestTimeToCall');
      candidate.description = text('description');
      break;
    case 'quick_fix':
      candidate.description = text('description');
      break;
    case 'arrears_resolved':
      candidate.signalID = text('signalID');
      break;
    case 'objection':
      candidate.channel = text('channel') ?? 'all';
      break;
    case 'help_declined':
    case 'already_paid':
      break;
  }
  for (const key of Object.keys(candidate)) if (candidate[key] === undefined) delete candidate[key];
  const parsed = caseEventSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'type');
      errors[field] ??= FIELD_MESSAGES[field] ?? 'Dit veld is niet goed ingevuld.';
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { event: parsed.data };
}

/** The workflow validator's reason, in Dutch, and the field it is about. */
export function refusalInDutch(reason: string): { field: string; message: string } {
  const general = (message: string) => ({ field: '_form', message });
  let m: RegExpExecArray | null;
  if (reason === CASE_ENDED_REASON) return general('Deze zaak is beëindigd. U kunt niets meer vastleggen.');
  if ((m = /^the case round is (\w+); events are no longer accepted$/.exec(reason)))
    return general(
      m[1] === 'closed'
        ? 'Deze ronde is afgesloten. U kunt niets meer vastleggen.'
        : `Deze ronde staat op "${m[1]}". U kunt niets meer vastleggen.`,
    );
  if (reason === 'the resident has already been reached')
    return { field: 'moment', message: 'De inwoner is al bereikt. U hoeft geen belmoment meer te kiezen.' };
  if (reason === 'outreach has stopped for this case')
    return general('Het contact met deze inwoner is gestopt. U kunt dit niet meer vastleggen.');
  if (reason.startsWith('the moment is not a free slot'))
    return {
      field: 'moment',
      message: 'Dit moment is geen vrij belmoment op de komende werkdagen. Kies een ander moment.',
    };
  if (reason === 'no call is waiting for an outcome')
    return { field: 'outcome', message: 'Er staat geen gesprek open. Er is dus geen uitkomst vast te leggen.' };
  if ((m = /^the call waiting for an outcome is attempt (\d+)$/.exec(reason)))
    return { field: 'attempt', message: `Het gesprek dat openstaat is poging ${m[1]}. Vul dat nummer in.` };
  if (reason === 'no home visit is waiting for an outcome')
    return { field: 'atHome', message: 'Er staat geen huisbezoek open. Er is dus geen uitkomst vast te leggen.' };
  if ((m = /^the visit waiting for an outcome is visit (\d+)$/.exec(reason)))
    return { field: 'visit', message: `Het huisbezoek dat openstaat is bezoek ${m[1]}. Vul dat nummer in.` };
  if ((m = /^this round was not handed over to (\w+)$/.exec(reason)))
    return general(`Deze ronde is niet overgedragen aan ${m[1]}.`);
  if ((m = /^the handover to (\w+) was already answered/.exec(reason)))
    return general(`De overdracht aan ${m[1]} is al beantwoord.`);
  if (reason === 'the case has ended; events are no longer accepted')
    return general('Deze zaak is beëindigd. U kunt niets meer vastleggen.');
  if (/^signal .* is not part of this case$/.test(reason))
    return { field: 'signalID', message: 'Dit signaal hoort niet bij deze zaak.' };
  if ((m = /^an outcome \((\w+)\) was already recorded$/.exec(reason)))
    return general(`Er is al een uitkomst vastgelegd (${EVENT_TITLES[m[1] as StaffEventType] ?? m[1]}).`);
  return general(`De zaak weigert dit. Reden: ${reason}`);
}

export interface FormState {
  type: StaffEventType;
  values: Record<string, string | undefined>;
  errors: FieldErrors;
}

/** The form for one event type; `state` carries what was posted and the errors when it comes back refused. */
export function eventForm(options: {
  caseId: string;
  type: StaffEventType;
  csrfToken: string;
  signalIds: string[];
  state?: FormState;
}): Html {
  const { type } = options;
  const values = options.state?.type === type ? options.state.values : {};
  const errors = options.state?.type === type ? options.state.errors : {};
  const id = (name: string) => `${type}-${name}`;
  const errorOf = (name: string) =>
    errors[name] ? html`<p class="utrecht-form-field-error-message" id="${id(name)}-fout">${errors[name]}</p>` : '';
  const invalid = (name: string) =>
    errors[name] ? new Html(` aria-invalid="true" aria-describedby="${id(name)}-fout"`) : '';
  const fieldClass = (name: string) => `utrecht-form-field${errors[name] ? ' utrecht-form-field--invalid' : ''}`;

  const select = (name: string, label: string, options: readonly (readonly [string, string])[], required: boolean) =>
    html`<div class="${fieldClass(name)}">
      <p class="utrecht-form-label"><label for="${id(name)}">${label}</label></p>
      ${errorOf(name)}
      <select
        class="utrecht-select utrecht-select--html-select"
        id="${id(name)}"
        name="${name}"
        ${required ? new Html(' required') : ''}${invalid(name)}
      >
        ${required ? '' : html`<option value="">(niet ingevuld)</option>`}
        ${options.map(
          ([value, text]) =>
            html`<option value="${value}" ${values[name] === value ? new Html(' selected') : ''}>${text}</option>`,
        )}
      </select>
    </div>`;
  const textbox = (name: string, label: string, inputType: string, hint?: string) =>
    html`<div class="${fieldClass(name)}">
      <p class="utrecht-form-label"><label for="${id(name)}">${label}</label></p>
      ${hint ? html`<p class="utrecht-form-field-description" id="${id(name)}-uitleg">${hint}</p>` : ''}
      ${errorOf(name)}
      <input
        class="utrecht-textbox utrecht-textbox--html-input"
        id="${id(name)}"
        name="${name}"
        type="${inputType}"
        value="${values[name] ?? ''}"
        ${invalid(name)}${hint && !errors[name] ? new Html(` aria-describedby="${id(name)}-uitleg"`) : ''}
      />
    </div>`;
  const textarea = (name: string, label: string) =>
    html`<div class="${fieldClass(name)}">
      <p class="utrecht-form-label"><label for="${id(name)}">${label}</label></p>
      ${errorOf(name)}
      <textarea
        class="utrecht-textarea utrecht-textarea--html-textarea"
        id="${id(name)}"
        name="${name}"
        rows="3"
        ${invalid(name)}
      >
${values[name] ?? ''}</textarea>
    </div>`;
  const yesNo = (name: string, legend: string) =>
    html`<fieldset
      class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset${
        errors[name] ? ' utrecht-form-fieldset--invalid' : ''
      }"
      ${errors[name] ? new Html(` aria-describedby="${id(name)}-fout"`) : ''}
    >
      <legend class="utrecht-form-fieldset__legend">${legend}</legend>
      ${errorOf(name)}
      ${[
        ['ja', 'Ja'],
        ['nee', 'Nee'],
      ].map(
        ([value, text]) =>
          html`<div class="utrecht-form-field utrecht-form-field--radio">
            <input
              class="utrecht-radio-button utrecht-radio-button--html-input"
              type="radio"
              id="${id(name)}-${value}"
              name="${name}"
              value="${value}"
              ${values[name] === value ? new Html(' checked') : ''}
            />
            <label class="utrecht-form-label utrecht-form-label--radio" for="${id(name)}-${value}">${text}</label>
          </div>`,
      )}
    </fieldset>`;

  let fields: Html | string = '';
  switch (type) {
    case 'contact_moment_chosen':
      fields = textbox(
        'moment',
        'Datum en tijd',
        'datetime-local',
        'Het moment dat de inwoner koos, Nederlandse tijd.',
      );
      break;
    case 'call_outcome':
      fields = html`${select('outcome', 'Uitkomst', OPTIONS.callOutcome, true)}${textbox(
        'attempt',
        'Poging (niet verplicht)',
        'text',
        'Het nummer van de belpoging. Leeg: de poging die openstaat.',
      )}`;
      break;
    case 'visit_outcome':
      fields = html`${yesNo('atHome', 'Was de inwoner thuis?')}${textbox(
        'visit',
        'Bezoek (niet verplicht)',
        'text',
        'Het nummer van het huisbezoek. Leeg: het bezoek dat openstaat.',
      )}`;
      break;
    case 'resident_contact':
      fields = select('channel', 'Hoe nam de inwoner contact op?', OPTIONS.contactChannel, false);
      break;
    case 'help_accepted':
      fields = html`${select('to', 'Naar wie gaat de inwoner?', OPTIONS.handoverTo, false)}
        <div class="utrecht-form-field utrecht-form-field--checkbox">
          <input
            class="utrecht-checkbox utrecht-checkbox--html-input"
            type="checkbox"
            id="${id('financial')}"
            name="financial"
            value="ja"
            ${values.financial === 'ja' ? new Html(' checked') : ''}
          />
          <label class="utrecht-form-label utrecht-form-label--checkbox" for="${id('financial')}"
            >Het gaat om geldzaken</label
          >
        </div>
        ${textbox('bestTimeToCall', 'Beste tijd om te bellen (niet verplicht)', 'text')}
        ${textarea('description', 'Wat is er aan de hand? (niet verplicht)')}`;
      break;
    case 'quick_fix':
      fields = textarea('description', 'Wat is er opgelost? (niet verplicht)');
      break;
    case 'arrears_resolved':
      fields = select(
        'signalID',
        'Welk signaal? (niet verplicht)',
        options.signalIds.map((s) => [s, s] as const),
        false,
      );
      break;
    case 'objection':
      fields = select('channel', 'Waartegen maakt de inwoner bezwaar?', OPTIONS.objectionChannel, true);
      break;
    case 'help_declined':
    case 'already_paid':
      break;
  }
  const formError = errors._form
    ? html`<div class="utrecht-alert utrecht-alert--error" role="alert" id="${id('_form')}-fout">
        <p class="utrecht-paragraph">${errors._form}</p>
      </div>`
    : '';
  return html`<section aria-labelledby="${id('titel')}" class="bereik-event-form" id="${type}">
    <h3 class="utrecht-heading-3" id="${id('titel')}">${EVENT_TITLES[type]}</h3>
    <form method="post" action="/console/zaken/${options.caseId}/gebeurtenis" novalidate>
      <input type="hidden" name="_csrf" value="${options.csrfToken}" />
      <input type="hidden" name="type" value="${type}" />
      ${formError}${fields}
      <p class="utrecht-button-group">
        <button type="submit" class="utrecht-button utrecht-button--primary-action">Vastleggen</button>
      </p>
    </form>
  </section>`;
}
