import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../common/codec';
import { getPolicy, policyProblems, withChanges, type PolicyChange } from '../../policy';
import { ensureTestServer } from '../toolchain/test-server';
import { startTimeSkippingEnvironment } from '../scenario/environment';
import { DEFAULT_RESIDENT_MODEL, Draws, residentModelSchema, type ResidentModel } from './model';
import { runSimulation, type PolicyVariant } from './run';
import { csvSignals, periodDays, SimulationInputError, syntheticSignals } from './signals';
import type { PolicySummary } from './summary';

export interface SimulateOptions {
  policies: { name: string; changes: PolicyChange[] }[];
  signals?: number;
  csv?: string;
  residents?: string;
  seed: string;
  start?: string;
  days: number;
  municipality: string;
  timing: boolean;
  stallSeconds?: number;
  horizonDays?: number;
  taskSample?: number;
}

export interface SimulationOutput {
  seed: string | number;
  signals: number;
  period: { from: string; to: string };
  wallSeconds?: number;
  residentModel: ResidentModel;
  policies: PolicySummary[];
}

const ZONE = 'Europe/Amsterdam';

/** Checks the options and builds the month's signals, model and policy variants; throws SimulationInputError. */
export function prepare(options: SimulateOptions, nowMs = Date.now()) {
  const variants: PolicyVariant[] = options.policies.map(({ name: spec, changes }) => {
    // `name@2` is a registered older version of the preset.
    const [name, version] = spec.split('@') as [string, string | undefined];
    if (version !== undefined && !/^\d+$/.test(version))
      throw new SimulationInputError(`--policy ${spec}: the version after @ must be a whole number`);
    let registered;
    try {
      registered = getPolicy(name, version === undefined ? undefined : Number(version));
    } catch (error) {
      throw new SimulationInputError((error as Error).message);
    }
    let policy;
    try {
      policy = withChanges(registered, changes);
    } catch (error) {
      throw new SimulationInputError((error as Error).message);
    }
    const problems = policyProblems(policy);
    if (problems.length > 0)
      throw new SimulationInputError(
        `policy ${name} with ${JSON.stringify(changes)} is invalid: ${problems.join('; ')}`,
      );
    return { policy, changes };
  });
  let startMs: number;
  if (options.start) {
    if (!/[zZ]|[+-]\d\d:\d\d$/.test(options.start))
      throw new SimulationInputError(`--start needs an ISO 8601 date-time with an offset, got ${options.start}`);
    startMs = Date.parse(options.start);
    if (!Number.isFinite(startMs)) throw new SimulationInputError(`--start is not a date-time: ${options.start}`);
    if (startMs <= nowMs) throw new SimulationInputError(`--start ${options.start} lies in the past`);
  } else {
    const today = DateTime.fromMillis(nowMs, { zone: ZONE }).startOf('day');
    startMs = today.plus({ days: 8 - today.weekday }).toMillis();
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366)
    throw new SimulationInputError(`--days must be a whole number from 1 to 366, got ${options.days}`);
  if (options.signals !== undefined && options.csv !== undefined)
    throw new SimulationInputError('give --signals or --csv, not both');

  let model: ResidentModel = DEFAULT_RESIDENT_MODEL;
  if (options.residents) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(resolveInput(options.residents), 'utf8'));
    } catch (error) {
      throw new SimulationInputError(
        `cannot read the resident model ${options.residents}: ${(error as Error).message}`,
      );
    }
    const parsed = residentModelSchema.safeParse(raw);
    if (!parsed.success)
      throw new SimulationInputError(
        `invalid resident model ${options.residents}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
      );
    model = parsed.data;
  }

  const draws = new Draws(options.seed);
  let signals;
  if (options.csv !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolveInput(options.csv), 'utf8');
    } catch (error) {
      throw new SimulationInputError(`cannot read ${options.csv}: ${(error as Error).message}`);
    }
    signals = csvSignals(text, startMs, draws);
  } else {
    const count = options.signals ?? 500;
    if (!Number.isInteger(count) || count < 1 || count > 100_000)
      throw new SimulationInputError(`--signals must be a whole number from 1 to 100000, got ${count}`);
    signals = syntheticSignals(count, startMs, options.days, draws);
  }
  const days = periodDays(signals, startMs, options.days);
  const toMs = DateTime.fromMillis(startMs, { zone: ZONE }).plus({ days }).toMillis();
  return { variants, signals, model, period: { from: startMs, to: toMs } };
}

/** The whole simulation: one test server, the real workflow bundle, every policy variant side by side. */
export async function simulate(
  options: SimulateOptions,
  progress: (line: string) => void = (line) => process.stderr.write(`[simulate] ${line}\n`),
): Promise<SimulationOutput> {
  const started = Date.now();
  const { variants, signals, model, period } = prepare(options);
  installQuietRuntime();
  const serverPath = await ensureTestServer();
  const phase = (name: string) => progress(`${name} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./simulation-workflow'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: stderrLogger,
  });
  phase('workflow bundle ready');
  const env = await startTimeSkippingEnvironment(serverPath, progress);
  phase('test server ready');
  let policies: PolicySummary[];
  try {
    progress(`${signals.length} signals, ${variants.length} policy variant(s)`);
    policies = await runSimulation(env, {
      seed: options.seed,
      municipality: options.municipality,
      signals,
      period,
      variants,
      model,
      workflowBundle,
      stallSeconds: options.stallSeconds,
      horizonDays: options.horizonDays,
      taskSample: options.taskSample,
      progress,
    });
    phase('simulation done');
  } finally {
    await env.teardown();
  }
  const format = (ms: number) =>
    DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true }) as string;
  return {
    seed: /^-?\d+$/.test(options.seed) ? Number(options.seed) : options.seed,
    signals: signals.length,
    period: { from: format(period.from), to: format(period.to) },
    ...(options.timing ? { wallSeconds: Math.round((Date.now() - started) / 100) / 10 } : {}),
    residentModel: model,
    policies,
  };
}

function resolveInput(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

let runtimeInstalled = false;
/** Core (Rust) logs would otherwise go to stdout, which belongs to the JSON document alone. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`${entry.level} ${entry.message}\n`)),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

const stderrLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};
