import type { Pool } from 'pg';
import { caseIdFor } from '../common/case-id';
import {
  findSignalDelivery,
  forgetUndeliveredSignals,
  lastRounds,
  markSignalsDelivered,
  recordIntake,
  type IntakeSignalRow,
} from '../db/signals';
import { signalPartners } from '../db/partner-signals';
import { signalSchema, type IncomingSignal, type Signal } from '../domain/signal';
import { getPolicy } from '../policy';
import { caseWorkflowInput, type CaseWorkflowClient } from '../workflows/case/client';
import { fieldErrors, pointer, type FieldError } from './problem';

export const MAX_SIGNALS_PER_REQUEST = 10_000;
/** Concurrent signal-with-start calls per request: enough to keep Temporal busy, few enough not to starve others. */
export const DELIVERY_CONCURRENCY = 32;
const DB_CHUNK = 5_000;

export type IntakeStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IntakeResult {
  ID: string | null;
  status: IntakeStatus;
  case?: string;
  errors?: FieldError[];
}

export interface IntakeDeps {
  pool: Pool;
  cases: CaseWorkflowClient;
  caseIdSecret: string;
  policyFor(municipality: string): string;
  /** MATCHING_WINDOW, when set. */
  matchingWindowMs?: number;
  onDeliveryFailure?(error: unknown): void;
  /**
   * A partner key's scope: only that partner's signals are taken in (`signaalpartner.naam` equal to it, or absent
   * and then set to it), a signal ID another partner used is refused, and no result names a case.
   */
  partner?: string;
}

interface ValidSignal {
  index: number;
  signal: Signal;
  caseId: string;
}

const DELIVERY_FAILED_NEW = 'could not be handed to its case right now and was not kept; post this signal again';
const DELIVERY_FAILED_STORED = 'is stored but could not be handed to its case right now; post this signal again';

/**
 * Validates, stores and delivers a batch. Per signal: insert its row (delivered = false, and for a household new to
 * the read model a first round in the staff list), signal-with-start its case workflow, then mark it delivered. A
 * crash in between leaves an undelivered row, which a re-post of the same ID delivers again (the workflow ignores
 * signal IDs it has seen) while answering `duplicate`.
 */
