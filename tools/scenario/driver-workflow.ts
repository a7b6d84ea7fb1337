import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CaseEvent } from '../../domain/events';
import type { IncomingSignal } from '../../domain/signal';
import type { DeliveryActivities } from './delivery';

export * from '../../workflows';

const delivery = proxyActivities<DeliveryActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export type DriverStep =
  | { at: number; kind: 'signal'; incoming: IncomingSignal }
  | { at: number; kind: 'event'; signalID?: string; event: CaseEvent };

/** Plays the outside world of a scenario in simulated time: signals and events at their instants. */
export async function scenarioDriver(plan: { start: number; until: number; steps: DriverStep[] }): Promise<void> {
  await sleep(Math.max(0, plan.start - Date.now()));
  for (const step of [...plan.steps].sort((a, b) => a.at - b.at)) {
    await sleep(Math.max(0, step.at - Date.now()));
    if (step.kind === 'signal') await delivery.deliverSignal(step.incoming);
    else await delivery.deliverEvent({ signalID: step.signalID, event: step.event, at: step.at });
  }
  await sleep(Math.max(0, plan.until - Date.now()));
  // Without this, the server skips to the next case timer (a dormant watch's end, months on) in the moment between
  // this run's completion and the client's relock, and what the cases show at the end would vary from run to run.
  await delivery.stopTheClock();
}

/** A resident who reacts later, e.g. choosing a contact moment some hours after the invitation. */
export async function residentReaction(reaction: { at: number; caseId: string; event: CaseEvent }): Promise<void> {
  await sleep(Math.max(0, reaction.at - Date.now()));
  await delivery.deliverEvent({ caseId: reaction.caseId, event: reaction.event, at: reaction.at });
}
