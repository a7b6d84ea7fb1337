import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getPolicy, type ContactPolicy, type PolicyChange } from '../../policy';
import { exitOnError, parseSimulateArgs, writeStdout } from './cli';
import { writeReport } from './report';
import { SimulationInputError } from './signals';
import { simulate } from './simulate';
import type { PolicySummary } from './summary';

const ROOT = path.resolve(__dirname, '../..');
const NOT_BEHAVIOUR = new Set(['version', 'description']);

/**
 * The leaves where `from` differs from `to`, as changes that turn `to` into `from`: arrays and values compared
 * whole, a field only in `to` removed (`undefined`). Name, version and description are not behaviour.
 */
export function changesBetween(to: unknown, from: unknown, prefix = ''): PolicyChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObject(to) && isObject(from)) {
    const keys = [...new Set([...Object.keys(to), ...Object.keys(from)])].sort();
    return keys.flatMap((key) => {
      const at = prefix ? `${prefix}.${key}` : key;
      if (!prefix && (NOT_BEHAVIOUR.has(key) || key === 'name')) return [];
      if (!(key in from)) return [{ path: at, value: undefined }];
      if (!(key in to)) return [{ path: at, value: from[key] }];
      return changesBetween(to[key], from[key], at);
    });
  }
  return JSON.stringify(to) === JSON.stringify(from) ? [] : [{ path: prefix, value: from }];
}

/**
 * The preset as committed at `rev`: that revision's policy/ and domain/ exported beside the repository's
 * node_modules and loaded from there, so the working copy's files do not mix in.
 */
function committedPolicy(rev: string, name: string): ContactPolicy {
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    throw new SimulationInputError(`--against ${rev} is not a commit of this repository`);
  }
  const dir = path.join(ROOT, '.data', 'rehearse', commit);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'policy', 'domain'], { cwd: ROOT });
  writeFileSync(path.join(dir, 'tree.tar'), archive);
  execFileSync('tar', ['-xf', 'tree.tar'], { cwd: dir });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the committed module is only known at run time
  const committed = require(path.join(dir, 'policy', 'index.ts')) as { getPolicy: typeof getPolicy };
  try {
    return committed.getPolicy(name);
  } catch (error) {
    throw new SimulationInputError(`at ${rev}: ${(error as Error).message}`);
  }
}

type Step = keyof PolicySummary['funnel'];
const KINDS = ['calls', 'visits', 'handovers', 'messages'] as const;

function difference(before: number, after: number) {
  return { committed: before, working: after, difference: after - before };
}

/** Per funnel step, result and day of workload: the committed run, the working copy's and the difference. */
export function compareRuns(committed: PolicySummary, working: PolicySummary) {
  const steps = Object.keys(working.funnel) as Step[];
  const dates = [...new Set([...committed.load, ...working.load].map((d) => d.date))].sort();
  const dayOf = (s: PolicySummary, date: string) => s.load.find((d) => d.date === date);
  return {
    funnel: Object.fromEntries(steps.map((step) => [step, difference(committed.funnel[step], working.funnel[step])])),
    results: Object.fromEntries(
      Object.keys(working.results)
        .filter((r) => (committed.results[r] ?? 0) !== 0 || (working.results[r] ?? 0) !== 0)
        .map((r) => [r, difference(committed.results[r] ?? 0, working.results[r] ?? 0)]),
    ),
    breaches: {
      firstAttempt: difference(committed.breaches.firstAttempt, working.breaches.firstAttempt),
      close: difference(committed.breaches.close, working.breaches.close),
    },
    unfinished: difference(committed.unfinished, working.unfinished),
    load: dates.map((date) => ({
      date,
      ...Object.fromEntries(
        KINDS.map((kind) => [kind, difference(dayOf(committed, date)?.[kind] ?? 0, dayOf(working, date)?.[kind] ?? 0)]),
      ),
    })),
  };
}

/**
 * `npm run rehearse -- --policy NAME [--against REV] [simulate options]`: the same month under the preset as
 * committed at REV (default HEAD) and as it is in the working copy, side by side in one simulation.
 */
async function main(argv: string[]): Promise<void> {
  let against = 'HEAD';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--against') {
      const value = argv[++i];
      if (!value) throw new SimulationInputError('--against needs a git revision');
      against = value;
    } else rest.push(argv[i]);
  }
  const options = parseSimulateArgs(rest);
  if (options.policies.length !== 1 || options.policies[0].changes.length > 0 || options.policies[0].name.includes('@'))
    throw new SimulationInputError('rehearse takes exactly one --policy NAME (without --set or @version)');
  const name = options.policies[0].name;
  const working = getPolicy(name);
  const changes = changesBetween(working, committedPolicy(against, name));
  process.stderr.write(
    `[rehearse] ${name}: ${changes.length} field(s) differ from ${against}${changes.map((c) => `\n  ${c.path}`).join('')}\n`,
  );
  options.policies = [
    { name, changes },
    { name, changes: [] },
  ];
  const output = await simulate(options);
  const [committedRun, workingRun] = output.policies;
  if (options.report) {
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.report);
    writeFileSync(file, await writeReport(output));
    process.stderr.write(`[rehearse] report written to ${file}\n`);
  }
  await writeStdout(
    `${JSON.stringify(
      {
        seed: output.seed,
        signals: output.signals,
        period: output.period,
        ...(output.wallSeconds !== undefined ? { wallSeconds: output.wallSeconds } : {}),
        policy: name,
        against,
        changedFields: changes.map((c) => ({ path: c.path, committed: c.value ?? null })),
        ...compareRuns(committedRun, workingRun),
        runs: { committed: committedRun, working: workingRun },
      },
      null,
      2,
    )}\n`,
  );
}

if (require.main === module) main(process.argv.slice(2)).then(() => process.exit(0), exitOnError);
