import {
  allHandlersFinished,
  condition,
  continueAsNew,
  makeContinueAsNewFunc,
  patched,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { WorkflowDefinitionOptions } from '@temporalio/common';
import type { Eindresultaat } from '../../domain/ddas';
import type { CaseEvent } from '../../domain/events';
import {
  addMonths,
  closeDeadline,
  firstAttemptDeadline,
  getPolicy,
  planFor,
  segmentFor,
  withChanges,
} from '../../policy';
import { providers, readModel, readModelBeforeLocalPersist, registries } from './proxies';
import { caseContext, persist, plan, type CaseContext } from './context';
import { NO_CONTACT, ResidentReached, RoundEnds, SegmentRaised } from './interruptions';
import { contactLadder, waitForStep, wijkteamRoute } from './ladder';
import { applyEvent, caseState, signalReceived, type CaseWorkflowInput } from './messages';
import { followUpHandovers } from './follow-up';
import { conversationItem, handover, unlessRefused } from './outreach';
import { sleepUntil } from './waiting';
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

export interface CaseWorkflowOutcome {
  rounds: number;
  lastResult: Eindresultaat | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ROUNDS_KEPT = 6;

/**
 * One household case (municipality + address): matching, checks, segmentation, the contact ladder, closing, and a
 * dormant watch that reopens the case warm when a new signal arrives. Each round continues as new.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseWorkflowOutcome> {
  // Cases started before the patch replay their read-model writes as ordinary activities.
  const store = patched('local-persist') ? readModel : readModelBeforeLocalPersist;
  const policy = withChanges(getPolicy(input.policy.name, input.policy.version), input.policyChanges ?? []);
  const state = new CaseState(workflowInfo().workflowId, input.municipality, input.round, policy, input.previousRounds);
  state.flags.reopenedWarm = input.previousRounds.length > 0;
  const ctx = caseContext(policy, state, store, patched('work-item-follow-up'));

  setHandler(signalReceived, (incoming) => state.receive(incoming));
  setHandler(
    applyEvent,
    (event) => {
      state.apply(event, Date.now());
      return { accepted: true, status: state.status };
    },
    {
      validator: (event) => {
        const parsed = eventSchema().safeParse(event);
        if (!parsed.success) {
          throw new Error(
            `invalid event: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'event'} ${i.message}`).join('; ')}`,
          );
        }
        const rejection = state.rejectionFor(parsed.data, Date.now());
        if (rejection) throw new Error(rejection);
      },
    },
  );
  setHandler(caseState, () => state.view());
  input.carriedSignals.forEach((incoming) => state.receive(incoming));
  if (ctx.followsWorkItems) void followUpHandovers(ctx);

  const result = await runRound(ctx, input);
  state.close(result, Date.now());
  const dormantUntil = addMonths(policy, Date.now(), policy.dormant.months);
  plan(ctx, 'dormant_end', dormantUntil);
  await persist(ctx);

  const reopened = await watchWhileDormant(ctx, dormantUntil);
  await condition(allHandlersFinished);
  if (reopened) {
    await persist(ctx);
    const nextRound: CaseWorkflowInput = {
      ...input,
      round: input.round + 1,
      previousRounds: [...input.previousRounds, state.summary()].slice(-ROUNDS_KEPT),
      carriedSignals: [...state.reopeners],
    };
    if (!patched('upgrade-at-round-boundary')) return await continueAsNew<typeof caseWorkflow>(nextRound);
    return await makeContinueAsNewFunc<typeof caseRoundBoundary>({ workflowType: 'caseRoundBoundary' })(nextRound);
  }
  state.status = 'ended';
  state.nextAction = null;
  await persist(ctx);
  return { rounds: input.round, lastResult: state.result };
}

/**
 * A case run is pinned to the worker version that started it: its history only ever replays on the code that wrote
 * it. It moves to the current version between rounds, through `caseRoundBoundary` (deploy/ROLLOUT.md).
 */
setWorkflowOptions(onVersionedWorkers({ versioningBehavior: 'PINNED' }), caseWorkflow);

/**
 * The step between two rounds: one workflow task that hands the next round to the deployment's current version. It
 * runs on the old round's version (a continued run inherits its pin), completes as auto-upgrade, and continues as
 * new at once; a run continued from an auto-upgrade run starts on the current version, where it pins itself again.
 * (Servers with upgrade on continue-as-new do this in one step with `initialVersioningBehavior: 'AUTO_UPGRADE'`;
 * Server 1.29 ignores that option.) Signals arriving meanwhile go along; staff events are refused, to be sent again.
 */
export async function caseRoundBoundary(input: CaseWorkflowInput): Promise<CaseWorkflowOutcome> {
  const carriedSignals = [...input.carriedSignals];
  setHandler(signalReceived, (incoming) => void carriedSignals.push(incoming));
  const refuse = (_event: CaseEvent): never => {
    throw new Error('the case is starting its next round: send the event again in a moment');
  };
  setHandler(applyEvent, refuse, { validator: refuse });
  return await makeContinueAsNewFunc<typeof caseWorkflow>({ workflowType: 'caseWorkflow' })({
    ...input,
    carriedSignals,
  });
}
setWorkflowOptions(onVersionedWorkers({ versioningBehavior: 'AUTO_UPGRADE' }), caseRoundBoundary);

/**
 * A versioning behaviour only where the worker runs versioned: the server refuses a workflow task completed with one
 * by an unversioned worker (development, tests, a deployment before its first switch to versioning).
 */
function onVersionedWorkers(options: WorkflowDefinitionOptions): () => WorkflowDefinitionOptions {
  // An unversioned worker still reports a build ID; only a versioned one has a deployment name.
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? options : {});
}

/** Matching, the checks, segmentation, then the route the segment takes; ends with the round's DDAS result. */
async function runRound(ctx: CaseContext, input: CaseWorkflowInput): Promise<Eindresultaat> {
  const { state, policy, ref } = ctx;
  await condition(() => state.signals.size > 0);
  const firstAt = Date.now();
  const windowMinutes = input.matchingWindowMinutes ?? policy.matching.windowMinutes;
  plan(ctx, 'match', firstAt + windowMinutes * MINUTE);
  await persist(ctx);
  await sleepUntil(ctx, () => state.stop !== null, windowMinutes * MINUTE);

  state.matchedAt = Date.now();
  state.flags.meervoudig = state.workedSignals.length >= 2;
  const repeatSince = addMonths(policy, state.matchedAt, -policy.matching.repeatWindowMonths);
  state.flags.opeenvolgend = state.previousRounds.some((r) => Date.parse(r.matchedAt) >= repeatSince);
  if (state.workedSignals.length === 0) return 'Niet opgepakt: herhaalde melding';
  state.firstAttemptBy = firstAttemptDeadline(policy, state.matchedAt);
  state.closeBy = closeDeadline(policy, state.matchedAt);
  if (state.stop) return state.stop;

  state.status = 'checking';
  plan(ctx, 'check', Date.now());
  await persist(ctx);
  const checkResidency = () => registries.checkResidency({ ...ref, client: state.client });
  const residency = await unlessRefused(ctx, 'brp', checkResidency, 'resident' as const);
  if (residency === 'moved') return 'Persoon is geen inwoner (meer) in de gemeente';
  if (residency === 'deceased') return 'Inwoner is overleden';
  const lookupDebtServices = () => registries.lookupDebtServices({ ...ref, client: state.client });
  const known = await unlessRefused(ctx, 'sdv', lookupDebtServices, { known: false, trajectory: false });
  if ((known.known || known.trajectory) && policy.escalation.knownAtSdvHandover) {
    await handover(ctx, 'sdv', known.known ? 'already known at schulddienstverlening' : 'already in a trajectory');
    return known.known ? 'Inwoner al bekend bij schuldhulpverlening' : 'Inwoner heeft al een ander lopend traject';
  }
  state.segment = segmentFor(policy, state.segmentFacts());
  state.segmentRaised = false;

  const previous = state.previousRounds[state.previousRounds.length - 1];
  const amount = Math.max(...state.workedSignals.map((s) => s.amount));
  const growing = previous && (!previous.reached || previous.helpDeclined) && amount > previous.maxAmount;
  if (state.flags.reopenedWarm && policy.escalation.meldpuntOnGrowingArrears && growing) {
    await handover(
      ctx,
      'meldpunt',
      previous.reached
        ? 'arrears growing after help was declined'
        : 'arrears growing and the resident was never reached',
    );
  }

  try {
    for (;;) {
      try {
        const steps = planFor(policy, state.segment);
        if (state.flags.reopenedWarm || steps.wijkteamHandover) await wijkteamRoute(ctx);
        else await contactLadder(ctx, steps);
        await waitForStep(ctx, state.closeBy ?? Date.now(), 'close');
        return NO_CONTACT;
      } catch (interruption) {
        if (!(interruption instanceof SegmentRaised)) throw interruption;
        state.segmentRaised = false;
        await persist(ctx);
      }
    }
  } catch (interruption) {
    if (interruption instanceof RoundEnds) return interruption.result;
    if (interruption instanceof ResidentReached) return await conversationOutcome(ctx);
    throw interruption;
  }
}

/** Once reached, staff record how the conversation went; a resident who accepts help is handed over warm. */
async function conversationOutcome(ctx: CaseContext): Promise<Eindresultaat> {
  const { state, policy } = ctx;
  state.status = 'reached';
  state.awaiting = null;
  const waitUntilAt = Math.max(
    state.closeBy ?? 0,
    (state.reachedAt ?? Date.now()) + policy.deadlines.conversationOutcomeDays * DAY,
  );
  plan(ctx, 'wait', waitUntilAt, 'conversation outcome');
  const itemKey = await conversationItem(ctx, waitUntilAt);
  await persist(ctx);
  await sleepUntil(
    ctx,
    () => state.conversation !== null || state.stop !== null,
    Math.max(0, waitUntilAt - Date.now()),
  );
  const outcome = state.conversation;
  // Recorded on the item itself, the item is done already and stays so; recorded another way, it is not needed.
  if (itemKey) await providers.closeWorkItem({ ...ctx.ref, key: itemKey, reason: outcome ? 'not_needed' : 'lapsed' });
  if (!outcome) return state.stop ?? 'Geen reactie na eerder contact';
  switch (outcome.type) {
    case 'help_accepted': {
      const to = outcome.to ?? policy.outcomes.helpAcceptedTo;
      // A wijkteam that already works the case hears it from its own worker; anyone else gets a warm handover.
      if (!state.handovers.some((h) => h.to === to)) {
        await handover(ctx, to, 'help accepted', {
          bestTimeToCall: outcome.bestTimeToCall,
          description: outcome.description,
        });
      }
      return outcome.financial === false
        ? 'Vervolghulp en/of verwijzing niet financieel'
        : 'Vervolghulp en/of verwijzing financieel';
    }
    case 'quick_fix':
      return '(Budget)advies en/of quick fix';
    case 'help_declined':
      return 'Inwoner hoeft geen hulp vanuit vroegsignalering';
    case 'already_paid':
      return 'Inwoner heeft zelf al betaald/betalingsregeling getroffen';
  }
}

/**
 * The closed round watches the address until `dormantUntil`: a herhaalde melding is recorded in the read model, not
 * worked; any other new signal reopens the case. True when it does.
 */
async function watchWhileDormant(ctx: CaseContext, dormantUntil: number): Promise<boolean> {
  const { state } = ctx;
  let recorded = state.signals.size;
  let reopened = false;
  while (!reopened && Date.now() < dormantUntil) {
    reopened = await sleepUntil(
      ctx,
      () => state.reopeners.length > 0 || state.signals.size > recorded,
      dormantUntil - Date.now(),
    );
    if (state.signals.size > recorded) {
      recorded = state.signals.size;
      await persist(ctx);
      reopened = state.reopeners.length > 0;
    }
  }
  return reopened;
}
