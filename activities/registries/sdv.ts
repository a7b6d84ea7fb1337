import type { Client } from '../../domain/signal';
import type { CaseRef } from '../types';
import { postJson, type RegistryEndpoint } from './http';

/** Path of `lookupDebtServices` in `sdv.openapi.yaml`, bereik's own contract for the SDV registration. */
export const SDV_LOOKUP_PATH = '/v1/debt-services/lookups';

/** The client as the SDV contract takes it: only the BSN when the signal has one, else address and name. */
export function sdvClient(client: Client): Record<string, unknown> {
  if (client.Burgerservicenummer) return { burgerservicenummer: client.Burgerservicenummer };
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
    const body = await postJson('Sdv', endpoint, SDV_LOOKUP_PATH, { municipality, client: sdvClient(client) });
    const { known, trajectory } = (typeof body === 'object' && body !== null ? body : {}) as {
      known?: unknown;
      trajectory?: unknown;
    };
    if (typeof known !== 'boolean' || typeof trajectory !== 'boolean')
      throw new Error('SDV answered without known and trajectory booleans');
    return { known, trajectory };
  };
}
