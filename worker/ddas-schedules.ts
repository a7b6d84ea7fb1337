import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ddasDeliveryWorkflow } from '../workflows';

const DEFAULT_PREFIX = 'bereik-ddas-delivery';

/**
 * One schedule per municipality: on the 1st of every month at 06:00 Europe/Amsterdam, deliver the previous month.
 * Created when missing and left alone when present, so every worker start may call this. The schedule and its runs
 * are named `<idPrefix>-<gemeentecode>`.
 */
export async function ensureDdasDeliverySchedules(
  client: Client,
  options: { municipalities: readonly string[]; taskQueue: string; idPrefix?: string },
): Promise<{ created: string[] }> {
  const prefix = options.idPrefix ?? DEFAULT_PREFIX;
  const created: string[] = [];
  for (const municipality of [...new Set(options.municipalities)].sort()) {
    const scheduleId = `${prefix}-${municipality}`;
    try {
      await client.schedule.create({
        scheduleId,
        spec: {
          calendars: [{ dayOfMonth: 1, hour: 6, minute: 0, comment: 'previous month, 06:00 Amsterdam' }],
          timezone: 'Europe/Amsterdam',
        },
        action: {
          type: 'startWorkflow',
          workflowType: 'ddasDeliveryWorkflow',
          workflowId: scheduleId,
          taskQueue: options.taskQueue,
          args: [{ municipality }] satisfies Parameters<typeof ddasDeliveryWorkflow>,
        },
        // A missed run (worker or server down on the 1st) still happens when the service is back within a week.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      });
      created.push(municipality);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
  return { created };
}