export async function intakeSignals(
  deps: IntakeDeps,
  municipality: string,
  raw: readonly unknown[],
  rowErrors = new Map<number, FieldError[]>(),
): Promise<IntakeResult[]> {
  const results: IntakeResult[] = new Array(raw.length);
  const valid: ValidSignal[] = [];
  const firstIndexOfId = new Map<string, number>();

  raw.forEach((candidate, index) => {
    const errors = rowErrors.get(index);
    const parsed = signalSchema.safeParse(candidate);
    if (errors || !parsed.success) {
      results[index] = {
        ID: rawId(candidate),
        status: 'rejected',
        errors: [...(errors ?? []), ...(parsed.success ? [] : fieldErrors(parsed.error, ['signals', index]))],
      };
      return;
    }
    const signal = parsed.data;
    if (deps.partner !== undefined && (signal.signaalpartner.naam ?? deps.partner) !== deps.partner) {
      results[index] = {
        ID: signal.ID,
        status: 'rejected',
        errors: [
          { path: pointer(['signals', index, 'signaalpartner', 'naam']), message: notThisPartner(deps.partner) },
        ],
      };
      return;
    }
    if (deps.partner !== undefined) signal.signaalpartner.naam = deps.partner;
    const caseId = caseIdFor(deps.caseIdSecret, municipality, signal.client);
    if (firstIndexOfId.has(signal.ID)) {
      results[index] = { ID: signal.ID, status: 'duplicate', case: caseId };
      return;
    }
    firstIndexOfId.set(signal.ID, index);
    valid.push({ index, signal, caseId });
  });

  const receivedAt = new Date().toISOString();
  const inserted = new Set<string>();
  for (let i = 0; i < valid.length; i += DB_CHUNK) {
    const chunk = valid.slice(i, i + DB_CHUNK);
    for (const id of await recordIntake(
      deps.pool,
      municipality,
      chunk.map((v) => intakeRow(v, receivedAt)),
    ))
      inserted.add(id);
  }
  const existing = await findSignalDelivery(
    deps.pool,
    municipality,
    valid.filter((v) => !inserted.has(v.signal.ID)).map((v) => v.signal.ID),
  );

  const takenBy =
    deps.partner === undefined
      ? new Map<string, string | null>()
      : await signalPartners(
          deps.pool,
          municipality,
          valid.filter((v) => !inserted.has(v.signal.ID)).map((v) => v.signal.ID),
        );
  const toDeliver: ValidSignal[] = [];
  for (const v of valid) {
    if (takenBy.has(v.signal.ID) && takenBy.get(v.signal.ID) !== deps.partner) {
      results[v.index] = {
        ID: v.signal.ID,
        status: 'rejected',
        errors: [{ path: pointer(['signals', v.index, 'ID']), message: ID_TAKEN }],
      };
      continue;
    }
    if (inserted.has(v.signal.ID)) {
      results[v.index] = { ID: v.signal.ID, status: 'accepted', case: v.caseId };
      toDeliver.push(v);
      continue;
    }
    const stored = existing.get(v.signal.ID);
    // A row can vanish between insert and look-up only when a concurrent post's delivery failed; treat it as taken.
    const caseId = stored?.caseId ?? v.caseId;
    results[v.index] = { ID: v.signal.ID, status: 'duplicate', case: caseId };
    if (stored && !stored.delivered && stored.caseId === v.caseId) toDeliver.push(v);
  }

  const delivered: string[] = [];
  const failed: ValidSignal[] = [];
  // A household whose earlier workflow ended (dormant window over) starts again at its next round number, so the
  // new round's case reference never overwrites an old one in the read model.
  const rounds = await lastRounds(deps.pool, municipality, [...new Set(toDeliver.map((v) => v.caseId))]);
  const policyName = deps.policyFor(municipality);
  const policy = { name: policyName, version: getPolicy(policyName).version };

  await forEachConcurrently(toDeliver, DELIVERY_CONCURRENCY, async (v) => {
    const incoming: IncomingSignal = { signal: v.signal, municipality, receivedAt };
    const start = caseWorkflowInput({
      municipality,
      policy,
      round: (rounds.get(v.caseId) ?? 0) + 1,
      matchingWindowMs: deps.matchingWindowMs,
    });
    const outcome = await deps.cases.deliverSignal(v.caseId, incoming, start);
    if (outcome.kind === 'delivered') {
      delivered.push(v.signal.ID);
    } else {
      deps.onDeliveryFailure?.(outcome.error);
      failed.push(v);
    }
  });

  for (let i = 0; i < delivered.length; i += DB_CHUNK)
    await markSignalsDelivered(deps.pool, municipality, delivered.slice(i, i + DB_CHUNK));
  const failedNew = failed.filter((v) => inserted.has(v.signal.ID)).map((v) => v.signal.ID);
  await forgetUndeliveredSignals(deps.pool, municipality, failedNew);
  for (const v of failed) {
    const message = inserted.has(v.signal.ID) ? DELIVERY_FAILED_NEW : DELIVERY_FAILED_STORED;
    results[v.index] = {
      ID: v.signal.ID,
      status: 'rejected',
      errors: [{ path: pointer(['signals', v.index]), message }],
    };
  }
  // A partner sees no case details, not even the opaque case ID.
  if (deps.partner !== undefined) for (const r of results) delete r.case;
  return results;
}

const ID_TAKEN = 'is already the ID of another signal in this municipality; give each signal an ID of its own';
const notThisPartner = (partner: string) =>
  `must be "${partner}", the signal partner this key speaks for (or left out); post other partners' signals with their own key`;

function intakeRow(v: ValidSignal, receivedAt: string): IntakeSignalRow {
  const s = v.signal;
  return {
    signalId: s.ID,
    caseId: v.caseId,
    partnerType: s.signaalpartner.type,
    amount: s.bedrag,
    signaaldatum: s.signaaldatum,
    ontstaansdatum: s.ontstaansdatum ?? null,
    crisis: s.crisissignaal,
    warmeOverdracht: s.warmeOverdracht ?? null,
    receivedAt,
    partner: s.signaalpartner.naam ?? null,
  };
}

function rawId(candidate: unknown): string | null {
  const id =
    candidate !== null && typeof candidate === 'object' ? (candidate as Record<string, unknown>).ID : undefined;
  return typeof id === 'string' ? id.slice(0, 100) : null;
}

async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(lanes);
}
