import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { ProblemError, fieldErrors, pointer, problems, sendProblem } from './problem';
import { EncryptionCodec } from '../common/codec';
import type { Keyring } from '../common/encryption-keys';

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
  /** Who calls; null answers 401. Not called for CORS preflight. */
  authenticate: (req: Request) => P | null | undefined | Promise<P | null | undefined>;
  /** Why a known caller may not use the codec (e.g. an intake key), answered as 403; null lets it through. */
  refusal?: (principal: P, req: Request) => string | null;
  /** Exact origins of the Temporal Web UI, e.g. `http://localhost:8233`. */
  allowedOrigins: readonly string[];
  /** Decoding shows personal data to a person, so callers can audit it. Failures here fail the request. */
  audit?: (event: CodecAuditEvent<P>) => void | Promise<void>;
  /** Upper bound for the JSON body; a decode batch can hold a whole workflow history page. */
  bodyLimit?: string | number;
}

// Proto3 JSON: bytes fields as base64; other Payload fields (externalPayloads) are passed through to protobufjs.
// A null metadata or data is proto3 JSON's "not set", as some clients send it: it reads as empty.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64 = z.string().regex(BASE64, { error: 'must be base64' });
const bodySchema = z.object({
  payloads: z.array(
    z.looseObject({
      metadata: z.record(z.string(), base64).nullish(),
      data: base64.nullish(),
    }),
  ),
});

const JSON_OPTIONS = { bytes: String, longs: String, enums: String, json: true };

function toJSON(payload: Payload): Record<string, unknown> {
  return ProtoPayload.toObject(ProtoPayload.fromObject(payload), JSON_OPTIONS);
}

const unauthorized = () => problems.unauthorized('Send a staff or admin API key as "Authorization: Bearer <key>".');

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
    if (principal === null || principal === undefined) throw unauthorized();
    const refusal = options.refusal?.(principal, req);
    if (refusal) throw problems.forbidden(refusal);
    res.locals.codecPrincipal = principal;
    next();
  };

  const handler =
    (operation: CodecOperation) =>
    async (req: Request, res: Response): Promise<void> => {
      const parsed = bodySchema.safeParse(req.body);
      if (!parsed.success) {
        throw problems.validation(
          'The body must be {"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}.',
          fieldErrors(parsed.error),
        );
      }
      const payloads: Payload[] = [];
      for (const [index, { metadata, data, ...rest }] of parsed.data.payloads.entries()) {
        try {
          payloads.push(
            ProtoPayload.fromObject({ ...rest, metadata: metadata ?? {}, ...(data == null ? {} : { data }) }),
          );
        } catch {
          throw problems.validation('A payload is not a Temporal Payload.', [
            { path: pointer(['payloads', index]), message: 'is not a Payload' },
          ]);
        }
      }
      let result: Payload[];
      try {
        result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      } catch (error) {
        // Codec errors name key IDs at most, never data, so they are safe to return to staff.
        throw problems.validation(error instanceof Error ? error.message : String(error), [
          { path: '/payloads', message: 'cannot be decoded' },
        ]);
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
    const problem = asProblem(error);
    if (!problem) return next(error);
    sendProblem(res, problem.problem, problem.headers);
  });

  return router;
}

/** Our own problems, and body-parser's client errors in our own words (theirs can quote the body). */
function asProblem(error: unknown): ProblemError | null {
  if (error instanceof ProblemError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return problems.tooLarge('The body is larger than the codec accepts.');
  if (status === 415) return problems.unsupportedMediaType('Send the body as UTF-8 JSON.');
  return problems.malformed('The body is not valid JSON.');
}
