import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PolicyChange } from '../../policy';
import { writeReport } from './report';
import { SimulationInputError } from './signals';
import { simulate, type SimulateOptions } from './simulate';

export const USAGE =
  'usage: npm run simulate -- [--policy NAME [--set path=JSON ...]] ... [--signals N | --csv FILE] [--residents FILE]\n' +
  '         [--seed S] [--start ISO] [--days D] [--municipality CODE] [--report FILE.html] [--no-timing]';

/** Parses the command line of ../shared/SIMULATION.md; `--set` changes the `--policy` it follows. */
export function parseSimulateArgs(argv: string[]): SimulateOptions & { report?: string } {
  const options: SimulateOptions & { report?: string } = {
    policies: [],
    seed: '1',
    days: 30,
    municipality: '0518',
    timing: true,
  };
  const value = (i: number, arg: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new SimulationInputError(`${arg} needs a value\n${USAGE}`);
    return v;
  };
  const whole = (v: string, arg: string) => {
    if (!/^\d+$/.test(v)) throw new SimulationInputError(`${arg} needs a whole number, got ${v}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--policy':
        options.policies.push({ name: value(++i, arg), changes: [] });
        break;
      case '--set': {
        const current = options.policies[options.policies.length - 1];
        if (!current) throw new SimulationInputError('--set changes the --policy before it; give --policy first');
        current.changes.push(parseChange(value(++i, arg)));
        break;
      }
      case '--signals':
        options.signals = whole(value(++i, arg), arg);
        break;
      case '--days':
        options.days = whole(value(++i, arg), arg);
        break;
      case '--csv':
        options.csv = value(++i, arg);
        break;
      case '--residents':
        options.residents = value(++i, arg);
        break;
      case '--seed':
        options.seed = value(++i, arg);
        break;
      case '--start':
        options.start = value(++i, arg);
        break;
      case '--municipality':
        options.municipality = value(++i, arg);
        if (!/^\d{4}$/.test(options.municipality))
          throw new SimulationInputError('--municipality needs a 4-digit gemeentecode');
        break;
      case '--report':
        options.report = value(++i, arg);
        break;
      case '--task-sample':
        options.taskSample = whole(value(++i, arg), arg);
        break;
      case '--no-timing':
        options.timing = false;
        break;
      default:
        throw new SimulationInputError(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (options.policies.length === 0) options.policies.push({ name: 'default', changes: [] });
  return options;
}

export function parseChange(arg: string): PolicyChange {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SimulationInputError(`--set wants path=JSON, got ${arg}`);
  try {
    return { path: arg.slice(0, eq), value: JSON.parse(arg.slice(eq + 1)) as unknown };
  } catch {
    throw new SimulationInputError(`--set ${arg.slice(0, eq)}: the value is not JSON: ${arg.slice(eq + 1)}`);
  }
}

export async function writeStdout(text: string): Promise<void> {
  // A pipe is written asynchronously: exiting before the write completes would cut the document short.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

export function exitOnError(error: unknown): never {
  process.stderr.write(
    `${error instanceof SimulationInputError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(error instanceof SimulationInputError ? 2 : 1);
}

async function main(argv: string[]): Promise<void> {
  const options = parseSimulateArgs(argv);
  const output = await simulate(options);
  if (options.report) {
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.report);
    writeFileSync(file, await writeReport(output));
    process.stderr.write(`[simulate] report written to ${file}\n`);
  }
  await writeStdout(`${JSON.stringify(output, null, 2)}\n`);
}

if (require.main === module) main(process.argv.slice(2)).then(() => process.exit(0), exitOnError);
