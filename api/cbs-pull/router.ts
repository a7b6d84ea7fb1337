import type { X509Certificate } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  certificatesFromPem,
  signPayload,
  verifySignedPayload,
  type PayloadSigner,
} from '../../common/payload-signature';
import { insertAudit } from '../../db/audit';
import { ddasFacts } from '../../db/reports';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import type { AppContext } from '../context';
import { buildDdasDeliveryV12, ddasV12Errors, type DdasDeliveryV12 } from '../ddas-v12';
import { fieldErrors, ProblemError, problems, PROBLEM_TYPES, sendProblem } from '../problem';
import { deliveryPage, MAX_PAGE_SIZE } from './pages';
import { configuredSigner, pemValue, throwawaySigner } from './signer';

/** The FSC error codes DDAS-VS.yaml lists (FSC Core 1.1.2), with the status each answers. */
type FscCode =
  | 'ERROR_CODE_ACCESS_TOKEN_MISSING'
  | 'ERROR_CODE_ACCESS_TOKEN_INVALID'
  | 'ERROR_CODE_ACCESS_TOKEN_EXPIRED'
  | 'ERROR_CODE_WRONG_GROUP_ID_IN_TOKEN'
  | 'ERROR_CODE_SERVICE_NOT_FOUND'
  | 'ERROR_CODE_METHOD_UNSUPPORTED';

class FscError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 405,
    readonly code: FscCode,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const date = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const gegevensRequestSchema = z.strictObject({
  aanleverperiodeStartdatum: date.optional(),
  aanleverperiodeEinddatum: date.optional(),
  aanleverendeOrganisatie: z.string().min(1).max(200).optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});

const MAX_PERIOD_DAYS = 366;

/**
 * CBS pulls the DDAS v1.2 deliveries of the municipalities in CBS_PULL_MUNICIPALITIES: `POST /ddas/v1/gegevens`
 * as ../shared/ddas/v1.2/DDAS-VS.yaml describes. A client-credentials JWT from CBS_PULL_ISSUER with the `read`
 * scope, a signed request (Digest and nlgov-adr-payload-sig, chained to CBS_PULL_TRUST_ANCHORS), and a signed
 * answer. Errors of access are FSC errors; errors in the request are problem details.
 */
