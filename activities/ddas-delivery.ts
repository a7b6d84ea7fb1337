import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { buildDdasDeliveryV12, ddasV12Errors } from '../common/ddas-v12';
import type { Keyring } from '../common/encryption-keys';
import { insertAudit } from '../db/audit';
import { recordDdasDelivery } from '../db/ddas-deliveries';
import { ddasFacts } from '../db/reports';
import type { MunicipalityDirectory } from '../domain/municipalities';

export interface DdasDeliveryDeps {
  pool: Pool;
  keyring: Keyring;
  municipalities: MunicipalityDirectory;
  supplierCode: string;
  /** DDAS_OUTBOX_DIR: where validated delivery files are put for transfer to CBS. */
  outboxDir: string;
}

export interface DdasDeliveryInput {
  municipality: string;
  from: string; // YYYY-MM-DD, Europe/Amsterdam
  to: string;
}

export interface DdasDeliveryOutcome {
  fileName: string;
  sha256: string;
  signals: number;
  cases: number;
  omittedSignals: number;
}

export interface DdasDeliveryActivities {
  deliverDdasPeriod(input: DdasDeliveryInput): Promise<DdasDeliveryOutcome>;
}

/** Why a delivery is refused for good: it would not validate against the national v1.2 schema. */
export const DDAS_DELIVERY_INVALID = 'DdasDeliveryInvalid';

/**
 * Builds, validates, writes and records one municipality's DDAS v1.2 delivery in one activity, so the delivery (it
 * holds BSNs and addresses) never enters workflow history. A delivery the schema refuses is not written: the
 * activity fails without retries, naming the failing paths (never values), and the refusal is audited.
 */
export function createDdasDeliveryActivities(deps: DdasDeliveryDeps): DdasDeliveryActivities {
  return {
    async deliverDdasPeriod({ municipality, from, to }) {
      const facts = await ddasFacts(deps.pool, municipality, from, to);
      const { delivery, omittedSignals } = buildDdasDeliveryV12({
        municipality,
        from,
        to,
        supplierCode: deps.supplierCode,
        rounds: facts.rounds,
        signals: facts.signals,
        keyring: deps.keyring,
        directoryEntry: deps.municipalities.get(municipality),
      });
      const invalid = ddasV12Errors(delivery);
      const counts = {
        signals: delivery.leveringen[0]!.vroegsignalen.length,
        cases: delivery.leveringen[0]!.vroegsignaalzaken.length,
        omittedSignals,
      };
      const audit = (outcome: 'accepted' | 'failed', detail: object) =>
        insertAudit(deps.pool, {
          municipality,
          keyId: null,
          role: 'system',
          caseId: null,
          action: 'ddas.delivery',
          outcome,
          requestId: null,
          detail: { from, to, version: '1.2', ...counts, ...detail },
        });
      if (invalid.length > 0) {
        await audit('failed', { invalid: invalid.slice(0, 20) });
        throw ApplicationFailure.nonRetryable(
          `The DDAS v1.2 delivery of ${municipality} for ${from}..${to} does not validate and was not delivered: ` +
            invalid
              .slice(0, 5)
              .map((e) => `${e.path} ${e.message}`)
              .join('; '),
          DDAS_DELIVERY_INVALID,
          invalid.slice(0, 20),
        );
      }
      const body = JSON.stringify(delivery, null, 2);
      const sha256 = createHash('sha256').update(body).digest('hex');
      const fileName = `ddas-v1.2-${municipality}-${from}-${to}.json`;
      await mkdir(deps.outboxDir, { recursive: true, mode: 0o700 });
      // Written aside and renamed, so the transfer never picks up half a file.
      const partial = path.join(deps.outboxDir, `.${fileName}.${process.pid}.partial`);
      await writeFile(partial, body, { mode: 0o600 });
      await rename(partial, path.join(deps.outboxDir, fileName));
      await recordDdasDelivery(deps.pool, { municipality, from, to, fileName, sha256, ...counts });
      await audit('accepted', { fileName, sha256 });
      return { fileName, sha256, ...counts };
    },
  };
}
