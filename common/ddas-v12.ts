import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openJson } from './field-crypto';
import { personalAad } from './personal-data';
import type { Keyring } from './encryption-keys';
import type { DdasRoundRow, DdasSignalRow } from '../domain/ddas-facts';
import type { Contactsoort, Eindresultaat, Signaalstatus } from '../domain/ddas';
import { contactsoortV12, EINDRESULTAAT_V12, type EindresultaatV12, type SignaalstatusV12 } from '../domain/ddas-v12';
import schemaV12 from '../domain/ddas/v1.2/json_schema_Uitwisselmodel.json';
import type { DdasContactPerson, Municipality } from '../domain/municipalities';
import { signalStatus } from '../domain/signal-status';

/** The DDAS Uitwisselmodel v1.2 schema as shipped in `domain/ddas/v1.2/` (see its README for provenance). */
export const DDAS_V12_SCHEMA = schemaV12 as Record<string, unknown>;

/**
 * Compiled once, when the API or the worker starts (the report route and the monthly delivery import this module): draft 2020-12 with the formats
 * (date, date-time, email) checked, as CBS checks them. Strict, so that an unknown keyword or format in a future
 * schema stops start-up instead of passing unchecked, except for two style rules the published schema breaks in its
 * client `oneOf` (a `maxLength` without `type`, a `required` field defined only outside the branch): those are
 * strictTypes and strictRequired, which judge how a schema is written, not what it accepts.
 */
const validateV12 = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  addFormats(ajv);
  return ajv.compile(DDAS_V12_SCHEMA);
})();

export interface DdasClientV12 {
  burgerservicenummer?: string;
  geboortedatum?: string;
  postcode?: string;
  huisnummer?: string;
  huisnummertoevoeging?: string;
}

export interface DdasVroegsignaalV12 {
  ID: string;
  crisissignaal: boolean;
  warmeOverdracht?: boolean;
  bedrag: number;
  ontstaansdatum?: string;
  signaaldatum: string;
  status: SignaalstatusV12;
  signaalpartner: { type: string };
  client: DdasClientV12;
}

export interface DdasVroegsignaalzaakV12 {
  resultaat?: EindresultaatV12;
  matchingsdatum: string;
  datumOpgepakt?: string;
  vroegsignalen?: { ID: string }[];
  contactpogingen: { soort: string; bereikt: boolean; datum: string; dagdeel: string }[];
}

export interface DdasDeliveryV12 {
  startdatumLevering: string;
  einddatumLevering: string;
  aanleverdatumEnTijd: string;
  codeGegevensleverancier: string;
  leveringen: {
    teller: number;
    gemeentecode: string;
    aanleverendeOrganisatie: { naam: string; 'kvk-nummer'?: string; contactpersonen?: DdasContactPerson[] };
    vroegsignalen: DdasVroegsignaalV12[];
    vroegsignaalzaken: DdasVroegsignaalzaakV12[];
  }[];
}

/** A place in the delivery that fails the schema, as a JSON Pointer, and why. */
export interface DdasV12Error {
  path: string;
  message: string;
}

export interface DdasV12Input {
  municipality: string;
  from: string;
  to: string;
  supplierCode: string;
  rounds: DdasRoundRow[];
  signals: DdasSignalRow[];
  /** Without a keyring (or after a purge) a client cannot be identified, and its signal is left out. */
  keyring?: Keyring;
  now?: Date;
  /** The municipality from the directory: its name and its `ddas` supplier entry (organisation, contact persons). */
  directoryEntry: Municipality;
}

export interface DdasV12Result {
  delivery: DdasDeliveryV12;
  /**
   * Signals left out because their client can no longer be identified (personal data purged, or a seal that does not
   * open): v1.2 requires a BSN or a postcode with huisnummer on every vroegsignaal, so such a signal cannot be
   * delivered. Its round (vroegsignaalzaak) is still delivered, without the reference.
   */
  omittedSignals: number;
}

