import type { Segment } from '../domain/case';
import type { Language } from '../domain/signal';
import { ar } from './lang/ar';
import { en } from './lang/en';
import { fa } from './lang/fa';
import { nl } from './lang/nl';
import { tr } from './lang/tr';
import { LRI, PDI, TemplateError, assertHttpLink, displayName, escapeHtml, formatAmount, formatMoment } from './format';
import type {
  LanguagePack,
  MunicipalityInfo,
  RenderInput,
  RenderedCallScript,
  RenderedMessage,
  TextVars,
  Tone,
} from './types';

export * from './types';
export { TemplateError, displayName, formatDate, formatMoment, TIME_ZONE, BIDI_CONTROLS } from './format';
export { smsLength, SMS_MAX_SEGMENTS, SMS_LINK_BUDGET, SMS_NAME_BUDGET } from './sms';
export { forbiddenWords } from './forbidden';

export const LANGUAGE_PACKS: Readonly<Record<Language, LanguagePack>> = { nl, en, ar, tr, fa };
export const PURPOSES = ['invitation', 'reminder', 'confirmation', 'card', 'other'] as const;
export const TONES: readonly Tone[] = ['positive', 'direct'];

/** The resident's language when we have texts for it, Dutch otherwise. */
export function languagePack(taal: string | undefined): LanguagePack {
  const code = (taal ?? '').trim().toLowerCase().slice(0, 2);
  return (LANGUAGE_PACKS as Record<string, LanguagePack>)[code] ?? nl;
}

/** Positive for light and first signals; more direct when the address was reported before. */
export function toneFor(input: { repeat: boolean; segment?: Segment }): Tone {
  return input.repeat ? 'direct' : 'positive';
}

/** Every text names its sender: a message from an unnamed "Gemeente" reads as phishing. */
function municipalityName(municipality: MunicipalityInfo | undefined): string {
  const name = typeof municipality?.name === 'string' ? municipality.name.trim() : '';
  if (!name) throw new TemplateError('the municipality needs a name');
  return name;
}

function vars(pack: LanguagePack, input: Omit<RenderInput, 'purpose' | 'tone'>): TextVars {
  const isolate = (s: string) => (pack.dir === 'rtl' ? `${LRI}${s}${PDI}` : s);
  return {
    name: displayName(input.client) || pack.resident,
    municipality: municipalityName(input.municipality),
    link: input.link ? assertHttpLink(input.link) : undefined,
    moment: input.moment ? formatMoment(input.moment, pack) : undefined,
    phone: input.municipality.phone ? isolate(input.municipality.phone) : undefined,
    amount: input.showAmount === true && input.amount != null ? isolate(formatAmount(input.amount, pack)) : undefined,
  };
}

export function renderMessage(input: RenderInput): RenderedMessage {
  const pack = languagePack(input.language ?? input.client.taal);
  if (input.purpose === 'confirmation' && !input.moment)
    throw new TemplateError('a confirmation needs the chosen moment');
  const v = vars(pack, input);
  const texts = pack.messages[input.purpose][input.tone];
  const [first, ...rest] = texts.body(v);
  const paragraphs = [first, ...(v.amount ? [pack.amount(v.amount)] : []), ...rest];
  const closing = [
    pack.regards,
    ...(input.municipality.team ? [input.municipality.team] : []),
    pack.signature(v.municipality),
  ];
  const greeting = pack.greeting(v.name);
  const linkIntro = v.link ? texts.linkIntro(v) : undefined;
  const callUs = v.phone ? pack.callUs(v.phone) : undefined;

  const text = [
    greeting,
    ...paragraphs,
    ...(v.link ? [`${linkIntro}\n${v.link}`] : []),
    ...(callUs ? [callUs] : []),
    closing.join('\n'),
  ].join('\n\n');

  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const linkHtml = v.link
    ? [
        p(linkIntro as string),
        `<p style="margin:0 0 16px"><a href="${escapeHtml(v.link)}" style="display:inline-block;padding:12px 20px;background:#00589c;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">${escapeHtml(pack.labels.button)}</a></p>`,
        `<p style="margin:0 0 16px;font-size:14px">${escapeHtml(pack.labels.linkFallback)}<br><a href="${escapeHtml(v.link)}" dir="ltr">${escapeHtml(v.link)}</a></p>`,
      ]
    : [];
  const subject = texts.subject(v);
  const html = [
    '<!doctype html>',
    `<html lang="${pack.lang}" dir="${pack.dir}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f4f4">',
    `<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;text-align:${pack.dir === 'rtl' ? 'right' : 'left'}">`,
    p(greeting),
    ...paragraphs.map(p),
    ...linkHtml,
    ...(callUs ? [p(callUs)] : []),
    `<p style="margin:0 0 16px">${closing.map(escapeHtml).join('<br>')}</p>`,
    `<hr style="border:none;border-top:1px solid #dddddd"><p style="margin:0;font-size:12px;color:#555555">${escapeHtml(pack.labels.footer(v.municipality))}</p>`,
    '</div></body></html>',
  ].join('\n');

  // No amount in SMS: texts show on lock screens.
  const sms = texts.sms({ ...v, amount: undefined });
  return {
    lang: pack.lang,
    dir: pack.dir,
    subject,
    text,
    html,
    sms,
    parts: { greeting, paragraphs, linkIntro, link: v.link, callUs, closing },
  };
}

export interface CallScriptInput {
  tone: Tone;
  client: RenderInput['client'];
  municipality: MunicipalityInfo;
  amount?: number;
  showAmount?: boolean;
  /** Defaults to the resident's language, so an agent who speaks it can use the script. */
  language?: string;
}

export function renderCallScript(input: CallScriptInput): RenderedCallScript {
  const pack = languagePack(input.language ?? input.client.taal);
  const v = vars(pack, {
    client: input.client,
    municipality: input.municipality,
    amount: input.amount,
    showAmount: input.showAmount,
  });
  const { title, sections } = pack.callScript(input.tone, v);
  const text = [title, ...sections.map((s) => [s.heading, ...s.lines.map((l) => `- ${l}`)].join('\n'))].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="${pack.lang}" dir="${pack.dir}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...sections.map(
      (s) => `<h2>${escapeHtml(s.heading)}</h2>\n<ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ),
    '</body></html>',
  ].join('\n');
  return { lang: pack.lang, dir: pack.dir, title, sections, text, html };
}

/** What text-to-speech says when a resident picks up an outbound call (Dutch: PlaceCallInput has no language). */
export function renderCallGreeting(municipality: MunicipalityInfo): { text: string; voiceLanguage: string } {
  return { text: (nl.callGreeting as (m: string) => string)(municipalityName(municipality)), voiceLanguage: 'nl-NL' };
}
