import express, { type Express, type Request, type Response } from 'express';
import { verifyResidentToken, type ResidentTokenClaims } from '../../common/resident-token';
import { municipalityOfCase } from '../../common/case-id';
import type { CaseView } from '../../domain/case';
import { chosenMomentSlots, getPolicy, isAllowedChosenMoment } from '../../policy';
import type { ContactPolicy } from '../../policy/types';
import { currentCaseView, recordCaseEvent } from '../case-access';
import { RESIDENT_SECURITY_HEADERS, renderChoosePage, renderConfirmation, renderNotice, type ChoosePage, type NoticeKind } from '../resident/page';
import { pickLanguage, type PageLanguage } from '../resident/texts';
import type { AppContext } from '../context';

const CLOSED_STATUSES: readonly CaseView['status'][] = ['dormant', 'ended'];

interface OpenCase {
  claims: ResidentTokenClaims;
  municipality: string;
  view: CaseView;
  policy: ContactPolicy;
}

/**
 * The resident's page behind the link in an invitation: free call slots for the coming working days, and a form that
 * posts the choice. The signed token in the path is the only capability, so the form needs no other CSRF token.
 */
export function registerResidentRoutes(app: Express, ctx: AppContext): void {
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });

  const send = (res: Response, status: number, html: string) => {
    for (const [name, value] of Object.entries(RESIDENT_SECURITY_HEADERS)) res.setHeader(name, value);
    res.status(status).type('html').send(html);
  };
  const notice = (res: Response, lang: PageLanguage, selfPath: string, kind: NoticeKind) => {
    const status = { invalid: 404, expired: 410, closed: 410, unavailable: 503 }[kind];
    send(res, status, renderNotice(lang, selfPath, kind));
  };

  /** Verifies the token and finds the case round it was issued for; answers with a notice page when it can't. */
  async function open(req: Request, res: Response, lang: PageLanguage, selfPath: string): Promise<OpenCase | null> {
    const verified = verifyResidentToken(ctx.residentLinkSecret, String(req.params.token));
    if (!verified.ok) {
      notice(res, lang, selfPath, verified.reason === 'expired' ? 'expired' : 'invalid');
      return null;
    }
    const { claims } = verified;
    const municipality = municipalityOfCase(claims.caseId);
    if (!municipality) {
      notice(res, lang, selfPath, 'invalid');
      return null;
    }
    let found: Awaited<ReturnType<typeof currentCaseView>>;
    try {
      found = await currentCaseView(ctx.caseAccess, municipality, claims.caseId);
    } catch (error) {
      req.log?.warn({ err: error }, 'resident page: case state unavailable');
      notice(res, lang, selfPath, 'unavailable');
      return null;
    }
    const view = found?.view;
    if (!view || view.round !== claims.round || CLOSED_STATUSES.includes(view.status) || view.reachedAt !== null) {
      notice(res, lang, selfPath, 'closed');
      return null;
    }
    let policy: ContactPolicy;
    try {
      policy = getPolicy(view.policy.name, view.policy.version);
    } catch (error) {
      req.log?.error({ err: error }, 'resident page: the case policy is not registered');
      notice(res, lang, selfPath, 'unavailable');
      return null;
    }
    return { claims, municipality, view, policy };
  }

  app.get('/r/:token', async (req, res) => {
    const lang = pickLanguage(req.query.lang, req.get('accept-language'));
    const selfPath = `/r/${encodeURIComponent(String(req.params.token))}`;
    const opened = await open(req, res, lang, selfPath);
    if (!opened) return;
    send(res, 200, renderChoosePage(choosePage(opened, lang, selfPath)));
  });

  app.post('/r/:token', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = pickLanguage(body.lang ?? req.query.lang, req.get('accept-language'));
    const selfPath = `/r/${encodeURIComponent(String(req.params.token))}`;
    const opened = await open(req, res, lang, selfPath);
    if (!opened) return;
    const momentMs = typeof body.moment === 'string' ? Date.parse(body.moment) : Number.NaN;
    if (Number.isNaN(momentMs)) {
      send(res, 400, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'missing' }));
      return;
    }
    if (!isAllowedChosenMoment(opened.policy, momentMs, Date.now())) {
      send(res, 409, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'rejected' }));
      return;
    }
    const moment = new Date(momentMs).toISOString();
    const outcome = await recordCaseEvent(ctx.caseAccess, {
      municipality: opened.municipality,
      caseId: opened.claims.caseId,
      event: { type: 'contact_moment_chosen', moment },
      actor: { role: 'resident', keyId: null },
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: { type: 'contact_moment_chosen', moment, round: opened.claims.round },
    });
    if (outcome.kind === 'accepted') {
      send(res, 200, renderConfirmation(lang, selfPath, momentMs, opened.policy.timeZone));
    } else if (outcome.kind === 'rejected') {
      send(res, 409, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'rejected' }));
    } else {
      notice(res, lang, selfPath, outcome.kind === 'not_found' ? 'closed' : 'unavailable');
    }
  });
}

function choosePage(opened: OpenCase, lang: PageLanguage, selfPath: string): ChoosePage {
  return {
    lang,
    selfPath,
    slots: chosenMomentSlots(opened.policy, Date.now()),
    timeZone: opened.policy.timeZone,
    chosenMoment: opened.view.chosenMoment !== null ? Date.parse(opened.view.chosenMoment) : null,
  };
}
