import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { caseIdFor } from '../../common/case-id';
import { openJson } from '../../common/field-crypto';
import { personalAad } from '../../common/personal-data';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { clientSchema, type Client } from '../../domain/signal';
import {
  caseAuditTrail,
  caseIdByRef,
  deleteConsoleSession,
  deleteExpiredConsoleState,
  insertConsoleSession,
  insertPendingLogin,
  openBreaches,
  openWorkQueue,
  sealedClientsOfCase,
  takePendingLogin,
  teamsWithTasksOnCase,
  type ConsoleSessionRow,
  isRoundOpen,
} from '../../db/console';
import { currentCaseView, ownCaseId, recordCaseEvent } from '../case-access';
import type { AppContext } from '../context';
import { auditDetail } from '../routes/cases';
import {
  EVENT_TITLES,
  eventFromForm,
  refusalInDutch,
  STAFF_EVENT_TYPES,
  type FormState,
  type StaffEventType,
} from './forms';
import { layout, type Viewer } from './html';
import { funnelReport } from '../../db/funnel';
import { funnelCsv } from '../routes/funnel';
import { parseRapportageQuery, rapportageCharts, rapportagePage } from './rapportage';
import { consoleOidc, type ConsoleOidc } from './oidc';
import { auditPage, breachesPage, casePage, groupQueue, itemPage, messagePage, queuePage, searchPage } from './pages';
import { claimWorkItem, completeWorkItem, findWorkItem, type StoredWorkItem } from '../../db/work-items';
import { OUTCOMES_OF_KIND, workOutcomeSchema, type WorkItemPacket } from '../../domain/work-items';
import { caseEventFor } from '../routes/work';
import {
  clearCookieHeader,
  cookieHeader,
  LOGIN_COOKIE,
  newToken,
  readCookie,
  requireCsrf,
  requireSession,
  SESSION_COOKIE,
  sessionOf,
  tokenHash,
} from './session';

const LOGIN_TTL_SECONDS = 600;
const QUEUE_LIMIT = 100;

/**
 * No inline script or style, no other origin: the pages are server-rendered HTML with the NL Design System's CSS,
 * and htmx (served from here) only refreshes the queue in place.
 */
const CONSOLE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

function asset(relative: string): string {
  return readFileSync(path.join(__dirname, relative), 'utf8');
}

/**
 * The staff console at /console/, signed in through the municipality's OpenID provider. Every page is HTML that
 * works without JavaScript; every change goes through the same gateway and validation as the API's staff routes.
 */
