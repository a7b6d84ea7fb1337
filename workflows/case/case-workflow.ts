import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, CaseRef } from '../../activities/types';
import type { Contactsoort, Eindresultaat } from '../../domain/ddas';
import type { HandoverTarget, MessageChannel, MessagePurpose, PlannedAction, Segment } from '../../domain/case';
import type { IncomingSignal } from '../../domain/signal';
import {
  addMonths,
  closeDeadline,
  firstAttemptDeadline,
  getPolicy,
  invitationChannels,
  nextCallSlot,
  nextMessageMoment,
  planFor,
  segmentFor,
  visitSlots,
} from '../../policy';
import type { ContactPolicy } from '../../policy/types';
import { applyEvent, caseState, signalReceived, type CaseWorkflowInput } from './messages';
import { MUNICIPALITY, SEGMENT, STATUS } from './search-attributes';
import { CaseState } from './state';

/**
 * The event schema is built on a case's first update, not when this module loads: the worker loads workflow
 * modules afresh for every case it takes into its cache, and building zod's schemas was a third of that work.
 */
let caseEventSchema: typeof import('../../domain/events').caseEventSchema | undefined;
function eventSchema() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require is what defers the module
  return (caseEventSchema ??= (require('../../domain/events') as typeof import('../../domain/events')).caseEventSchema);
}

/** Outreach activities talk to providers that may be down for a while; they retry, idempotently, for a day. */
const outreach = proxyActivities<CaseActivities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes' },
});
/** Read-model writes and registry look-ups must not give up: the database may be restarting. */
const recordsOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} as const;
const records = proxyActivities<CaseActivities>(recordsOptions);
/**
 * Since patch 'local-persist' the read-model write runs as a local activity, inside the workflow task that asks
 * for it: a case's most frequent activity then costs no round trip through the server and no workflow task of
 * its own. Only this one: it touches nothing but our own database. Look-ups wait on registries and rate limits,
 * which would hold the worker's workflow task slots.
 */
const localStore = proxyLocalActivities<CaseActivities>(recordsOptions);

