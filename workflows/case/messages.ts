import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseEvent } from '../../domain/events';
import type { CaseView, RoundSummary } from '../../domain/case';
import type { IncomingSignal } from '../../domain/signal';
import type { PolicyChange } from '../../policy';

/** Start arguments of the case workflow; also what continue-as-new carries into the next round. */
export interface CaseWorkflowInput {
  municipality: string;
  /** Fixed at case start; running cases keep their policy version. */
  policy: { name: string; version: number };
  /** 1 for a new household; its next round number when a reopen continues as new, or when a household whose
   *  workflow ended long ago gets a new signal (then without previous rounds: not a warm reopen). */
  round: number;
  previousRounds: RoundSummary[];
  /** Signals that reopened this round (carried over continue-as-new). */
  carriedSignals: IncomingSignal[];
  /** Override of the policy's matching window, from MATCHING_WINDOW, for demos and checks. */
  matchingWindowMinutes?: number;
  /**
   * The scenario runner's what-if runs only (`--set path=value`): leaves of the policy changed for this case.
   * Intake and the API never set it.
   */
  policyChanges?: PolicyChange[];
}

/** A new signal for this household; the intake sends it with signal-with-start. Duplicated IDs are ignored. */
export const signalReceived = defineSignal<[IncomingSignal]>('signalReceived');

export interface EventAccepted {
  accepted: true;
  status: CaseView['status'];
}

/**
 * Every staff, webhook and resident event. The validator rejects events that don't fit the case's state
 * with a reason (the API answers 409), so nothing is ever half-applied.
 */
export const applyEvent = defineUpdate<EventAccepted, [CaseEvent]>('applyEvent');

/** The case as the staff API shows it. No personal data. */
export const caseState = defineQuery<CaseView>('caseState');
