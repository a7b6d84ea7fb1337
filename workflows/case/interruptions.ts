import type { Eindresultaat } from '../../domain/ddas';
import type { CaseState } from './state';

// What can end a wait of the contact ladder, thrown from the wait and caught by the round (or, for a chosen moment,
// by the ladder's wait, which calls and then waits on).

/** The round ends with a DDAS result: the close deadline passed, an objection, arrears resolved. */
export class RoundEnds {
  constructor(readonly result: Eindresultaat) {}
}
/** The resident was reached: the round moves on to the conversation outcome. */
export class ResidentReached {}
/** A new signal raised the segment: the round re-plans. */
export class SegmentRaised {}
/** The resident chose a contact moment: the call at that moment comes first. */
export class MomentChosen {}

export const NO_CONTACT: Eindresultaat = 'Definitief geen contact kunnen krijgen';

/** Whether a wait of the ladder must stop and let the round decide. */
export function interrupted(state: CaseState): boolean {
  return state.stop !== null || state.reachedAt !== null || state.choicePending || state.segmentRaised;
}

/** Throws what ends the current step; a chosen moment does not (only a wait of the ladder reacts to it). */
export function throwIfInterrupted(state: CaseState): void {
  if (state.stop !== null) throw new RoundEnds(state.stop);
  if (state.reachedAt !== null) throw new ResidentReached();
  if (state.segmentRaised) throw new SegmentRaised();
}
