import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { TaskQueueType } = temporal.api.enums.v1;

function millis(
  timestamp: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined,
): number {
  if (!timestamp) return 0;
  const seconds = typeof timestamp.seconds === 'number' ? timestamp.seconds : (timestamp.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
}

/**
 * Resolves once the server has seen a worker poll `taskQueue` for workflow tasks and for activity tasks since `since`.
 * The server remembers pollers for minutes, so those of a worker that died before `since` do not count.
 */
export async function waitForWorkerPolling(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  since: Date;
  timeoutMs: number;
  /** Fails the wait early, e.g. when the worker cannot start at all. */
  abandoned?: () => string | null;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const connection = await Connection.connect({ address: opts.address, connectTimeout: 10_000 });
  try {
    let missing = 'workflow and activity pollers';
    while (Date.now() < deadline) {
      const reason = opts.abandoned?.();
      if (reason) throw new Error(reason);
      const polling = await Promise.all(
        [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
          const { pollers } = await connection.workflowService.describeTaskQueue({
            namespace: opts.namespace,
            taskQueue: { name: opts.taskQueue },
            taskQueueType,
          });
          return (pollers ?? []).some((poller) => millis(poller.lastAccessTime) >= opts.since.getTime());
        }),
      );
      if (polling.every(Boolean)) return;
      missing = polling[0] ? 'activity pollers' : 'workflow pollers';
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `no worker polls task queue ${opts.taskQueue} after ${opts.timeoutMs / 1000} s (no ${missing}); see the worker's output above`,
    );
  } finally {
    await connection.close();
  }
}
