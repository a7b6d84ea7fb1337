import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { codecRouter } from './codec-server';
import { insertAudit } from '../db/audit';
import { caseWorkflowClient } from '../workflows/case/client';
import { assertValidRegistry, getPolicy } from '../policy';
import { createAuthenticator, type Principal } from './auth';
import type { AppContext, AppDeps } from './context';
import { createMetrics } from './metrics';
import { PROBLEM_TYPES, ProblemError, problems, sendProblem } from './problem';
import { buildOpenApiDocument, documentedMethods, openApiOptions } from './openapi';
import { cbsPullRouter } from './cbs-pull/router';
import { registerConsoleRoutes } from './console/router';
import { registerCaseRoutes } from './routes/cases';
import { registerFunnelRoutes } from './routes/funnel';
import { registerIntakeRoutes } from './routes/intake';
import { registerReportRoutes } from './routes/reports';
import { registerResidentRoutes } from './routes/resident';
import { registerSystemRoutes } from './routes/system';
import { registerWebhookRoutes } from './routes/webhooks';
import { registerPartnerRoutes } from './routes/partners';
import { registerWorkRoutes } from './routes/work';

export type { AppDeps } from './context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller on this machine: IPv4 loopback (also as an IPv4-mapped IPv6 address) or ::1. */
export function isLoopback(address: string | undefined): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address ?? '');
}

/** Resident tokens are capabilities: they never reach a log line. */
const CBS_PULL_PATH = '/ddas/v1';

export function redactUrl(url: string): string {
  return url.replace(/^\/r\/[^/?#]+/, '/r/[token]');
}

/**
 * The HTTP API, the resident page, the codec endpoint and the Twilio webhooks. Routes live on the app itself or on
 * routers mounted at a fixed path, which is what lets the OpenAPI test walk them.
 */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  if (!config.CASE_ID_SECRET)
    throw new Error('createApp: config.CASE_ID_SECRET is required (see api/secrets.ts for development defaults)');
  if (!config.RESIDENT_LINK_SECRET) throw new Error('createApp: config.RESIDENT_LINK_SECRET is required');
  // Fail at start-up, not on the first signal, when a policy is broken or a configured one does not exist.
  assertValidRegistry();
  for (const name of new Set([config.DEFAULT_POLICY, ...Object.values(config.MUNICIPALITY_POLICIES)])) getPolicy(name);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');

  const metrics = createMetrics(deps.pool);
  const ctx: AppContext = {
    deps,
    auth: createAuthenticator(config, deps.pool),
    metrics,
    caseAccess: {
      pool: deps.pool,
      metrics,
      cases: caseWorkflowClient(deps.temporalClient, { taskQueue: config.TEMPORAL_TASK_QUEUE }),
    },
    caseIdSecret: config.CASE_ID_SECRET,
    residentLinkSecret: config.RESIDENT_LINK_SECRET,
  };

  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  const routeTable = documentedMethods(buildOpenApiDocument(openApiOptions(config, Boolean(deps.keyring))));
  app.use((req, _res, next) => {
    if (req.path.startsWith(CBS_PULL_PATH)) return next(); // the CBS pull answers wrong methods with FSC errors
    const route = routeTable.find((r) => r.pattern.test(req.path));
    if (!route || route.methods.includes(req.method) || (req.method === 'HEAD' && route.methods.includes('GET')))
      return next();
    next(problems.methodNotAllowed(route.methods));
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => (res as Response).locals.requestId as string,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(ctx.metrics.httpMiddleware);

  registerSystemRoutes(app, ctx);
  registerIntakeRoutes(app, ctx);
  registerCaseRoutes(app, ctx);
  registerWorkRoutes(app, ctx);
  registerPartnerRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerFunnelRoutes(app, ctx);
  registerResidentRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  app.use(CBS_PULL_PATH, cbsPullRouter(ctx));
  registerConsoleRoutes(app, ctx);
  if (deps.keyring && config.CODEC_LOCAL_TOKEN) {
    // `npm start` only: the local Web UI cannot send a staff key, so its codec endpoint URL carries a random
    // capability that lives for one run. The UI hands it to whoever reaches the UI, which listens on loopback only;
    // so the endpoint answers loopback callers only, and a capability that got off the machine opens nothing.
    app.use(
      `/codec/local/${config.CODEC_LOCAL_TOKEN}`,
      codecRouter({
        keyring: deps.keyring,
        allowedOrigins: [`http://localhost:${config.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`],
        authenticate: () => 'local-web-ui',
        refusal: (_principal, req) =>
          isLoopback(req.socket.remoteAddress)
            ? null
            : 'The local Web UI codec answers on this machine only; elsewhere use /codec with a staff key.',
      }),
    );
  }
  if (deps.keyring) {
    app.use(
      codecRouter<Principal>({
        keyring: deps.keyring,
        allowedOrigins: config.CODEC_ALLOWED_ORIGINS ?? [
          `http://localhost:${config.TEMPORAL_UI_PORT}`,
          `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
        ],
        authenticate: (req) => ctx.auth.authenticate(req),
        refusal: (principal) =>
          principal.role === 'intake'
            ? 'Decoding payloads needs the staff or admin role; the key has the intake role.'
            : null,
        audit: async ({ principal, operation, payloads }) => {
          await insertAudit(deps.pool, {
            municipality: principal.municipality,
            keyId: principal.keyId,
            role: principal.role,
            caseId: null,
            action: `codec.${operation}`,
            outcome: 'accepted',
            requestId: null,
            detail: { payloads },
          });
        },
      }),
    );
  }

  app.use((_req, _res, next) => next(problems.notFound('There is no such route.')));
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ProblemError) {
      sendProblem(res, error.problem, error.headers);
      return;
    }
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    // body-parser errors: their messages can quote the body, so only our own words go back.
    if (type === 'entity.parse.failed')
      return sendProblem(res, problems.malformed('The body is not valid JSON.').problem);
    if (type === 'entity.too.large')
      return sendProblem(res, problems.tooLarge('The body is larger than this route accepts.').problem);
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendProblem(res, problems.unsupportedMediaType('Send the body as UTF-8.').problem);
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Any other body that can't be read (a broken gzip stream, a body shorter than its Content-Length): a reason too.
      return sendProblem(res, {
        type: PROBLEM_TYPES.malformed,
        title: 'Malformed request body',
        status,
        detail: 'The request body could not be read.',
      });
    }
    req.log?.error({ err: error }, 'unhandled error');
    sendProblem(res, {
      type: PROBLEM_TYPES.internal,
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side; the request ID helps us find it.',
    });
  });

  return app;
}
