import { ApplicationFailure } from '@temporalio/common';
import { EINDRESULTATEN } from '../../domain/ddas';
import { runScenario } from '../../tools/scenario/run-scenario';
import { loadScenario, ofType } from '../support/scenarios';
import { timeSkippingEnv, workflowBundle } from '../support/time-skipping';

describe('a provider that refuses for good never ends a case', () => {
  test('every call and SMS refused: attempts still count, the visits still come, the round closes with a DDAS result', async () => {
    const env = await timeSkippingEnv();
    try {
      const result = await runScenario(env, loadScenario('04-standard-never-reached.json'), {
        workflowBundle: workflowBundle(),
        overrides: {
          async placeCall() {
            throw ApplicationFailure.nonRetryable('call not placed: the number does not exist', 'CallRefused');
          },
          async sendMessage(input) {
            if (input.channel === 'sms') throw ApplicationFailure.nonRetryable('message refused', 'MessageRefused');
            return { sent: true, providerRef: input.messageKey };
          },
        },
      });
      const caseView = result.cases[0] as { attempts: number; result: string };
      expect(EINDRESULTATEN).toContain(caseView.result);
      expect(caseView.result).toBe('Definitief geen contact kunnen krijgen');
      // Seven refused calls are seven unanswered attempts; the e-mail invitation went, the visit team went.
      expect(caseView.attempts).toBeGreaterThanOrEqual(7 + 1 + 2);
      expect(ofType(result, 'visit')).toHaveLength(2);
    } finally {
      await env.teardown();
    }
  });

  test('a registry that refuses the request for good leaves its check undone and the resident is still reached', async () => {
    const env = await timeSkippingEnv();
    const refused: string[] = [];
    try {
      const result = await runScenario(env, loadScenario('03-standard-reached-on-third-call.json'), {
        workflowBundle: workflowBundle(),
        overrides: {
          async checkResidency() {
            refused.push('brp');
            throw ApplicationFailure.nonRetryable('BRP answered 400: the request is invalid', 'BrpRequestRejected');
          },
          async lookupDebtServices() {
            refused.push('sdv');
            throw ApplicationFailure.nonRetryable('SDV answered 400', 'SdvRequestRejected');
          },
        },
      });
      expect(refused).toEqual(['brp', 'sdv']);
      // Unchecked, the case runs its ladder as if the registries were not connected: reached on the third call.
      expect(ofType(result, 'call').map((c) => c.answered)).toEqual([false, false, true]);
      expect((result.cases[0] as { result: string }).result).toBe('Vervolghulp en/of verwijzing financieel');
    } finally {
      await env.teardown();
    }
  });
});
