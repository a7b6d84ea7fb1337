import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { caseIdFor } from '../../common/case-id';
import type { CaseEvent } from '../../domain/events';
import type { IncomingSignal } from '../../domain/signal';
import { applyEvent, signalReceived, type CaseWorkflowInput } from '../../workflows/case/messages';
import type { Timeline } from './timeline';

export interface DeliveryActivities {
  deliverSignal(incoming: IncomingSignal): Promise<void>;
  deliverEvent(delivery: { caseId?: string; signalID?: string; event: CaseEvent; at: number }): Promise<void>;
}

export interface DeliveryContext {
  client: Client;
  taskQueue: string;
  caseIdSecret: string;
  policy: { name: string; version: number };
  timeline: Timeline;
}

/** Delivers scenario input through the same Temporal messages the API uses. */
export function createDeliveryActivities(ctx: DeliveryContext): DeliveryActivities {
  const caseOfSignal = new Map<string, string>();
  let firstCase: string | null = null;
  return {
    async deliverSignal(incoming) {
      const caseId = caseIdFor(ctx.caseIdSecret, incoming.municipality, incoming.signal.client);
      caseOfSignal.set(incoming.signal.ID, caseId);
      firstCase ??= caseId;
      const input: CaseWorkflowInput = { municipality: incoming.municipality, policy: ctx.policy, round: 1, previousRounds: [], carriedSignals: [] };
      await ctx.client.workflow.signalWithStart('caseWorkflow', {
        workflowId: caseId,
        taskQueue: ctx.taskQueue,
        args: [input],
        signal: signalReceived,
        signalArgs: [incoming],
      });
    },
    async deliverEvent({ caseId, signalID, event, at }) {
      const target = caseId ?? (signalID ? caseOfSignal.get(signalID) : undefined) ?? firstCase;
      if (!target) return;
      try {
        await ctx.client.workflow.getHandle(target).executeUpdate(applyEvent, { args: [event] });
      } catch (error) {
        // A rejected or late event is part of what the scenario shows, not a runner failure.
        const reason = error instanceof WorkflowUpdateFailedError ? (error.cause?.message ?? error.message) : String((error as Error).message ?? error);
        ctx.timeline.rejected(target, at, event.type, reason);
      }
    },
  };
}
