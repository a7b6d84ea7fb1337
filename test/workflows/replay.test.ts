import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/time-skipping';

const HISTORY_DIR = path.resolve(__dirname, '../histories');
// One folder per recorded shape of the workflow; the code must replay every shape that may still be running.
const files = readdirSync(HISTORY_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

function loadHistory(file: string) {
  return historyFromJSON(JSON.parse(readFileSync(path.join(HISTORY_DIR, file), 'utf8')));
}

describe('replay of recorded case histories', () => {
  test('histories of every segment, a reopen and an escalation are recorded', () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
    expect(new Set(files.map((f) => path.dirname(f))).size).toBeGreaterThanOrEqual(2);
    expect(files.some((f) => f.includes('reopen') && f.includes('run2'))).toBe(true);
  });

  test('the current workflow code replays every recorded history without a determinism violation', async () => {
    const histories = files.map((file) => ({ workflowId: file, history: loadHistory(file) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });

  test('a history that no longer matches the code is caught', async () => {
    const history = loadHistory(files.find((f) => path.basename(f).startsWith('04-')) as string);
    const scheduled = history.events?.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkResidency',
    );
    (scheduled?.activityTaskScheduledEventAttributes?.activityType as { name: string }).name = 'somethingElse';
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history)).rejects.toThrow(
      DeterminismViolationError,
    );
  });
});
