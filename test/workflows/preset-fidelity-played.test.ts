import { getPolicy, withChanges, type PolicyChange } from '../../policy';
import { runScenarios, type ScenarioPlay, type ScenarioResult } from '../../tools/scenario/run-scenario';
import { LEAVES, leavesOf, mutationOf, type ScenarioCheck } from '../support/preset-leaves';
import { loadScenario } from '../support/scenarios';
import { timeSkippingEnv, workflowBundle } from '../support/time-skipping';

/** One `scenario` row under one of its presets: the leaf's documented mutation, and the baseline it must change. */
interface Row {
  label: string;
  baseline: string;
  play: ScenarioPlay;
}

function baselineOf(check: ScenarioCheck, preset: string): { key: string; play: ScenarioPlay } {
  const scenario = loadScenario(check.file);
  const context = check.context?.[preset] ?? [];
  const variations = [
    ...(check.silentTeams ? ['silent teams'] : []),
    ...(check.teams ? [`teams ${JSON.stringify(check.teams)}`] : []),
    ...context.map((c) => `${c.path}=${JSON.stringify(c.value)}`),
  ];
  return {
    key: [`${check.file} under ${preset}`, ...variations].join(', '),
    play: {
      scenario: check.teams ? { ...scenario, teams: check.teams } : scenario,
      policyName: preset,
      policyChanges: context,
      silentTeams: check.silentTeams,
    },
  };
}

const rows: Row[] = [];
const baselines = new Map<string, ScenarioPlay>();
for (const [path, check] of Object.entries(LEAVES)) {
  if (check.kind !== 'scenario') continue;
  for (const preset of check.presets) {
    const { key, play } = baselineOf(check, preset);
    const policy = withChanges(getPolicy(preset), play.policyChanges ?? []);
    const leaf = leavesOf(policy).find((l) => l.path === path);
    if (!leaf) throw new Error(`${preset} has no leaf ${path}`);
    const changes: PolicyChange[] = mutationOf(policy, path, leaf.value);
    baselines.set(key, play);
    rows.push({
      label: `${preset}: ${path}`,
      baseline: key,
      play: { ...play, policyChanges: [...(play.policyChanges ?? []), ...changes] },
    });
  }
}

const PLAYS_AT_ONCE = 3;

const INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g;
const MINUTE = 60_000;

/**
 * A play's timeline and views, every instant to the nearest minute: the recorders stamp an activity with the test
 * server's clock, which runs on by a second or two of real time while the worker is busy; the policy's instants are
 * whole minutes.
 */
const outcomeOf = (result: ScenarioResult) =>
  JSON.stringify({ timeline: result.timeline, cases: result.cases }).replace(INSTANT, (instant) =>
    new Date(Math.round(Date.parse(instant) / MINUTE) * MINUTE).toISOString(),
  );

/**
 * Plays every `scenario` row of the preset-fidelity table (test/support/preset-leaves.ts): the leaf's mutation must
 * change the scenario's timeline or its cases' views against the same scenario under the unchanged preset; one
 * baseline is played twice, so a difference is the leaf's and not the run's. One play per time-skipping server: side by
 * side on one server, it skips time past activities still queued in the worker, and the plays time each other out.
 */
describe('preset fidelity, played', () => {
  const outcomes = new Map<string, string>();
  const mutated = new Map<string, string>();
  let repeated: string | undefined;

  beforeAll(async () => {
    const [firstKey, firstPlay] = [...baselines][0]!;
    const plays = [
      ...[...baselines].map(([key, play]) => ({ id: `baseline ${key}`, play })),
      { id: `again ${firstKey}`, play: firstPlay },
      ...rows.map((row) => ({ id: row.label, play: row.play })),
    ];
    // Each play has a server of its own; a few at once keep both cores busy while servers and workers start.
    const queue = [...plays];
    const playNext = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const env = await timeSkippingEnv();
        try {
          const [result] = await runScenarios(env, [next.play], { workflowBundle: workflowBundle() });
          if (next.id.startsWith('again ')) repeated = outcomeOf(result!);
          else (next.id.startsWith('baseline ') ? outcomes : mutated).set(next.id, outcomeOf(result!));
        } finally {
          await env.teardown();
        }
      }
    };
    await Promise.all(Array.from({ length: PLAYS_AT_ONCE }, playNext));
  }, 600_000);

  test('the table has scenario rows to play, under every preset they name', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(new Set(rows.map((r) => r.label.split(':')[0]))).toEqual(
      new Set(['default', 'drill', 'coevorden', 'zoetermeer', 'haarlem']),
    );
  });

  test('a baseline played again gives the same timeline and views', () => {
    const [firstKey] = [...baselines.keys()];
    expect(repeated).toBeDefined();
    expect(JSON.parse(repeated!)).toEqual(JSON.parse(outcomes.get(`baseline ${firstKey}`)!));
  });

  test("every scenario leaf of every preset changes its scenario's timeline or views", () => {
    const unchanged = rows
      .filter((row) => mutated.get(row.label) === outcomes.get(`baseline ${row.baseline}`))
      .map((row) => `${row.label} (${row.baseline})`);
    expect(mutated.size).toBe(rows.length);
    expect(outcomes.size).toBe(baselines.size);
    expect(unchanged).toEqual([]);
  });
});
