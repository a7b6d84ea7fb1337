import type { Pool } from 'pg';
import { caseIdFor } from '../../common/case-id';
import type { Keyring } from '../../common/encryption-keys';
import { sealJson } from '../../common/field-crypto';
import { personalAad } from '../../common/personal-data';
import type { CaseView } from '../../domain/case';
import type { WorkItemPacket } from '../../domain/work-items';
import { insertAudit, setAuditOutcome } from '../../db/audit';
import { saveCaseRecord } from '../../db/read-model';
import { claimWorkItem, completeWorkItem, insertWorkItem } from '../../db/work-items';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function viewOf(municipality: string, caseId: string, i: number, now: number, nextAt: number): CaseView {
  const matchedAt = new Date(now - ((i % 20) + 1) * DAY).toISOString();
  return {
    case: caseId,
    caseRef: `${caseId}.1`,
    municipality,
    round: 1,
    status: i % 3 === 0 ? 'visiting' : 'calling',
    segment: i % 10 === 0 ? 'priority' : 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
    signals: [
      {
        ID: `BENCH-${municipality}-${i}`,
        partnerType: 'Energie',
        amount: 250 + (i % 40) * 10,
        signaaldatum: matchedAt.slice(0, 10),
        receivedAt: matchedAt,
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
    ],
    attempts: Array.from({ length: i % 4 }, (_, n) => ({
      soort: 'Telefoon' as const,
      bereikt: false,
      datum: matchedAt.slice(0, 10),
      dagdeel: 'Ochtend' as const,
      at: new Date(Date.parse(matchedAt) + (n + 1) * HOUR).toISOString(),
    })),
    handovers: [],
    chosenMoment: null,
    nextAction: { type: i % 3 === 0 ? 'visit' : 'call', at: new Date(nextAt).toISOString() },
    deadlines: {
      firstAttemptBy: new Date(Date.parse(matchedAt) + 7 * DAY).toISOString(),
      closeBy: new Date(Date.parse(matchedAt) + 28 * DAY).toISOString(),
      breaches: i % 50 === 0 ? [`no contact attempt before the deadline of ${matchedAt}`] : [],
    },
    matchedAt,
    reachedAt: null,
    closedAt: null,
    result: null,
    previousRounds: [],
  };
}

export interface SeedOptions {
  municipality: string;
  cases: number;
  keyring: Keyring;
  caseIdSecret: string;
  now: number;
}

/**
 * Open cases as the workflows would have left them, written through the db/ functions: a saved view with sealed
 * personal data, an open visit for team `visits` (due from a day ago to two days ahead, so every queue group has
 * rows), on every 4th case an earlier visit that is done, on every 10th the open visit claimed, on every 5th a
 * handover to the wijkteam, and two audited staff events. Returns the case IDs.
 */
export async function seedConsoleCases(pool: Pool, options: SeedOptions): Promise<string[]> {
  const { municipality, keyring, now } = options;
  const ids: string[] = [];
  const batch = 16;
  for (let start = 0; start < options.cases; start += batch) {
    const seeded = await Promise.all(
      Array.from({ length: Math.min(batch, options.cases - start) }, async (_, k) => {
        const i = start + k;
        const client = {
          Postcode: `${2500 + Math.floor(i / 500)}AB`,
          Huisnummer: String((i % 500) + 1),
          Achternaam: `Bench${i}`,
          telefoon: '+31612345678',
        };
        const caseId = caseIdFor(options.caseIdSecret, municipality, client);
        // Spread over 72 hours in 17-minute steps, starting a day ago.
        const dueAt = now - DAY + ((i * 17) % (72 * 60)) * 60_000;
        const view = viewOf(municipality, caseId, i, now, dueAt - 2 * HOUR);
        const aad = personalAad(municipality, caseId);
        const packet: WorkItemPacket = { client, instructions: 'Huisbezoek', history: view.attempts };
        const sealedClient = sealJson(keyring, client, aad);
        const sealedPacket = sealJson(keyring, packet, aad);
        await saveCaseRecord(pool, view, [
          { signalId: view.signals[0]!.ID, clientSealed: sealedClient, phoneIndex: null },
        ]);
        const item = (n: number, team: 'visits' | 'wijkteam', due: number) =>
          insertWorkItem(pool, {
            key: `bench-${team}-${n}-${caseId}`,
            municipality,
            caseId,
            caseRef: view.caseRef,
            kind: team === 'visits' ? 'visit' : 'handover',
            team,
            plannedAt: new Date(due - 2 * HOUR).toISOString(),
            dueAt: new Date(due).toISOString(),
            dagdeel: team === 'visits' ? (['Ochtend', 'Middag', 'Avond'] as const)[i % 3]! : null,
            visit: team === 'visits' ? n : null,
            reason: team === 'wijkteam' ? 'warme overdracht' : null,
            packetSealed: sealedPacket,
          });
        if (i % 4 === 0) {
          const earlier = await item(1, 'visits', dueAt - 3 * DAY);
          await completeWorkItem(pool, municipality, earlier.id, 'bench-staff', 'not_at_home');
        }
        const open = await item(i % 4 === 0 ? 2 : 1, 'visits', dueAt);
        if (i % 10 === 0) await claimWorkItem(pool, municipality, open.id, 'bench-staff');
        if (i % 5 === 0) await item(1, 'wijkteam', dueAt);
        for (const type of ['resident_contact', 'note']) {
          const id = await insertAudit(pool, {
            municipality,
            keyId: 'bench-staff',
            role: 'staff',
            caseId,
            action: `event.${type}`,
            requestId: null,
            detail: { type, via: 'console' },
          });
          await setAuditOutcome(pool, id, 'accepted');
        }
        return caseId;
      }),
    );
    ids.push(...seeded);
  }
  return ids;
}