export interface CaseWorkflowOutcome {
  rounds: number;
  lastResult: Eindresultaat | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SEGMENT_RANK: Record<Segment, number> = { light: 0, standard: 1, priority: 2 };
const NO_CONTACT: Eindresultaat = 'Definitief geen contact kunnen krijgen';
const ROUNDS_KEPT = 6;

/** Thrown inside a round to end it with a DDAS result (deadline, objection, arrears resolved). */
class RoundEnds {
  constructor(readonly result: Eindresultaat) {}
}
/** Thrown when the resident is reached: the round moves on to the conversation outcome. */
class ResidentReached {}
/** Thrown when a new signal raised the segment: the round re-plans. */
class SegmentRaised {}

/**
 * One household case (municipality + address): matching, checks, segmentation, the contact ladder, closing, and a
 * dormant watch that reopens the case warm when a new signal arrives. Each round continues as new.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseWorkflowOutcome> {
  // Cases started before the patch replay their read-model writes as ordinary activities.
  const store = patched('local-persist') ? localStore : records;
  const policy = getPolicy(input.policy.name, input.policy.version);
  const state = new CaseState(workflowInfo().workflowId, input.municipality, input.round, policy, input.previousRounds);
  state.flags.reopenedWarm = input.previousRounds.length > 0;
  const ref: CaseRef = { caseId: state.caseId, caseRef: state.caseRef, municipality: state.municipality, round: state.round };
  let segmentRaised = false;
  let messageSeq = 0;
  let invitedAt: number | null = null;
  let enrichedPhone: string | null | undefined;
  let mobile: boolean | undefined;

  const receive = (incoming: IncomingSignal) => {
    if (state.signals.has(incoming.signal.ID) || state.reopeners.some((s) => s.signal.ID === incoming.signal.ID)) return;
    const repeat = isRepeat(policy, state, incoming);
    if (state.active) {
      state.addSignal(incoming, repeat);
      if (!repeat && state.segment !== null) {
        const raised = segmentFor(policy, segmentFacts());
        if (SEGMENT_RANK[raised] > SEGMENT_RANK[state.segment]) {
          state.segment = raised;
          segmentRaised = true;
        }
      }
    } else if (repeat && !policy.escalation.repeatsReopenWarm) {
      state.addSignal(incoming, true); // recorded, not worked
    } else {
      state.reopeners.push(incoming);
    }
  };
  setHandler(signalReceived, receive);
  setHandler(
    applyEvent,
    (event) => {
      state.apply(event, Date.now());
      return { accepted: true, status: state.status };
    },
    {
      validator: (event) => {
        const parsed = eventSchema().safeParse(event);
        if (!parsed.success) throw new Error(`invalid event: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'event'} ${i.message}`).join('; ')}`);
        const rejection = state.rejectionFor(parsed.data, Date.now());
        if (rejection) throw new Error(rejection);
      },
    },
  );
  setHandler(caseState, () => state.view());
  input.carriedSignals.forEach(receive);

  let published = '';
  const publish = () => {
    const key = `${state.status}|${state.segment ?? ''}`;
    // Cases started before search attributes existed replay without them.
    if (key === published || !patched('search-attributes')) return;
    published = key;
    upsertSearchAttributes([
      { key: MUNICIPALITY, value: state.municipality },
      { key: STATUS, value: state.status },
      ...(state.segment ? [{ key: SEGMENT, value: state.segment }] : []),
    ]);
  };
  const persist = () => {
    publish();
    return store.persistCase({ view: state.view(), clients: [...state.signals.values()].map((s) => ({ signalID: s.summary.ID, client: s.incoming.signal.client })) });
  };

  function segmentFacts() {
    return {
      signals: state.workedSignals.map((s) => ({ partnerType: s.partnerType, amount: s.amount, crisis: state.signals.get(s.ID)?.incoming.signal.crisissignaal ?? false })),
      meervoudig: state.flags.meervoudig,
      opeenvolgend: state.flags.opeenvolgend,
    };
  }

  function plan(type: PlannedAction['type'], at: number, detail?: string) {
    state.nextAction = { type, at: new Date(at).toISOString(), ...(detail ? { detail } : {}) };
  }

  function interrupted(): boolean {
    return state.stop !== null || state.reachedAt !== null || state.choicePending || segmentRaised;
  }

  function throwIfInterrupted(): void {
    if (state.stop !== null) throw new RoundEnds(state.stop);
    if (state.reachedAt !== null) throw new ResidentReached();
    if (segmentRaised) throw new SegmentRaised();
  }

  /**
   * The one place the round sleeps: until `at`, the close deadline, or something that changes the plan. A chosen
   * contact moment is served from here, whatever step the round is in.
   */
  async function waitUntil(at: number, type: PlannedAction['type'], detail?: string): Promise<number> {
    const closeBy = state.closeBy ?? Number.POSITIVE_INFINITY;
    let target = at;
    for (;;) {
      throwIfInterrupted();
      if (state.choicePending) {
        await callAtChosenMoment();
        continue;
      }
      target = Math.min(at, closeBy);
      plan(target === closeBy && at > closeBy ? 'close' : type, target, detail);
      if (Date.now() >= target) break;
      await condition(interrupted, target - Date.now());
    }
    if (Date.now() >= closeBy) throw new RoundEnds(NO_CONTACT);
    // The planned instant, not the few milliseconds later the timer was processed: attempts are recorded at it.
    return Math.max(target, Date.now() - 1000);
  }

