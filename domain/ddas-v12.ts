// Vocabulary of the DDAS exchange model v1.2 (domain/ddas/v1.2/json_schema_Uitwisselmodel.json), in the schema's
// (alphabetical) order. bereik records results in v0.9's vocabulary (domain/ddas.ts); these tables say how each is
// delivered in v1.2. A unit test checks every list against the shipped schema.

import type { Contactsoort, Eindresultaat } from './ddas';

export const EINDRESULTATEN_V12 = [
  '(Budget)advies en/of quick fix',
  'Definitief geen contact kunnen krijgen',
  'Geen reactie na eerder contact',
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner heeft al een ander lopend traject',
  'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  'Inwoner is overleden',
  'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
  'Niet opgepakt: andere reden',
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Vervolghulp en/of verwijzing',
  'Vervolghulp en/of verwijzing financieel',
  'Vervolghulp en/of verwijzing niet financieel',
  'Verwijzing zonder tussenkomst inwoner',
] as const;
export type EindresultaatV12 = (typeof EINDRESULTATEN_V12)[number];

export const SIGNAALSTATUSSEN_V12 = [
  'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner is overleden',
  'Niet opgepakt: andere reden',
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Nog niet opgepakt',
  'Opgepakt',
  'Persoon is geen inwoner (meer) in de gemeente',
] as const;
export type SignaalstatusV12 = (typeof SIGNAALSTATUSSEN_V12)[number];

export const CONTACTSOORTEN_V12 = [
  'Administratief',
  'Afspraak op locatie',
  'Brief',
  'Huisbezoek',
  'Kaartje',
  'Mail',
  'Onbekend',
  'Overige',
  'SMS/Whatsapp',
  'Telefoon',
] as const;
export type ContactsoortV12 = (typeof CONTACTSOORTEN_V12)[number];

/**
 * Every result a round can close with, as v1.2 says it. Two v0.9 values were renamed or widened in v1.1/v1.2: "Inwoner
 * hoeft geen hulp" is now "Inwoner regelt het zelf/hoeft geen hulp", and "Verwijzing zonder contact" is now
 * "Verwijzing zonder tussenkomst inwoner" (the ChangeLog's rename of v1.1's "Verwijzing zonder toestemming"). The
 * rest are the same words. v1.2's "Vervolghulp en/of verwijzing" (unspecified) is never used: bereik always knows
 * whether the help it handed over to is financial. The table in api/README.md says which outcome gives which value.
 */
export const EINDRESULTAAT_V12: Readonly<Record<Eindresultaat, EindresultaatV12>> = {
  'Niet opgepakt: herhaalde melding': 'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal': 'Niet opgepakt: onterecht signaal',
  'Inwoner is overleden': 'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente': 'Persoon is geen inwoner (meer) in de gemeente',
  'Niet opgepakt: andere reden': 'Niet opgepakt: andere reden',
  'Inwoner al bekend bij schuldhulpverlening': 'Inwoner al bekend bij schuldhulpverlening',
  'Inwoner heeft al een ander lopend traject': 'Inwoner heeft al een ander lopend traject',
  'Definitief geen contact kunnen krijgen': 'Definitief geen contact kunnen krijgen',
  'Geen reactie na eerder contact': 'Geen reactie na eerder contact',
  'Inwoner hoeft geen hulp vanuit vroegsignalering': 'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
  'Inwoner heeft zelf al betaald/betalingsregeling getroffen':
    'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
  '(Budget)advies en/of quick fix': '(Budget)advies en/of quick fix',
  'Vervolghulp en/of verwijzing financieel': 'Vervolghulp en/of verwijzing financieel',
  'Verwijzing zonder contact': 'Verwijzing zonder tussenkomst inwoner',
  'Vervolghulp en/of verwijzing niet financieel': 'Vervolghulp en/of verwijzing niet financieel',
};

/** bereik's contactsoorten are all v1.2 values; this says so to the type checker. */
export function contactsoortV12(soort: Contactsoort): ContactsoortV12 {
  return soort;
}
