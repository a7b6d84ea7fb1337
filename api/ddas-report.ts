import type { z } from 'zod';
import type { Keyring } from '../common/encryption-keys';
import { openJson } from '../common/field-crypto';
import { personalAad } from '../common/personal-data';
import type { DdasRoundRow, DdasSignalRow } from '../db/reports';
import type { Eindresultaat, Signaalstatus } from '../domain/ddas';
import { signalStatus, signalStatusV09 } from '../domain/signal-status';
import type { ddasDeliverySchema } from './schemas';

/** The DDAS client fields; bereik's contact fields (telefoon, email, taal) are not part of the exchange model. */
const DDAS_CLIENT_FIELDS = [
  'Burgerservicenummer',
  'Voorletters',
  'Voorvoegsel',
  'Achternaam',
  'Geboortedatum',
  'Straatnaam',
  'Postcode',
  'Huisnummer',
  'Huisnummertoevoeging',
  'Plaatsnaam',
] as const;

export type DdasDelivery = z.infer<typeof ddasDeliverySchema>;
type Levering = DdasDelivery['leveringen'][number];
export type DdasVroegsignaal = Levering['vroegsignalen'][number];
export type DdasVroegsignaalzaak = Levering['vroegsignaalzaken'][number];

export interface DdasInput {
  municipality: string;
  /** Bare name from the municipality directory, e.g. "Den Haag". */
  municipalityName: string;
  from: string;
  to: string;
  supplierCode: string;
  rounds: DdasRoundRow[];
  signals: DdasSignalRow[];
  /** Without a keyring (or after a purge) clients are delivered empty: the facts stay, the person does not. */
  keyring?: Keyring;
  now?: Date;
}

/** One municipality's DDAS v0.9 delivery for a period, with only the fields the exchange model defines. */
export function buildDdasDelivery(input: DdasInput): DdasDelivery {
  const known = new Set(input.signals.map((s) => s.signalId));
  return {
    startdatumLevering: input.from,
    einddatumLevering: input.to,
    aanleverdatumEnTijd: (input.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    codeGegevensleverancier: input.supplierCode,
    leveringen: [
      {
        teller: 1,
        gemeentecode: input.municipality,
        aanleverende_organisatie: { naam: `Gemeente ${input.municipalityName}` },
        vroegsignalen: input.signals.map((s) => vroegsignaal(s, input)),
        vroegsignaalzaken: input.rounds.map((r) => vroegsignaalzaak(r, known)),
      },
    ],
  };
}

function vroegsignaal(s: DdasSignalRow, input: DdasInput): DdasVroegsignaal {
  return {
    ID: s.signalId,
    crisissignaal: s.crisis,
    ...(s.warmeOverdracht !== null ? { warmeOverdracht: s.warmeOverdracht } : {}),
    bedrag: Math.round(s.amount),
    ...(s.ontstaansdatum ? { ontstaansdatum: s.ontstaansdatum } : {}),
    signaaldatum: s.signaaldatum,
    ...statusOf(s),
    signaalpartner: { type: s.partnerType as DdasVroegsignaal['signaalpartner']['type'] },
    client: ddasClient(s, input),
  };
}

function statusOf(s: DdasSignalRow): Pick<DdasVroegsignaal, 'status'> {
  const round = s.round ? { result: s.round.result as Eindresultaat | null } : null;
  const status = signalStatusV09(signalStatus({ recorded: s.status as Signaalstatus, round }));
  return status ? { status } : {};
}

function ddasClient(s: DdasSignalRow, input: DdasInput): DdasVroegsignaal['client'] {
  if (!s.clientSealed || !input.keyring) return {};
  let opened: unknown;
  try {
    opened = openJson(input.keyring, s.clientSealed, personalAad(input.municipality, s.caseId));
  } catch {
    return {};
  }
  const client: DdasVroegsignaal['client'] = {};
  for (const field of DDAS_CLIENT_FIELDS) {
    const value = (opened as Record<string, unknown> | null)?.[field];
    if (typeof value === 'string' && value !== '') client[field] = value;
  }
  return client;
}

function vroegsignaalzaak(r: DdasRoundRow, known: Set<string>): DdasVroegsignaalzaak {
  const refs = [...new Set(r.signalIds)].filter((id) => known.has(id));
  const firstAttempt = r.attempts.map((a) => a.datum).sort()[0];
  return {
    ...(r.result ? { resultaat: r.result as DdasVroegsignaalzaak['resultaat'] } : {}),
    matchingsdatum: r.matchingsdatum,
    ...(firstAttempt ? { datum_opgepakt: firstAttempt } : {}),
    ...(refs.length > 0 ? { vroegsignalen: refs.map((ID) => ({ ID })) } : {}),
    contactpogingen: r.attempts.map((a) => ({
      soort: a.soort as DdasVroegsignaalzaak['contactpogingen'][number]['soort'],
      bereikt: a.bereikt,
      datum: a.datum,
      dagdeel: a.dagdeel as DdasVroegsignaalzaak['contactpogingen'][number]['dagdeel'],
    })),
  };
}
