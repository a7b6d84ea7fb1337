import type { Pool } from 'pg';
import type { Keyring } from '../common/encryption-keys';
import type { ChannelActivities } from './channels';
import { createDdasDeliveryActivities, type DdasDeliveryDeps } from './ddas-delivery';
import { createPersistenceActivities } from './persistence';
import { registryActivities, type MunicipalRegistries } from './registries';
import { createResidentLinkActivities } from './resident-link';
import { createRetentionActivities } from './retention';
import { createTeamActivities, type TeamActivitiesDeps } from './teams';
import type { CaseActivities } from './types';

export interface ActivityDeps {
  pool: Pool;
  keyring: Keyring;
  channels: ChannelActivities;
  registries: MunicipalRegistries;
  secrets: { residentLinkSecret: string; phoneIndexSecret: string };
  publicBaseUrl: string;
  notifyTeam?: TeamActivitiesDeps['notify'];
  /** The monthly DDAS delivery's directory, supplier code and municipality directory. */
  ddasDelivery: Omit<DdasDeliveryDeps, 'pool' | 'keyring'>;
}

/** Every activity the worker registers, built from its dependencies. The workflows only know their types. */
export function createActivities(deps: ActivityDeps) {
  const activities: CaseActivities = {
    ...registryActivities(deps.registries),
    ...deps.channels,
    ...createTeamActivities({ pool: deps.pool, keyring: deps.keyring, notify: deps.notifyTeam }),
    ...createPersistenceActivities({
      pool: deps.pool,
      keyring: deps.keyring,
      phoneIndexSecret: deps.secrets.phoneIndexSecret,
    }),
    ...createResidentLinkActivities({ secret: deps.secrets.residentLinkSecret, publicBaseUrl: deps.publicBaseUrl }),
  };
  return {
    ...activities,
    ...createRetentionActivities({ pool: deps.pool }),
    ...createDdasDeliveryActivities({ pool: deps.pool, keyring: deps.keyring, ...deps.ddasDelivery }),
  };
}

export type { CaseActivities } from './types';
