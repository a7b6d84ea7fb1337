import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EINDRESULTATEN, CONTACTSOORTEN, type Eindresultaat } from '../../../domain/ddas';
import {
  CONTACTSOORTEN_V12,
  EINDRESULTAAT_V12,
  EINDRESULTATEN_V12,
  SIGNAALSTATUSSEN_V12,
  type EindresultaatV12,
} from '../../../domain/ddas-v12';
import { signalStatus, type SignalStatus } from '../../../domain/signal-status';

const shipped = path.resolve(__dirname, '../../../domain/ddas/v1.2/json_schema_Uitwisselmodel.json');
const schema = JSON.parse(readFileSync(shipped, 'utf8')) as { $defs: Record<string, { enum: string[] }> };

describe('DDAS v1.2 vocabulary', () => {
  test('the shipped schema is the one in shared/ddas/v1.2, byte for byte', () => {
    const source = path.resolve(__dirname, '../../../../shared/ddas/v1.2/json_schema_Uitwisselmodel.json');
    let original: Buffer;
    try {
      original = readFileSync(source);
    } catch {
      return; // a clone without the shared specs: the sha256 in domain/ddas/v1.2/README.md is the record
    }
    expect(readFileSync(shipped).equals(original)).toBe(true);
  });

  test('the enumerations are exactly those of the shipped schema', () => {
    expect([...EINDRESULTATEN_V12].sort()).toEqual([...schema.$defs.EnumEindresultaat.enum].sort());
    expect(EINDRESULTATEN_V12).toHaveLength(16);
    expect([...SIGNAALSTATUSSEN_V12].sort()).toEqual([...schema.$defs.EnumSignaalstatus.enum].sort());
    expect([...CONTACTSOORTEN_V12].sort()).toEqual([...schema.$defs.EnumContactsoort.enum].sort());
  });

  test('every contactsoort bereik records is a v1.2 value', () => {
    for (const soort of CONTACTSOORTEN) expect(CONTACTSOORTEN_V12).toContain(soort);
  });

  test('every status the signal-status rule can give is a v1.2 value', () => {
    const statuses = new Set<SignalStatus>([signalStatus({ recorded: 'Nog niet opgepakt', round: null })]);
    for (const result of [...EINDRESULTATEN, null])
      statuses.add(signalStatus({ recorded: 'Nog niet opgepakt', round: { result } }));
    for (const status of statuses) expect(SIGNAALSTATUSSEN_V12).toContain(status);
    expect(statuses).toContain('Opgepakt');
    expect(statuses).toContain('Inwoner al bekend bij schuldhulpverlening');
  });
});

describe('case outcome → DDAS v1.2 eindresultaat (the table in api/README.md)', () => {
  // [what happened to the case, the result the workflow records, what v1.2 delivers]
  const table: [string, Eindresultaat, EindresultaatV12][] = [
    [
      'every signal was a repeat (herhaalde melding)',
      'Niet opgepakt: herhaalde melding',
      'Niet opgepakt: herhaalde melding',
    ],
    ['an unfounded signal', 'Niet opgepakt: onterecht signaal', 'Niet opgepakt: onterecht signaal'],
    ['BRP: deceased', 'Inwoner is overleden', 'Inwoner is overleden'],
    [
      'BRP: moved away',
      'Persoon is geen inwoner (meer) in de gemeente',
      'Persoon is geen inwoner (meer) in de gemeente',
    ],
    ['not taken up for another reason', 'Niet opgepakt: andere reden', 'Niet opgepakt: andere reden'],
    ['SDV: already known', 'Inwoner al bekend bij schuldhulpverlening', 'Inwoner al bekend bij schuldhulpverlening'],
    ['SDV: in a trajectory', 'Inwoner heeft al een ander lopend traject', 'Inwoner heeft al een ander lopend traject'],
    [
      'never reached by the close deadline',
      'Definitief geen contact kunnen krijgen',
      'Definitief geen contact kunnen krijgen',
    ],
    ['reached, then no outcome', 'Geen reactie na eerder contact', 'Geen reactie na eerder contact'],
    [
      'help declined, or an objection to all contact',
      'Inwoner hoeft geen hulp vanuit vroegsignalering',
      'Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering',
    ],
    [
      'already paid, or the partner reports the arrears resolved',
      'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
      'Inwoner heeft zelf al betaald/betalingsregeling getroffen',
    ],
    ['quick fix or advice', '(Budget)advies en/of quick fix', '(Budget)advies en/of quick fix'],
    ['help accepted (financial)', 'Vervolghulp en/of verwijzing financieel', 'Vervolghulp en/of verwijzing financieel'],
    [
      'help accepted (not financial)',
      'Vervolghulp en/of verwijzing niet financieel',
      'Vervolghulp en/of verwijzing niet financieel',
    ],
    ['referred without the resident', 'Verwijzing zonder contact', 'Verwijzing zonder tussenkomst inwoner'],
  ];

  test.each(table)('%s: %s → %s', (_outcome, recorded, delivered) => {
    expect(EINDRESULTAAT_V12[recorded]).toBe(delivered);
    expect(EINDRESULTATEN_V12).toContain(delivered);
  });

  test('the table covers every result bereik can record, and nothing maps to a value v1.2 refuses', () => {
    expect(table.map(([, recorded]) => recorded).sort()).toEqual([...EINDRESULTATEN].sort());
    expect(Object.keys(EINDRESULTAAT_V12).sort()).toEqual([...EINDRESULTATEN].sort());
  });
});
