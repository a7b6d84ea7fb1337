import express, { type Express, type Request, type Response } from 'express';
import { createMunicipalityDirectory, type Municipality } from '../../domain/municipalities';
import { verifyResidentToken, type ResidentTokenClaims } from '../../common/resident-token';
import { municipalityOfCase } from '../../common/case-id';
import type { CaseView } from '../../domain/case';
import { chosenMomentSlots, getPolicy, isAllowedChosenMoment } from '../../policy';
import type { ContactPolicy } from '../../policy/types';
import { currentCaseView, recordCaseEvent } from '../case-access';
import {
  renderChoosePage,
  renderConfirmation,
  renderNotice,
  residentSecurityHeaders,
  type ChoosePage,
  type NoticeKind,
} from '../resident/page';
import { pickLanguage, type PageLanguage } from '../resident/texts';
import type { AppContext } from '../context';

const CLOSED_STATUSES: readonly CaseView['status'][] = ['dormant', 'ended'];

interface OpenCase {
  claims: ResidentTokenClaims;
  municipality: string;
  view: CaseView;
  policy: ContactPolicy;
  sender: Municipality;
}

/** What reading the form gave: its fields, or the status to answer when the body could not be read. */
type FormBody = { ok: true; fields: Record<string, unknown> } | { ok: false; status: 400 | 413 };

const FORM_LIMIT_BYTES = 4096;

/**
 * The resident's page behind the link in an invitation: free call slots for the coming working days, and a form that
 * posts the choice. The signed token in the path is the only capability, so the form needs no other CSRF token.
 */
export function registerResidentRoutes(app: Express, ctx: AppContext): void {
  const municipalities = createMunicipalityDirectory(ctx.deps.config.MUNICIPALITIES);
  // The form has two fields, but browsers and extensions may add more: those are ignored, and only the byte limit
  // bounds the body (every field takes at least a byte, so the parameter limit never bites first).
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: FORM_LIMIT_BYTES + 1 });
  const readForm = (req: Request, res: Response) =>
    new Promise<FormBody>((resolve) => {
      form(req, res, (error?: unknown) => {
        if (!error) return resolve({ ok: true, fields: (req.body ?? {}) as Record<string, unknown> });
        const { type } = error as { type?: unknown };
        resolve({ ok: false, status: type === 'entity.too.large' || type === 'parameters.too.many' ? 413 : 400 });
      });
    });

  const send = (res: Response, status: number, html: string, sender?: Municipality) => {
    for (const [name, value] of Object.entries(residentSecurityHeaders(sender))) res.setHeader(name, value);
    res.status(status).type('html').send(html);
  };
  const notice = (res: Response, lang: PageLanguage, selfPath: string, kind: NoticeKind, sender?: Municipality) => {
    const status = { invalid: 404, expired: 410, closed: 410, unavailable: 503 }[kind];
    send(res, status, renderNotice(lang, selfPath, kind, sender), sender);
  };

  /** Verifies the token and finds the case round it was issued for; answers with a notice page when it can't. */
  async function open(req: Request, res: Response, lang: PageLanguage, selfPath: string): Promise<OpenCase | null> {
    const verified = verifyResidentToken(ctx.residentLinkSecret, String(req.params.token));
    if (!verified.ok) {
      if (verified.reason === 'expired')
        notice(res, lang, selfPath, 'expired', municipalities.find(verified.municipality));
      else notice(res, lang, selfPath, 'invalid');
      return null;
    }
    const { claims } = verified;
    const municipality = municipalityOfCase(claims.caseId);
    if (!municipality) {
      notice(res, lang, selfPath, 'invalid');
      return null;
    }
    const sender = municipalities.find(municipality);
    if (!sender) {
      req.log?.error(
        { municipality },
        'resident page: the municipality is not in the directory; add it to MUNICIPALITIES',
      );
      notice(res, lang, selfPath, 'unavailable');
      return null;
    }
    let found: Awaited<ReturnType<typeof currentCaseView>>;
    try {
      found = await currentCaseView(ctx.caseAccess, municipality, claims.caseId);
    } catch (error) {
      req.log?.warn({ err: error }, 'resident page: case state unavailable');
      notice(res, lang, selfPath, 'unavailable', sender);
      return null;
    }
    const view = found?.view;
    if (!view || view.round !== claims.round || CLOSED_STATUSES.includes(view.status) || view.reachedAt !== null) {
      notice(res, lang, selfPath, 'closed', sender);
      return null;
    }
    let policy: ContactPolicy;
    try {
      policy = getPolicy(view.policy.name, view.policy.version);
    } catch (error) {
      req.log?.error({ err: error }, 'resident page: the case policy is not registered');
      notice(res, lang, selfPath, 'unavailable', sender);
      return null;
    }
    return { claims, municipality, view, policy, sender };
  }

  app.get('/r/:token', async (req, res) => {
    const lang = pickLanguage(req.query.lang, req.get('accept-language'));
    const selfPath = `/r/${encodeURIComponent(String(req.params.token))}`;
    const opened = await open(req, res, lang, selfPath);
    if (!opened) return;
    send(res, 200, renderChoosePage(choosePage(opened, lang, selfPath)), opened.sender);
  });

  app.post('/r/:token', async (req, res) => {
    const form = await readForm(req, res);
    const body = form.ok ? form.fields : {};
    const lang = pickLanguage(body.lang ?? req.query.lang, req.get('accept-language'));
    const selfPath = `/r/${encodeURIComponent(String(req.params.token))}`;
    const opened = await open(req, res, lang, selfPath);
    if (!opened) return;
    if (!form.ok) {
      send(
        res,
        form.status,
        renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'unreadable' }),
        opened.sender,
      );
      return;
    }
    const momentMs = typeof body.moment === 'string' ? Date.parse(body.moment) : Number.NaN;
    if (Number.isNaN(momentMs)) {
      send(res, 400, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'missing' }), opened.sender);
      return;
    }
    if (!isAllowedChosenMoment(opened.policy, momentMs, Date.now())) {
      send(res, 409, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'rejected' }), opened.sender);
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
      send(
        res,
        200,
        renderConfirmation(lang, selfPath, momentMs, opened.policy.timeZone, opened.sender),
        opened.sender,
      );
    } else if (outcome.kind === 'rejected') {
      send(res, 409, renderChoosePage({ ...choosePage(opened, lang, selfPath), error: 'rejected' }), opened.sender);
    } else {
      notice(res, lang, selfPath, outcome.kind === 'not_found' ? 'closed' : 'unavailable', opened.sender);
    }
  });
}

function choosePage(opened: OpenCase, lang: PageLanguage, selfPath: string): ChoosePage {
  const slots = chosenMomentSlots(opened.policy, Date.now());
  const chosenMoment = opened.view.chosenMoment !== null ? Date.parse(opened.view.chosenMoment) : null;
  return {
    lang,
    selfPath,
    slots,
    timeZone: opened.policy.timeZone,
    chosenMoment,
    selected: chosenMoment !== null && slots.includes(chosenMoment) ? chosenMoment : undefined,
    sender: opened.sender,
  };
}
