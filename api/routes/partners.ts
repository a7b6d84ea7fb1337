import type { Express } from 'express';
import { findPartnerSignal, partnerFeedback, type FeedbackCursor } from '../../db/partner-signals';
import type { Eindresultaat, Signaalstatus } from '../../domain/ddas';
import { partnerFeedback as feedbackOf } from '../../domain/signal-status';
import { principalOf } from '../auth';
import { currentCaseView, recordCaseEvent } from '../case-access';
import type { AppContext } from '../context';
import { fieldErrors, problems } from '../problem';
import { feedbackQuerySchema, SIGNAL_ID, type partnerFeedbackSchema } from '../partner-schemas';
import { partnerScope } from './intake';
import type { z } from 'zod';

const NOT_FOUND = 'There is no such signal of this partner.';

/** Signal partners (role partner): their own signals only, and nothing of the cases behind them. */
export function registerPartnerRoutes(app: Express, ctx: AppContext): void {
  app.post('/v1/signals/:signal/resolved', ctx.auth.require('partner'), async (req, res) => {
    const principal = principalOf(res);
    const partner = partnerScope(principal.scope);
    const signalId = String(req.params.signal);
    if (!SIGNAL_ID.test(signalId))
      throw problems.validation('Invalid signal ID.', [
        { path: '/path/signal', message: 'must be 1 to 100 printable ASCII characters' },
      ]);
    const signal = await findPartnerSignal(ctx.deps.pool, principal.municipality, partner, signalId);
    if (!signal) throw problems.notFound(NOT_FOUND);
    // The read model learns of a resolution only once the workflow has saved it; ask the case itself before sending
    // the event again, so that a repeated report stays one event (and one audit row), also right after the first.
    if (!signal.resolved && !(await resolvedInCase(ctx, principal.municipality, signal.caseId, signalId))) {
      const outcome = await recordCaseEvent(ctx.caseAccess, {
        municipality: principal.municipality,
        caseId: signal.caseId,
        event: { type: 'arrears_resolved', signalID: signalId },
        actor: { role: principal.role, keyId: principal.keyId },
        requestId: (res.locals.requestId as string | undefined) ?? null,
        detail: { type: 'arrears_resolved', signalID: signalId },
      });
      if (outcome.kind === 'rejected') throw problems.conflict(outcome.reason);
      if (outcome.kind === 'not_found') throw problems.notFound(NOT_FOUND);
      if (outcome.kind === 'unavailable') throw problems.unavailable(outcome.reason);
    }
    res.status(200).json({ ID: signalId, resolved: true });
  });

  app.get('/v1/feedback', ctx.auth.require('partner'), async (req, res) => {
    const principal = principalOf(res);
    const partner = partnerScope(principal.scope);
    const parsed = feedbackQuerySchema.safeParse(req.query);
    if (!parsed.success) throw problems.validation('Invalid query parameters.', fieldErrors(parsed.error, ['query']));
    const { since, limit, cursor } = parsed.data;
    const rows = await partnerFeedback(ctx.deps.pool, {
      municipality: principal.municipality,
      partner,
      since,
      after: cursor ? decodeCursor(cursor) : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const signals: z.infer<typeof partnerFeedbackSchema>[] = page.map((row) => ({
      ID: row.signalId,
      ...feedbackOf({
        recorded: row.status as Signaalstatus,
        round: row.round ? { result: row.round.result as Eindresultaat | null } : null,
      }),
    }));
    const last = page[page.length - 1];
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      signals,
      nextCursor:
        rows.length > limit && last ? encodeCursor({ receivedAt: last.receivedAt, signalId: last.signalId }) : null,
    });
  });
}

async function resolvedInCase(ctx: AppContext, municipality: string, caseId: string, signalId: string) {
  const found = await currentCaseView(ctx.caseAccess, municipality, caseId);
  return found?.view.signals.some((s) => s.ID === signalId && s.resolved) ?? false;
}

function encodeCursor(cursor: FeedbackCursor): string {
  return Buffer.from(JSON.stringify([cursor.receivedAt, cursor.signalId])).toString('base64url');
}

function decodeCursor(cursor: string): FeedbackCursor {
  try {
    const [receivedAt, signalId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof receivedAt === 'string' && !Number.isNaN(Date.parse(receivedAt)) && typeof signalId === 'string')
      return { receivedAt, signalId };
  } catch {
    // fall through to the validation problem
  }
  throw problems.validation('Invalid query parameters.', [
    { path: '/query/cursor', message: 'is not a cursor returned by this API' },
  ]);
}
