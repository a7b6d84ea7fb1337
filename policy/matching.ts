import type { SignaalpartnerType } from '../domain/ddas';
import type { IncomingSignal } from '../domain/signal';
import { addMonths } from './calendar';
import type { ContactPolicy } from './types';

/** What matching needs to know of a signal the address had before. */
export interface EarlierSignal {
  partnerType: SignaalpartnerType;
  amount: number;
  receivedAt: string;
}

/**
 * A herhaalde melding: the same partner reported the address before, within the policy's repeat window, with no
 * higher amount. Such a signal is recorded but not worked.
 */
export function isRepeatSignal(policy: ContactPolicy, earlier: EarlierSignal[], incoming: IncomingSignal): boolean {
  const { signal } = incoming;
  const since = addMonths(policy, Date.parse(incoming.receivedAt), -policy.matching.repeatWindowMonths);
  return earlier
    .filter((s) => s.partnerType === signal.signaalpartner.type && Date.parse(s.receivedAt) >= since)
    .some((s) => signal.bedrag <= s.amount);
}
