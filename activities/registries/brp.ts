import type { Logger } from 'pino';
import type { Client } from '../../domain/signal';
import type { CaseRef, Residency } from '../types';
import { postJson, type RegistryEndpoint } from './http';

/** RNI, the register of non-residents: a person registered there lives abroad. */
export const RNI_MUNICIPALITY = '1999';

/** Only what the residency check reads (data minimisation: the BRP API answers just the fields asked for). */
export const BSN_FIELDS = ['overlijden.datum', 'gemeenteVanInschrijving.code', 'verblijfplaats.type'];
/**
 * The address search answers `PersoonBeperkt`: the names (and, when the signal has them to compare, initials and
 * birth date) to recognise the client among the residents; opschorting comes along unasked.
 */
export function addressFields(client: Client): string[] {
  return [
    'naam.geslachtsnaam',
    'naam.voorvoegsel',
    ...(client.Voorletters ? ['naam.voorletters'] : []),
    ...(client.Geboortedatum ? ['geboorte.datum'] : []),
  ];
}

interface Datum {
  type?: string;
  datum?: string;
  jaar?: number;
  maand?: number;
}
/** The parts of a BRP `Persoon` (and `PersoonBeperkt`) the check reads. */
export interface BrpPerson {
  overlijden?: { datum?: Datum };
  opschortingBijhouding?: { reden?: { code?: string } };
  gemeenteVanInschrijving?: { code?: string };
  verblijfplaats?: { type?: string };
  naam?: { geslachtsnaam?: string; voorvoegsel?: string; voorletters?: string };
  geboorte?: { datum?: Datum };
}

/**
 * What one BRP person means for a case in `municipality`. Opschorting O (overlijden) or a date of death: deceased.
 * Opschorting E (emigratie) or R (RNI), registration in RNI or another municipality, or an address abroad: moved.
 * Opschorting M (ministerieel besluit) and F (fout) say nothing about where the person lives, so the other fields
 * decide. A field the BRP did not deliver is no evidence either way.
 */
export function residencyOf(person: BrpPerson, municipality: string): Residency {
  const suspension = person.opschortingBijhouding?.reden?.code;
  if (suspension === 'O' || person.overlijden?.datum !== undefined) return 'deceased';
  if (suspension === 'E' || suspension === 'R') return 'moved';
  const registeredIn = person.gemeenteVanInschrijving?.code;
  if (registeredIn !== undefined && (registeredIn === RNI_MUNICIPALITY || registeredIn !== municipality))
    return 'moved';
  if (person.verblijfplaats?.type === 'VerblijfplaatsBuitenland') return 'moved';
  return 'resident';
}

export type BrpOutcome = { found: true; residency: Residency } | { found: false; residency: 'resident' };

/**
 * The answer to `RaadpleegMetBurgerservicenummer` for one BSN. Not found means the BSN the partner gave is not in
 * the BRP (a typing error, or the API's autorisation hides the person): that is no evidence that the resident
 * left, so the case goes on as 'resident', as it would without a BRP check, and the outcome is logged.
 */
export function outcomeOfBsnAnswer(body: unknown, municipality: string): BrpOutcome {
  const [person] = personsIn(body);
  return person
    ? { found: true, residency: residencyOf(person, municipality) }
    : { found: false, residency: 'resident' };
}

/**
 * The answer to `ZoekMetPostcodeEnHuisnummer` (restricted to the case's municipality, deceased included): the
 * persons registered at the address who match the client. Found means registered here, unless opschorting says
 * otherwise. Several matches (a father and son with the same initials and no birth date in the signal) count as
 * moved or deceased only when all of them are; no match is treated as "not found" above: a married name or a
 * misspelling in the partner's file must not close a case.
 */
export function outcomeOfAddressAnswer(body: unknown, client: Client, municipality: string): BrpOutcome {
  const matches = personsIn(body).filter((person) => sameClient(person, client));
  if (matches.length === 0) return { found: false, residency: 'resident' };
  const answers = new Set(matches.map((person) => residencyOf(person, municipality)));
  const residency: Residency = answers.has('resident') ? 'resident' : answers.has('moved') ? 'moved' : 'deceased';
  return { found: true, residency };
}

