import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  EncryptionKeysError,
  generateKeyEntry,
  keyringFromEnv,
  loadOrCreateDevKeys,
  parseEncryptionKeys,
} from '../../../common/encryption-keys';
import { entry } from './keys';

describe('parseEncryptionKeys', () => {
  it('makes the first entry active and keeps all for decryption', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const ring = parseEncryptionKeys(` new:${k2.toString('base64')} , old:${k1.toString('base64')}`);
    expect(ring.active.id).toBe('new');
    expect(ring.active.key.equals(k2)).toBe(true);
    expect([...ring.byId.keys()]).toEqual(['new', 'old']);
    expect(ring.byId.get('old')!.equals(k1)).toBe(true);
  });

  const secretKey = randomBytes(16).toString('base64');
  it.each([
    ['', /ENCRYPTION_KEYS is empty/],
    ['k1', /ENCRYPTION_KEYS entry 1 has no ':'/],
    [`${entry('a')},`, /ENCRYPTION_KEYS entry 2 is empty/],
    [`${entry('a')},b:${secretKey}`, /ENCRYPTION_KEYS entry 2 \(key ID "b"\): key must be exactly 32 bytes, got 16/],
    [
      `${entry('a')},a:${randomBytes(32).toString('base64')}`,
      /ENCRYPTION_KEYS entry 2 \(key ID "a"\): duplicate key ID/,
    ],
    ['a:not base64!', /ENCRYPTION_KEYS entry 1 \(key ID "a"\): key is not valid base64/],
    [`bad id:${randomBytes(32).toString('base64')}`, /ENCRYPTION_KEYS entry 1: key ID must be/],
  ])('rejects %j with a message naming the variable and entry', (value, message) => {
    expect(() => parseEncryptionKeys(value)).toThrow(EncryptionKeysError);
    expect(() => parseEncryptionKeys(value)).toThrow(message);
  });

  it('never echoes key material in errors', () => {
    const short = randomBytes(31).toString('base64');
    try {
      parseEncryptionKeys(`x:${short}`);
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('round-trips generated entries', () => {
    const ring = parseEncryptionKeys(generateKeyEntry('k2'));
    expect(ring.active.id).toBe('k2');
    expect(ring.active.key).toHaveLength(32);
  });
});

describe('keyringFromEnv', () => {
  it('names the variable when it is missing', () => {
    expect(() => keyringFromEnv({})).toThrow(/ENCRYPTION_KEYS is not set/);
  });
});

describe('loadOrCreateDevKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bereik-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a private key file once and reuses it', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = loadOrCreateDevKeys(dataDir, {});
    const file = path.join(dataDir, 'encryption-keys');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadOrCreateDevKeys(dataDir, {});
    expect(second.active.id).toBe(first.active.id);
    expect(second.active.key.equals(first.active.key)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual(['encryption-keys']);
  });

  it('prefers ENCRYPTION_KEYS and then writes nothing', () => {
    const ring = loadOrCreateDevKeys(dir, { ENCRYPTION_KEYS: entry('env') });
    expect(ring.active.id).toBe('env');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses to invent keys in production', () => {
    expect(() => loadOrCreateDevKeys(dir, { NODE_ENV: 'production' })).toThrow(/ENCRYPTION_KEYS must be set/);
  });
});
