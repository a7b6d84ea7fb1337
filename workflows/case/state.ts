import type { Contactpoging, Contactsoort, Eindresultaat } from '../../domain/ddas';
import type {
  CaseStatus,
  CaseView,
  Handover,
  HandoverTarget,
  PlannedAction,
  RoundSummary,
  Segment,
  SignalSummary,
} from '../../domain/case';
import type { CaseEvent } from '../../domain/events';
import type { Client, IncomingSignal } from '../../domain/signal';
import type { ContactPolicy, SegmentFacts } from '../../policy/types';
import { dagdeelAt, isAllowedChosenMoment, isRepeatSignal, localDate, segmentFor } from '../../policy';

/** A conversation outcome staff record once the resident is reached, and the DDAS result it closes with. */
export type ConversationOutcome =
  | {
      type: 'help_accepted';
      to?: 'wijkteam' | 'budgetcoach' | 'sdv';
      financial?: boolean;
      bestTimeToCall?: string;
      description?: string;
    }
  | { type: 'quick_fix'; description?: string }
  | { type: 'help_declined' }
  | { type: 'already_paid' };

const ACTIVE: CaseStatus[] = [
  'matching',
  'checking',
  'inviting',
  'calling',
  'scheduled',
  'visiting',
  'reached',
  'handed_over',
];
const iso = (ms: number) => new Date(ms).toISOString();
const SEGMENT_RANK: Record<Segment, number> = { light: 0, standard: 1, priority: 2 };

/**
 * Everything one round of a case knows, and the rules for which events fit which state. Handlers only call
 * `rejectionFor` (validator) and `apply` (synchronous): the workflow's main loop reacts to the changed state.
 */
export class CaseState {
  status: CaseStatus = 'matching';
  segment: Segment | null = null;
  readonly signals = new Map<string, { incoming: IncomingSignal; summary: SignalSummary }>();
  readonly attempts: Contactpoging[] = [];
  readonly handovers: Handover[] = [];
  readonly breaches: string[] = [];
  flags = { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false };
  matchedAt: number | null = null;
  reachedAt: number | null = null;
  /** The team that reached the resident: it records the conversation. */
  reachedBy: 'callcentre' | 'visits' | 'wijkteam' | null = null;
  /** The team that works this round's outreach after a handover (the wijkteam route); its handover is its work item. */
  workedBy: HandoverTarget | null = null;
  closedAt: number | null = null;
  result: Eindresultaat | null = null;
  firstAttemptBy: number | null = null;
  closeBy: number | null = null;
  nextAction: PlannedAction | null = null;

  /** Set when a new signal raised the segment; the round re-plans and clears it. */
  segmentRaised = false;
  chosenMoment: number | null = null;
  /** Set when a new moment is chosen; the main loop clears it once it has planned the call. */
  choicePending = false;
  /** A phone or visit outcome the main loop is waiting for. */
  awaiting: { kind: 'call'; attempt: number } | { kind: 'visit'; visit: number } | null = null;
  callOutcome: { attempt: number; outcome: 'answered' | 'no-answer' | 'busy' | 'failed' } | null = null;
  visitOutcome: { visit: number; atHome: boolean } | null = null;
  conversation: ConversationOutcome | null = null;
  /** Why outreach must stop now (objection, arrears resolved), with the result to close with. */
  stop: Eindresultaat | null = null;
  readonly blockedChannels = new Set<string>();
  /** Signals that arrived while dormant; they reopen the case. */
  readonly reopeners: IncomingSignal[] = [];
  readonly undelivered = new Set<string>();

  constructor(
    readonly caseId: string,
    readonly municipality: string,
    readonly round: number,
    readonly policy: ContactPolicy,
    readonly previousRounds: RoundSummary[],
  ) {}

  get caseRef(): string {
    return `${this.caseId}.${this.round}`;
  }

  get active(): boolean {
    return ACTIVE.includes(this.status);
  }

