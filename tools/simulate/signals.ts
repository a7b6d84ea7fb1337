import { DateTime } from 'luxon';
import { parseCsv } from '../../api/csv';
import { signalsFromCsv } from '../../api/intake-csv';
import { signalSchema, type Signal } from '../../domain/signal';
import type { SignaalpartnerType } from '../../domain/ddas';
import type { Draws } from './model';

export class SimulationInputError extends Error {}

/** One signal of the month and the instant it arrives; `resident` keys the resident model's draws. */
export interface PlannedSignal {
  at: number;
  resident: number;
  signal: Signal;
}

/**
 * The documented defaults of synthetic signals (tools/simulate/README.md). Partner mix and contact details follow
 * the Zoetermeer pilot report: a share arrives without a phone number, about half of those can be found.
 */
export const SYNTHETIC_MIX = {
  partners: [
    { type: 'Energie', share: 0.3 },
    { type: 'CAK Zorgverzekeringen', share: 0.3 },
    { type: 'Huur', share: 0.2 },
    { type: 'Water', share: 0.2 },
  ] satisfies { type: SignaalpartnerType; share: number }[],
  /** Log-normal arrears in euros: median and spread (sigma). */
  amount: { median: 600, sigma: 0.8 },
  crisis: 0.02,
  mobile: 0.65,
  landlineOnly: 0.1,
  /** The rest has no phone number; `enrichPhone` finds one for this share of them. */
  phoneFoundByEnrichment: 0.55,
  email: 0.45,
};

const DAY_MS = 86_400_000;

/** N households at distinct addresses, arriving over the period at instants that never fall on a whole minute. */
export function syntheticSignals(count: number, startMs: number, days: number, draws: Draws): PlannedSignal[] {
  const zone = 'Europe/Amsterdam';
  const planned: PlannedSignal[] = [];
  for (let i = 0; i < count; i++) {
    const day = Math.floor(draws.uniform(i, 'arrivalDay') * days);
    const localDay = DateTime.fromMillis(startMs, { zone }).startOf('day').plus({ days: day });
    // Partners deliver in office hours; the odd milliseconds keep arrivals off the instants of the policy's timers.
    const at =
      localDay.set({ hour: 7 }).toMillis() + Math.floor(draws.uniform(i, 'arrivalTime') * 12 * 3_600_000) + 1_237;
    const partner = pick(SYNTHETIC_MIX.partners, draws.uniform(i, 'partner'));
    const amount = Math.round(
      SYNTHETIC_MIX.amount.median * Math.exp(SYNTHETIC_MIX.amount.sigma * normal(draws, i, 'amount')),
    );
    const contact = draws.uniform(i, 'phone');
    const telefoon =
      contact < SYNTHETIC_MIX.mobile
        ? `+3161${String(i).padStart(7, '0')}`
        : contact < SYNTHETIC_MIX.mobile + SYNTHETIC_MIX.landlineOnly
          ? `+3170${String(i).padStart(7, '0')}`
          : undefined;
    const email = draws.uniform(i, 'email') < SYNTHETIC_MIX.email ? `bewoner${i}@example.org` : undefined;
    const signaaldatum = localDay.toISODate() as string;
    planned.push({
      at,
      resident: i,
      signal: signalSchema.parse({
        ID: `SIM-${i + 1}`,
        signaaldatum,
        ontstaansdatum: localDay.minus({ days: 60 }).toISODate(),
        bedrag: amount,
        crisissignaal: draws.uniform(i, 'crisis') < SYNTHETIC_MIX.crisis,
        signaalpartner: { type: partner.type, naam: `${partner.type} partner` },
        client: {
          Voorletters: 'S.',
          Achternaam: `Simulatie${i + 1}`,
          Straatnaam: 'Simulatielaan',
          Huisnummer: String((i % 9999) + 1),
          Postcode: `${2700 + Math.floor(i / 9999)}SM`,
          Plaatsnaam: 'Zoetermeer',
          ...(telefoon ? { telefoon } : {}),
          ...(email ? { email } : {}),
          taal: 'nl',
        },
      }),
    });
  }
  return planned.sort((a, b) => a.at - b.at || a.resident - b.resident);
}

