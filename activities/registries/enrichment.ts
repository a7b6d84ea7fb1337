import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Logger } from 'pino';
import { hasPostalAddress, type Client } from '../../domain/signal';
import type { CaseRef } from '../types';
import { postJson, type RegistryEndpoint } from './http';

/** Path of `enrichPhone` in `enrichment.openapi.yaml`, bereik's own contract for a phone-number source. */
export const ENRICHMENT_LOOKUP_PATH = '/v1/phone-numbers/lookups';

/** Null when the signal lacks the surname or postal address the contract needs (DDAS v1.2 signals may). */
export function enrichmentRequest(client: Client, municipality: string): Record<string, unknown> | null {
  if (!client.Achternaam || !hasPostalAddress(client)) return null;
  return {
    municipality,
    name: {
      achternaam: client.Achternaam,
      ...(client.Voorvoegsel ? { voorvoegsel: client.Voorvoegsel } : {}),
      ...(client.Voorletters ? { voorletters: client.Voorletters } : {}),
    },
    address: {
      straatnaam: client.Straatnaam,
      huisnummer: Number(client.Huisnummer),
      ...(client.Huisnummertoevoeging ? { huisnummertoevoeging: client.Huisnummertoevoeging } : {}),
      postcode: client.Postcode,
      plaatsnaam: client.Plaatsnaam,
    },
  };
}

export function createPhoneEnrichment(
  endpoint: RegistryEndpoint & { logger?: Logger },
): (input: CaseRef & { client: Client }) => Promise<{ telefoon: string | null }> {
  return async ({ client, municipality, caseId }) => {
    const asked = enrichmentRequest(client, municipality);
    if (!asked) return { telefoon: null };
    const body = await postJson('PhoneEnrichment', endpoint, ENRICHMENT_LOOKUP_PATH, asked);
    const telefoon = typeof body === 'object' && body !== null ? (body as { telefoon?: unknown }).telefoon : undefined;
    if (telefoon === null) return { telefoon: null };
    if (typeof telefoon !== 'string') throw new Error('phone enrichment answered without telefoon');
    // A number bereik cannot dial is no number: the workflow then goes on without one instead of failing calls.
    const parsed = parsePhoneNumberFromString(telefoon, 'NL');
    if (!parsed?.isValid()) {
      endpoint.logger?.warn({ caseId, municipality }, 'phone enrichment answered a number that is not valid; ignored');
      return { telefoon: null };
    }
    return { telefoon: parsed.number };
  };
}
