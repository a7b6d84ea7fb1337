import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { readOrCreatePrivateFile } from './dev-files';

export const ENCRYPTION_KEYS_VAR = 'ENCRYPTION_KEYS';
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** Used for all new encryption. */
  active: KeyringEntry;
  /** Every key that may still be needed for decryption, the active one included. */
  byId: ReadonlyMap<string, Buffer>;
}

/** Key IDs end up in payload metadata and in sealed column values, so they must not contain separators. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export class EncryptionKeysError extends Error {
  override name = 'EncryptionKeysError';
}

/**
 * Parses `keyId:base64key,keyId:base64key,...`. The first entry is the active key. Errors name the variable and the
 * entry (by position and key ID) but never echo key material.
 */
export function parseEncryptionKeys(value: string, source: string = ENCRYPTION_KEYS_VAR): Keyring {
  if (value.trim() === '') {
    throw new EncryptionKeysError(`${source} is empty; expected comma-separated keyId:base64key entries`);
  }
  const byId = new Map<string, Buffer>();
  let active: KeyringEntry | undefined;
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const where = `${source} entry ${index + 1}`;
    if (entry === '') {
      throw new EncryptionKeysError(`${where} is empty (stray comma?)`);
    }
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new EncryptionKeysError(`${where} has no ':'; expected keyId:base64key`);
    }
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      throw new EncryptionKeysError(`${where}: key ID must be 1-64 characters of A-Z a-z 0-9 . _ -`);
    }
    const named = `${where} (key ID "${id}")`;
    if (byId.has(id)) {
      throw new EncryptionKeysError(`${named}: duplicate key ID`);
    }
    if (!BASE64.test(encoded)) {
      throw new EncryptionKeysError(`${named}: key is not valid base64`);
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new EncryptionKeysError(`${named}: key must be exactly ${KEY_BYTES} bytes, got ${key.length}`);
    }
    byId.set(id, key);
    active ??= { id, key };
  });
  return { active: active!, byId };
}

/** Production path: the keyring must come from the environment. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring {
  const value = env[ENCRYPTION_KEYS_VAR];
  if (value === undefined) {
    throw new EncryptionKeysError(`${ENCRYPTION_KEYS_VAR} is not set`);
  }
  return parseEncryptionKeys(value);
}

/** A fresh `keyId:base64key` entry, for generating or rotating keys. */
export function generateKeyEntry(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): string {
  if (!KEY_ID.test(id)) {
    throw new EncryptionKeysError(`key ID "${id}" must be 1-64 characters of A-Z a-z 0-9 . _ -`);
  }
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * Development only: uses ENCRYPTION_KEYS when set, otherwise `<dataDir>/encryption-keys`, creating it with one random
 * key on first start. Refuses to invent keys when NODE_ENV=production, because data encrypted with a key that only
 * lives on one disk is lost with that disk.
 */
export function loadOrCreateDevKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  if (env[ENCRYPTION_KEYS_VAR] !== undefined) {
    return parseEncryptionKeys(env[ENCRYPTION_KEYS_VAR]);
  }
  if (env.NODE_ENV === 'production') {
    throw new EncryptionKeysError(`${ENCRYPTION_KEYS_VAR} must be set in production`);
  }
  const file = path.join(dataDir, 'encryption-keys');
  const content = readOrCreatePrivateFile(file, () => `${generateKeyEntry(`dev-${randomBytes(4).toString('hex')}`)}\n`);
  return parseEncryptionKeys(content.trim(), file);
}

/** AES-256-GCM; output is iv || ciphertext || tag, the layout of the Temporal encryption sample. */
export function aesGcmEncrypt(key: Buffer, plaintext: Uint8Array, aad?: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

/** Throws when the data was tampered with, the key is wrong or the AAD differs. */
export function aesGcmDecrypt(key: Buffer, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new Error('ciphertext is too short');
  }
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}
