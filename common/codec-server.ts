import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { EncryptionCodec } from './codec';
import type { Keyring } from './encryption-keys';

const ProtoPayload = temporal.api.common.v1.Payload;

export type CodecOperation = 'encode' | 'decode';

export interface CodecAuditEvent<P> {
  principal: P;
  operation: CodecOperation;
  namespace: string | undefined;
  payloads: number;
}

export interface CodecRouterOptions<P> {
  keyring: Keyring;
  /** Staff-only check; return null to answer 401. Not called for CORS preflight. */
  authenticate: (req: Request) => P | null | undefined | Promise<P | null | undefined>;
  /** Exact origins of the Temporal Web UI, e.g. `http://localhost:8233`. */
  allowedOrigins: readonly string[];
  /** Decoding shows personal data to a person, so callers can audit it. Failures here fail the request. */
  audit?: (event: CodecAuditEvent<P>) => void | Promise<void>;
  /** Upper bound for the JSON body; a decode batch can hold a whole workflow history page. */
  bodyLimit?: string | number;
}

// Proto3 JSON: bytes fields as base64; other Payload fields (externalPayloads) are passed through to protobufjs.
const bodySchema = z.object({
  payloads: z.array(
    z.looseObject({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});

const JSON_OPTIONS = { bytes: String, longs: String, enums: String, json: true };

function toJSON(payload: Payload): Record<string, unknown> {
  return ProtoPayload.toObject(ProtoPayload.fromObject(payload), JSON_OPTIONS);
}

class BadRequest extends Error {}

/**
 * Temporal codec server protocol for the Web UI (Settings → Codec Server endpoint `<base>/codec`, with "pass access
 * token" and "include credentials" as needed). Mount at the root of an app: routes are `/codec/encode`, `/codec/decode`.
 */
export function codecRouter<P>(options: CodecRouterOptions<P>): Router {
  const codec = new EncryptionCodec(options.keyring);
  const origins = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  const router = express.Router();

  const cors = (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    res.vary('Origin');
    if (req.method === 'OPTIONS') {
      if (origin === undefined || !origins.has(origin)) {
        res.status(403).end();
        return;
      }
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };

  const authenticate = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Decoded payloads are personal data: never let a browser or proxy keep them.
    res.setHeader('Cache-Control', 'no-store');
    const principal = await options.authenticate(req);
    if (principal === null || principal === undefined) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    res.locals.codecPrincipal = principal;
    next();
  };

  const handler = (operation: CodecOperation) => async (req: Request, res: Response): Promise<void> => {
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'body must be JSON {"payloads": [{"metadata": {...}, "data": "<base64>"}]}' });
      return;
    }
    let payloads: Payload[];
    try {
      payloads = parsed.data.payloads.map((p) => ProtoPayload.fromObject(p));
    } catch {
      res.status(400).json({ error: 'payload metadata and data must be base64' });
      return;
    }
    let result: Payload[];
    try {
      result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    } catch (error) {
      // Codec errors name key IDs at most, never data, so they are safe to return to staff.
      throw new BadRequest(error instanceof Error ? error.message : String(error));
    }
    await options.audit?.({
      principal: res.locals.codecPrincipal as P,
      operation,
      namespace: req.get('X-Namespace'),
      payloads: payloads.length,
    });
    res.json({ payloads: result.map(toJSON) });
  };

  // Authenticate before parsing so anonymous callers cannot make us buffer large bodies.
  const json = express.json({ limit: options.bodyLimit ?? '16mb' });
  router.options(['/codec/encode', '/codec/decode'], cors);
  router.post('/codec/encode', cors, authenticate, json, handler('encode'));
  router.post('/codec/decode', cors, authenticate, json, handler('decode'));

  router.use(['/codec/encode', '/codec/decode'], (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (error instanceof BadRequest) {
      res.status(400).json({ error: error.message });
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser errors (malformed JSON, too large); their messages can quote the body, so keep only the status.
      res.status(status).json({ error: status === 413 ? 'payload too large' : 'invalid JSON body' });
      return;
    }
    next(error);
  });

  return router;
}
