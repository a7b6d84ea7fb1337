import { ActivityFailure, log } from '@temporalio/workflow';
import type { SendMessageResult } from '../../activities/types';
import type { HandoverTarget, MessageChannel, MessagePurpose } from '../../domain/case';
import { CONTACTSOORT_OF_CHANNEL, isContactAttempt } from '../../domain/ddas';
import { closeDeadline, dagdeelAt, invitationChannels } from '../../policy';
import { providers, registries } from './proxies';
import { persist, plan, type CaseContext } from './context';
import { throwIfInterrupted } from './interruptions';
import { sleepUntil } from './waiting';

// The steps that reach the resident or a team, each with its idempotency key: a retried activity never sends,
// calls or hands over twice. None of them waits for a planned moment; the ladder does that first.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function isMobile(ctx: CaseContext): Promise<boolean> {
  const telefoon = ctx.state.client.telefoon;
  if (!telefoon) return false;
  ctx.outreach.mobile ??= (await registries.lookupLineType({ ...ctx.ref, telefoon })).mobile;
  return ctx.outreach.mobile;
}

/**
 * A registry that refuses a request for good (a non-retryable failure: the request itself can never succeed) leaves
 * its check undone, never the case: outreach goes on as if that registry were not connected. Other failures retry.
 */
export async function unlessRefused<T>(
  ctx: CaseContext,
  registry: string,
  lookUp: () => Promise<T>,
  unchecked: T,
): Promise<T> {
  try {
    return await lookUp();
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('registry refused the request; the check is left undone', { caseRef: ctx.state.caseRef, registry });
    return unchecked;
  }
}

async function phoneNumber(ctx: CaseContext): Promise<string | null> {
  const { state, outreach } = ctx;
  if (state.client.telefoon) return state.client.telefoon;
  if (outreach.enrichedPhone === undefined) {
    const enrich = () => registries.enrichPhone({ ...ctx.ref, client: state.client });
    outreach.enrichedPhone = (await unlessRefused(ctx, 'phone-enrichment', enrich, { telefoon: null })).telefoon;
  }
  return outreach.enrichedPhone;
}

/** Whether the case has a number to call, the partner's or one found by enrichment. */
export async function hasPhoneNumber(ctx: CaseContext): Promise<boolean> {
  return Boolean(await phoneNumber(ctx));
}

/** The instants of this round's phone attempts, for spreading the next one. */
export function callTimes(ctx: CaseContext): number[] {
  return ctx.state.attempts.filter((a) => a.soort === 'Telefoon').map((a) => Date.parse(a.at));
}

async function send(
  ctx: CaseContext,
  channel: MessageChannel,
  purpose: MessagePurpose,
  extra: { link?: string; moment?: string },
): Promise<boolean> {
  const { state } = ctx;
  if (state.blockedChannels.has(channel)) return false;
  const at = Date.now();
  let result: SendMessageResult;
  try {
    result = await providers.sendMessage({
      ...ctx.ref,
      messageKey: `${state.caseRef}:msg:${++ctx.outreach.messageSeq}`,
      channel,
      purpose,
      segment: state.segment ?? 'standard',
      repeat: state.flags.opeenvolgend || state.flags.reopenedWarm,
      client: state.client,
      at: new Date(at).toISOString(),
      ...extra,
    });
  } catch (error) {
    // A channel that refuses for good (a template error, a provider's permanent rejection) is a channel not
    // taken, never the end of the case: the invitation falls back to another channel.
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('message could not be sent', { caseRef: state.caseRef, channel, purpose });
    return false;
  }
  if (result.sent && isContactAttempt(purpose)) state.recordAttempt(CONTACTSOORT_OF_CHANNEL[channel], false, at);
  return result.sent;
}

/** Sends the invitation or reminder on every channel the policy picks for the segment, with the personal link. */
export async function sendInvitation(ctx: CaseContext, purpose: 'invitation' | 'reminder'): Promise<void> {
  const { state, policy } = ctx;
  const segment = state.segment ?? 'standard';
  const contact = {
    mobile: await isMobile(ctx),
    landline: Boolean(state.client.telefoon) && !(await isMobile(ctx)),
    email: Boolean(state.client.email),
  };
  const channels = invitationChannels(policy, segment, contact).filter(
    (c: MessageChannel) => !state.blockedChannels.has(c),
  );
  // Invitations go out after matching, so the close deadline is known; the policy's own deadline stands in otherwise.
  const closeBy = state.closeBy ?? closeDeadline(policy, state.matchedAt ?? Date.now());
  const expiresAt = new Date(closeBy + policy.deadlines.linkValidDaysAfterClose * DAY).toISOString();
  const link = await providers.residentLink({ ...ctx.ref, expiresAt });
  let sent = false;
  for (const channel of channels) sent = (await send(ctx, channel, purpose, { link })) || sent;
  // A message no channel could carry (an SMS the line can't take) goes by the fallback, so it always goes somewhere.
  const { fallback } = policy.invitationChannels;
  if (!sent && !channels.includes(fallback) && !state.blockedChannels.has(fallback))
    await send(ctx, fallback, purpose, { link });
  if (purpose === 'invitation') ctx.outreach.invitedAt = Date.now();
  await persist(ctx);
}

