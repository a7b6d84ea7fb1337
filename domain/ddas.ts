// Vocabulary of the national DDAS exchange model v0.9 (../shared/ddas). Kept as literal arrays so that zod,
// TypeScript and the report builder share one source.

import type { MessageChannel, MessagePurpose } from './case';

export const SIGNAALPARTNER_TYPES = [
  'Energie',
  'Huur',
  'Hypotheek',
  'CAK Zorgverzekeringen',
  'Zorg',
  'Water',
  'DUO',
  'Belastingdienst',
  'CAK Eigen bijdrage',
  'Overige',
  'Dienst Toeslagen',
] as const;
export type SignaalpartnerType = (typeof SIGNAALPARTNER_TYPES)[number];

export const CONTACTSOORTEN = [
  'Mail',
  'Brief',
  'SMS/Whatsapp',
  'Telefoon',
  'Huisbezoek',
  'Kaartje',
  'Overige',
  'Administratief',
] as const;
export type Contactsoort = (typeof CONTACTSOORTEN)[number];

/** The contactsoort a message on a channel is reported as. */
export const CONTACTSOORT_OF_CHANNEL: Record<MessageChannel, Contactsoort> = {
  sms: 'SMS/Whatsapp',
  whatsapp: 'SMS/Whatsapp',
  email: 'Mail',
  letter: 'Brief',
};

/**
 * A contactpoging is the municipality reaching out: an invitation or a reminder is one; the confirmation of a moment
 * the resident chose is not (the resident made that contact), nor is a card left at the door (a visit records it).
 */
export function isContactAttempt(purpose: MessagePurpose): boolean {
  return purpose === 'invitation' || purpose === 'reminder';
}

export const DAGDELEN = ['Ochtend', 'Middag', 'Avond'] as const;
export type Dagdeel = (typeof DAGDELEN)[number];

export const EINDRESULTATEN = [
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt: andere reden',
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner heeft al een ander lopend traject',
  'Definitief geen contact kunnen krijgen',
  'Geen reactie na eerder contact',
  'Inwoner hoeft geen hulp vanuit vroegsignalering',
  'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  '(Budget)advies en/of quick fix',
  'Vervolghulp en/of verwijzing financieel',
  'Verwijzing zonder contact',
  'Vervolghulp en/of verwijzing niet financieel',
] as const;
export type Eindresultaat = (typeof EINDRESULTATEN)[number];

export const SIGNAALSTATUSSEN = [
  'Nog niet opgepakt',
  'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: andere reden',
] as const;
export type Signaalstatus = (typeof SIGNAALSTATUSSEN)[number];

/** One contact attempt as DDAS records it; `at` is the exact instant (ISO 8601), kept for timelines. */
export interface Contactpoging {
  soort: Contactsoort;
  bereikt: boolean;
  datum: string; // YYYY-MM-DD in Europe/Amsterdam
  dagdeel: Dagdeel;
  at: string;
}