/**
 * The signals of an intake CSV (api/intake-csv.ts). Their dates are shifted as a whole so that the earliest
 * signaaldatum is the period's first day (the test server's clock only runs forward); each signal arrives on its
 * shifted day at a seeded office-hours instant.
 */
export function csvSignals(text: string, startMs: number, draws: Draws): PlannedSignal[] {
  let parsed: ReturnType<typeof signalsFromCsv>;
  try {
    parsed = signalsFromCsv(text);
  } catch (error) {
    const problem = error as { detail?: string; errors?: { path: string; message: string }[]; message?: string };
    const details = (problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`).join('\n');
    throw new SimulationInputError(`invalid CSV: ${problem.detail ?? problem.message ?? String(error)}\n${details}`);
  }
  // Blank lines are skipped and quoted fields may span lines, so a row's line in the file is the parser's to say.
  const lines = parseCsv(text)
    .records.slice(1)
    .map((r) => r.line);
  const where = (index: number) => `row ${index + 1} (line ${lines[index]})`;
  const issues: string[] = [];
  for (const [index, errors] of parsed.rowErrors)
    for (const e of errors) issues.push(`  ${where(index)}: ${e.message}`);
  const signals: Signal[] = [];
  parsed.signals.forEach((raw, index) => {
    const result = signalSchema.safeParse(raw);
    if (result.success) signals.push(result.data);
    else
      for (const issue of result.error.issues)
        issues.push(`  ${where(index)} ${issue.path.join('.') || '(row)'}: ${issue.message}`);
  });
  if (signals.length === 0 && issues.length === 0) issues.push('  the CSV has no signals');
  const ids = new Set<string>();
  for (const s of signals) {
    if (ids.has(s.ID)) issues.push(`  signal ID ${s.ID} appears twice`);
    ids.add(s.ID);
  }
  if (issues.length > 0) throw new SimulationInputError(`invalid CSV:\n${issues.join('\n')}`);

  const zone = 'Europe/Amsterdam';
  const first = signals.map((s) => s.signaaldatum).sort()[0];
  const startDay = DateTime.fromMillis(startMs, { zone }).startOf('day');
  return signals
    .map((signal, i) => {
      const offset = DateTime.fromISO(signal.signaaldatum, { zone }).diff(
        DateTime.fromISO(first, { zone }),
        'days',
      ).days;
      const localDay = startDay.plus({ days: Math.round(offset) });
      const shift = (date: string | undefined) =>
        date === undefined
          ? undefined
          : (DateTime.fromISO(date, { zone })
              .plus({ days: localDay.diff(DateTime.fromISO(signal.signaaldatum, { zone }), 'days').days })
              .toISODate() as string);
      const at =
        localDay.set({ hour: 7 }).toMillis() + Math.floor(draws.uniform(i, 'arrivalTime') * 12 * 3_600_000) + 1_237;
      const shifted: Signal = {
        ...signal,
        signaaldatum: localDay.toISODate() as string,
        ...(signal.ontstaansdatum ? { ontstaansdatum: shift(signal.ontstaansdatum) } : {}),
      };
      return { at, resident: i, signal: shifted };
    })
    .sort((a, b) => a.at - b.at || a.resident - b.resident);
}

export function periodDays(signals: PlannedSignal[], startMs: number, days: number): number {
  const last = Math.max(...signals.map((s) => s.at));
  return Math.max(days, Math.ceil((last - startMs) / DAY_MS));
}

function pick<T extends { share: number }>(items: T[], u: number): T {
  let rest = u;
  for (const item of items) {
    if (rest < item.share) return item;
    rest -= item.share;
  }
  return items[items.length - 1];
}

function normal(draws: Draws, ...key: (string | number)[]): number {
  const u1 = Math.max(draws.uniform(...key, 'n1'), 1e-12);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * draws.uniform(...key, 'n2'));
}
