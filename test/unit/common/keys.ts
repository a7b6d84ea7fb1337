import { randomBytes } from 'node:crypto';
import { parseEncryptionKeys, type Keyring } from '../../../common/encryption-keys';

export function entry(id: string, key: Buffer = randomBytes(32)): string {
  return `${id}:${key.toString('base64')}`;
}

export function keyring(...entries: string[]): Keyring {
  return parseEncryptionKeys(entries.join(','));
}
