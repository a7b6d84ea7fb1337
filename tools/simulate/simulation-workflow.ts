import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CaseEvent } from '../../domain/events';
import type { IncomingSignal } from '../../domain/signal';

export { caseWorkflow } from '../../workflows';

export interface SimulationActivities {
  deliverSignal(incoming: IncomingSignal, resident: number): Promise<void>;
  /** Events in order; the rest is dropped once the case refuses one. */
  deliverResidentEvent(delivery: { caseId: string; events: CaseEvent[]; at: number }): Promise<void>;
  /** How many cases are not yet closed or dormant (0 when every delivered signal's case has settled). */
  unsettledCases(): Promise<number>;
}

const activities = proxyActivities<SimulationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export interface SignalStep {
  at: number;
  resident: number;
  incoming: IncomingSignal;
}

/** Delivers a share of the month's signals at their instants (several drivers keep each history short). */
export async function signalDriver(steps: SignalStep[]): Promise<void> {
  for (const step of steps) {
    await sleep(Math.max(0, step.at - Date.now()));
    await activities.deliverSignal(step.incoming, step.resident);
  }
}

/**
 * Waits until the last signal is in, then checks twice a simulated day until every case is closed or dormant, or
 * the horizon passes. Returns the cases still open at the end.
 */
export async function settleDriver(plan: { lastSignalAt: number; horizon: number }): Promise<number> {
  await sleep(Math.max(0, plan.lastSignalAt + 3_600_000 - Date.now()));
  for (;;) {
    const open = await activities.unsettledCases();
    if (open === 0 || Date.now() >= plan.horizon) return open;
    await sleep('12 hours');
  }
}

/** A resident who reacts later: choosing a contact moment, or calling back after a missed call. */
export async function residentReaction(reaction: { at: number; caseId: string; events: CaseEvent[] }): Promise<void> {
  await sleep(Math.max(0, reaction.at - Date.now()));
  await activities.deliverResidentEvent(reaction);
}
