// A "next release" of the workflow bundle for test/workflows/rollout.test.ts: the case workflow with a timer at its
// start that no history written by the released code has, so replaying such a history here is a determinism error.
import { setWorkflowOptions, sleep } from '@temporalio/workflow';
import { caseWorkflow as released } from '../../workflows/case/case-workflow';
import type { CaseWorkflowInput } from '../../workflows/case/messages';

export { caseRoundBoundary, retentionWorkflow } from '../../workflows';

export async function caseWorkflow(input: CaseWorkflowInput): ReturnType<typeof released> {
  await sleep(1);
  return await released(input);
}
setWorkflowOptions({ versioningBehavior: 'PINNED' }, caseWorkflow);
