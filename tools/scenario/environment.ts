import { TestWorkflowEnvironment } from '@temporalio/testing';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';

/**
 * A time-skipping environment on the provisioned test server (`ensureTestServer()`), with bereik's failure
 * converter. Temporal's core gives the server a fixed 5 s to answer and kills it if it does not. The JVM starts in
 * under a second on a quiet machine, but not always on two cores busy with a test suite, so such a start is tried
 * again; any other failure is thrown at once.
 */
export async function startTimeSkippingEnvironment(
  serverPath: string,
  report: (line: string) => void = () => {},
): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: serverPath } },
        client: { dataConverter: { failureConverterPath: FAILURE_CONVERTER_PATH } },
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.message.includes('did not start within');
      if (!timedOut || attempt >= 3) throw error;
      report(`the time-skipping test server did not answer within 5 s (attempt ${attempt}); starting it again`);
    }
  }
}
