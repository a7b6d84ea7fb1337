import { clientSchema, signalSchema } from '../domain/signal';
import { parseCsv } from './csv';
import { pointer, problems, type FieldError } from './problem';

const NESTED = { signaalpartner: signalSchema.shape.signaalpartner, client: clientSchema } as const;
const NUMBER_COLUMNS = new Set(['bedrag']);
const BOOLEAN_COLUMNS = new Set(['crisissignaal', 'warmeOverdracht']);

/** Every CSV column: a signal field, or `parent.field` for the fields of `signaalpartner` and `client`. */
export const CSV_COLUMNS: readonly string[] = Object.keys(signalSchema.shape).flatMap((key) =>
  key in NESTED ? Object.keys(NESTED[key as keyof typeof NESTED].shape).map((sub) => `${key}.${sub}`) : [key],
);

export interface CsvSignals {
  /** One object per data row, shaped like a JSON signal (still unvalidated). */
  signals: unknown[];
  /** Row-level problems (wrong number of fields), by signal index. */
  rowErrors: Map<number, FieldError[]>;
}

/**
 * `text/csv` intake: a header row of column names from {@link CSV_COLUMNS} (any order, unknown names rejected), then
 * one row per signal. Empty cells are absent fields. `bedrag` takes `.` or (with `;` as delimiter) `,` as decimal
 * mark; booleans take true/false, ja/nee or 1/0.
 */
export function signalsFromCsv(text: string): CsvSignals {
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    throw problems.malformed(`The CSV body cannot be parsed: ${(error as Error).message}.`);
  }
  const [header, ...rows] = parsed.records;
  if (!header)
    throw problems.validation('The CSV body has no header row.', [{ path: '/header', message: 'is missing' }]);
  const columns = header.fields.map((name) => name.trim());
  const headerErrors: FieldError[] = [];
  columns.forEach((name, i) => {
    if (!CSV_COLUMNS.includes(name))
      headerErrors.push({
        path: pointer(['header', i]),
        message: `column "${name.slice(0, 60)}" is not a known column`,
      });
    else if (columns.indexOf(name) !== i)
      headerErrors.push({ path: pointer(['header', i]), message: `column "${name}" appears twice` });
  });
  if (headerErrors.length > 0)
    throw problems.validation(
      `The CSV header has unknown or repeated columns. Known columns: ${CSV_COLUMNS.join(', ')}.`,
      headerErrors,
    );

  const rowErrors = new Map<number, FieldError[]>();
  const signals = rows.map((row, index) => {
    if (row.fields.length !== columns.length) {
      rowErrors.set(index, [
        {
          path: pointer(['signals', index]),
          message: `line ${row.line} has ${row.fields.length} fields; the header has ${columns.length}`,
        },
      ]);
    }
    const signal: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      const cell = (row.fields[i] ?? '').trim();
      if (cell === '') return;
      const [parent, child] = name.split('.') as [string, string | undefined];
      const value = convert(child ?? parent, cell, parsed.delimiter);
      if (child === undefined) signal[parent] = value;
      else ((signal[parent] ??= {}) as Record<string, unknown>)[child] = value;
    });
    return signal;
  });
  return { signals, rowErrors };
}

function convert(field: string, cell: string, delimiter: ',' | ';'): unknown {
  if (NUMBER_COLUMNS.has(field)) {
    const normalised = delimiter === ';' ? cell.replace(',', '.') : cell;
    return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : cell;
  }
  if (BOOLEAN_COLUMNS.has(field)) {
    const lower = cell.toLowerCase();
    if (['true', 'ja', '1', 'yes'].includes(lower)) return true;
    if (['false', 'nee', '0', 'no'].includes(lower)) return false;
  }
  return cell;
}
