import { createHmac, timingSafeEqual } from 'node:crypto';

export const RESIDENT_TOKEN_PURPOSES = ['choose_moment'] as const;
export type ResidentTokenPurpose = (typeof RESIDENT_TOKEN_PURPOSES)[number];

/** What a resident link grants: one purpose, for one round of one case, until `exp`. No personal data. */
export interface ResidentTokenClaims {
  caseId: string;
  round: number;
  purpose: ResidentTokenPurpose;
  /** Expiry, Unix seconds. */
  exp: number;
}

export type ResidentTokenFailure = 'malformed' | 'bad_signature' | 'expired' | 'wrong_purpose';
/** An expired token's MAC was valid, so its gemeentecode may still name the sender on the "link expired" page. */
export type ResidentTokenResult =
  | { ok: true; claims: ResidentTokenClaims }
  | { ok: false; reason: Exclude<ResidentTokenFailure, 'expired'> }
  | { ok: false; reason: 'expired'; municipality: string };

// 128-bit tags keep links short enough for an SMS and are far beyond guessing.
const MAC_BYTES = 16;
const DOMAIN = 'bereik-resident-token-v1';
const MAX_TOKEN_LENGTH = 512;

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`${DOMAIN}.${payload}`).digest().subarray(0, MAC_BYTES);
}

function assertSecret(secret: string): void {
  if (Buffer.byteLength(secret) < 16) throw new Error('resident token secret must be at least 16 bytes');
}

const VERSION = 1;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const CASE_ID = /^case-(\d{4})-([a-z2-7]{26})$/;
const PAYLOAD_BYTES = 1 + 1 + 2 + 17 + 2 + 4;

/**
 * `base64url(claims).base64url(HMAC-SHA256/128)`, with the claims packed in 27 bytes (version, purpose,
 * gemeentecode, the case ID's 130-bit hash, round, expiry): a link of about 90 characters keeps an invitation SMS
 * inside 3 segments in every language. Claims are readable; only the MAC makes them trusted.
 */
export function signResidentToken(secret: string, claims: ResidentTokenClaims): string {
  assertSecret(secret);
  if (!Number.isInteger(claims.round) || claims.round < 1 || claims.round > 0xffff)
    throw new Error('round must be an integer from 1 to 65535');
  if (!Number.isFinite(claims.exp) || claims.exp < 0 || claims.exp > 0xffffffff)
    throw new Error('exp must be Unix seconds');
  const match = CASE_ID.exec(claims.caseId);
  if (!match) throw new Error('caseId must be a case workflow ID (case-<gemeentecode>-<hash>)');
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  payload.writeUInt8(RESIDENT_TOKEN_PURPOSES.indexOf(claims.purpose), 1);
  payload.writeUInt16BE(Number(match[1]), 2);
  packBase32(match[2]).copy(payload, 4);
  payload.writeUInt16BE(claims.round, 21);
  payload.writeUInt32BE(Math.floor(claims.exp), 23);
  const encoded = payload.toString('base64url');
  return `${encoded}.${mac(secret, encoded).toString('base64url')}`;
}

/** Checks shape, MAC (constant time), purpose and expiry, in that order; never throws on bad input. */
export function verifyResidentToken(
  secret: string,
  token: string,
  options: { purpose?: ResidentTokenPurpose; nowMs?: number } = {},
): ResidentTokenResult {
  assertSecret(secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const [encoded, signature] = token.split('.') as [string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, encoded);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };

  const payload = Buffer.from(encoded, 'base64url');
  if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) return { ok: false, reason: 'malformed' };
  const purpose = RESIDENT_TOKEN_PURPOSES[payload.readUInt8(1)];
  if (!purpose || purpose !== (options.purpose ?? 'choose_moment')) return { ok: false, reason: 'wrong_purpose' };
  const exp = payload.readUInt32BE(23);
  const municipality = String(payload.readUInt16BE(2)).padStart(4, '0');
  if (exp * 1000 <= (options.nowMs ?? Date.now())) return { ok: false, reason: 'expired', municipality };
  const caseId = `case-${municipality}-${unpackBase32(payload.subarray(4, 21))}`;
  return { ok: true, claims: { caseId, round: payload.readUInt16BE(21), purpose, exp } };
}

/** 26 base32 characters (130 bits) into 17 bytes, and back. */
function packBase32(text: string): Buffer {
  let bits = 0n;
  for (const char of text) bits = (bits << 5n) | BigInt(BASE32.indexOf(char));
  bits <<= 6n; // 130 bits padded to 136
  const out = Buffer.alloc(17);
  for (let i = 16; i >= 0; i--) {
    out[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}

function unpackBase32(bytes: Buffer): string {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  bits >>= 6n;
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = BASE32[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}
