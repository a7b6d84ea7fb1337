import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import { createPrivateKey, webcrypto, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { certificatesFromPem, type PayloadSigner } from '../../common/payload-signature';

/** A PEM value from the environment: the PEM itself, or the path of a file that holds it. */
export function pemValue(value: string): string {
  return value.trimStart().startsWith('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

/** The configured signing key and chain (production: a PKIoverheid certificate). */
export function configuredSigner(keyPem: string, certificatesPem: string, kid: string): PayloadSigner {
  const chain = certificatesFromPem(pemValue(certificatesPem)).map((cert) => cert.raw);
  if (chain.length === 0) throw new Error('DDAS_SIGNING_CERTIFICATES holds no PEM certificate');
  return { key: createPrivateKey(pemValue(keyPem)), kid, chain };
}

/**
 * Development only: a throwaway RSA-PSS key with a self-signed certificate, made when the API starts. Responses are
 * signed the same way as in production; a receiver trusts them only after adding this certificate, which the API
 * serves at /ddas/v1/development-certificate.pem for that purpose.
 */
export async function throwawaySigner(kid: string): Promise<PayloadSigner & { certificatePem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = {
    name: 'RSA-PSS',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 3072,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: now.toString(16),
    name: `CN=bereik DDAS development signing (${kid})`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 86_400_000),
    signingAlgorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
    keys: keys as unknown as x509.X509CertificateCreateSelfSignedParams['keys'],
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return {
    key: KeyObject.from(keys.privateKey),
    kid,
    chain: [Buffer.from(certificate.rawData)],
    certificatePem: certificate.toString('pem'),
  };
}