async function sendConfirmation(ctx: CaseContext, moment: number): Promise<void> {
  const { state, policy } = ctx;
  const digital: MessageChannel[] = (await isMobile(ctx))
    ? [policy.invitationChannels.mobile]
    : state.client.email
      ? [policy.invitationChannels.email]
      : [];
  for (const channel of digital)
    if (await send(ctx, channel, 'confirmation', { moment: new Date(moment).toISOString() })) return;
}

/** A call the provider refuses (permanently, or after the activity's retries) is a technical failure of the attempt. */
async function placed(ctx: CaseContext, place: () => Promise<unknown>): Promise<boolean> {
  try {
    await place();
    return true;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('call could not be placed', { caseRef: ctx.state.caseRef });
    return false;
  }
}

/**
 * Places one call attempt and waits for its outcome; technical failures are retried, not counted. True when the
 * resident answered.
 */
export async function call(
  ctx: CaseContext,
  kind: 'round' | 'chosen_moment' | 'wijkteam',
  plannedAt: number,
): Promise<boolean> {
  const { state, policy } = ctx;
  if (state.blockedChannels.has('phone')) return false;
  const telefoon = await phoneNumber(ctx);
  if (!telefoon) return false;
  const attempt = callTimes(ctx).length + 1;
  for (let technicalTry = 0; ; technicalTry++) {
    const at = technicalTry === 0 ? plannedAt : Date.now();
    state.expect({ kind: 'call', attempt });
    const callKey = `${state.caseRef}:call:${attempt}:${technicalTry}`;
    if (
      await placed(ctx, () =>
        providers.placeCall({ ...ctx.ref, callKey, attempt, kind, telefoon, at: new Date(at).toISOString() }),
      )
    ) {
      const timeout = policy.phoneRound.outcomeTimeoutMinutes * MINUTE;
      plan(ctx, 'wait', Date.now() + timeout, `outcome of call ${attempt}`);
      await sleepUntil(ctx, () => state.callOutcome !== null || state.stop !== null, timeout);
    }
    const outcome = state.takeCallOutcome()?.outcome ?? 'failed';
    if (state.stop !== null) return false;
    if (outcome === 'failed' && technicalTry < policy.phoneRound.technicalRetries) {
      const delay = policy.phoneRound.technicalRetryDelayMinutes * MINUTE;
      plan(
        ctx,
        kind === 'chosen_moment' ? 'chosen_moment_call' : 'call',
        Date.now() + delay,
        `call ${attempt} again after a technical failure`,
      );
      await sleepUntil(ctx, () => state.stop !== null, delay);
      if (state.stop !== null) return false;
      continue;
    }
    const answered = outcome === 'answered';
    state.recordAttempt('Telefoon', answered, at);
    if (answered) state.markReached(Date.now(), kind === 'wijkteam' ? 'wijkteam' : 'callcentre');
    await persist(ctx);
    return answered;
  }
}

/**
 * The resident's own moment: confirmed once per chosen moment, called then, and once more a little later when
 * missed. A new choice meanwhile replaces the moment. Throws when the resident is reached or outreach stops.
 */
export async function callAtChosenMoment(ctx: CaseContext): Promise<void> {
  const { state, policy } = ctx;
  const statusBefore = state.status;
  const retryDelay = policy.chosenMoment.retryAfterMinutes * MINUTE;
  const newsOrChoice = () => state.stop !== null || state.reachedAt !== null || state.choicePending;
  let confirmed: number | null = null;
  for (;;) {
    state.choicePending = false;
    const moment = state.chosenMoment as number;
    state.status = 'scheduled';
    // The resident's choice wins over the close deadline: it was offered inside the policy's horizon.
    if (state.closeBy !== null && moment + retryDelay + HOUR > state.closeBy)
      state.closeBy = moment + retryDelay + HOUR;
    plan(ctx, 'chosen_moment_call', moment);
    await persist(ctx);
    if (confirmed !== moment) {
      confirmed = moment;
      await sendConfirmation(ctx, moment);
    }
    await sleepUntil(ctx, newsOrChoice, Math.max(0, moment - Date.now()));
    throwIfInterrupted(state);
    if (state.choicePending) continue;
    if (await call(ctx, 'chosen_moment', Math.max(moment, Date.now() - 1000))) throwIfInterrupted(state);
    // When the call's outcome came late, the retry goes now, and the plan says so.
    const retryAt = moment + retryDelay;
    plan(ctx, 'chosen_moment_call', Math.max(retryAt, Date.now()), 'retry');
    await sleepUntil(ctx, newsOrChoice, Math.max(0, retryAt - Date.now()));
    throwIfInterrupted(state);
    if (state.choicePending) continue;
    if (await call(ctx, 'chosen_moment', Math.max(retryAt, Date.now() - 1000))) throwIfInterrupted(state);
    state.status = statusBefore;
    return;
  }
}

