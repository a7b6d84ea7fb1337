export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 parser: `"` quotes fields, `""` is a quote inside a quoted field, quoted fields may span lines, CRLF or
 * LF end records, a UTF-8 BOM is skipped, and blank lines are ignored. The delimiter is `,` or `;` (spreadsheets with a
 * Dutch locale write `;`), detected from the header line.
 */
export function parseCsv(text: string): { delimiter: ',' | ';'; records: CsvRecord[] } {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(input);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let afterQuote = false;

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === delimiter) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && input[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else if (afterQuote) {
      throw new CsvError('unexpected character after a closing quote', line);
    } else if (ch === '"') {
      if (field !== '') throw new CsvError('a quote may only start a field', line);
      quoted = true;
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw new CsvError('unterminated quoted field', recordLine);
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return { delimiter, records };
}

function detectDelimiter(input: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of input) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** RFC 4180 text: a field with a comma, quote or line break is quoted, quotes doubled; CRLF ends every record. */
export function formatCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => row.map(field).join(',') + '\r\n').join('');
}