export function cbsPullRouter(ctx: AppContext): Router {
  const { config, pool, keyring } = ctx.deps;
  const router = express.Router();
  const enabled = config.CBS_PULL_ISSUER && config.CBS_PULL_JWKS_URL && config.CBS_PULL_AUDIENCE;
  if (!enabled) {
    router.use(() => {
      throw new FscError(
        404,
        'ERROR_CODE_SERVICE_NOT_FOUND',
        'Dienst niet gevonden',
        'The CBS pull is not set up here.',
      );
    });
    router.use(fscErrorHandler);
    return router;
  }
  const jwks = createRemoteJWKSet(new URL(config.CBS_PULL_JWKS_URL!));
  const trustAnchors: X509Certificate[] = certificatesFromPem(pemValue(config.CBS_PULL_TRUST_ANCHORS ?? ''));
  const municipalities = createMunicipalityDirectory(config.MUNICIPALITIES);
  const delivered = config.CBS_PULL_MUNICIPALITIES ?? [];
  const configured = Boolean(config.DDAS_SIGNING_KEY && config.DDAS_SIGNING_CERTIFICATES);
  const signer: Promise<PayloadSigner & { certificatePem?: string }> = configured
    ? Promise.resolve(
        configuredSigner(config.DDAS_SIGNING_KEY!, config.DDAS_SIGNING_CERTIFICATES!, config.DDAS_SIGNING_KID),
      )
    : throwawaySigner(config.DDAS_SIGNING_KID);
  signer.catch(() => undefined); // a failure is reported on the first request that needs the signer
  if (!configured) {
    // Development: the throwaway certificate, so that a receiver can trust what this run signs.
    router.get('/development-certificate.pem', async (_req, res) => {
      res.type('application/x-pem-file').send((await signer).certificatePem);
    });
  }

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const token = header ? /^Bearer\s+(\S{1,8192})\s*$/i.exec(header)?.[1] : undefined;
    if (!token)
      throw new FscError(401, 'ERROR_CODE_ACCESS_TOKEN_MISSING', 'Access token ontbreekt', 'Send a bearer token.');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: config.CBS_PULL_ISSUER,
        audience: config.CBS_PULL_AUDIENCE,
        algorithms: ['RS256', 'PS256', 'ES256'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw new FscError(401, 'ERROR_CODE_ACCESS_TOKEN_EXPIRED', 'Access token verlopen', 'The token has expired.');
      throw new FscError(
        401,
        'ERROR_CODE_ACCESS_TOKEN_INVALID',
        'Ongeldige access token',
        'The token is not one of the configured issuer for this audience.',
      );
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes('read'))
      throw new FscError(
        403,
        'ERROR_CODE_ACCESS_TOKEN_INVALID',
        'Toegang geweigerd',
        'The token lacks the read scope.',
      );
    const client = [payload.client_id, payload.azp, payload.sub].find((v) => typeof v === 'string') as
      string | undefined;
    res.locals.cbsClient = client ?? 'unknown';
    next();
  };

  const limit = rateLimit({
    windowMs: 60_000,
    limit: config.CBS_PULL_REQUESTS_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => res.locals.cbsClient as string,
    handler: (_req, res) =>
      sendProblem(res, {
        type: 'urn:bereik:problem:rate-limited',
        title: 'Te veel verzoeken',
        status: 429,
        detail: `At most ${config.CBS_PULL_REQUESTS_PER_MINUTE} requests per minute per client; see Retry-After.`,
      }),
  });

  router.post(
    '/gegevens',
    authenticate,
    limit,
    express.raw({ type: () => true, limit: '64kb' }),
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const refusal = await verifySignedPayload(
        body,
        { digest: req.get('digest'), signature: req.get('nlgov-adr-payload-sig') },
        trustAnchors,
      );
      if (refusal)
        throw problems.validation(`The ${refusal.header} header ${refusal.reason}.`, [
          { path: `/headers/${refusal.header}`, message: refusal.reason },
        ]);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw problems.malformed('The body is not valid JSON.');
      }
      const parsed = gegevensRequestSchema.safeParse(json);
      if (!parsed.success)
        throw problems.validation('The request does not match GegevensRequest.', fieldErrors(parsed.error));
      const request = parsed.data;
      const period = periodOf(request.aanleverperiodeStartdatum, request.aanleverperiodeEinddatum);

      const leveringen: DdasDeliveryV12['leveringen'] = [];
      let envelope: Omit<DdasDeliveryV12, 'leveringen'> | undefined;
      for (const code of delivered) {
        const entry = municipalities.get(code);
        const facts = await ddasFacts(pool, code, period.from, period.to);
        const { delivery } = buildDdasDeliveryV12({
          municipality: code,
          from: period.from,
          to: period.to,
          supplierCode: config.DDAS_SUPPLIER_CODE,
          rounds: facts.rounds,
          signals: facts.signals,
          keyring,
          directoryEntry: entry,
        });
        const { leveringen: own, ...head } = delivery;
        envelope ??= head;
        for (const levering of own) {
          if (
            request.aanleverendeOrganisatie &&
            levering.aanleverendeOrganisatie.naam !== request.aanleverendeOrganisatie
          )
            continue;
          leveringen.push({ ...levering, teller: leveringen.length + 1 });
        }
      }
      if (!envelope || leveringen.length === 0)
        throw new ProblemError({
          type: PROBLEM_TYPES.validation,
          title: 'Niet verwerkbaar',
          status: 422,
          detail: 'No municipality delivers here under this aanleverendeOrganisatie.',
          errors: [{ path: '/aanleverendeOrganisatie', message: 'delivers no data through this service' }],
        });
      const page = deliveryPage({ ...envelope, leveringen }, request.page ?? 1, request.pageSize ?? MAX_PAGE_SIZE);
      if (!page)
        throw problems.validation('There is no such page.', [
          { path: '/page', message: 'must be at most the number of pages (totalPages of page 1)' },
        ]);
      const invalid = ddasV12Errors(page.gegevens);
      const paginated = request.page !== undefined || request.pageSize !== undefined || page.paginering.totalPages > 1;
      for (const levering of page.gegevens.leveringen) {
        await insertAudit(pool, {
          municipality: levering.gemeentecode,
          keyId: `cbs:${String(res.locals.cbsClient)}`.slice(0, 200),
          role: 'cbs',
          caseId: null,
          action: 'report.ddas.cbs-pull',
          outcome: invalid.length > 0 ? 'failed' : 'accepted',
          requestId: (res.locals.requestId as string | undefined) ?? null,
          detail: {
            ...period,
            page: page.paginering.currentPage,
            signals: levering.vroegsignalen.length,
            cases: levering.vroegsignaalzaken.length,
            ...(invalid.length > 0 ? { invalid: invalid.slice(0, 20) } : {}),
          },
        });
      }
      if (invalid.length > 0)
        throw problems.invalidDelivery(
          'The DDAS v1.2 delivery for this period does not validate against the national schema and was not delivered.',
          invalid,
        );
      const answer = Buffer.from(
        JSON.stringify(
          paginated ? { gegevens: page.gegevens, paginering: page.paginering } : { gegevens: page.gegevens },
        ),
      );
      const signed = await signPayload(answer, await signer);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Digest', signed.digest);
      res.setHeader('nlgov-adr-payload-sig', signed.signature);
      res.type('application/json').send(answer);
    },
  );
  router.all('/gegevens', () => {
    throw new FscError(405, 'ERROR_CODE_METHOD_UNSUPPORTED', 'Methode niet ondersteund', 'Use POST.');
  });
  router.use(() => {
    throw new FscError(404, 'ERROR_CODE_SERVICE_NOT_FOUND', 'Dienst niet gevonden', 'There is no such service.');
  });
  router.use(fscErrorHandler);
  return router;
}

