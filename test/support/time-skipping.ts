import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkippingEnvironment } from '../../tools/scenario/environment';

/** A fresh time-skipping test server (the Java one, via the path global setup provisioned): its clock is global. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path)
    throw new Error(
      'TEMPORAL_TEST_SERVER_PATH is not set: run the tests through jest (global setup provisions the server)',
    );
  return startTimeSkippingEnvironment(path);
}

export function workflowBundle(): { codePath: string } {
  const codePath = process.env.BEREIK_WORKFLOW_BUNDLE;
  if (!codePath)
    throw new Error(
      'BEREIK_WORKFLOW_BUNDLE is not set: run the tests through jest (global setup bundles the workflows)',
    );
  return { codePath };
}