/** Puts a home visit on the team's list at `at` and waits for its outcome; an absent resident gets a card. */
export async function visit(
  ctx: CaseContext,
  visitNumber: number,
  at: number,
  team: 'visit' | 'wijkteam',
): Promise<void> {
  const { state, policy } = ctx;
  state.status = team === 'wijkteam' ? 'handed_over' : 'visiting';
  state.expect({ kind: 'visit', visit: visitNumber });
  const timeout = policy.visits.outcomeTimeoutHours * HOUR;
  const visitKey = `${state.caseRef}:visit:${visitNumber}`;
  await providers.createVisitTask({
    ...ctx.ref,
    visitKey,
    visit: visitNumber,
    plannedAt: new Date(at).toISOString(),
    dueAt: new Date(Date.now() + timeout).toISOString(),
    dagdeel: dagdeelAt(policy, at),
    team,
    client: state.client,
  });
  plan(ctx, 'wait', Date.now() + timeout, `outcome of visit ${visitNumber}`);
  await persist(ctx);
  await sleepUntil(ctx, () => state.visitOutcome !== null || state.stop !== null || state.reachedAt !== null, timeout);
  const outcome = state.takeVisitOutcome();
  if (outcome) {
    state.recordAttempt('Huisbezoek', outcome.atHome, at);
    if (outcome.atHome) state.markReached(Date.now(), team === 'wijkteam' ? 'wijkteam' : 'visits');
    else state.recordAttempt('Kaartje', false, at);
    await persist(ctx);
  } else if (ctx.followsWorkItems) {
    const movedOn = state.stop !== null || state.reachedAt !== null;
    await providers.closeWorkItem({ ...ctx.ref, key: visitKey, reason: movedOn ? 'not_needed' : 'lapsed' });
  }
  throwIfInterrupted(state);
}

/** A warm handover: the next worker gets the whole contact history, and the best time to call when known. */
export async function handover(
  ctx: CaseContext,
  to: HandoverTarget,
  reason: string,
  warm: { bestTimeToCall?: string; description?: string } = {},
): Promise<void> {
  const { state } = ctx;
  const at = Date.now();
  await providers.warmHandover({
    ...ctx.ref,
    handoverKey: handoverKey(ctx, to),
    to,
    reason,
    at: new Date(at).toISOString(),
    dueAt: new Date(at + ctx.policy.deadlines.handoverOutcomeDays * DAY).toISOString(),
    history: [...state.previousRounds.flatMap((r) => r.attempts), ...state.attempts],
    client: state.client,
    ...warm,
  });
  state.recordHandover(to, at, reason, ctx.policy.deadlines.handoverOutcomeDays);
  await persist(ctx);
}

/** The handover's work item key: one handover per team and round. */
export function handoverKey(ctx: CaseContext, to: HandoverTarget): string {
  return `${ctx.state.caseRef}:handover:${to}`;
}

/**
 * Once the resident is reached, the conversation to record goes on the list of the team that reached them, unless
 * that team's handover already is the place to record it. Its key, or null when no item was made.
 */
export async function conversationItem(ctx: CaseContext, dueAt: number): Promise<string | null> {
  const { state } = ctx;
  const team = state.reachedBy ?? 'callcentre';
  if (!ctx.followsWorkItems || state.conversation !== null || state.stop !== null) return null;
  if (state.handovers.some((h) => h.to === team && !h.answer)) return null;
  const conversationKey = `${state.caseRef}:conversation`;
  await providers.createConversationTask({
    ...ctx.ref,
    conversationKey,
    team,
    at: new Date().toISOString(),
    dueAt: new Date(dueAt).toISOString(),
    history: [...state.previousRounds.flatMap((r) => r.attempts), ...state.attempts],
    client: state.client,
  });
  return conversationKey;
}
