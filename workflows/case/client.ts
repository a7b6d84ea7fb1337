import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { CaseView } from '../../domain/case';
import type { CaseEvent } from '../../domain/events';
import type { IncomingSignal } from '../../domain/signal';
import type { PolicyChange } from '../../policy';
import { caseWorkflow } from './case-workflow';
import { applyEvent, caseState, signalReceived, type CaseWorkflowInput, type EventAccepted } from './messages';

/**
 * The one way into a case workflow from outside Temporal: intake, staff API, resident page, webhooks, the scenario
 * runner (and the staff console and policy simulator after them) deliver signals, read views and apply events
 * here. Every call answers with a typed outcome; nothing here inspects error messages.
 *
 * A case's workflow ID is its case ID (a keyed hash of the address, never personal data).
 */
export interface CaseWorkflowClient {
  /** Signal-with-start: the signal goes to the running case, or starts the case with `start` and then delivers it. */
  deliverSignal(caseId: string, incoming: IncomingSignal, start: CaseWorkflowInput): Promise<DeliveryOutcome>;
  /** The running workflow's own view of the case (its `caseState` query). */
  readView(caseId: string): Promise<ViewOutcome>;
  /** A staff, resident or webhook event through the `applyEvent` update; the workflow's validator may reject it. */
  applyEvent(caseId: string, event: CaseEvent): Promise<EventOutcome>;
}

export type DeliveryOutcome = { kind: 'delivered' } | { kind: 'unavailable'; error: unknown };

export type ViewOutcome =
  | { kind: 'running'; view: CaseView }
  /** The workflow exists but has ended (the household's dormant window is over). */
  | { kind: 'closed' }
  /** Temporal knows no such workflow (never started, or removed after the namespace's retention). */
  | { kind: 'not_found' }
  | { kind: 'unavailable'; error: unknown };

export type EventOutcome =
  | { kind: 'accepted'; result: EventAccepted }
  /** The workflow's validator refused the event; `reason` is its message, safe to show (no personal data). */
  | { kind: 'rejected'; reason: string }
  /** No running workflow: it ended, or never existed as far as Temporal remembers. */
  | { kind: 'not_running' }
  | { kind: 'unavailable'; error: unknown };

export interface CaseWorkflowClientOptions {
  taskQueue: string;
  queryDeadlineMs?: number;
  updateDeadlineMs?: number;
}

/** Why an event for a case whose workflow has ended is refused. */
export const CASE_ENDED_REASON = 'the case has ended; events are no longer accepted';

const QUERY_DEADLINE_MS = 5_000;
const UPDATE_DEADLINE_MS = 30_000;

/** Wraps the process's one Temporal client. */
export function caseWorkflowClient(client: Client, options: CaseWorkflowClientOptions): CaseWorkflowClient {
  const queryDeadline = options.queryDeadlineMs ?? QUERY_DEADLINE_MS;
  const updateDeadline = options.updateDeadlineMs ?? UPDATE_DEADLINE_MS;
  return {
    async deliverSignal(caseId, incoming, start) {
      try {
        await client.workflow.signalWithStart(caseWorkflow, {
          workflowId: caseId,
          taskQueue: options.taskQueue,
          args: [start],
          signal: signalReceived,
          signalArgs: [incoming],
        });
        return { kind: 'delivered' };
      } catch (error) {
        return { kind: 'unavailable', error };
      }
    },

    async readView(caseId) {
      const handle = client.workflow.getHandle<typeof caseWorkflow>(caseId);
      try {
        const description = await client.withDeadline(Date.now() + queryDeadline, () => handle.describe());
        if (description.status.name !== 'RUNNING') return { kind: 'closed' };
        const view = await client.withDeadline(Date.now() + queryDeadline, () => handle.query(caseState));
        return { kind: 'running', view };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { kind: 'not_found' };
        return { kind: 'unavailable', error };
      }
    },

    async applyEvent(caseId, event) {
      const handle = client.workflow.getHandle<typeof caseWorkflow>(caseId);
      try {
        const result = await client.withDeadline(Date.now() + updateDeadline, () =>
          handle.executeUpdate(applyEvent, { args: [event] }),
        );
        return { kind: 'accepted', result };
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError)
          return { kind: 'rejected', reason: error.cause?.message || error.message };
        if (isNotRunning(error)) return { kind: 'not_running' };
        return { kind: 'unavailable', error };
      }
    },
  };
}

/**
 * Both the server and the time-skipping test server answer an update to a workflow that has ended, or never existed,
 * with gRPC NOT_FOUND, which the client raises as WorkflowNotFoundError (test/workflows/case-client.test.ts).
 */
function isNotRunning(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError;
}

/** What a case workflow starts with. Intake and the scenario runner build it here, nowhere else. */
export function caseWorkflowInput(params: {
  municipality: string;
  policy: { name: string; version: number };
  /** 1 for a new household; the next round number when a household whose workflow ended gets a new signal. */
  round?: number;
  /** MATCHING_WINDOW, when set: overrides the policy's matching window. */
  matchingWindowMs?: number;
  /** The scenario runner's what-if changes to the policy. */
  policyChanges?: PolicyChange[];
}): CaseWorkflowInput {
  return {
    municipality: params.municipality,
    policy: params.policy,
    round: params.round ?? 1,
    previousRounds: [],
    carriedSignals: [],
    ...(params.matchingWindowMs !== undefined ? { matchingWindowMinutes: params.matchingWindowMs / 60_000 } : {}),
    ...(params.policyChanges?.length ? { policyChanges: params.policyChanges } : {}),
  };
}
