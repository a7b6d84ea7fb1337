import { proxyActivities } from '@temporalio/workflow';
import type { DdasDeliveryActivities, DdasDeliveryOutcome } from '../activities/ddas-delivery';

const { deliverDdasPeriod } = proxyActivities<DdasDeliveryActivities>({
  startToCloseTimeout: '30 minutes',
  // A refused (invalid) delivery fails for good; a database or disk hiccup is retried for a day.
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour', nonRetryableErrorTypes: ['DdasDeliveryInvalid'] },
  scheduleToCloseTimeout: '1 day',
});

export interface DdasDeliveryWorkflowInput {
  municipality: string;
  /** The period to deliver; without it, the calendar month before the run's start (Europe/Amsterdam). */
  period?: { from: string; to: string };
}

/** The calendar month before the instant's Amsterdam month: the period a run on the first of the month delivers. */
export function previousMonth(instantMs: number): { from: string; to: string } {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' })
    .format(instantMs)
    .split('-')
    .map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 2, 1));
  const last = new Date(Date.UTC(year, month - 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/**
 * The monthly DDAS delivery of one municipality, started by its Temporal schedule (worker/ddas-schedules.ts): the
 * validated v1.2 file goes to the delivery outbox and is recorded in ddas_deliveries; an invalid one fails the run.
 */
export async function ddasDeliveryWorkflow(input: DdasDeliveryWorkflowInput): Promise<DdasDeliveryOutcome> {
  const period = input.period ?? previousMonth(Date.now());
  return deliverDdasPeriod({ municipality: input.municipality, ...period });
}
