import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getPolicy, isInCallWindow, localDate, dagdeelAt } from '../../policy';
import { EINDRESULTATEN } from '../../domain/ddas';
import { runScenario, type ScenarioResult } from '../../tools/scenario/run-scenario';
import { scenarioSchema, type Scenario } from '../../tools/scenario/schema';
import type { TimelineEntry } from '../../tools/scenario/timeline';
import { timeSkippingEnv, workflowBundle } from './time-skipping';

export const SCENARIO_DIR = path.resolve(__dirname, '../../scenarios');

export function loadScenario(file: string): Scenario {
  return scenarioSchema.parse(JSON.parse(readFileSync(path.join(SCENARIO_DIR, file), 'utf8')));
}

export async function playScenario(file: string, policyName?: string): Promise<ScenarioResult> {
  const env = await timeSkippingEnv();
  try {
    return await runScenario(env, loadScenario(file), { workflowBundle: workflowBundle(), policyName });
  } finally {
    await env.teardown();
  }
}

export const ofType = (result: ScenarioResult, type: string, caseLabel?: string): TimelineEntry[] =>
  result.timeline.filter((e) => e.type === type && (caseLabel === undefined || e.case === caseLabel));

/** Rules every timeline must keep, whatever the scenario: BRIEF.md step 5 and the stop rules of step 8. */
export function expectPolicyInvariants(result: ScenarioResult, scenario: Scenario): void {
  const policy = getPolicy(result.policy.name, result.policy.version);
  const times = result.timeline.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));

  for (const label of new Set(result.timeline.map((e) => e.case))) {
    const calls = ofType(result, 'call', label);
    for (const call of calls) {
      const ms = Date.parse(call.at);
      if (!isInCallWindow(policy, ms))
        throw new Error(`call at ${call.at} (case ${label}) is outside the call windows`);
    }
    const roundCalls = calls.filter((c) => c.kind === undefined);
    expect(roundCalls.length).toBeLessThanOrEqual(policy.phoneRound.maxAttempts);
    for (let i = 1; i < roundCalls.length; i++) {
      const [a, b] = [Date.parse(roundCalls[i - 1].at), Date.parse(roundCalls[i].at)];
      if (b - a < policy.phoneRound.minGapMinutes * 60_000)
        throw new Error(`calls ${roundCalls[i - 1].at} and ${roundCalls[i].at} are too close`);
      if (dagdeelAt(policy, a) === dagdeelAt(policy, b))
        throw new Error(`calls ${roundCalls[i - 1].at} and ${roundCalls[i].at} share a dagdeel`);
    }
    const perDay = new Map<string, number>();
    for (const call of roundCalls)
      perDay.set(localDate(policy, Date.parse(call.at)), (perDay.get(localDate(policy, Date.parse(call.at))) ?? 0) + 1);
    for (const [day, count] of perDay)
      if (count > policy.phoneRound.maxPerDay) throw new Error(`${count} calls on ${day}`);

    for (const closed of ofType(result, 'closed', label)) expect(EINDRESULTATEN).toContain(closed.result);
  }

  // An input at the very instant of a planned call or visit is a tie the test server breaks either way, and a timer
  // that fires while the input's workflow task cancels it strands the run (temporalio/sdk-java#3088).
  const inputs = new Set([...scenario.signals, ...scenario.events].map((input) => Date.parse(input.at)));
  const ties = result.timeline.filter((e) => (e.type === 'call' || e.type === 'visit') && inputs.has(Date.parse(e.at)));
  expect(ties.map((e) => `${e.type} at ${e.at} ties with a scenario input`)).toEqual([]);

  const contact = new Set(['message', 'call', 'visit', 'card']);
  for (const { at, event } of scenario.events) {
    const stopsAll = event.type === 'arrears_resolved' || (event.type === 'objection' && event.channel === 'all');
    const stopsCalls = event.type === 'objection' && event.channel === 'phone';
    if (!stopsAll && !stopsCalls) continue;
    const after = result.timeline.filter(
      (e) => (stopsAll ? contact.has(e.type) : e.type === 'call') && Date.parse(e.at) > Date.parse(at),
    );
    expect(after).toEqual([]);
  }
}
