import { ActivityFailure, condition, log } from '@temporalio/workflow';
import type { Handover, HandoverTarget } from '../../domain/case';
import { persist, type CaseContext } from './context';
import { handoverKey } from './outreach';
import { providers } from './proxies';

const DAY = 24 * 60 * 60_000;

/**
 * Every handover is answered by its team within `deadlines.handoverOutcomeDays`. Past that it is overdue: the round
 * records a breach and reminds the team, up to `deadlines.handoverReminders` times, each after another period. An
 * answer closes the handover's work item, whichever way it came. Runs beside the round, through its dormant watch,
 * until the round continues as new or ends.
 */
export async function followUpHandovers(ctx: CaseContext): Promise<never> {
  const { state, policy } = ctx;
  const days = policy.deadlines.handoverOutcomeDays;
  const settled = new Set<HandoverTarget>();
  const givenUp = new Set<HandoverTarget>();
  const answered = () => state.handovers.filter((h) => h.answer).length;
  for (;;) {
    for (const handover of state.handovers.filter((h) => h.answer && !settled.has(h.to))) {
      settled.add(handover.to);
      await providers.closeWorkItem({ ...ctx.ref, key: handoverKey(ctx, handover.to), reason: 'not_needed' });
      await persist(ctx);
    }
    const waiting = state.handovers.filter((h) => !h.answer && h.dueAt !== undefined && !givenUp.has(h.to));
    const [count, answers] = [state.handovers.length, answered()];
    const news = () => state.handovers.length !== count || answered() !== answers;
    if (waiting.length === 0) {
      await condition(news);
      continue;
    }
    const due = Math.min(...waiting.map((h) => Date.parse(h.dueAt as string)));
    if (await condition(news, Math.max(0, due - Date.now()))) continue;
    for (const handover of waiting.filter((h) => Date.parse(h.dueAt as string) <= Date.now())) {
      if (!(await followUp(ctx, handover, days))) givenUp.add(handover.to);
    }
    await persist(ctx);
  }
}

/** Marks the handover overdue and sends the next reminder; false when the reminders are used up. */
async function followUp(ctx: CaseContext, handover: Handover, days: number): Promise<boolean> {
  const { state, policy } = ctx;
  if (!handover.overdue) {
    handover.overdue = true;
    state.breaches.push(`handover to ${handover.to} unanswered after ${days} days (due ${handover.dueAt})`);
  }
  const reminder = (handover.reminders ?? 0) + 1;
  if (reminder > policy.deadlines.handoverReminders) return false;
  handover.reminders = reminder;
  handover.dueAt = new Date(Date.parse(handover.dueAt as string) + days * DAY).toISOString();
  try {
    await providers.remindTeam({ ...ctx.ref, key: handoverKey(ctx, handover.to), reminder });
  } catch (error) {
    // A reminder that could not go out is logged, never the end of the case: the breach stays on record.
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('team reminder could not be sent', { caseRef: state.caseRef, team: handover.to });
  }
  return true;
}
