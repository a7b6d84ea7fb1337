import { callWindowOn, dagdeelAt, dagdeelIntervalsOn, localDayOf, MINUTE_MS } from './calendar';
import type { ContactPolicy } from './types';

/**
 * How far past a planned call slot a case may wake. Thousands of cases planned for the same slot (the call window's
 * opening) would otherwise all wake in the same instant; spread over this window they reach the provider's rate
 * limiter within five minutes of the slot, evenly enough for the engine to keep up.
 */
export const CALL_WAKE_SPREAD_MS = 4 * MINUTE_MS;

/** FNV-1a, 32 bits: a stable, well-mixed number from a string, without Node built-ins (the workflow sandbox). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The instant a case wakes for a planned call slot: the slot plus a whole number of seconds in
 * [0, CALL_WAKE_SPREAD_MS), fixed by `key` (a pseudonymous case key plus the attempt, never personal data), so a
 * replay or a retry wakes at the same instant. The offset never moves the call out of the slot's call window or
 * dagdeel: it shrinks to leave a minute before either ends.
 */
export function jitteredCallSlot(policy: ContactPolicy, slotMs: number, key: string): number {
  const day = localDayOf(policy, slotMs);
  const window = callWindowOn(policy, day);
  const dagdeel = dagdeelIntervalsOn(policy, day)[dagdeelAt(policy, slotMs)];
  const end = Math.min(window?.end ?? slotMs, dagdeel.end) - MINUTE_MS;
  const room = Math.min(CALL_WAKE_SPREAD_MS, end - slotMs);
  if (room < 1000) return slotMs;
  return slotMs + (fnv1a(key) % Math.floor(room / 1000)) * 1000;
}
