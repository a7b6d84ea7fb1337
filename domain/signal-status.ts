import type { Eindresultaat, Signaalstatus } from './ddas';

/**
 * A signal's DDAS status in the current exchange model (v1.2), which adds `Opgepakt` and `Inwoner al bekend bij
 * schuldhulpverlening` to v0.9's six values.
 */
export type SignalStatus = Signaalstatus | 'Opgepakt' | 'Inwoner al bekend bij schuldhulpverlening';

/** Round results that say why the signals in the round were not taken up; each is a signal status of its own. */
const NOT_TAKEN_UP: ReadonlySet<Eindresultaat> = new Set<Eindresultaat>([
  'Niet opgepakt: herhaalde melding',
  'Niet opgepakt: onterecht signaal',
  'Niet opgepakt: andere reden',
  'Inwoner is overleden',
  'Persoon is geen inwoner (meer) in de gemeente',
  'Inwoner al bekend bij schuldhulpverlening',
]);

export interface SignalFacts {
  /** What the case workflow recorded on the signal: `Nog niet opgepakt` unless it knew better (a repeat, a death). */
  recorded: Signaalstatus;
  /** The round that took the signal in, once matched (a vroegsignaalzaak); null while none has. */
  round: { result: Eindresultaat | null } | null;
}

/**
 * A signal that belongs to a case (a matched round) counts as picked up, unless the round's result says why it was
 * not; a signal no round has matched yet is not picked up yet. What the workflow recorded on the signal itself wins.
 */
export function signalStatus(facts: SignalFacts): SignalStatus {
  if (facts.recorded !== 'Nog niet opgepakt') return facts.recorded;
  if (!facts.round) return 'Nog niet opgepakt';
  const { result } = facts.round;
  if (result && NOT_TAKEN_UP.has(result)) return result as SignalStatus;
  return 'Opgepakt';
}

/**
 * The status as v0.9 can say it. v0.9 has no `Opgepakt`: there a picked-up signal carries no status (the field is
 * optional) and the vroegsignaalzaak that refers to it says it was taken up. Nor does it know `Inwoner al bekend bij
 * schuldhulpverlening`, which v0.9 reports as `Niet opgepakt: andere reden`.
 */
export function signalStatusV09(status: SignalStatus): Signaalstatus | undefined {
  if (status === 'Opgepakt') return undefined;
  if (status === 'Inwoner al bekend bij schuldhulpverlening') return 'Niet opgepakt: andere reden';
  return status;
}

/** What a signal partner may know of its signal: whether it was picked up, never why it was not. */
export type PartnerSignalStatus = 'Opgepakt' | 'Nog niet opgepakt' | 'Niet opgepakt';

const HELP_ACCEPTED: ReadonlySet<Eindresultaat> = new Set<Eindresultaat>([
  'Vervolghulp en/of verwijzing financieel',
  'Vervolghulp en/of verwijzing niet financieel',
]);

/**
 * The feedback a partner gets on one of its signals, so that it can pause collection: the DDAS signal status with
 * every reason for not taking it up (a repeat, a death, a move, known at debt services) folded into `Niet opgepakt`,
 * and whether the resident accepted help in the round that took the signal in.
 */
export function partnerFeedback(facts: SignalFacts): { status: PartnerSignalStatus; helpAccepted: boolean } {
  const status = signalStatus(facts);
  const helpAccepted = facts.round?.result ? HELP_ACCEPTED.has(facts.round.result) : false;
  if (status === 'Opgepakt' || status === 'Nog niet opgepakt') return { status, helpAccepted };
  return { status: 'Niet opgepakt', helpAccepted };
}
