import { createHmac } from 'node:crypto';
import { addressKey, addressOf, type Client } from '../domain/signal';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The household case's workflow ID: a keyed hash of the address, per municipality. No personal data, stable for
 * the address, and not reversible without the secret (a plain hash of a postcode + number would be).
 *
 * A signal identified by BSN alone (as DDAS v1.2 allows) has no address: its case is keyed by a keyed hash of the
 * BSN in a namespace of its own (`<gemeentecode>|bsn|<BSN>`, where an address key always starts with a postcode),
 * so the BSN never appears in the workflow ID and never meets an address key. Such a case is the person's, not the
 * household's: a later signal for the same person that carries an address keys to the address and is a case of its
 * own, since bereik cannot tell that the two are one household without asking the BRP. A signal with both keys to
 * the address, as every signal did before.
 */
export function caseIdFor(
  secret: string,
  municipality: string,
  client: Pick<Client, 'Postcode' | 'Huisnummer' | 'Huisnummertoevoeging' | 'Burgerservicenummer'>,
): string {
  return `case-${municipality}-${base32Digest(secret, caseKey(municipality, client))}`;
}

function caseKey(
  municipality: string,
  client: Pick<Client, 'Postcode' | 'Huisnummer' | 'Huisnummertoevoeging' | 'Burgerservicenummer'>,
): string {
  const address = addressOf(client);
  if (address) return `${municipality}|${addressKey(address)}`;
  if (client.Burgerservicenummer) return `${municipality}|bsn|${client.Burgerservicenummer}`;
  // The signal schema refuses a client with neither; this keeps a caller that skipped it from keying cases on nothing.
  throw new Error('a case needs a client with Postcode and Huisnummer, or a Burgerservicenummer');
}

function base32Digest(secret: string, key: string): string {
  const digest = createHmac('sha256', secret).update(key).digest();
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
  return out;
}

export const CASE_ID_PATTERN = /^case-(\d{4})-[a-z2-7]{26}$/;

export function municipalityOfCase(caseId: string): string | null {
  return CASE_ID_PATTERN.exec(caseId)?.[1] ?? null;
}
