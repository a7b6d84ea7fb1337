import { condition } from '@temporalio/workflow';
import type { PlannedAction } from '../../domain/case';
import { plan, type CaseContext } from './context';
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
    await condition(() => interrupted(state), target - Date.now());
  }
  if (Date.now() >= closeBy) throw new RoundEnds(NO_CONTACT);
  return Math.max(target, Date.now() - 1000);
}