  /**
   * Latest contact details across the round's signals; partners don't all know everything. A latest signal without
   * a name or street (DDAS v1.2 allows that) takes them, each as one block, from the latest signal that has them.
   */
  get client(): Client {
    const clients = [...this.signals.values()].map((s) => s.incoming.signal.client);
    const latest = clients[clients.length - 1];
    const named = latest?.Achternaam ? undefined : [...clients].reverse().find((c) => c.Achternaam);
    const addressed = latest?.Straatnaam ? undefined : [...clients].reverse().find((c) => c.Straatnaam);
    return {
      ...latest,
      ...(named
        ? { Voorletters: named.Voorletters, Voorvoegsel: named.Voorvoegsel, Achternaam: named.Achternaam }
        : {}),
      ...(addressed ? { Straatnaam: addressed.Straatnaam, Plaatsnaam: addressed.Plaatsnaam } : {}),
      telefoon: [...clients].reverse().find((c) => c.telefoon)?.telefoon,
      email: [...clients].reverse().find((c) => c.email)?.email,
      taal: [...clients].reverse().find((c) => c.taal)?.taal,
    };
  }

  get workedSignals(): SignalSummary[] {
    return [...this.signals.values()].map((s) => s.summary).filter((s) => !s.repeat);
  }

  /**
   * The signal handler: a new signal joins an active round (and may raise its segment), is recorded unworked when
   * it repeats an earlier one, or reopens a closed round. A duplicate delivery changes nothing.
   */
  receive(incoming: IncomingSignal): void {
    if (this.signals.has(incoming.signal.ID) || this.reopeners.some((s) => s.signal.ID === incoming.signal.ID)) return;
    const earlier = [
      ...this.previousRounds.flatMap((r) => r.signals),
      ...[...this.signals.values()].map((s) => s.summary),
    ];
    const repeat = isRepeatSignal(this.policy, earlier, incoming);
    if (this.active) {
      this.addSignal(incoming, repeat);
      if (!repeat && this.segment !== null) {
        const raised = segmentFor(this.policy, this.segmentFacts());
        if (SEGMENT_RANK[raised] > SEGMENT_RANK[this.segment]) {
          this.segment = raised;
          this.segmentRaised = true;
        }
      }
    } else if (repeat && !this.policy.escalation.repeatsReopenWarm) {
      this.addSignal(incoming, true); // recorded, not worked
    } else {
      this.reopeners.push(incoming);
    }
  }

  /** What segmentation looks at: the worked signals and the round's flags. */
  segmentFacts(): SegmentFacts {
    return {
      signals: this.workedSignals.map((s) => ({
        partnerType: s.partnerType,
        amount: s.amount,
        crisis: this.signals.get(s.ID)?.incoming.signal.crisissignaal ?? false,
      })),
      meervoudig: this.flags.meervoudig,
      opeenvolgend: this.flags.opeenvolgend,
    };
  }

  /** Adds a signal to this round; false when its ID was seen before (a duplicate delivery). */
  addSignal(incoming: IncomingSignal, repeat: boolean): boolean {
    const { signal } = incoming;
    if (this.signals.has(signal.ID)) return false;
    this.signals.set(signal.ID, {
      incoming,
      summary: {
        ID: signal.ID,
        partnerType: signal.signaalpartner.type,
        amount: signal.bedrag,
        signaaldatum: signal.signaaldatum,
        receivedAt: incoming.receivedAt,
        status: repeat ? 'Niet opgepakt: herhaalde melding' : 'Nog niet opgepakt',
        repeat,
        resolved: false,
      },
    });
    if (signal.crisissignaal) this.flags.crisis = true;
    return true;
  }

  recordAttempt(soort: Contactsoort, bereikt: boolean, at: number): Contactpoging {
    const attempt: Contactpoging = {
      soort,
      bereikt,
      datum: localDate(this.policy, at),
      dagdeel: dagdeelAt(this.policy, at),
      at: iso(at),
    };
    this.attempts.push(attempt);
    if (this.attempts.length === 1 && this.firstAttemptBy !== null && at > this.firstAttemptBy) {
      this.breaches.push(`first contact attempt after the deadline of ${iso(this.firstAttemptBy)}`);
    }
    return attempt;
  }

