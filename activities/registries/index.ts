import type { Logger } from 'pino';
import type { RegistryName, RegistrySettings } from '../../config/registries';
import type { CaseActivities } from '../types';
import { createBrpResidency } from './brp';
import { createPhoneEnrichment } from './enrichment';
import { createSdvLookup } from './sdv';

/**
 * Where the municipality's own systems plug in: the BRP (residency), the schulddienstverlening registration and a
 * phone-number enrichment service. Each municipality connects these to its own suppliers.
 */
export interface MunicipalRegistries {
  residency: CaseActivities['checkResidency'];
  debtServices: CaseActivities['lookupDebtServices'];
  enrichPhone: CaseActivities['enrichPhone'];
}

/**
 * The registries of a municipality that has not connected its systems yet: everyone counts as a resident, nobody
 * as known at SDV, and no phone number can be found. Outreach still works; the checks simply don't filter. Start-up
 * logs which checks run unconnected, so nobody mistakes this for a real BRP check.
 */
export const unconnectedRegistries: MunicipalRegistries = {
  async residency() {
    return 'resident';
  },
  async debtServices() {
    return { known: false, trajectory: false };
  },
  async enrichPhone() {
    return { telefoon: null };
  },
};

export function registryActivities(
  registries: MunicipalRegistries,
): Pick<CaseActivities, 'checkResidency' | 'lookupDebtServices' | 'enrichPhone'> {
  return {
    checkResidency: (input) => registries.residency(input),
    lookupDebtServices: (input) => registries.debtServices(input),
    enrichPhone: (input) => registries.enrichPhone(input),
  };
}

/**
 * The registries configuration chose: the HTTP adapters where a URL is set, the unconnected stand-in elsewhere.
 * `connected` names which is which, for the start-up log.
 */
export function createRegistries(
  settings: RegistrySettings,
  deps: { logger?: Logger; fetch?: typeof fetch } = {},
): { registries: MunicipalRegistries; connected: Record<RegistryName, boolean> } {
  const endpoint = (name: RegistryName) => {
    const chosen = settings[name];
    return chosen ? { ...chosen, fetch: deps.fetch, logger: deps.logger } : null;
  };
  const brp = endpoint('brp');
  const sdv = endpoint('sdv');
  const enrichment = endpoint('phone-enrichment');
  return {
    registries: {
      residency: brp ? createBrpResidency(brp) : unconnectedRegistries.residency,
      debtServices: sdv ? createSdvLookup(sdv) : unconnectedRegistries.debtServices,
      enrichPhone: enrichment ? createPhoneEnrichment(enrichment) : unconnectedRegistries.enrichPhone,
    },
    connected: { brp: brp !== null, sdv: sdv !== null, 'phone-enrichment': enrichment !== null },
  };
}