/** The request for a client: by BSN when the signal has one, else by address (postcode and house number). */
export function brpQuery(client: Client, municipality: string): Record<string, unknown> {
  if (client.Burgerservicenummer) {
    return {
      type: 'RaadpleegMetBurgerservicenummer',
      burgerservicenummer: [client.Burgerservicenummer],
      fields: BSN_FIELDS,
    };
  }
  // Additions are left out: partners write them inconsistently ("A", "-a", "1hg") and a wrong one would miss the
  // person; the names below pick the client out of the address's residents.
  return {
    type: 'ZoekMetPostcodeEnHuisnummer',
    postcode: client.Postcode,
    huisnummer: Number(client.Huisnummer),
    inclusiefOverledenPersonen: true,
    gemeenteVanInschrijving: municipality,
    ...(client.Geboortedatum ? { geboortedatum: client.Geboortedatum } : {}),
    fields: addressFields(client),
  };
}

function personsIn(body: unknown): BrpPerson[] {
  if (typeof body !== 'object' || body === null) throw new Error('BRP answered a body that is not an object');
  const persons = (body as { personen?: unknown }).personen;
  if (persons === undefined) return [];
  if (!Array.isArray(persons)) throw new Error('BRP answered personen that is not a list');
  return persons.filter((p): p is BrpPerson => typeof p === 'object' && p !== null);
}

const letters = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/**
 * Surname, initials and birth date as far as the signal has them. The surname matches with or without its
 * voorvoegsel and against either part of a double name ("Jansen-de Vries"), since partners write it either way.
 */
export function sameClient(person: BrpPerson, client: Client): boolean {
  const surname = person.naam?.geslachtsnaam;
  if (!surname) return false;
  const brpForms = new Set([letters(surname), letters(`${person.naam?.voorvoegsel ?? ''}${surname}`)]);
  // A signal without a name (DDAS v1.2 allows one) matches no one at the address: not found, so the case goes on.
  if (!client.Achternaam) return false;
  const signalNames = [client.Achternaam, ...client.Achternaam.split('-')];
  const signalForms = signalNames.flatMap((name) => [letters(name), letters(`${client.Voorvoegsel ?? ''}${name}`)]);
  if (!signalForms.some((form) => form !== '' && brpForms.has(form))) return false;
  const initials = person.naam?.voorletters;
  if (client.Voorletters && initials && letters(client.Voorletters)[0] !== letters(initials)[0]) return false;
  const born = person.geboorte?.datum;
  if (client.Geboortedatum && born) {
    if (born.datum && born.datum !== client.Geboortedatum) return false;
    if (!born.datum && born.jaar !== undefined && String(born.jaar) !== client.Geboortedatum.slice(0, 4)) return false;
  }
  return true;
}

export interface BrpOptions extends RegistryEndpoint {
  /** Each municipality asks the BRP under its own key (its own autorisation); `apiKey` serves the others. */
  apiKeysByMunicipality?: Record<string, string>;
  logger?: Logger;
}

/**
 * Residency and deceased check against Haal Centraal BRP Personen bevragen (v2): `POST {url}/personen`.
 * `url` is the API's base, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp.
 */
export function createBrpResidency(options: BrpOptions): (input: CaseRef & { client: Client }) => Promise<Residency> {
  return async ({ client, municipality, caseId }) => {
    const query = brpQuery(client, municipality);
    const endpoint = { ...options, apiKey: options.apiKeysByMunicipality?.[municipality] ?? options.apiKey };
    const body = await postJson('Brp', endpoint, '/personen', query, 'application/json; charset=utf-8');
    const outcome =
      query.type === 'RaadpleegMetBurgerservicenummer'
        ? outcomeOfBsnAnswer(body, municipality)
        : outcomeOfAddressAnswer(body, client, municipality);
    const by = query.type === 'RaadpleegMetBurgerservicenummer' ? 'bsn' : 'address';
    if (!outcome.found)
      options.logger?.warn({ caseId, municipality, by }, 'BRP: client not found, the case goes on as resident');
    else options.logger?.debug({ caseId, municipality, by, residency: outcome.residency }, 'BRP residency checked');
    return outcome.residency;
  };
}
