import type { Client } from '../domain/signal';
import type { LanguagePack } from './types';

export const TIME_ZONE = 'Europe/Amsterdam';

/** Unicode isolates keep numbers with spaces ("023 511 51 15") in order inside right-to-left text. */
export const LRI = '\u2066';
export const PDI = '\u2069';
export const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/**
 * "A.B. de Vries"; without initials the prefix takes a capital ("De Vries"), as Dutch spelling wants. Empty when the
 * signal gives no surname (DDAS v1.2 allows that): the caller then addresses the resident without a name.
 */
export function displayName(client: Pick<Client, 'Voorletters' | 'Voorvoegsel' | 'Achternaam'>): string {
  const initials = normaliseInitials(client.Voorletters);
  const prefix = client.Voorvoegsel?.trim();
  const surname = client.Achternaam?.trim() ?? '';
  if (!surname) return '';
  if (!initials) return prefix ? `${capitalise(prefix)} ${surname}` : surname;
  return [initials, prefix, surname].filter(Boolean).join(' ');
}

function normaliseInitials(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (!value) return '';
  if (value.includes('.')) return value.replace(/\s+/g, '');
  // "AB" or "A B" → "A.B."; anything else (e.g. "Th") is kept and given a full stop.
  if (/^(\p{Lu}\s*)+$/u.test(value))
    return value
      .replace(/\s+/g, '')
      .split('')
      .map((c) => `${c}.`)
      .join('');
  return `${value}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase('nl-NL') + s.slice(1);
}

export function formatMoment(iso: string, pack: LanguagePack): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new TemplateError(`moment is not a valid date: ${JSON.stringify(iso)}`);
  const day = new Intl.DateTimeFormat(pack.locale, {
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(date);
  const time = new Intl.DateTimeFormat(pack.locale, {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return pack.moment(day, time);
}

export function formatAmount(amount: number, pack: LanguagePack): string {
  return new Intl.NumberFormat(pack.locale, { style: 'currency', currency: 'EUR' }).format(amount);
}

export function formatDate(iso: string | Date, pack: LanguagePack): string {
  return new Intl.DateTimeFormat(pack.locale, {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export function assertHttpLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TemplateError('link is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TemplateError('link must be http(s)');
  return link;
}
