import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { CASE_ID_PATTERN, municipalityOfCase } from '../common/case-id';
import type { CaseView } from '../domain/case';
import type { CaseEvent } from '../domain/events';
import { caseExists, latestCaseView } from '../db/repository';
import { problems } from './problem';
import { applyEvent, caseState, type EventAccepted } from '../workflows/case/messages';

const QUERY_DEADLINE_MS = 5_000;
const UPDATE_DEADLINE_MS = 30_000;

/** The case ID when it is well-formed and belongs to `municipality`; null otherwise (the caller answers 404). */
export function ownCaseId(raw: string, municipality: string): string | null {
  return CASE_ID_PATTERN.test(raw) && municipalityOfCase(raw) === municipality ? raw : null;
}

export type CaseLookup = { source: 'workflow' | 'read-model'; view: CaseView } | null;

/** The running workflow's own state when it runs (and answers in time), else the read model's last saved view. */
export async function currentCaseView(client: Client, pool: Pool, municipality: string, caseId: string): Promise<CaseLookup> {
  const handle = client.workflow.getHandle(caseId);
  try {
    const description = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.describe());
    if (description.status.name === 'RUNNING') {
      const view = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(caseState));
      return { source: 'workflow', view };
    }
  } catch (error) {
    // Not found, or a worker that is slow to answer: the read model still knows what was saved last.
    if (!(error instanceof WorkflowNotFoundError)) {
      const view = await latestCaseView(pool, municipality, caseId);
      if (view) return { source: 'read-model', view };
      throw problems.unavailable('The case cannot be read right now; try again.');
    }
  }
  const view = await latestCaseView(pool, municipality, caseId);
  return view ? { source: 'read-model', view } : null;
}

export type EventOutcome =
  | { kind: 'accepted'; result: EventAccepted }
  | { kind: 'rejected'; reason: string }
  | { kind: 'not_found' }
  | { kind: 'unavailable'; reason: string };

/** Sends an event through the workflow's `applyEvent` update; its validator's rejection comes back as `rejected`. */
export async function sendCaseEvent(client: Client, pool: Pool, municipality: string, caseId: string, event: CaseEvent): Promise<EventOutcome> {
  const handle = client.workflow.getHandle(caseId);
  try {
    const result = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(applyEvent, { args: [event] }));
    return { kind: 'accepted', result };
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      return { kind: 'rejected', reason: error.cause?.message || error.message };
    }
    if (error instanceof WorkflowNotFoundError || isCompletedWorkflowError(error)) {
      return (await caseExists(pool, municipality, caseId)) ? { kind: 'rejected', reason: 'the case has ended; events are no longer accepted' } : { kind: 'not_found' };
    }
    return { kind: 'unavailable', reason: 'the case did not answer in time; try again' };
  }
}

function isCompletedWorkflowError(error: unknown): boolean {
  const message = error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}` : '';
  return /workflow execution already completed|workflow not found/i.test(message);
}
