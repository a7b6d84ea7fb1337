import fc from 'fast-check';
import { METADATA_ENCODING_KEY, defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  EncryptionCodec,
  ENCODING_ENCRYPTED,
  METADATA_ENCRYPTION_KEY_ID,
  dataConverterFor,
} from '../../../common/codec';
import { entry, keyring } from './keys';

const resident = { Achternaam: 'Zwanenburg-Qwertyuiop', telefoon: '+31612345678' };
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const fromPayload = (payload: Payload): unknown => defaultPayloadConverter.fromPayload(payload);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();

describe('EncryptionCodec', () => {
  const old = entry('k1');
  const codec = new EncryptionCodec(keyring(old));

  it('round-trips payloads and marks them encrypted with the active key id', async () => {
    const [encoded] = await codec.encode([toPayload(resident)]);
    expect(text(encoded!.metadata![METADATA_ENCODING_KEY])).toBe(ENCODING_ENCRYPTED);
    expect(text(encoded!.metadata![METADATA_ENCRYPTION_KEY_ID])).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(fromPayload(decoded!)).toEqual(resident);
  });

  it('leaves no plaintext in the encoded bytes, metadata included', async () => {
    const [encoded] = await codec.encode([toPayload(resident)]);
    const wire = Buffer.concat([encoded!.data!, ...Object.values(encoded!.metadata!)]).toString('latin1');
    expect(wire).not.toContain('Zwanenburg');
    expect(wire).not.toContain('612345678');
    expect(wire).not.toContain('json/plain');
  });

  it('uses a fresh IV per payload', async () => {
    const [a, b] = await codec.encode([toPayload(resident), toPayload(resident)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('decodes with a retired key after rotation and encodes with the new one', async () => {
    const [encodedWithOld] = await codec.encode([toPayload(resident)]);
    const rotated = new EncryptionCodec(keyring(entry('k2'), old));
    const [decoded] = await rotated.decode([encodedWithOld!]);
    expect(fromPayload(decoded!)).toEqual(resident);
    const [encodedWithNew] = await rotated.encode([toPayload(resident)]);
    expect(text(encodedWithNew!.metadata![METADATA_ENCRYPTION_KEY_ID])).toBe('k2');
  });

  it('passes unencrypted payloads through untouched', async () => {
    const plain = toPayload({ caseId: 'c-1' });
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('rejects tampered ciphertext', async () => {
    const [encoded] = await codec.encode([toPayload(resident)]);
    const data = Buffer.from(encoded!.data!);
    data[data.length - 20]! ^= 0x01;
    await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow(/key ID "k1" failed to decrypt/);
  });

  it('rejects truncated ciphertext', async () => {
    const [encoded] = await codec.encode([toPayload(resident)]);
    await expect(codec.decode([{ ...encoded!, data: encoded!.data!.subarray(0, 20) }])).rejects.toThrow(
      /failed to decrypt/,
    );
  });

  it('names an unknown key id and the variable to fix', async () => {
    const [encoded] = await new EncryptionCodec(keyring(entry('gone'))).encode([toPayload(resident)]);
    await expect(codec.decode([encoded!])).rejects.toThrow(
      /key ID "gone", which is not in ENCRYPTION_KEYS \(known: k1\)/,
    );
  });

  it('does not decrypt with a different key under the same id', async () => {
    const [encoded] = await new EncryptionCodec(keyring(entry('k1'))).encode([toPayload(resident)]);
    await expect(codec.decode([encoded!])).rejects.toThrow(/failed to decrypt/);
  });

  it('round-trips arbitrary bytes and metadata', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            metadata: fc.dictionary(fc.string({ minLength: 1 }), fc.uint8Array()),
            data: fc.uint8Array({ maxLength: 4096 }),
          }),
          { maxLength: 5 },
        ),
        async (payloads) => {
          const decoded = await codec.decode(await codec.encode(payloads));
          expect(decoded.map((p) => ({ metadata: norm(p.metadata), data: Buffer.from(p.data ?? []) }))).toEqual(
            payloads.map((p) => ({ metadata: norm(p.metadata), data: Buffer.from(p.data) })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('dataConverterFor wires the codec', () => {
    const converter = dataConverterFor(keyring(old));
    expect(converter.payloadCodecs).toHaveLength(1);
    expect(converter.payloadCodecs![0]).toBeInstanceOf(EncryptionCodec);
  });
});

function norm(metadata: Payload['metadata']): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v)]));
}
