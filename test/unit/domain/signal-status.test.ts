import type { Eindresultaat } from '../../../domain/ddas';
import { signalStatus, signalStatusV09, type SignalFacts, type SignalStatus } from '../../../domain/signal-status';

/** The signal's round, matched, with its result (null while it runs). */
const matched = (result: Eindresultaat | null) => ({ result });

describe("a signal's DDAS status", () => {
  const cases: [string, SignalFacts, SignalStatus][] = [
    ['no round has matched it yet', { recorded: 'Nog niet opgepakt', round: null }, 'Nog niet opgepakt'],
    ['its round is matched and still open', { recorded: 'Nog niet opgepakt', round: matched(null) }, 'Opgepakt'],
    [
      'its round closed with help',
      { recorded: 'Nog niet opgepakt', round: matched('(Budget)advies en/of quick fix') },
      'Opgepakt',
    ],
    [
      'its round closed without contact',
      { recorded: 'Nog niet opgepakt', round: matched('Definitief geen contact kunnen krijgen') },
      'Opgepakt',
    ],
    [
      'the workflow saw it as a repeat',
      { recorded: 'Niet opgepakt: herhaalde melding', round: matched(null) },
      'Niet opgepakt: herhaalde melding',
    ],
    [
      'its round closed as a repeat',
      { recorded: 'Nog niet opgepakt', round: matched('Niet opgepakt: herhaalde melding') },
      'Niet opgepakt: herhaalde melding',
    ],
    [
      'its round closed as an unfounded signal',
      { recorded: 'Nog niet opgepakt', round: matched('Niet opgepakt: onterecht signaal') },
      'Niet opgepakt: onterecht signaal',
    ],
    [
      'its round closed for another reason',
      { recorded: 'Nog niet opgepakt', round: matched('Niet opgepakt: andere reden') },
      'Niet opgepakt: andere reden',
    ],
    [
      'the resident died',
      { recorded: 'Nog niet opgepakt', round: matched('Inwoner is overleden') },
      'Inwoner is overleden',
    ],
    [
      'the workflow recorded the death',
      { recorded: 'Inwoner is overleden', round: matched('Inwoner is overleden') },
      'Inwoner is overleden',
    ],
    [
      'the person no longer lives here',
      { recorded: 'Nog niet opgepakt', round: matched('Persoon is geen inwoner (meer) in de gemeente') },
      'Persoon is geen inwoner (meer) in de gemeente',
    ],
    [
      'the resident is already known at debt services',
      { recorded: 'Nog niet opgepakt', round: matched('Inwoner al bekend bij schuldhulpverlening') },
      'Inwoner al bekend bij schuldhulpverlening',
    ],
  ];

  test.each(cases)('when %s', (_label, facts, expected) => {
    expect(signalStatus(facts)).toBe(expected);
  });

  test('v0.9 leaves a picked-up signal without status and reports "already known" as another reason', () => {
    expect(signalStatusV09('Opgepakt')).toBeUndefined();
    expect(signalStatusV09('Inwoner al bekend bij schuldhulpverlening')).toBe('Niet opgepakt: andere reden');
    for (const kept of [
      'Nog niet opgepakt',
      'Niet opgepakt: herhaalde melding',
      'Inwoner is overleden',
      'Persoon is geen inwoner (meer) in de gemeente',
    ] as const) {
      expect(signalStatusV09(kept)).toBe(kept);
    }
  });
});
