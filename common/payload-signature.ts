import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { FlattenedSign, flattenedVerify, base64url } from 'jose';

/**
 * Payload signing as DDAS profiles the Geonovum ADR "HTTP Message and payload signing with JAdES" module
 * (../shared/ddas/v1.2/DDAS-VS.yaml): a `Digest: SHA-256=` header over the body, and an `nlgov-adr-payload-sig`
 * header holding a detached JWS (PS256, `b64: false`) whose only signed data is that digest header, by the
 * HttpHeaders mechanism of ETSI TS 119 182-1 (`sigD.mId` HttpHeaders, `sigD.pars: ["digest"]`). The HttpHeaders
 * signing input is the covered headers as `name: value` lines, names in lower case, joined by a line feed; with
 * `digest` alone that is the single line `digest: SHA-256=...`.
 */
export const HTTP_HEADERS_MECHANISM = 'http://uri.etsi.org/19182/HttpHeaders';

export interface PayloadSigner {
  key: KeyObject;
  kid: string;
  /** The certificate chain, signing certificate first, as DER. */
  chain: Buffer[];
}

export interface SignedPayload {
  digest: string;
  signature: string;
}

export function digestOf(body: Buffer | string): string {
  return `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}

function signingInput(digest: string): Uint8Array {
  return new TextEncoder().encode(`digest: ${digest}`);
}

export async function signPayload(body: Buffer | string, signer: PayloadSigner): Promise<SignedPayload> {
  const digest = digestOf(body);
  const jws = await new FlattenedSign(signingInput(digest))
    .setProtectedHeader({
      alg: 'PS256',
      b64: false,
      crit: ['sigD', 'b64'],
      kid: signer.kid,
      x5c: signer.chain.map((der) => der.toString('base64')),
      sigD: { mId: HTTP_HEADERS_MECHANISM, pars: ['digest'] },
    })
    .sign(signer.key, { crit: { sigD: true } });
  return { digest, signature: `${jws.protected}..${jws.signature}` };
}

export type SignatureRefusal = { header: 'Digest' | 'nlgov-adr-payload-sig'; reason: string };

/**
 * Checks a request's Digest against its body and its detached signature against the digest, with the key of the
 * first `x5c` certificate, after checking that the chain is valid now and ends at one of `trustAnchors`.
 * Revocation (OCSP, CRL) is not checked: that needs the CA's responders, which a deployment reaches and this
 * function does not. Returns null when all holds, or which header fails and why.
 */
export async function verifySignedPayload(
  body: Buffer,
  headers: { digest: string | undefined; signature: string | undefined },
  trustAnchors: X509Certificate[],
  now: Date = new Date(),
): Promise<SignatureRefusal | null> {
  if (!headers.digest) return { header: 'Digest', reason: 'is required' };
  if (!/^SHA-256=[A-Za-z0-9+/=]{43,44}$/.test(headers.digest))
    return { header: 'Digest', reason: 'must be SHA-256= followed by the base64 SHA-256 of the body' };
  if (headers.digest !== digestOf(body)) return { header: 'Digest', reason: 'does not match the body' };
  const refuse = (reason: string): SignatureRefusal => ({ header: 'nlgov-adr-payload-sig', reason });
  const match = headers.signature ? /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/.exec(headers.signature) : null;
  if (!match) return refuse('must be a detached JWS: BASE64URL(header)..BASE64URL(signature)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(match[1]!))) as Record<string, unknown>;
  } catch {
    return refuse('its protected header is not base64url-encoded JSON');
  }
  const profileProblem = profileViolation(header);
  if (profileProblem) return refuse(profileProblem);
  let chain: X509Certificate[];
  try {
    chain = (header.x5c as string[]).map((b64) => new X509Certificate(Buffer.from(b64, 'base64')));
  } catch {
    return refuse('x5c holds something that is not a DER certificate');
  }
  const chainProblem = chainViolation(chain, trustAnchors, now);
  if (chainProblem) return refuse(chainProblem);
  try {
    await flattenedVerify(
      { protected: match[1]!, payload: signingInput(headers.digest), signature: match[2]! },
      chain[0]!.publicKey,
      { algorithms: ['PS256'], crit: { sigD: true } },
    );
  } catch {
    return refuse('the signature does not verify with the key of the first x5c certificate');
  }
  return null;
}

function profileViolation(header: Record<string, unknown>): string | null {
  const crit = Array.isArray(header.crit) ? header.crit : [];
  const sigD = header.sigD as { mId?: unknown; pars?: unknown } | undefined;
  if (header.alg !== 'PS256') return 'alg must be PS256';
  if (header.b64 !== false) return 'b64 must be false';
  if (!crit.includes('sigD') || !crit.includes('b64')) return 'crit must contain sigD and b64';
  if (sigD?.mId !== HTTP_HEADERS_MECHANISM) return `sigD.mId must be ${HTTP_HEADERS_MECHANISM}`;
  if (!Array.isArray(sigD.pars) || sigD.pars.length !== 1 || sigD.pars[0] !== 'digest')
    return 'sigD.pars must be exactly ["digest"]';
  if (typeof header.kid !== 'string' || header.kid === '') return 'kid is required';
  if (!Array.isArray(header.x5c) || header.x5c.length === 0 || !header.x5c.every((c) => typeof c === 'string'))
    return 'x5c must hold the certificate chain, signing certificate first';
  return null;
}

function chainViolation(chain: X509Certificate[], anchors: X509Certificate[], now: Date): string | null {
  for (const [i, cert] of chain.entries()) {
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo))
      return `x5c certificate ${i} is not valid at this time`;
    const issuer = chain[i + 1];
    if (issuer && !(issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey)))
      return `x5c certificate ${i} is not issued by certificate ${i + 1}`;
  }
  const last = chain[chain.length - 1]!;
  const trusted = anchors.some(
    (anchor) =>
      anchor.fingerprint256 === last.fingerprint256 ||
      (anchor.ca && last.checkIssued(anchor) && last.verify(anchor.publicKey)),
  );
  return trusted ? null : 'the x5c chain does not end at a trusted certificate authority';
}

/** Every certificate in a PEM text (a bundle of CAs, or a chain). */
export function certificatesFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
