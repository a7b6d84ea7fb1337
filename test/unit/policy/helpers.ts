import { DateTime } from 'luxon';

/** Epoch ms of an ISO 8601 instant; always give the offset so tests never depend on the machine's zone. */
export function at(iso: string): number {
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid || !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) throw new Error(`test instant needs an offset: ${iso}`);
  return dt.toMillis();
}

/** ISO 8601 in Europe/Amsterdam, without milliseconds unless there are any. */
export function ams(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' }).toISO({ suppressMilliseconds: true }) as string;
}

export function weekday(ms: number): number {
  return DateTime.fromMillis(ms, { zone: 'Europe/Amsterdam' }).weekday;
}
