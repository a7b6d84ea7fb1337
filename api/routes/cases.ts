import express, { type Express } from 'express';
import { caseEventSchema, type CaseEvent } from '../../domain/events';
import { listCases } from '../../db/read-model';
import { principalOf } from '../auth';
import { currentCaseView, ownCaseId, recordCaseEvent } from '../case-access';
import { fieldErrors, problems } from '../problem';
import { caseListQuerySchema } from '../schemas';
import type { AppContext } from '../context';

const NOT_FOUND = 'There is no such case for this municipality.';

/** Event fields that are safe to audit: enumerations, numbers and IDs; free text may name people and is left out. */
const AUDITED_EVENT_FIELDS = [
  'type',
  'moment',
  'attempt',
  'outcome',
  'visit',
  'atHome',
  'channel',
  'to',
  'financial',
  'signalID',
  'status',
] as const;

export function auditDetail(event: CaseEvent): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  for (const field of AUDITED_EVENT_FIELDS) {
    const value = (event as Record<string, unknown>)[field];
    if (value !== undefined) detail[field] = value;
  }
  return detail;
}

export function registerCaseRoutes(app: Express, ctx: AppContext): void {
  const { pool } = ctx.deps;
  const json = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });

  app.get('/v1/cases', ctx.auth.require('staff'), async (req, res) => {
    const { municipality } = principalOf(res);
    const parsed = caseListQuerySchema.safeParse(req.query);
    if (!parsed.success) throw problems.validation('Invalid query parameters.', fieldErrors(parsed.error, ['query']));
    const after = parsed.data.cursor !== undefined ? decodeCursor(parsed.data.cursor) : undefined;
    const page = await listCases(pool, municipality, { status: parsed.data.status, after, limit: parsed.data.limit });
    const last = page.items[page.items.length - 1];
    res.json({ items: page.items, nextCursor: page.more && last ? encodeCursor(last.case) : null });
  });

  app.get('/v1/cases/:case', ctx.auth.require('staff'), async (req, res) => {
    const { municipality } = principalOf(res);
    const caseId = ownCaseId(String(req.params.case), municipality);
    if (!caseId) throw problems.notFound(NOT_FOUND);
    const found = await currentCaseView(ctx.caseAccess, municipality, caseId);
    if (!found || found.view.municipality !== municipality) throw problems.notFound(NOT_FOUND);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Bereik-Source', found.source);
    res.json(found.view);
  });

  app.post('/v1/cases/:case/events', ctx.auth.require('staff'), json, async (req, res) => {
    const principal = principalOf(res);
    const caseId = ownCaseId(String(req.params.case), principal.municipality);
    if (!caseId) throw problems.notFound(NOT_FOUND);
    if (!req.is(['application/json', 'application/*+json']))
      throw problems.unsupportedMediaType('Send the event as application/json.');
    const parsed = caseEventSchema.safeParse(req.body);
    if (!parsed.success) throw problems.validation('The event is not valid.', fieldErrors(parsed.error));
    const event = parsed.data;

    const outcome = await recordCaseEvent(ctx.caseAccess, {
      municipality: principal.municipality,
      caseId,
      event,
      actor: { role: principal.role, keyId: principal.keyId },
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: auditDetail(event),
    });

    switch (outcome.kind) {
      case 'accepted':
        res.status(200).json(outcome.result);
        return;
      case 'rejected':
        throw problems.conflict(outcome.reason);
      case 'not_found':
        throw problems.notFound(NOT_FOUND);
      case 'unavailable':
        throw problems.unavailable(outcome.reason);
    }
  });
}

function encodeCursor(caseId: string): string {
  return Buffer.from(JSON.stringify({ after: caseId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the validation problem
  }
  throw problems.validation('Invalid query parameters.', [
    { path: '/query/cursor', message: 'is not a cursor returned by this API' },
  ]);
}
