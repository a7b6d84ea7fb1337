import { upsertSearchAttributes, patched } from '@temporalio/workflow';
import type { CaseRef } from '../../activities/types';
import type { PlannedAction } from '../../domain/case';
import type { ContactPolicy } from '../../policy/types';
import type { ReadModel } from './proxies';
import { MUNICIPALITY, SEGMENT, STATUS } from './search-attributes';
import type { CaseState } from './state';

/** One round of one case, as every step of the workflow sees it. */
export interface CaseContext {
  readonly policy: ContactPolicy;
  readonly state: CaseState;
  readonly ref: CaseRef;
  readonly readModel: ReadModel;
  /** Idempotency counters and look-up caches of this round's outreach. */
  readonly outreach: { messageSeq: number; invitedAt: number | null; enrichedPhone?: string | null; mobile?: boolean };
  /**
   * The status and segment last published as search attributes, the view last written to the read model, and the
   * revision of that write.
   */
  readonly last: { published: string; persisted: string; revision: number };
  /**
   * Since patch 'work-item-follow-up' the case closes the work items it stops waiting for, puts the conversation to
   * record on a team's list, and follows up unanswered handovers. Runs started before replay without.
   */
  readonly followsWorkItems: boolean;
}

export function caseContext(
  policy: ContactPolicy,
  state: CaseState,
  readModel: ReadModel,
  followsWorkItems: boolean,
): CaseContext {
  return {
    policy,
    state,
    followsWorkItems,
    ref: { caseId: state.caseId, caseRef: state.caseRef, municipality: state.municipality, round: state.round },
    readModel,
    outreach: { messageSeq: 0, invitedAt: null },
    last: { published: '', persisted: '', revision: 0 },
  };
}

export function plan(ctx: CaseContext, type: PlannedAction['type'], at: number, detail?: string): void {
  ctx.state.nextAction = { type, at: new Date(at).toISOString(), ...(detail ? { detail } : {}) };
}

function publish(ctx: CaseContext): void {
  const { state } = ctx;
  const key = `${state.status}|${state.segment ?? ''}`;
  // Cases started before search attributes existed replay without them.
  if (key === ctx.last.published || !patched('search-attributes')) return;
  ctx.last.published = key;
  upsertSearchAttributes([
    { key: MUNICIPALITY, value: state.municipality },
    { key: STATUS, value: state.status },
    ...(state.segment ? [{ key: SEGMENT, value: state.segment }] : []),
  ]);
}

/** Writes the case's view (and the clients' personal data, sealed by the read model) for the staff API's lists. */
export async function persist(ctx: CaseContext): Promise<void> {
  publish(ctx);
  const { state } = ctx;
  const view = state.view();
  ctx.last.persisted = JSON.stringify(view);
  const clients = [...state.signals.values()].map((s) => ({
    signalID: s.summary.ID,
    client: s.incoming.signal.client,
  }));
  ctx.last.revision += 1;
  await ctx.readModel.persistCase({ view, clients, revision: ctx.last.revision });
}

/** Persists when the view differs from the one the read model has. */
export async function persistIfChanged(ctx: CaseContext): Promise<void> {
  if (JSON.stringify(ctx.state.view()) !== ctx.last.persisted) await persist(ctx);
}