/** Both dates, or neither: then the previous calendar month in Amsterdam. */
function periodOf(from: string | undefined, to: string | undefined): { from: string; to: string } {
  if (!from && !to) {
    const lastMonth = DateTime.now().setZone('Europe/Amsterdam').minus({ months: 1 });
    return { from: lastMonth.startOf('month').toISODate()!, to: lastMonth.endOf('month').toISODate()! };
  }
  if (!from || !to) {
    const missing = from ? 'aanleverperiodeEinddatum' : 'aanleverperiodeStartdatum';
    throw problems.validation('Give both dates of the period, or neither.', [
      { path: `/${missing}`, message: 'is required when the other date is given' },
    ]);
  }
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0 || days > MAX_PERIOD_DAYS)
    throw new ProblemError({
      type: PROBLEM_TYPES.validation,
      title: 'Niet verwerkbaar',
      status: 422,
      detail: `The period must run forwards and span at most ${MAX_PERIOD_DAYS} days.`,
      errors: [
        { path: '/aanleverperiodeEinddatum', message: `must be from 0 to ${MAX_PERIOD_DAYS} days after the start` },
      ],
    });
  return { from, to };
}

function fscErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  if (error instanceof FscError) {
    res.status(error.status).setHeader('Fsc-Error-Code', error.code);
    if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (error.status === 403) res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope", scope="read"');
    res.type('application/problem+json').send(
      JSON.stringify({
        code: error.code,
        domain: 'ERROR_DOMAIN_INWAY',
        title: error.title,
        detail: error.detail,
        status: error.status,
      }),
    );
    return;
  }
  next(error);
}
