import type { Client } from '../../domain/signal';
import type { CaseRef } from '../types';
import { postJson, type RegistryEndpoint } from './http';

/** Path of `lookupDebtServices` in `sdv.openapi.yaml`, bereik's own contract for the SDV registration. */
export const SDV_LOOKUP_PATH = '/v1/debt-services/lookups';

/**
 * The client as the SDV contract takes it: only the BSN when the signal has one, else address and name. Null when
 * the signal has neither a BSN nor a surname with an address (DDAS v1.2 allows a nameless address): the contract
 * cannot be asked then.
 */
export function sdvClient(client: Client): Record<string, unknown> | null {
  if (client.Burgerservicenummer) return { burgerservicenummer: client.Burgerservicenummer };
  if (!client.Achternaam || !client.Postcode || !client.Huisnummer) return null;
  return {
    achternaam: client.Achternaam,
    ...(client.Voorvoegsel ? { voorvoegsel: client.Voorvoegsel } : {}),
    ...(client.Voorletters ? { voorletters: client.Voorletters } : {}),
    ...(client.Geboortedatum ? { geboortedatum: client.Geboortedatum } : {}),
    postcode: client.Postcode,
    huisnummer: Number(client.Huisnummer),
    ...(client.Huisnummertoevoeging ? { huisnummertoevoeging: client.Huisnummertoevoeging } : {}),
  };
}

export function createSdvLookup(
  endpoint: RegistryEndpoint,
): (input: CaseRef & { client: Client }) => Promise<{ known: boolean; trajectory: boolean }> {
  return async ({ client, municipality }) => {
    const asked = sdvClient(client);
    // Not askable is not known: the case goes on with outreach, as when the registry refuses a request for good.
    if (!asked) return { known: false, trajectory: false };
    const body = await postJson('Sdv', endpoint, SDV_LOOKUP_PATH, { municipality, client: asked });
    const { known, trajectory } = (typeof body === 'object' && body !== null ? body : {}) as {
      known?: unknown;
      trajectory?: unknown;
    };
    if (typeof known !== 'boolean' || typeof trajectory !== 'boolean')
      throw new Error('SDV answered without known and trajectory booleans');
    return { known, trajectory };
  };
}
