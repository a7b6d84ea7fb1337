import { Connection, WorkflowClient } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
const History = temporal.api.history.v1.History;

export interface HistoryFigures {
  sampledCases: number;
  /** Events and encoded bytes of a case's current run so far (payloads encrypted, as the server stores them). */
  eventsPerCase: { median?: number; max?: number };
  historyBytesPerCase: { median?: number; max?: number };
  /** Workflow tasks completed per case so far. */
  workflowTasksPerCase: { median?: number };
}

export interface FirstCall {
  /** When the case's call-slot timer was meant to fire (the slot, with its jitter). */
  wakeAt: number;
  /** When the first placeCall activity started: it reaches the rate limiter at once. */
  limiterAt: number;
}

const toMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : NaN;

function quantile(values: number[], q: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Reads the histories of `workflowIds` (bounded by the caller) from the server: their size, and for each case the
 * wake-up and start of its first call. Event types, times and activity names only; payloads stay encrypted.
 */
export async function readHistories(
  address: string,
  namespace: string,
  workflowIds: string[],
): Promise<{ figures: HistoryFigures; firstCalls: FirstCall[] }> {
  const connection = await Connection.connect({ address });
  try {
    const client = new WorkflowClient({ connection, namespace });
    const events: number[] = [];
    const bytes: number[] = [];
    const tasks: number[] = [];
    const firstCalls: FirstCall[] = [];
    for (const id of workflowIds) {
      const history = await client.getHandle(id).fetchHistory();
      const list = history.events ?? [];
      events.push(list.length);
      bytes.push(History.encode(history).finish().length);
      tasks.push(list.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length);
      let wakeAt = NaN;
      const timers = new Map<string, number>();
      const scheduled = new Map<number, string>();
      for (const e of list) {
        if (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) {
          const a = e.timerStartedEventAttributes!;
          timers.set(a.timerId!, toMs(e.eventTime) + toMs(a.startToFireTimeout));
        } else if (e.eventType === EventType.EVENT_TYPE_TIMER_FIRED) {
          wakeAt = timers.get(e.timerFiredEventAttributes!.timerId!) ?? NaN;
        } else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          scheduled.set(Number(e.eventId), e.activityTaskScheduledEventAttributes!.activityType!.name!);
        } else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          const a = e.activityTaskStartedEventAttributes!;
          if (scheduled.get(Number(a.scheduledEventId)) === 'placeCall') {
            firstCalls.push({ wakeAt, limiterAt: toMs(e.eventTime) });
            break;
          }
        }
      }
    }
    return {
      figures: {
        sampledCases: workflowIds.length,
        eventsPerCase: { median: quantile(events, 0.5), max: quantile(events, 1) },
        historyBytesPerCase: { median: quantile(bytes, 0.5), max: quantile(bytes, 1) },
        workflowTasksPerCase: { median: quantile(tasks, 0.5) },
      },
      firstCalls,
    };
  } finally {
    await connection.close();
  }
}