  async function callAtChosenMoment(): Promise<void> {
    const statusBefore = state.status;
    let confirmed: number | null = null;
    for (;;) {
      state.choicePending = false;
      const moment = state.chosenMoment as number;
      state.status = 'scheduled';
      // The resident's choice wins over the close deadline: it was offered inside the policy's horizon.
      if (state.closeBy !== null && moment + policy.chosenMoment.retryAfterMinutes * MINUTE + HOUR > state.closeBy) {
        state.closeBy = moment + policy.chosenMoment.retryAfterMinutes * MINUTE + HOUR;
      }
      plan('chosen_moment_call', moment);
      await persist();
      if (confirmed !== moment) {
        confirmed = moment;
        await sendConfirmation(moment);
      }
      await condition(() => state.stop !== null || state.reachedAt !== null || state.choicePending, Math.max(0, moment - Date.now()));
      throwIfInterrupted();
      if (state.choicePending) continue;
      if (await call('chosen_moment', Math.max(moment, Date.now() - 1000))) throwIfInterrupted();
      const retryAt = moment + policy.chosenMoment.retryAfterMinutes * MINUTE;
      plan('chosen_moment_call', retryAt, 'retry');
      await condition(() => state.stop !== null || state.reachedAt !== null || state.choicePending, Math.max(0, retryAt - Date.now()));
      throwIfInterrupted();
      if (state.choicePending) continue;
      if (await call('chosen_moment', Math.max(retryAt, Date.now() - 1000))) throwIfInterrupted();
      state.status = statusBefore;
      return;
    }
  }

  async function isMobile(): Promise<boolean> {
    const telefoon = state.client.telefoon;
    if (!telefoon) return false;
    mobile ??= (await records.lookupLineType({ ...ref, telefoon })).mobile;
    return mobile;
  }