  /** Starts waiting for a call's or visit's outcome (TypeScript can't see handlers change fields across awaits). */
  expect(awaiting: NonNullable<CaseState['awaiting']>): void {
    this.awaiting = awaiting;
    this.callOutcome = null;
    this.visitOutcome = null;
  }

  takeCallOutcome(): CaseState['callOutcome'] {
    const outcome = this.callOutcome;
    this.awaiting = null;
    this.callOutcome = null;
    return outcome;
  }

  takeVisitOutcome(): CaseState['visitOutcome'] {
    const outcome = this.visitOutcome;
    this.awaiting = null;
    this.visitOutcome = null;
    return outcome;
  }

  markReached(at: number, by: 'callcentre' | 'visits' | 'wijkteam' = 'callcentre'): void {
    if (this.reachedAt === null) {
      this.reachedAt = at;
      this.reachedBy = by;
    }
    if (this.active) this.status = 'reached';
  }

  /** Records a handover to `to`, with the instant its answer is due. */
  recordHandover(to: HandoverTarget, at: number, reason: string, answerDays: number): Handover {
    const handover: Handover = { to, at: iso(at), reason, dueAt: iso(at + answerDays * 86_400_000) };
    this.handovers.push(handover);
    return handover;
  }

  /** The validator: why an event does not fit now, or null when it does. Never mutates. */
  rejectionFor(event: CaseEvent, now: number): string | null {
    // A team answers its handover also after the round closed: a warm handover comes last.
    if (event.type === 'handover_answered') {
      if (this.status === 'ended') return 'the case has ended; events are no longer accepted';
      const handover = this.handovers.find((h) => h.to === event.to);
      if (!handover) return `this round was not handed over to ${event.to}`;
      if (handover.answer) return `the handover to ${event.to} was already answered (${handover.answer.outcome})`;
      return null;
    }
    if (!this.active)
      return `the case round is ${this.status === 'dormant' ? 'closed' : this.status}; events are no longer accepted`;
    switch (event.type) {
      case 'contact_moment_chosen': {
        if (this.reachedAt !== null) return 'the resident has already been reached';
        if (this.stop) return 'outreach has stopped for this case';
        const moment = Date.parse(event.moment);
        if (!isAllowedChosenMoment(this.policy, moment, now))
          return 'the moment is not a free slot inside the call windows of the coming working days';
        return null;
      }
      case 'call_outcome':
        if (this.awaiting?.kind !== 'call') return 'no call is waiting for an outcome';
        if (event.attempt !== undefined && event.attempt !== this.awaiting.attempt)
          return `the call waiting for an outcome is attempt ${this.awaiting.attempt}`;
        return null;
      case 'visit_outcome':
        if (this.awaiting?.kind !== 'visit') return 'no home visit is waiting for an outcome';
        if (event.visit !== undefined && event.visit !== this.awaiting.visit)
          return `the visit waiting for an outcome is visit ${this.awaiting.visit}`;
        return null;
      case 'arrears_resolved':
        if (event.signalID !== undefined && !this.signals.has(event.signalID))
          return `signal ${event.signalID} is not part of this case`;
        return null;
      case 'help_accepted':
      case 'quick_fix':
      case 'help_declined':
      case 'already_paid':
        if (this.conversation) return `an outcome (${this.conversation.type}) was already recorded`;
        if (this.stop) return 'outreach has stopped for this case';
        return null;
      default:
        return null;
    }
  }

