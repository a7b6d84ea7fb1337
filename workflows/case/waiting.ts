import { condition, patched } from '@temporalio/workflow';
import type { PlannedAction } from '../../domain/case';
import { persistIfChanged, plan, type CaseContext } from './context';
import { interrupted, MomentChosen, NO_CONTACT, RoundEnds, throwIfInterrupted } from './interruptions';

/**
 * The one place the ladder sleeps towards a planned step: until `at`, the close deadline, or something that changes
 * the plan (thrown, see interruptions.ts). Returns the instant the step is recorded at: the planned one, not the
 * few milliseconds later the timer was processed.
 */
export async function waitUntil(
  ctx: CaseContext,
  at: number,
  type: PlannedAction['type'],
  detail: string | undefined,
  closeBy: number,
): Promise<number> {
  const { state } = ctx;
  let target = at;
  for (;;) {
    throwIfInterrupted(state);
    if (state.choicePending) throw new MomentChosen();
    target = Math.min(at, closeBy);
    plan(ctx, target === closeBy && at > closeBy ? 'close' : type, target, detail);
    if (Date.now() >= target) break;
    await sleepUntil(ctx, () => interrupted(state), target - Date.now());
  }
  if (Date.now() >= closeBy) throw new RoundEnds(NO_CONTACT);
  return Math.max(target, Date.now() - 1000);
}

/**
 * Every sleep of a round goes through here. Since patch 'persist-before-sleep' the read model first gets the view
 * when it changed, and an event that changes the view while the case sleeps wakes it to write that too: the case
 * list shows what the case's own query shows. Cases started before the patch sleep as they did.
 */
export async function sleepUntil(ctx: CaseContext, wake: () => boolean, timeoutMs: number): Promise<boolean> {
  if (!patched('persist-before-sleep')) return condition(wake, timeoutMs);
  if (wake()) return true;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await persistIfChanged(ctx);
    const viewChanged = () => JSON.stringify(ctx.state.view()) !== ctx.last.persisted;
    if (!(await condition(() => wake() || viewChanged(), Math.max(0, deadline - Date.now())))) return false;
    if (wake()) return true;
  }
}
