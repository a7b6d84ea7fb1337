import { blindIndex } from './field-crypto';

/** AAD of a case's sealed personal data: a ciphertext copied to another case or municipality fails to open. */
export function personalAad(municipality: string, caseId: string): [string, string] {
  return [municipality, caseId];
}

/** Blind index of an E.164 phone number (PHONE_INDEX_SECRET), to find a case by phone without decrypting. */
export function phoneIndexFor(secret: string, e164: string): string {
  return blindIndex(secret, e164);
}
