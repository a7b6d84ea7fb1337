import type { Pool } from 'pg';
import { CASE_ID_PATTERN, municipalityOfCase } from '../common/case-id';
import type { CaseView } from '../domain/case';
import type { CaseEvent } from '../domain/events';
import type { Role } from '../db/api-keys';
import { insertAudit, setAuditOutcome } from '../db/audit';
import { caseExists, latestCaseView } from '../db/read-model';
import { CASE_ENDED_REASON, type CaseWorkflowClient } from '../workflows/case/client';
import type { EventAccepted } from '../workflows/case/messages';
import type { ApiMetrics } from './metrics';
import { problems } from './problem';

/** The case ID when it is well-formed and belongs to `municipality`; null otherwise (the caller answers 404). */
export function ownCaseId(raw: string, municipality: string): string | null {
  return CASE_ID_PATTERN.test(raw) && municipalityOfCase(raw) === municipality ? raw : null;
}

export interface CaseAccessDeps {
  pool: Pool;
  cases: CaseWorkflowClient;
  metrics: Pick<ApiMetrics, 'caseEvents'>;
}

export type CaseLookup = { source: 'workflow' | 'read-model'; view: CaseView } | null;

/** The running workflow's own state when it runs (and answers in time), else the read model's last saved view. */
export async function currentCaseView(
  deps: Pick<CaseAccessDeps, 'pool' | 'cases'>,
  municipality: string,
  caseId: string,
): Promise<CaseLookup> {
  // Read alongside Temporal, which takes longer to say a case is not running than the read model takes to answer;
  // a failed read counts only when its view is needed.
  const saved = latestCaseView(deps.pool, municipality, caseId).then(
    (view) => ({ ok: true as const, view }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const read = await deps.cases.readView(caseId);
  if (read.kind === 'running') return { source: 'workflow', view: read.view };
  const result = await saved;
  if (!result.ok) throw result.error;
  const view = result.view;
  if (view) return { source: 'read-model', view };
  // A worker slow to answer for a case the read model does not know yet: that is no proof the case doesn't exist.
  if (read.kind === 'unavailable') throw problems.unavailable('The case cannot be read right now; try again.');
  return null;
}

/** Who sent an event: a staff key, the resident through their link, or Twilio's callbacks. */
export interface EventActor {
  role: Role | 'resident' | 'twilio';
  /** The API key's ID for staff; null for the resident and Twilio. */
  keyId: string | null;
}

export type EventResult =
  | { kind: 'accepted'; result: EventAccepted }
  | { kind: 'rejected'; reason: string }
  | { kind: 'not_found' }
  | { kind: 'unavailable'; reason: string };

export const NO_SUCH_CASE = 'there is no such case';

/**
 * Records one event for a case, whoever sent it: an audit entry (requested), the event through the workflow, the
 * audit outcome, and the `case_events` metric. A case that does not exist is a rejection (`not_found`, audited as
 * rejected): the event is refused, nothing failed. Only an unreachable workflow is a failure, worth a retry.
 */
export async function recordCaseEvent(
  deps: CaseAccessDeps,
  input: {
    municipality: string;
    caseId: string;
    event: CaseEvent;
    actor: EventActor;
    requestId: string | null;
    /** Never personal data: types, enumerations, IDs. */
    detail: Record<string, unknown>;
  },
): Promise<EventResult> {
  const { municipality, caseId, event } = input;
  const auditId = await insertAudit(deps.pool, {
    municipality,
    keyId: input.actor.keyId,
    role: input.actor.role,
    caseId,
    action: `event.${event.type}`,
    requestId: input.requestId,
    detail: input.detail,
  });
  const result = await sendEvent(deps, municipality, caseId, event);
  const outcome = result.kind === 'accepted' ? 'accepted' : result.kind === 'unavailable' ? 'failed' : 'rejected';
  const reason = result.kind === 'rejected' ? result.reason : result.kind === 'not_found' ? NO_SUCH_CASE : undefined;
  await setAuditOutcome(deps.pool, auditId, outcome, reason);
  deps.metrics.caseEvents.inc({ type: event.type, outcome });
  return result;
}

async function sendEvent(
  deps: CaseAccessDeps,
  municipality: string,
  caseId: string,
  event: CaseEvent,
): Promise<EventResult> {
  const sent = await deps.cases.applyEvent(caseId, event);
  switch (sent.kind) {
    case 'accepted':
    case 'rejected':
      return sent;
    case 'not_running':
      return (await caseExists(deps.pool, municipality, caseId))
        ? { kind: 'rejected', reason: CASE_ENDED_REASON }
        : { kind: 'not_found' };
    case 'unavailable':
      return { kind: 'unavailable', reason: 'the case did not answer in time; try again' };
  }
}
