import type { CaseActivities } from './types';

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

export function registryActivities(registries: MunicipalRegistries): Pick<CaseActivities, 'checkResidency' | 'lookupDebtServices' | 'enrichPhone'> {
  return {
    checkResidency: (input) => registries.residency(input),
    lookupDebtServices: (input) => registries.debtServices(input),
    enrichPhone: (input) => registries.enrichPhone(input),
  };
}