  /** Applies an accepted event. Synchronous: the main loop notices the change. */
  apply(event: CaseEvent, now: number): void {
    switch (event.type) {
      case 'contact_moment_chosen':
        this.chosenMoment = Date.parse(event.moment);
        this.choicePending = true;
        return;
      case 'call_outcome':
        this.callOutcome = { attempt: (this.awaiting as { attempt: number }).attempt, outcome: event.outcome };
        return;
      case 'visit_outcome':
        this.visitOutcome = { visit: (this.awaiting as { visit: number }).visit, atHome: event.atHome };
        return;
      case 'resident_contact':
        this.markReached(now);
        return;
      case 'help_accepted':
      case 'quick_fix':
      case 'help_declined':
      case 'already_paid': {
        this.conversation = event;
        this.markReached(now);
        // The team working the round recorded how it went: that answers its handover too.
        const worked = this.handovers.find((h) => h.to === this.workedBy && !h.answer);
        if (worked) worked.answer = { outcome: 'taken_up', at: new Date(now).toISOString() };
        return;
      }
      case 'handover_answered': {
        const handover = this.handovers.find((h) => h.to === event.to) as Handover;
        handover.answer = { outcome: event.outcome, at: new Date(now).toISOString() };
        return;
      }
      case 'arrears_resolved':
        for (const { summary } of this.signals.values()) {
          if (event.signalID === undefined || summary.ID === event.signalID) summary.resolved = true;
        }
        if (this.workedSignals.every((s) => s.resolved))
          this.stop ??= 'Inwoner heeft zelf al betaald/betalingsregeling getroffen';
        return;
      case 'objection':
        if (event.channel === 'all') this.stop ??= 'Inwoner hoeft geen hulp vanuit vroegsignalering';
        else this.blockedChannels.add(event.channel);
        return;
      case 'message_status':
        if (event.status !== 'delivered') this.undelivered.add(event.messageRef);
        return;
    }
  }

  close(result: Eindresultaat, at: number): void {
    if (
      this.attempts.length === 0 &&
      this.firstAttemptBy !== null &&
      at > this.firstAttemptBy &&
      result === 'Definitief geen contact kunnen krijgen'
    ) {
      this.breaches.push(`no contact attempt before the deadline of ${new Date(this.firstAttemptBy).toISOString()}`);
    }
    this.result = result;
    this.closedAt = at;
    this.status = 'dormant';
    this.awaiting = null;
    for (const { summary } of this.signals.values()) {
      if (
        summary.status === 'Nog niet opgepakt' &&
        (result === 'Inwoner is overleden' || result === 'Persoon is geen inwoner (meer) in de gemeente')
      ) {
        summary.status = result;
      }
    }
  }

  summary(): RoundSummary {
    const signals = [...this.signals.values()].map(({ summary }) => ({
      ID: summary.ID,
      partnerType: summary.partnerType,
      amount: summary.amount,
      receivedAt: summary.receivedAt,
    }));
    return {
      round: this.round,
      caseRef: this.caseRef,
      segment: this.segment,
      matchedAt: this.matchedAt !== null ? iso(this.matchedAt) : (signals[0]?.receivedAt ?? ''),
      closedAt: this.closedAt !== null ? iso(this.closedAt) : null,
      result: this.result,
      reached: this.reachedAt !== null,
      helpDeclined:
        this.conversation?.type === 'help_declined' ||
        this.result === 'Inwoner hoeft geen hulp vanuit vroegsignalering',
      maxAmount: Math.max(0, ...this.workedSignals.map((s) => s.amount)),
      signals,
      attempts: [...this.attempts],
      handovers: [...this.handovers],
    };
  }

  view(): CaseView {
    return {
      case: this.caseId,
      caseRef: this.caseRef,
      municipality: this.municipality,
      round: this.round,
      status: this.status,
      segment: this.segment,
      policy: { name: this.policy.name, version: this.policy.version },
      flags: { ...this.flags },
      signals: [...this.signals.values()].map((s) => ({ ...s.summary })),
      attempts: [...this.attempts],
      handovers: [...this.handovers],
      chosenMoment: this.chosenMoment !== null ? iso(this.chosenMoment) : null,
      nextAction: this.nextAction,
      deadlines: {
        firstAttemptBy: this.firstAttemptBy !== null ? iso(this.firstAttemptBy) : null,
        closeBy: this.closeBy !== null ? iso(this.closeBy) : null,
        breaches: [...this.breaches],
      },
      matchedAt: this.matchedAt !== null ? iso(this.matchedAt) : null,
      reachedAt: this.reachedAt !== null ? iso(this.reachedAt) : null,
      closedAt: this.closedAt !== null ? iso(this.closedAt) : null,
      result: this.result,
      previousRounds: this.previousRounds,
    };
  }
}
