import { log } from '@temporalio/workflow';
import type { PlannedAction } from '../../domain/case';
import {
  nextCallSlot,
  nextMessageMoment,
  planFor,
  priorityReason,
  visitSlots,
  type LadderSegmentPlan,
} from '../../policy';
import { persist, type CaseContext } from './context';
import { MomentChosen, throwIfInterrupted } from './interruptions';
import { call, callAtChosenMoment, callTimes, handover, hasPhoneNumber, sendInvitation, visit } from './outreach';
import { waitUntil } from './waiting';

// The contact ladder of one round: what the case does, in order, until the resident is reached or the round ends.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Waits for a planned step of the ladder. A contact moment the resident chooses meanwhile is called first; then
 * the wait goes on towards the same step, against the close deadline it started with.
 */
export async function waitForStep(
  ctx: CaseContext,
  at: number,
  type: PlannedAction['type'],
  detail?: string,
): Promise<number> {
  const closeBy = ctx.state.closeBy ?? Number.POSITIVE_INFINITY;
  for (;;) {
    try {
      return await waitUntil(ctx, at, type, detail, closeBy);
    } catch (interruption) {
      if (!(interruption instanceof MomentChosen)) throw interruption;
      await callAtChosenMoment(ctx);
    }
  }
}

/** Light and standard cases: an invitation, time to choose, then a phone round and visits, or a reminder. */
export async function contactLadder(ctx: CaseContext, steps: LadderSegmentPlan): Promise<void> {
  const { state, policy, outreach } = ctx;
  if (steps.invite && outreach.invitedAt === null) {
    state.status = 'inviting';
    await invite(ctx, 'invitation');
  }
  const since = outreach.invitedAt ?? Date.now();
  if (steps.phoneRound) {
    await waitForStep(ctx, since + steps.waitForChoiceHours * HOUR, 'wait', 'time to choose a contact moment');
    await phoneRound(ctx);
    if (steps.visitsWhenUnreached) await visits(ctx, 'visit', policy.visits.count);
  } else if (steps.reminderAfterDays !== null && state.chosenMoment === null) {
    await waitForStep(ctx, since + steps.reminderAfterDays * DAY, 'message', 'reminder');
    if (state.chosenMoment === null) await invite(ctx, 'reminder');
  }
}

/**
 * Priority and warm reopen: the case is handed over at once, a priority case to the wijkteam, a warm reopen to
 * `escalation.reopenTo`. The wijkteam works the segment's plan of calls and visits; another team works the case on
 * its own until the close deadline.
 */
export async function wijkteamRoute(ctx: CaseContext): Promise<void> {
  const { state, policy } = ctx;
  const to = state.flags.reopenedWarm ? policy.escalation.reopenTo : 'wijkteam';
  if (!state.handovers.some((h) => h.to === to)) {
    const reason = state.flags.reopenedWarm
      ? 'new signal after an earlier round: warm reopen'
      : `priority case: ${priorityReason(policy, { crisis: state.flags.crisis, partnerTypes: state.workedSignals.map((s) => s.partnerType) })}`;
    await handover(ctx, to, reason);
  }
  state.status = 'handed_over';
  state.workedBy = to;
  await persist(ctx);
  if (to !== 'wijkteam') return;
  // Visit first, then a call some hours later, on different days and dagdelen: the policy's spreading rules
  // apply to the wijkteam's calls too.
  const { visits: visitCount, calls: callCount } = planFor(policy, state.segment ?? 'standard').wijkteamPlan;
  const visitPlan = visitSlots(policy, Date.now(), visitCount);
  for (let i = 0; i < Math.max(visitCount, callCount); i++) {
    if (i < visitPlan.length) {
      const at = await waitForStep(ctx, Math.max(visitPlan[i], Date.now()), 'visit', `visit ${i + 1}`);
      await visit(ctx, i + 1, at, 'wijkteam');
    }
    if (i < callCount && (await hasPhoneNumber(ctx))) {
      const after = Date.now() + policy.phoneRound.minGapMinutes * MINUTE;
      const slot = await waitForStep(
        ctx,
        nextCallSlot(policy, after, callTimes(ctx)),
        'call',
        `wijkteam call ${i + 1}`,
      );
      await call(ctx, 'wijkteam', slot);
      throwIfInterrupted(state);
    }
  }
}

async function invite(ctx: CaseContext, purpose: 'invitation' | 'reminder'): Promise<void> {
  await waitForStep(ctx, nextMessageMoment(ctx.policy, Date.now()), 'message', purpose);
  await sendInvitation(ctx, purpose);
}

async function phoneRound(ctx: CaseContext): Promise<void> {
  const { state, policy } = ctx;
  if (!(await hasPhoneNumber(ctx))) {
    log.info('no phone number after enrichment; skipping the phone round', { caseRef: state.caseRef });
    return;
  }
  state.status = 'calling';
  await persist(ctx);
  while (callTimes(ctx).length < policy.phoneRound.maxAttempts && !state.blockedChannels.has('phone')) {
    const slot = await waitForStep(
      ctx,
      nextCallSlot(policy, Date.now(), callTimes(ctx)),
      'call',
      `attempt ${callTimes(ctx).length + 1}`,
    );
    await call(ctx, 'round', slot);
    throwIfInterrupted(state);
  }
}

async function visits(ctx: CaseContext, team: 'visit' | 'wijkteam', count: number): Promise<void> {
  for (const [i, slot] of visitSlots(ctx.policy, Date.now(), count).entries()) {
    const at = await waitForStep(ctx, slot, 'visit', `visit ${i + 1}`);
    await visit(ctx, i + 1, at, team);
  }
}