  async function send(channel: MessageChannel, purpose: MessagePurpose, extra: { link?: string; moment?: string }): Promise<boolean> {
    if (state.blockedChannels.has(channel)) return false;
    const at = Date.now();
    let result: Awaited<ReturnType<CaseActivities['sendMessage']>>;
    try {
      result = await outreach.sendMessage({
        ...ref,
        messageKey: `${state.caseRef}:msg:${++messageSeq}`,
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
    if (result.sent) state.recordAttempt(SOORT[channel], false, at);
    return result.sent;
  }

  async function invite(purpose: 'invitation' | 'reminder'): Promise<void> {
    const segment = state.segment ?? 'standard';
    await waitUntil(nextMessageMoment(policy, Date.now()), 'message', purpose);
    const contact = { mobile: await isMobile(), landline: Boolean(state.client.telefoon) && !(await isMobile()), email: Boolean(state.client.email) };
    const channels = invitationChannels(policy, segment, contact).filter((c: MessageChannel) => !state.blockedChannels.has(c));
    const link = await outreach.residentLink({ ...ref, expiresAt: new Date((state.closeBy ?? Date.now() + 28 * DAY) + DAY).toISOString() });
    let sent = false;
    for (const channel of channels) sent = (await send(channel, purpose, { link })) || sent;
    // An SMS the line can't take falls back to a letter, so the invitation always goes somewhere.
    if (!sent && !channels.includes('letter') && !state.blockedChannels.has('letter')) await send('letter', purpose, { link });
    if (purpose === 'invitation') invitedAt = Date.now();
    await persist();
  }

  async function sendConfirmation(moment: number): Promise<void> {
    const digital: MessageChannel[] = (await isMobile()) ? [policy.invitationChannels.mobile] : state.client.email ? ['email'] : [];
    for (const channel of digital) if (await send(channel, 'confirmation', { moment: new Date(moment).toISOString() })) return;
  }

  async function phoneNumber(): Promise<string | null> {
    if (state.client.telefoon) return state.client.telefoon;
    if (enrichedPhone === undefined) enrichedPhone = (await records.enrichPhone({ ...ref, client: state.client })).telefoon;
    return enrichedPhone;
  }

  /** A call the provider refuses (permanently, or after the activity's retries) is a technical failure of the attempt. */
  async function placed(place: () => Promise<unknown>): Promise<boolean> {
    try {
      await place();
      return true;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('call could not be placed', { caseRef: state.caseRef });
      return false;
    }
  }

  const callTimes = () => state.attempts.filter((a) => a.soort === 'Telefoon').map((a) => Date.parse(a.at));

  /** Places one call attempt and waits for its outcome; technical failures are retried, not counted. */
  async function call(kind: 'round' | 'chosen_moment' | 'wijkteam', plannedAt: number): Promise<boolean> {
    if (state.blockedChannels.has('phone')) return false;
    const telefoon = await phoneNumber();
    if (!telefoon) return false;
    const attempt = callTimes().length + 1;
    for (let technicalTry = 0; ; technicalTry++) {
      const at = technicalTry === 0 ? plannedAt : Date.now();
      state.expect({ kind: 'call', attempt });
      if (await placed(() => outreach.placeCall({ ...ref, callKey: `${state.caseRef}:call:${attempt}:${technicalTry}`, attempt, kind, telefoon, at: new Date(at).toISOString() }))) {
        await condition(() => state.callOutcome !== null || state.stop !== null, policy.phoneRound.outcomeTimeoutMinutes * MINUTE);
      }
      const outcome = state.takeCallOutcome()?.outcome ?? 'failed';
      if (state.stop !== null) return false;
      if (outcome === 'failed' && technicalTry < policy.phoneRound.technicalRetries) {
        await condition(() => state.stop !== null, policy.phoneRound.technicalRetryDelayMinutes * MINUTE);
        if (state.stop !== null) return false;
        continue;
      }
      const answered = outcome === 'answered';
      state.recordAttempt('Telefoon', answered, at);
      if (answered) state.markReached(Date.now());
      await persist();
      return answered;
    }
  }

  async function phoneRound(): Promise<void> {
    if (!(await phoneNumber())) {
      log.info('no phone number after enrichment; skipping the phone round', { caseRef: state.caseRef });
      return;
    }
    state.status = 'calling';
    await persist();
    while (callTimes().length < policy.phoneRound.maxAttempts && !state.blockedChannels.has('phone')) {
      const slot = await waitUntil(nextCallSlot(policy, Date.now(), callTimes()), 'call', `attempt ${callTimes().length + 1}`);
      await call('round', slot);
      throwIfInterrupted();
    }
  }

  async function visit(visitNumber: number, plannedAt: number, team: 'visit' | 'wijkteam'): Promise<void> {
    const at = await waitUntil(plannedAt, 'visit', `visit ${visitNumber}`);
    state.status = team === 'wijkteam' ? 'handed_over' : 'visiting';
    state.expect({ kind: 'visit', visit: visitNumber });
    await outreach.createVisitTask({ ...ref, visitKey: `${state.caseRef}:visit:${visitNumber}`, visit: visitNumber, plannedAt: new Date(at).toISOString(), team, client: state.client });
    await persist();
    await condition(() => state.visitOutcome !== null || state.stop !== null || state.reachedAt !== null, policy.visits.outcomeTimeoutHours * HOUR);
    const outcome = state.takeVisitOutcome();
    if (outcome) {
      state.recordAttempt('Huisbezoek', outcome.atHome, at);
      if (outcome.atHome) state.markReached(Date.now());
      else state.recordAttempt('Kaartje', false, at);
      await persist();
    }
    throwIfInterrupted();
  }

  async function visits(team: 'visit' | 'wijkteam', count: number): Promise<void> {
    const slots = visitSlots(policy, Date.now(), count);
    for (const [i, slot] of slots.entries()) await visit(i + 1, slot, team);
  }

  async function handover(to: HandoverTarget, reason: string, warm: { bestTimeToCall?: string; description?: string } = {}): Promise<void> {
    const at = Date.now();
    await outreach.warmHandover({
      ...ref,
      handoverKey: `${state.caseRef}:handover:${to}`,
      to,
      reason,
      at: new Date(at).toISOString(),
      history: [...state.previousRounds.flatMap((r) => r.attempts), ...state.attempts],
      client: state.client,
      ...warm,
    });
    state.handovers.push({ to, at: new Date(at).toISOString(), reason });
    await persist();
  }

  /** Priority and warm reopen: the wijkteam takes over at once and works a plan of calls and visits. */
  async function wijkteamRoute(): Promise<void> {
    if (!state.handovers.some((h) => h.to === 'wijkteam')) {
      await handover('wijkteam', state.flags.reopenedWarm ? 'new signal after an earlier round: warm reopen' : `priority case: ${priorityReason(policy, state)}`);
    }
    state.status = 'handed_over';
    await persist();
    // Visit first, then a call some hours later, on different days and dagdelen: the policy's spreading rules
    // apply to the wijkteam's calls too.
    const { visits: visitCount, calls: callCount } = policy.segments.priority.wijkteamPlan;
    const visitPlan = visitSlots(policy, Date.now(), visitCount);
    for (let i = 0; i < Math.max(visitCount, callCount); i++) {
      if (i < visitPlan.length) await visit(i + 1, Math.max(visitPlan[i], Date.now()), 'wijkteam');
      if (i < callCount && (await phoneNumber())) {
        const after = Date.now() + policy.phoneRound.minGapMinutes * MINUTE;
        const slot = await waitUntil(nextCallSlot(policy, after, callTimes()), 'call', `wijkteam call ${i + 1}`);
        await call('wijkteam', slot);
        throwIfInterrupted();
      }
    }
  }

  async function contactLadder(): Promise<void> {
    const steps = planFor(policy, state.segment ?? 'standard');
    if (steps.invite && invitedAt === null) {
      state.status = 'inviting';
      await invite('invitation');
    }
    const since = invitedAt ?? Date.now();
    if (steps.phoneRound) {
      await waitUntil(since + steps.waitForChoiceHours * HOUR, 'wait', 'time to choose a contact moment');
      await phoneRound();
      if (steps.visitsWhenUnreached) await visits('visit', policy.visits.count);
    } else if (steps.reminderAfterDays !== null && state.chosenMoment === null) {
      await waitUntil(since + steps.reminderAfterDays * DAY, 'message', 'reminder');
      if (state.chosenMoment === null) await invite('reminder');
    }
  }

  async function conversationOutcome(): Promise<Eindresultaat> {
    state.status = 'reached';
    state.awaiting = null;
    const waitUntilAt = Math.max(state.closeBy ?? 0, (state.reachedAt ?? Date.now()) + 7 * DAY);
    plan('wait', waitUntilAt, 'conversation outcome');
    await persist();
    await condition(() => state.conversation !== null || state.stop !== null, Math.max(0, waitUntilAt - Date.now()));
    const outcome = state.conversation;
    if (!outcome) return state.stop ?? 'Geen reactie na eerder contact';
    switch (outcome.type) {
      case 'help_accepted': {
        const to = outcome.to ?? policy.outcomes.helpAcceptedTo;
        // A wijkteam that already works the case hears it from its own worker; anyone else gets a warm handover.
        if (!state.handovers.some((h) => h.to === to)) {
          await handover(to, 'help accepted', { bestTimeToCall: outcome.bestTimeToCall, description: outcome.description });
        }
        return outcome.financial === false ? 'Vervolghulp en/of verwijzing niet financieel' : 'Vervolghulp en/of verwijzing financieel';
      }
      case 'quick_fix':
        return '(Budget)advies en/of quick fix';
      case 'help_declined':
        return 'Inwoner hoeft geen hulp vanuit vroegsignalering';
      case 'already_paid':
        return 'Inwoner heeft zelf al betaald/betalingsregeling getroffen';
    }
  }

  async function runRound(): Promise<Eindresultaat> {
    await condition(() => state.signals.size > 0);
    const firstAt = Date.now();
    const windowMinutes = input.matchingWindowMinutes ?? policy.matching.windowMinutes;
    plan('match', firstAt + windowMinutes * MINUTE);
    await persist();
    await condition(() => state.stop !== null, windowMinutes * MINUTE);

    state.matchedAt = Date.now();
    state.flags.meervoudig = state.workedSignals.length >= 2;
    state.flags.opeenvolgend = state.previousRounds.some((r) => Date.parse(r.matchedAt) >= addMonths(policy, state.matchedAt as number, -policy.matching.repeatWindowMonths));
    if (state.workedSignals.length === 0) return 'Niet opgepakt: herhaalde melding';
    state.firstAttemptBy = firstAttemptDeadline(policy, state.matchedAt);
    state.closeBy = closeDeadline(policy, state.matchedAt);
    if (state.stop) return state.stop;

    state.status = 'checking';
    plan('check', Date.now());
    await persist();
    const residency = await records.checkResidency({ ...ref, client: state.client });
    if (residency === 'moved') return 'Persoon is geen inwoner (meer) in de gemeente';
    if (residency === 'deceased') return 'Inwoner is overleden';
    const known = await records.lookupDebtServices({ ...ref, client: state.client });
    if ((known.known || known.trajectory) && policy.escalation.knownAtSdvHandover) {
      await handover('sdv', known.known ? 'already known at schulddienstverlening' : 'already in a trajectory');
      return known.known ? 'Inwoner al bekend bij schuldhulpverlening' : 'Inwoner heeft al een ander lopend traject';
    }
    state.segment = segmentFor(policy, segmentFacts());
    segmentRaised = false;

    const previous = state.previousRounds[state.previousRounds.length - 1];
    const amount = Math.max(...state.workedSignals.map((s) => s.amount));
    if (state.flags.reopenedWarm && policy.escalation.meldpuntOnGrowingArrears && previous && (!previous.reached || previous.helpDeclined) && amount > previous.maxAmount) {
      await handover('meldpunt', previous.reached ? 'arrears growing after help was declined' : 'arrears growing and the resident was never reached');
    }

    try {
      for (;;) {
        try {
          if (state.flags.reopenedWarm || planFor(policy, state.segment).wijkteamHandover) await wijkteamRoute();
          else await contactLadder();
          await waitUntil(state.closeBy ?? Date.now(), 'close');
          return NO_CONTACT;
        } catch (interruption) {
          if (!(interruption instanceof SegmentRaised)) throw interruption;
          segmentRaised = false;
          await persist();
        }
      }
    } catch (interruption) {
      if (interruption instanceof RoundEnds) return interruption.result;
      if (interruption instanceof ResidentReached) return await conversationOutcome();
      throw interruption;
    }
  }

  const result = await runRound();
  state.close(result, Date.now());
  const dormantUntil = addMonths(policy, Date.now(), policy.dormant.months);
  plan('dormant_end', dormantUntil);
  await persist();

  let recorded = state.signals.size;
  let reopened = false;
  while (!reopened && Date.now() < dormantUntil) {
    reopened = await condition(() => state.reopeners.length > 0 || state.signals.size > recorded, dormantUntil - Date.now());
    if (state.signals.size > recorded) {
      recorded = state.signals.size; // a herhaalde melding: recorded in the read model, not worked
      await persist();
      reopened = state.reopeners.length > 0;
    }
  }
  await condition(allHandlersFinished);
  if (reopened) {
    await persist();
    return await continueAsNew<typeof caseWorkflow>({
      ...input,
      round: input.round + 1,
      previousRounds: [...input.previousRounds, state.summary()].slice(-ROUNDS_KEPT),
      carriedSignals: [...state.reopeners],
    });
  }
  state.status = 'ended';
  state.nextAction = null;
  await persist();
  return { rounds: input.round, lastResult: state.result };
}

const SOORT: Record<MessageChannel, Contactsoort> = { sms: 'SMS/Whatsapp', whatsapp: 'SMS/Whatsapp', email: 'Mail', letter: 'Brief' };

/** A herhaalde melding: the same partner reported the address before, within the window, with no higher amount. */
function isRepeat(policy: ContactPolicy, state: CaseState, incoming: IncomingSignal): boolean {
  const { signal } = incoming;
  const since = addMonths(policy, Date.parse(incoming.receivedAt), -policy.matching.repeatWindowMonths);
  const earlier = [
    ...state.previousRounds.flatMap((r) => r.signals),
    ...[...state.signals.values()].map((s) => s.summary),
  ].filter((s) => s.partnerType === signal.signaalpartner.type && Date.parse(s.receivedAt) >= since);
  return earlier.some((s) => signal.bedrag <= s.amount);
}

function priorityReason(policy: ContactPolicy, state: CaseState): string {
  if (state.flags.crisis) return 'crisis signal';
  if (state.workedSignals.some((s) => policy.segmentation.priorityPartnerTypes.includes(s.partnerType))) return 'rent arrears';
  return 'high arrears';
}
