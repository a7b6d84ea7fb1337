import { continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { PurgeInput, RetentionActivities } from '../activities/retention';

const { purgeExpiredPersonalData } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1 minute', maximumInterval: '1 hour' },
});

export interface RetentionInput {
  retentionMonths: PurgeInput['retentionMonths'];
  intervalHours: number;
}

const RUNS_PER_HISTORY = 30;

/**
 * The system enforces retention, not people: one long-running workflow purges expired personal data on a durable
 * timer, and continues as new so its history stays short. The worker starts it (idempotently) on boot.
 */
export async function retentionWorkflow(input: RetentionInput): Promise<void> {
  for (let run = 0; run < RUNS_PER_HISTORY; run++) {
    const { purgedCases } = await purgeExpiredPersonalData({
      now: new Date().toISOString(),
      retentionMonths: input.retentionMonths,
    });
    if (purgedCases > 0) log.info('purged expired personal data', { purgedCases });
    await sleep(input.intervalHours * 3_600_000);
  }
  await continueAsNew<typeof retentionWorkflow>(input);
}