/** One municipality's DDAS v1.2 delivery for a period: one levering, identification of clients only. */
export function buildDdasDeliveryV12(input: DdasV12Input): DdasV12Result {
  const vroegsignalen: DdasVroegsignaalV12[] = [];
  let omittedSignals = 0;
  for (const s of input.signals) {
    const client = clientV12(s, input);
    if (client) vroegsignalen.push(vroegsignaal(s, client));
    else omittedSignals += 1;
  }
  const delivered = new Set(vroegsignalen.map((v) => v.ID));
  const supplier = input.directoryEntry.ddas;
  return {
    omittedSignals,
    delivery: {
      startdatumLevering: input.from,
      einddatumLevering: input.to,
      aanleverdatumEnTijd: (input.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      codeGegevensleverancier: input.supplierCode,
      leveringen: [
        {
          teller: 1,
          gemeentecode: input.municipality,
          aanleverendeOrganisatie: {
            naam: supplier?.organisatie ?? `Gemeente ${input.directoryEntry.name}`,
            ...(supplier?.kvkNummer ? { 'kvk-nummer': supplier.kvkNummer } : {}),
            ...(supplier ? { contactpersonen: supplier.contactpersonen.map((c) => ({ ...c })) } : {}),
          },
          vroegsignalen,
          vroegsignaalzaken: input.rounds.map((r) => vroegsignaalzaak(r, delivered)),
        },
      ],
    },
  };
}

function vroegsignaal(s: DdasSignalRow, client: DdasClientV12): DdasVroegsignaalV12 {
  const round = s.round ? { result: s.round.result as Eindresultaat | null } : null;
  return {
    ID: s.signalId,
    crisissignaal: s.crisis,
    ...(s.warmeOverdracht !== null ? { warmeOverdracht: s.warmeOverdracht } : {}),
    bedrag: Math.round(s.amount),
    ...(s.ontstaansdatum ? { ontstaansdatum: s.ontstaansdatum } : {}),
    signaaldatum: s.signaaldatum,
    status: signalStatus({ recorded: s.status as Signaalstatus, round }),
    signaalpartner: { type: s.partnerType },
    client,
  };
}

/**
 * v1.2 identifies a client by BSN alone, or (without a BSN) by postcode and huisnummer, with huisnummertoevoeging and
 * geboortedatum when known. Names, street and place are not part of v1.2's client, and bereik's contact fields never
 * are. Null when the client cannot be identified.
 */
function clientV12(s: DdasSignalRow, input: DdasV12Input): DdasClientV12 | null {
  if (!s.clientSealed || !input.keyring) return null;
  let opened: Record<string, unknown>;
  try {
    opened = openJson(input.keyring, s.clientSealed, personalAad(input.municipality, s.caseId)) as Record<
      string,
      unknown
    >;
  } catch {
    return null;
  }
  const text = (field: string) => {
    const value = opened?.[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const bsn = text('Burgerservicenummer');
  if (bsn) return { burgerservicenummer: bsn };
  const postcode = text('Postcode');
  const huisnummer = text('Huisnummer');
  if (!postcode || !huisnummer) return null;
  const toevoeging = text('Huisnummertoevoeging');
  const geboortedatum = text('Geboortedatum');
  return {
    postcode,
    huisnummer,
    ...(toevoeging ? { huisnummertoevoeging: toevoeging } : {}),
    ...(geboortedatum ? { geboortedatum } : {}),
  };
}

function vroegsignaalzaak(r: DdasRoundRow, delivered: Set<string>): DdasVroegsignaalzaakV12 {
  const refs = [...new Set(r.signalIds)].filter((id) => delivered.has(id));
  const firstAttempt = r.attempts.map((a) => a.datum).sort()[0];
  return {
    ...(r.result ? { resultaat: eindresultaatV12(r.result) } : {}),
    matchingsdatum: r.matchingsdatum,
    ...(firstAttempt ? { datumOpgepakt: firstAttempt } : {}),
    ...(refs.length > 0 ? { vroegsignalen: refs.map((ID) => ({ ID })) } : {}),
    contactpogingen: r.attempts.map((a) => ({
      soort: contactsoortV12(a.soort as Contactsoort),
      bereikt: a.bereikt,
      datum: a.datum,
      dagdeel: a.dagdeel,
    })),
  };
}

/**
 * A stored result as v1.2 says it. A value outside bereik's vocabulary is passed through unchanged, so that the
 * schema check refuses the delivery and names it rather than this function guessing.
 */
function eindresultaatV12(result: string): EindresultaatV12 {
  return (EINDRESULTAAT_V12 as Record<string, EindresultaatV12>)[result] ?? (result as EindresultaatV12);
}

/**
 * The delivery checked against the shipped v1.2 schema: the failing places as JSON Pointers into the delivery, with
 * ajv's message. Never a value from the delivery: it holds personal data.
 */
export function ddasV12Errors(delivery: unknown): DdasV12Error[] {
  if (validateV12(delivery)) return [];
  return (validateV12.errors ?? []).map((e: ErrorObject) => ({
    path: e.instancePath === '' ? '/' : e.instancePath,
    message:
      e.keyword === 'additionalProperties'
        ? `must not have the field ${String((e.params as { additionalProperty?: unknown }).additionalProperty)}`
        : (e.message ?? e.keyword),
  }));
}