export function registerConsoleRoutes(app: Express, ctx: AppContext): void {
  const { config, pool } = ctx.deps;
  const directory = createMunicipalityDirectory(config.MUNICIPALITIES);
  const secure = !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(config.publicBaseUrl);
  const idleMs = config.CONSOLE_SESSION_IDLE;
  const oidc: ConsoleOidc | null =
    config.OIDC_ISSUER && config.OIDC_CLIENT_SECRET
      ? consoleOidc({
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          redirectUri: `${config.publicBaseUrl}/console/auth/callback`,
        })
      : null;

  const assets: Record<string, string> = {
    'tokens.css': asset('../../node_modules/@utrecht/design-tokens/dist/index.css'),
    'components.css': asset('../../node_modules/@utrecht/component-library-css/dist/index.css'),
    'console.css': asset('./console.css'),
    'htmx.min.js': asset('../../node_modules/htmx.org/dist/htmx.min.js'),
  };
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 });
  const session = requireSession(pool, idleMs);

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set(CONSOLE_HEADERS);
    next();
  });
  const viewerOf = (s: ConsoleSessionRow): Viewer => ({
    municipalityName: directory.find(s.municipality)?.name ?? s.municipality,
    teams: s.teams,
    role: s.role,
    csrfToken: s.csrfToken,
  });
  const send = (
    res: Response,
    status: number,
    title: string,
    body: ReturnType<typeof messagePage>,
    current?: string,
  ) => {
    const s = res.locals.consoleSession as ConsoleSessionRow | undefined;
    res
      .status(status)
      .type('html')
      .send(layout({ title, viewer: s ? viewerOf(s) : null, body, current }));
  };
  const notFound = (res: Response) =>
    send(
      res,
      404,
      'Niet gevonden',
      messagePage('Deze zaak bestaat niet, of hoort niet bij uw gemeente.', {
        href: '/console/',
        label: 'Naar de werkvoorraad',
      }),
    );

  router.get('/assets/:file', (req, res) => {
    const file = String(req.params.file);
    const content = assets[file];
    if (!content) return void res.status(404).end();
    res
      .set('Cache-Control', 'public, max-age=3600')
      .type(file.endsWith('.js') ? 'text/javascript' : 'text/css')
      .send(content);
  });

  router.get('/aanmelden', (_req, res) => {
    send(
      res,
      200,
      'Aanmelden',
      oidc
        ? messagePage('U meldt zich aan met het account van uw gemeente.', {
            href: '/console/auth/start',
            label: 'Aanmelden',
          })
        : messagePage('Aanmelden kan nu niet: de console heeft geen identiteitsprovider (OIDC_ISSUER).'),
    );
  });

  router.get('/auth/start', async (_req, res) => {
    if (!oidc) return void send(res, 503, 'Aanmelden', messagePage('Aanmelden kan nu niet.'));
    const started = await oidc.start();
    const token = newToken();
    await insertPendingLogin(pool, tokenHash(token), started, new Date(Date.now() + LOGIN_TTL_SECONDS * 1000));
    res.setHeader('Set-Cookie', cookieHeader(LOGIN_COOKIE, token, { secure, maxAgeSeconds: LOGIN_TTL_SECONDS }));
    res.redirect(303, started.url);
  });

  router.get('/auth/callback', async (req, res) => {
    const token = readCookie(req, LOGIN_COOKIE);
    const pending = token ? await takePendingLogin(pool, tokenHash(token)) : null;
    const retry = { href: '/console/auth/start', label: 'Opnieuw aanmelden' };
    if (!oidc || !pending)
      return void send(res, 400, 'Aanmelden mislukt', messagePage('Deze aanmelding is verlopen.', retry));
    let claims;
    try {
      claims = await oidc.finish(new URL(req.originalUrl, config.publicBaseUrl), pending);
    } catch (error) {
      req.log?.warn({ err: { name: (error as Error).name } }, 'console sign-in refused');
      return void send(res, 400, 'Aanmelden mislukt', messagePage('De aanmelding is niet gelukt.', retry));
    }
    if (!claims || !directory.find(claims.gemeente))
      return void send(res, 403, 'Geen toegang', messagePage('Uw account geeft geen toegang tot de console.'));
    const sessionToken = newToken();
    const maxMs = config.CONSOLE_SESSION_MAX;
    await insertConsoleSession(pool, tokenHash(sessionToken), {
      municipality: claims.gemeente,
      subject: claims.sub,
      teams: claims.teams,
      role: claims.role,
      csrfToken: newToken(),
      expiresAt: new Date(Date.now() + maxMs),
    });
    void deleteExpiredConsoleState(pool, idleMs).catch(() => undefined);
    res.setHeader('Set-Cookie', [
      clearCookieHeader(LOGIN_COOKIE, secure),
      cookieHeader(SESSION_COOKIE, sessionToken, { secure, maxAgeSeconds: Math.floor(maxMs / 1000) }),
    ]);
    res.redirect(303, '/console/');
  });

  router.post('/afmelden', form, session, requireCsrf, async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await deleteConsoleSession(pool, tokenHash(token));
    res.locals.consoleSession = undefined;
    res.setHeader('Set-Cookie', clearCookieHeader(SESSION_COOKIE, secure));
    send(
      res,
      200,
      'Afgemeld',
      messagePage('U bent afgemeld.', { href: '/console/aanmelden', label: 'Opnieuw aanmelden' }),
    );
  });

  router.get('/', session, async (_req, res) => {
    const s = sessionOf(res);
    const rows = await openWorkQueue(pool, s.municipality, s.role === 'admin' ? null : s.teams, QUEUE_LIMIT);
    send(res, 200, 'Werkvoorraad', queuePage(groupQueue(rows, new Date())), '/console/');
  });

  async function showCase(req: Request, res: Response, state?: FormState, notice?: string, status = 200) {
    const s = sessionOf(res);
    const caseId = ownCaseId(String(req.params.case), s.municipality);
    if (!caseId) return notFound(res);
    // Independent reads, so the page waits for the slowest of them (mostly Temporal), not for their sum.
    const [found, audit, sealedContacts] = await Promise.all([
      currentCaseView(ctx.caseAccess, s.municipality, caseId),
      caseAuditTrail(pool, s.municipality, caseId),
      sealedContactsFor(s, caseId),
    ]);
    if (!found || found.view.municipality !== s.municipality) return notFound(res);
    const contacts =
      sealedContacts &&
      sealedContacts.map((value) => openJson<Client>(ctx.deps.keyring!, value, personalAad(s.municipality, caseId)));
    send(
      res,
      status,
      `Zaak ${found.view.caseRef}`,
      casePage({
        view: found.view,
        staffEvents: audit,
        contacts,
        csrfToken: s.csrfToken,
        isAdmin: s.role === 'admin',
        state,
        notice,
      }),
    );
  }

  /**
   * Contact details, still sealed, only for the team that works the case: the callcentre, or a team with a task on
   * it. Opened by the caller once the case is known to exist.
   */
  async function sealedContactsFor(s: ConsoleSessionRow, caseId: string): Promise<string[] | null> {
    if (!ctx.deps.keyring) return null;
    const maySee =
      s.teams.includes('callcentre') ||
      (await teamsWithTasksOnCase(pool, s.municipality, caseId)).some((t) => s.teams.includes(t));
    return maySee ? sealedClientsOfCase(pool, s.municipality, caseId) : null;
  }

  router.get('/zaken/:case', session, (req, res) => {
    const recorded = String(req.query.vastgelegd ?? '') as StaffEventType;
    return showCase(
      req,
      res,
      undefined,
      STAFF_EVENT_TYPES.includes(recorded) ? `Vastgelegd: ${EVENT_TITLES[recorded]}.` : undefined,
    );
  });

  router.post('/zaken/:case/gebeurtenis', form, session, requireCsrf, async (req, res) => {
    const s = sessionOf(res);
    const caseId = ownCaseId(String(req.params.case), s.municipality);
    if (!caseId) return notFound(res);
    const body = req.body as Record<string, string | undefined>;
    const type = body.type as StaffEventType;
    if (!STAFF_EVENT_TYPES.includes(type)) return notFound(res);
    const values = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf'));
    const parsed = eventFromForm(type, values);
    if ('errors' in parsed) return showCase(req, res, { type, values, errors: parsed.errors }, undefined, 422);
    const outcome = await recordCaseEvent(ctx.caseAccess, {
      municipality: s.municipality,
      caseId,
      event: parsed.event,
      actor: { role: s.role, keyId: `oidc:${s.subject}` },
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: { ...auditDetail(parsed.event), via: 'console' },
    });
    switch (outcome.kind) {
      case 'accepted':
        return void res.redirect(303, `/console/zaken/${caseId}?vastgelegd=${type}`);
      case 'rejected': {
        const refusal = refusalInDutch(outcome.reason);
        return showCase(req, res, { type, values, errors: { [refusal.field]: refusal.message } }, undefined, 409);
      }
      case 'not_found':
        return notFound(res);
      case 'unavailable':
        return showCase(
          req,
          res,
          { type, values, errors: { _form: 'De zaak reageert nu niet. Probeer het over een minuut opnieuw.' } },
          undefined,
          503,
        );
    }
  });

  const ITEM_ID = /^wi_[0-9a-f]{32}$/;
  const actorOf = (s: ConsoleSessionRow) => `oidc:${s.subject}`;

  /** A work item of the viewer's municipality and team (admins: every team); anything else is a 404. */
  async function visibleItem(s: ConsoleSessionRow, rawId: string): Promise<StoredWorkItem | null> {
    const item = ITEM_ID.test(rawId) ? await findWorkItem(pool, s.municipality, rawId) : null;
    if (!item || (s.role !== 'admin' && !s.teams.includes(item.team))) return null;
    return item;
  }

  async function showItem(
    req: Request,
    res: Response,
    options: { error?: string; notice?: string; status?: number } = {},
  ) {
    const s = sessionOf(res);
    const item = await visibleItem(s, String(req.params.item));
    if (!item) return notFound(res);
    // Contact details only for the team that does the work.
    const packet =
      s.teams.includes(item.team) && item.packetSealed && ctx.deps.keyring
        ? openJson<WorkItemPacket>(ctx.deps.keyring, item.packetSealed, personalAad(s.municipality, item.case))
        : null;
    send(
      res,
      options.status ?? 200,
      `Werk voor zaak ${item.caseRef}`,
      itemPage({
        item,
        packet,
        csrfToken: s.csrfToken,
        mine: item.claimedBy === actorOf(s),
        roundOpen: await isRoundOpen(pool, s.municipality, item.case, item.caseRef),
        ...options,
      }),
    );
  }

  router.get('/werk/:item', session, (req, res) =>
    showItem(req, res, { notice: req.query.vastgelegd === 'ja' ? 'De uitkomst is vastgelegd.' : undefined }),
  );

  router.post('/werk/:item/oppakken', form, session, requireCsrf, async (req, res) => {
    const s = sessionOf(res);
    const item = await visibleItem(s, String(req.params.item));
    if (!item) return notFound(res);
    const claimed = await claimWorkItem(pool, s.municipality, item.id, actorOf(s));
    if (claimed.kind === 'conflict')
      return showItem(req, res, { error: 'Een collega heeft dit werk al opgepakt.', status: 409 });
    res.redirect(303, `/console/werk/${item.id}`);
  });

  router.post('/werk/:item/uitkomst', form, session, requireCsrf, async (req, res) => {
    const s = sessionOf(res);
    const item = await visibleItem(s, String(req.params.item));
    if (!item) return notFound(res);
    const body = req.body as Record<string, string | undefined>;
    const description = body.description?.trim();
    const parsed = workOutcomeSchema.safeParse({
      outcome: body.outcome,
      ...(description && ['help_accepted', 'quick_fix'].includes(body.outcome ?? '') ? { description } : {}),
    });
    if (!parsed.success || !OUTCOMES_OF_KIND[item.kind].includes(parsed.data.outcome))
      return showItem(req, res, { error: 'Kies een uitkomst.', status: 422 });
    if (item.status === 'done' && !item.closedByCase)
      return showItem(req, res, { error: 'Dit werk is al klaar.', status: 409 });
    if (item.claimedBy !== null && item.claimedBy !== actorOf(s))
      return showItem(req, res, { error: 'Een collega heeft dit werk opgepakt.', status: 409 });
    const event = caseEventFor(item, parsed.data);
    const sent = await recordCaseEvent(ctx.caseAccess, {
      municipality: s.municipality,
      caseId: item.case,
      event,
      actor: { role: s.role, keyId: actorOf(s) },
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: { ...auditDetail(event), workItem: item.id, workKind: item.kind, via: 'console' },
    });
    if (sent.kind === 'rejected')
      return showItem(req, res, { error: refusalInDutch(sent.reason).message, status: 409 });
    if (sent.kind === 'unavailable')
      return showItem(req, res, {
        error: 'De zaak reageert nu niet. Probeer het over een minuut opnieuw.',
        status: 503,
      });
    if (sent.kind === 'not_found') return notFound(res);
    await completeWorkItem(pool, s.municipality, item.id, actorOf(s), parsed.data.outcome);
    res.redirect(303, `/console/werk/${item.id}?vastgelegd=ja`);
  });

  router.get('/zaken/:case/audit', session, async (req, res) => {
    const s = sessionOf(res);
    if (s.role !== 'admin') return notFound(res);
    const caseId = ownCaseId(String(req.params.case), s.municipality);
    const found = caseId ? await currentCaseView(ctx.caseAccess, s.municipality, caseId) : null;
    if (!caseId || !found || found.view.municipality !== s.municipality) return notFound(res);
    send(
      res,
      200,
      `Auditspoor van zaak ${found.view.caseRef}`,
      auditPage(found.view, await caseAuditTrail(pool, s.municipality, caseId)),
    );
  });

  router.get('/overschrijdingen', session, async (_req, res) => {
    const s = sessionOf(res);
    if (s.role !== 'admin') return notFound(res);
    send(
      res,
      200,
      'Termijnen overschreden',
      breachesPage(await openBreaches(pool, s.municipality, 500)),
      '/console/overschrijdingen',
    );
  });

  /** The reach funnel (issue 12) for staff and admins: always of the session's own municipality. */
  const REPORT_ROLES: readonly ConsoleSessionRow['role'][] = ['staff', 'admin'];
  router.get('/rapportage', session, async (req, res) => {
    const s = sessionOf(res);
    if (!REPORT_ROLES.includes(s.role)) return notFound(res);
    const parsed = parseRapportageQuery(req.query as Record<string, unknown>, new Date());
    if (!parsed.ok) return send(res, 400, 'Rapportage', rapportagePage({ form: parsed.form }), '/console/rapportage');
    const report = await funnelReport(pool, { municipality: s.municipality, ...parsed.query });
    const charts = await rapportageCharts(report);
    send(res, 200, 'Rapportage', rapportagePage({ form: parsed.form, report, charts }), '/console/rapportage');
  });

  router.get('/rapportage.csv', session, async (req, res) => {
    const s = sessionOf(res);
    if (!REPORT_ROLES.includes(s.role)) return notFound(res);
    const parsed = parseRapportageQuery(req.query as Record<string, unknown>, new Date());
    if (!parsed.ok) return send(res, 400, 'Rapportage', rapportagePage({ form: parsed.form }), '/console/rapportage');
    const { from, to } = parsed.query;
    const report = await funnelReport(pool, { municipality: s.municipality, ...parsed.query });
    res.setHeader('Content-Disposition', `attachment; filename="bereik-${s.municipality}-${from}-${to}.csv"`);
    res.type('text/csv; charset=utf-8').send(funnelCsv(report));
  });

  router.get('/zoeken', session, (_req, res) => {
    send(res, 200, 'Zoeken', searchPage({ csrfToken: sessionOf(res).csrfToken }), '/console/zoeken');
  });

  router.post('/zoeken', form, session, requireCsrf, async (req, res) => {
    const s = sessionOf(res);
    const body = req.body as Record<string, string | undefined>;
    const ref = body.ref?.trim();
    let caseId: string | null = null;
    if (ref) caseId = await caseIdByRef(pool, s.municipality, ref);
    else if (body.postcode?.trim() || body.huisnummer?.trim()) {
      // The case ID is the keyed blind index of the address (common/case-id.ts): the address is never searched as text.
      const address = clientSchema.safeParse({
        Postcode: body.postcode?.trim(),
        Huisnummer: body.huisnummer?.trim(),
        ...(body.toevoeging?.trim() ? { Huisnummertoevoeging: body.toevoeging.trim() } : {}),
      });
      if (!address.success)
        return void send(
          res,
          422,
          'Zoeken',
          searchPage({ csrfToken: s.csrfToken, message: 'Vul een postcode (zoals 2511 AB) en een huisnummer in.' }),
          '/console/zoeken',
        );
      const candidate = caseIdFor(ctx.caseIdSecret, s.municipality, address.data);
      const found = await currentCaseView(ctx.caseAccess, s.municipality, candidate);
      caseId = found && found.view.municipality === s.municipality ? candidate : null;
    }
    if (!caseId)
      return void send(
        res,
        404,
        'Zoeken',
        searchPage({ csrfToken: s.csrfToken, message: 'Geen zaak gevonden bij uw gemeente.' }),
        '/console/zoeken',
      );
    res.redirect(303, `/console/zaken/${caseId}`);
  });

  router.use((_req, res) => {
    send(
      res,
      404,
      'Niet gevonden',
      messagePage('Deze pagina bestaat niet.', { href: '/console/', label: 'Naar de werkvoorraad' }),
    );
  });

  app.use('/console', router);
}
