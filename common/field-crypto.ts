import { createHmac } from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt, ENCRYPTION_KEYS_VAR, type Keyring } from './encryption-keys';

const VERSION = 'v1';

/** What a sealed value is bound to, e.g. `[municipality, caseId]`. Arrays are JSON-encoded so ['a:b','c'] ≠ ['a','b:c']. */
export type FieldAad = string | readonly string[];

export class FieldCryptoError extends Error {
  override name = 'FieldCryptoError';
}

function aadBytes(version: string, keyId: string, aad: FieldAad): Buffer {
  const context = typeof aad === 'string' ? aad : JSON.stringify(aad);
  if (context === '' || context === '[]') {
    throw new FieldCryptoError('field encryption needs a non-empty AAD (e.g. municipality and case id)');
  }
  // The header is authenticated too, so a value cannot be relabelled with another version or key ID.
  return Buffer.from(`bereik-field\0${version}\0${keyId}\0${context}`);
}

/** Encrypts `JSON.stringify(value)` with the active key. Format: `v1:<keyId>:<base64url(iv || ciphertext || tag)>`. */
export function sealJson(keyring: Keyring, value: unknown, aad: FieldAad): string {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new FieldCryptoError('sealJson: value is not JSON-serialisable');
  }
  const { id, key } = keyring.active;
  const sealed = aesGcmEncrypt(key, Buffer.from(json), aadBytes(VERSION, id, aad));
  return `${VERSION}:${id}:${sealed.toString('base64url')}`;
}

/** Decrypts a value from {@link sealJson}. The result is unchecked: validate it (zod) before use. */
export function openJson<T = unknown>(keyring: Keyring, sealed: string, aad: FieldAad): T {
  const parts = sealed.split(':');
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new FieldCryptoError(`sealed value has an unknown format (expected ${VERSION}:keyId:data)`);
  }
  const [version, keyId, data] = parts as [string, string, string];
  const key = keyring.byId.get(keyId);
  if (!key) {
    throw new FieldCryptoError(`sealed value uses key ID "${keyId}", which is not in ${ENCRYPTION_KEYS_VAR}`);
  }
  let plaintext: Buffer;
  try {
    plaintext = aesGcmDecrypt(key, Buffer.from(data, 'base64url'), aadBytes(version, keyId, aad));
  } catch (cause) {
    if (cause instanceof FieldCryptoError) throw cause;
    throw new FieldCryptoError('sealed value failed to decrypt (tampered, or bound to a different row)', { cause });
  }
  return JSON.parse(plaintext.toString()) as T;
}

/** Key ID of a sealed value, to find rows that still need re-encryption after a key rotation. */
export function sealedKeyId(sealed: string): string | undefined {
  const parts = sealed.split(':');
  return parts.length === 3 && parts[0] === VERSION ? parts[1] : undefined;
}

/**
 * Deterministic HMAC-SHA256 (hex) for equality lookups without storing the value. Callers must normalise first (phone
 * numbers to E.164), and `secret` must be its own secret, not an encryption key, since the index never rotates.
 */
export function blindIndex(secret: string | Buffer, value: string): string {
  const secretLength = typeof secret === 'string' ? Buffer.byteLength(secret) : secret.length;
  if (secretLength < 16) {
    throw new FieldCryptoError('blindIndex secret must be at least 16 bytes');
  }
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}
