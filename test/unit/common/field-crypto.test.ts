import { createHmac } from 'node:crypto';
import { blindIndex, FieldCryptoError, openJson, sealedKeyId, sealJson } from '../../../common/field-crypto';
import { entry, keyring } from './keys';

describe('field crypto', () => {
  const old = entry('k1');
  const ring = keyring(old);
  const value = { Achternaam: 'Zwanenburg-Qwertyuiop', telefoon: '+31612345678', bedrag: 812.5 };
  const row = ['0363', 'case-1'] as const;

  it('round-trips JSON with a versioned, key-labelled, base64url format', () => {
    const sealed = sealJson(ring, value, row);
    expect(sealed).toMatch(/^v1:k1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('Zwanenburg');
    expect(openJson(ring, sealed, row)).toEqual(value);
    expect(sealedKeyId(sealed)).toBe('k1');
  });

  it('fails when the ciphertext is moved to another row or tenant', () => {
    const sealed = sealJson(ring, value, row);
    expect(() => openJson(ring, sealed, ['0599', 'case-1'])).toThrow(FieldCryptoError);
    expect(() => openJson(ring, sealed, ['0363', 'case-2'])).toThrow(/bound to a different row/);
  });

  it('keeps array AAD unambiguous', () => {
    const sealed = sealJson(ring, value, ['a:b', 'c']);
    expect(() => openJson(ring, sealed, ['a', 'b:c'])).toThrow(FieldCryptoError);
    expect(() => openJson(ring, sealed, 'a:b:c')).toThrow(FieldCryptoError);
  });

  it('refuses an empty AAD', () => {
    expect(() => sealJson(ring, value, '')).toThrow(/non-empty AAD/);
    expect(() => sealJson(ring, value, [])).toThrow(/non-empty AAD/);
  });

  it('detects tampering and relabelling', () => {
    const sealed = sealJson(ring, value, row);
    const [v, id, data] = sealed.split(':') as [string, string, string];
    const bytes = Buffer.from(data, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openJson(ring, `${v}:${id}:${bytes.toString('base64url')}`, row)).toThrow(FieldCryptoError);
    const twoKeys = keyring(old, old.replace(/^k1/, 'k2'));
    expect(() => openJson(twoKeys, `${v}:k2:${data}`, row)).toThrow(FieldCryptoError);
    expect(() => openJson(ring, `v2:${id}:${data}`, row)).toThrow(/unknown format/);
  });

  it('opens values sealed with a retired key after rotation', () => {
    const sealed = sealJson(ring, value, row);
    const rotated = keyring(entry('k2'), old);
    expect(openJson(rotated, sealed, row)).toEqual(value);
    expect(sealedKeyId(sealJson(rotated, value, row))).toBe('k2');
  });

  it('names an unknown key id', () => {
    const sealed = sealJson(keyring(entry('gone')), value, row);
    expect(() => openJson(ring, sealed, row)).toThrow(/key ID "gone", which is not in ENCRYPTION_KEYS/);
  });

  it('rejects values JSON cannot represent', () => {
    expect(() => sealJson(ring, undefined, row)).toThrow(/not JSON-serialisable/);
  });
});

describe('blindIndex', () => {
  const secret = 'blind-index-secret-0123456789';

  it('is stable, hex HMAC-SHA256, and secret-dependent', () => {
    const a = blindIndex(secret, '+31612345678');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex(secret, '+31612345678')).toBe(a);
    expect(blindIndex(Buffer.from(secret), '+31612345678')).toBe(a);
    expect(blindIndex(secret, '+31612345679')).not.toBe(a);
    expect(blindIndex(`${secret}x`, '+31612345678')).not.toBe(a);
    // Known answer so a silent algorithm change cannot slip through.
    expect(blindIndex('0123456789abcdef', 'x')).toBe(
      createHmac('sha256', '0123456789abcdef').update('x').digest('hex'),
    );
  });

  it('rejects short secrets', () => {
    expect(() => blindIndex('short', 'x')).toThrow(/at least 16 bytes/);
  });
});
