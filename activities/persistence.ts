import type { Pool } from 'pg';
import type { CaseActivities } from './types';
import type { Keyring } from '../common/encryption-keys';
import { blindIndex, sealJson } from '../common/field-crypto';
import { saveCaseRecord, type PersonalRow } from '../db/repository';

export interface PersistenceDeps {
  pool: Pool;
  keyring: Keyring;
  /**
   * PHONE_INDEX_SECRET: key of the blind index that finds a case by phone number (inbound SMS). Without it the
   * index column stays empty.
   */
  phoneIndexSecret?: string;
}

/** AAD of a case's sealed personal data: a ciphertext copied to another case or municipality fails to open. */
export function personalAad(municipality: string, caseId: string): [string, string] {
  return [municipality, caseId];
}

export function phoneIndexFor(secret: string, e164: string): string {
  return blindIndex(secret, e164);
}

export function createPersistenceActivities(deps: PersistenceDeps): Pick<CaseActivities, 'persistCase'> {
  return {
    async persistCase(record) {
      const { view } = record;
      const aad = personalAad(view.municipality, view.case);
      const personal: PersonalRow[] = record.clients.map(({ signalID, client }) => ({
        signalId: signalID,
        clientSealed: sealJson(deps.keyring, client, aad),
        phoneIndex: client.telefoon && deps.phoneIndexSecret ? phoneIndexFor(deps.phoneIndexSecret, client.telefoon) : null,
      }));
      await saveCaseRecord(deps.pool, view, personal);
    },
  };
}
