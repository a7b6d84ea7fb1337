import type { Client, Connection } from '@temporalio/client';
import { caseIdFor } from '../../common/case-id';
import type { CaseEvent } from '../../domain/events';
import type { IncomingSignal } from '../../domain/signal';
import type { PolicyChange } from '../../policy';
import { CASE_ENDED_REASON, caseWorkflowClient, caseWorkflowInput } from '../../workflows/case/client';
import type { Timeline } from './timeline';

export interface DeliveryActivities {
  deliverSignal(incoming: IncomingSignal): Promise<void>;
  deliverEvent(delivery: { caseId?: string; signalID?: string; event: CaseEvent; at: number }): Promise<void>;
  /** The scenario's end: the test server's clock stops skipping, so no case moves on past `until` while it ends. */
  stopTheClock(): Promise<void>;
}

export interface DeliveryContext {
  client: Client;
  taskQueue: string;
  caseIdSecret: string;
  policy: { name: string; version: number };
  policyChanges?: PolicyChange[];
  timeline: Timeline;
  /** Told each case identity before its signal is delivered (the runner routes that case's activities by it). */
  beforeDelivery?: (caseId: string) => void;
}

/** Delivers scenario input through the same Temporal messages the API uses. */
export function createDeliveryActivities(ctx: DeliveryContext): DeliveryActivities {
  const cases = caseWorkflowClient(ctx.client, { taskQueue: ctx.taskQueue });
  const caseOfSignal = new Map<string, string>();
  let firstCase: string | null = null;
  return {
    async deliverSignal(incoming) {
      const caseId = caseIdFor(ctx.caseIdSecret, incoming.municipality, incoming.signal.client);
      caseOfSignal.set(incoming.signal.ID, caseId);
      ctx.beforeDelivery?.(caseId);
      firstCase ??= caseId;
      const delivered = await cases.deliverSignal(
        caseId,
        incoming,
        caseWorkflowInput({
          municipality: incoming.municipality,
          policy: ctx.policy,
          policyChanges: ctx.policyChanges,
        }),
      );
      if (delivered.kind === 'unavailable') throw delivered.error;
    },
    async deliverEvent({ caseId, signalID, event, at }) {
      const target = caseId ?? (signalID ? caseOfSignal.get(signalID) : undefined) ?? firstCase;
      if (!target) return;
      const outcome = await cases.applyEvent(target, event);
      // A rejected or late event is part of what the scenario shows, not a runner failure.
      if (outcome.kind === 'rejected') ctx.timeline.rejected(target, at, event.type, outcome.reason);
      else if (outcome.kind === 'not_running') ctx.timeline.rejected(target, at, event.type, CASE_ENDED_REASON);
      else if (outcome.kind === 'unavailable') throw outcome.error;
    },
    async stopTheClock() {
      await (ctx.client.connection as Connection).testService?.lockTimeSkipping({});
    },
  };
}
