import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { aesGcmDecrypt, aesGcmEncrypt, ENCRYPTION_KEYS_VAR, type Keyring } from './encryption-keys';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const ProtoPayload = temporal.api.common.v1.Payload;
const encodingBytes = Buffer.from(ENCODING_ENCRYPTED);

/**
 * AES-256-GCM payload codec. The whole original Payload (metadata included, which can name types) is serialised and
 * encrypted; the key ID travels in the clear so any key still in the keyring can decrypt after rotation.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly activeKeyIdBytes: Buffer;

  constructor(private readonly keyring: Keyring) {
    this.activeKeyIdBytes = Buffer.from(keyring.active.id);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: encodingBytes,
        [METADATA_ENCRYPTION_KEY_ID]: this.activeKeyIdBytes,
      },
      data: aesGcmEncrypt(this.keyring.active.key, ProtoPayload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCODING_ENCRYPTED) {
        return payload;
      }
      const keyIdBytes = payload.metadata?.[METADATA_ENCRYPTION_KEY_ID];
      if (!keyIdBytes) {
        throw new ValueError(`Encrypted payload has no ${METADATA_ENCRYPTION_KEY_ID} metadata`);
      }
      const keyId = Buffer.from(keyIdBytes).toString();
      const key = this.keyring.byId.get(keyId);
      if (!key) {
        throw new ValueError(
          `Encrypted payload uses key ID "${keyId}", which is not in ${ENCRYPTION_KEYS_VAR} ` +
            `(known: ${[...this.keyring.byId.keys()].join(', ')}); keep retired keys listed until no data uses them`,
        );
      }
      let plaintext: Buffer;
      try {
        plaintext = aesGcmDecrypt(key, payload.data ?? new Uint8Array());
      } catch (cause) {
        throw new ValueError(
          `Encrypted payload with key ID "${keyId}" failed to decrypt (corrupted or tampered)`,
          cause,
        );
      }
      return ProtoPayload.decode(plaintext);
    });
  }
}

/**
 * For `Client`/`Worker` options: `dataConverter: dataConverterFor(keyring)`. Payloads and failure messages are
 * encrypted; the worker also bundles the failure converter into the workflow sandbox.
 */
export function dataConverterFor(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');
