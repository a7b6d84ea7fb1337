import { createHmac } from 'node:crypto';
import { addressKey, type Client } from '../domain/signal';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The household case's workflow ID: a keyed hash of the address, per municipality. No personal data, stable for
 * the address, and not reversible without the secret (a plain hash of a postcode + number would be).
 */
export function caseIdFor(
  secret: string,
  municipality: string,
  client: Pick<Client, 'Postcode' | 'Huisnummer' | 'Huisnummertoevoeging'>,
): string {
  const digest = createHmac('sha256', secret)
    .update(`${municipality}|${addressKey(client)}`)
    .digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `case-${municipality}-${out}`;
}

export const CASE_ID_PATTERN = /^case-(\d{4})-[a-z2-7]{26}$/;

export function municipalityOfCase(caseId: string): string | null {
  return CASE_ID_PATTERN.exec(caseId)?.[1] ?? null;
}
