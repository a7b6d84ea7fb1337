import type { Pool } from 'pg';
import type { CaseActivities } from './types';
import type { Keyring } from '../common/encryption-keys';
import { sealJson } from '../common/field-crypto';
import { personalAad, phoneIndexFor } from '../common/personal-data';
import { saveCaseRecord, type PersonalRow } from '../db/read-model';

export interface PersistenceDeps {
  pool: Pool;
  keyring: Keyring;
  /**
   * PHONE_INDEX_SECRET: key of the blind index that finds a case by phone number (inbound SMS). Without it the
   * index column stays empty.
   */
  phoneIndexSecret?: string;
}

export function createPersistenceActivities(deps: PersistenceDeps): Pick<CaseActivities, 'persistCase'> {
  return {
    async persistCase(record) {
      const { view } = record;
      const aad = personalAad(view.municipality, view.case);
      const personal: PersonalRow[] = record.clients.map(({ signalID, client }) => ({
        signalId: signalID,
        clientSealed: sealJson(deps.keyring, client, aad),
        phoneIndex:
          client.telefoon && deps.phoneIndexSecret ? phoneIndexFor(deps.phoneIndexSecret, client.telefoon) : null,
      }));
      await saveCaseRecord(deps.pool, view, personal, record.revision);
    },
  };
}
