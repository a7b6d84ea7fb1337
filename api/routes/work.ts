import express, { type Express, type Response } from 'express';
import { openJson } from '../../common/field-crypto';
import { personalAad } from '../../common/personal-data';
import {
  claimWorkItem,
  completeWorkItem,
  findWorkItem,
  listWorkItems,
  releaseWorkItem,
  type StoredWorkItem,
  type WorkChange,
  type WorkCursor,
} from '../../db/work-items';
import type { HandoverTarget } from '../../domain/case';
import type { CaseEvent } from '../../domain/events';
import { isTeam, type Team } from '../../domain/teams';
import {
  OUTCOMES_OF_KIND,
  workOutcomeSchema,
  type WorkItem,
  type WorkItemPacket,
  type WorkItemSummary,
  type WorkOutcome,
} from '../../domain/work-items';
import { principalOf, type Principal } from '../auth';
import { recordCaseEvent } from '../case-access';
import type { AppContext } from '../context';
import { fieldErrors, problems } from '../problem';
import { workListQuerySchema } from '../work-schemas';
import { auditDetail } from './cases';

const NOT_FOUND = 'There is no such work item for this key.';
const ITEM_ID = /^wi_[0-9a-f]{32}$/;

/** A staff key scoped to a team works that team's items only; unscoped staff and admin keys the municipality's. */
function teamOf(principal: Principal): Team | undefined {
  return principal.role === 'staff' && principal.scope && isTeam(principal.scope) ? principal.scope : undefined;
}

function summary(item: StoredWorkItem): WorkItemSummary {
  const { packetSealed: _packet, caseRef: _ref, closedByCase: _closed, ...rest } = item;
  return rest;
}

/** The event an outcome sends to the case workflow; a visit's number tells the workflow which visit it answers. */
export function caseEventFor(item: WorkItemSummary, outcome: WorkOutcome): CaseEvent {
  switch (outcome.outcome) {
    case 'not_at_home':
    case 'at_home':
      return {
        type: 'visit_outcome',
        atHome: outcome.outcome === 'at_home',
        ...(item.visit ? { visit: item.visit } : {}),
      };
    case 'help_accepted': {
      const { outcome: _o, ...rest } = outcome;
      return { type: 'help_accepted', ...rest };
    }
    case 'quick_fix':
      return { type: 'quick_fix', ...(outcome.description ? { description: outcome.description } : {}) };
    case 'help_declined':
      return { type: 'help_declined' };
    case 'already_paid':
      return { type: 'already_paid' };
    case 'taken_up':
    case 'not_taken_up':
      return { type: 'handover_answered', to: item.team as HandoverTarget, outcome: outcome.outcome };
  }
}

export function registerWorkRoutes(app: Express, ctx: AppContext): void {
  const { pool, keyring } = ctx.deps;
  const json = express.json({ limit: '16kb', type: ['application/json', 'application/*+json'] });

  /** The item when this key may see it; another municipality's or another team's item is a 404. */
  async function visibleItem(res: Response, rawId: string): Promise<StoredWorkItem> {
    const principal = principalOf(res);
    const item = ITEM_ID.test(rawId) ? await findWorkItem(pool, principal.municipality, rawId) : null;
    const team = teamOf(principal);
    if (!item || (team && item.team !== team)) throw problems.notFound(NOT_FOUND);
    return item;
  }

  function answerChange(res: Response, change: WorkChange): void {
    if (change.kind === 'not_found') throw problems.notFound(NOT_FOUND);
    if (change.kind === 'conflict') throw problems.conflict(change.reason);
    res.status(200).json(summary(change.item));
  }

  app.get('/v1/work', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const parsed = workListQuerySchema.safeParse(req.query);
    if (!parsed.success) throw problems.validation('Invalid query parameters.', fieldErrors(parsed.error, ['query']));
    const ownTeam = teamOf(principal);
    if (ownTeam && parsed.data.team && parsed.data.team !== ownTeam)
      throw problems.forbidden(`This key sees the work of team ${ownTeam} only.`);
    const team = ownTeam ?? parsed.data.team;
    const after = parsed.data.cursor !== undefined ? decodeCursor(parsed.data.cursor) : undefined;
    const page = await listWorkItems(pool, principal.municipality, {
      ...(team ? { team } : {}),
      ...(parsed.data.status ? { status: parsed.data.status } : {}),
      ...(after ? { after } : {}),
      limit: parsed.data.limit,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
  });

  app.get('/v1/work/:item', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const item = await visibleItem(res, String(req.params.item));
    // Contact details only for the team that does the work: a key scoped to the item's team.
    const mayOpen = teamOf(principal) === item.team && item.packetSealed !== null && keyring !== undefined;
    const packet = mayOpen
      ? openJson<WorkItemPacket>(keyring, item.packetSealed!, personalAad(principal.municipality, item.case))
      : null;
    const body: WorkItem = { ...summary(item), packet };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  app.post('/v1/work/:item/claim', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const item = await visibleItem(res, String(req.params.item));
    answerChange(res, await claimWorkItem(pool, principal.municipality, item.id, principal.keyId));
  });

  app.post('/v1/work/:item/release', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const item = await visibleItem(res, String(req.params.item));
    answerChange(res, await releaseWorkItem(pool, principal.municipality, item.id, principal.keyId));
  });

  app.post('/v1/work/:item/outcome', ctx.auth.require('staff'), json, async (req, res) => {
    const principal = principalOf(res);
    const item = await visibleItem(res, String(req.params.item));
    if (!req.is(['application/json', 'application/*+json']))
      throw problems.unsupportedMediaType('Send the outcome as application/json.');
    const parsed = workOutcomeSchema.safeParse(req.body);
    if (!parsed.success) throw problems.validation('The outcome is not valid.', fieldErrors(parsed.error));
    const outcome = parsed.data;
    if (!OUTCOMES_OF_KIND[item.kind].includes(outcome.outcome))
      throw problems.validation('The outcome does not fit this kind of work item.', [
        { path: '/outcome', message: `a ${item.kind} item takes ${OUTCOMES_OF_KIND[item.kind].join(', ')}` },
      ]);
    // The same outcome again is a repeat and changes nothing; anything else on a done item is a conflict. An item
    // the case closed goes to the workflow, which decides.
    if (item.doneAt !== null && !item.closedByCase) {
      if (item.outcome === outcome.outcome) {
        res.status(200).json({ item: summary(item), caseStatus: null });
        return;
      }
      throw problems.conflict(`the work item is done with ${item.outcome ?? 'no outcome'}`);
    }
    if (item.claimedBy !== null && item.claimedBy !== principal.keyId)
      throw problems.conflict('the work item is claimed by someone else');

    const event = caseEventFor(item, outcome);
    const sent = await recordCaseEvent(ctx.caseAccess, {
      municipality: principal.municipality,
      caseId: item.case,
      event,
      actor: { role: principal.role, keyId: principal.keyId },
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: { ...auditDetail(event), workItem: item.id, workKind: item.kind },
    });
    switch (sent.kind) {
      case 'accepted':
        break;
      case 'rejected':
        throw problems.conflict(sent.reason);
      case 'not_found':
        throw problems.notFound(NOT_FOUND);
      case 'unavailable':
        throw problems.unavailable(sent.reason);
    }
    const done = await completeWorkItem(pool, principal.municipality, item.id, principal.keyId, outcome.outcome);
    if (done.kind !== 'changed') throw problems.conflict(done.kind === 'conflict' ? done.reason : NOT_FOUND);
    res.status(200).json({ item: summary(done.item), caseStatus: sent.result.status });
  });
}

function encodeCursor(cursor: WorkCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string): WorkCursor {
  try {
    const { dueAt, id } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<WorkCursor>;
    if (typeof dueAt === 'string' && !Number.isNaN(Date.parse(dueAt)) && typeof id === 'string' && ITEM_ID.test(id))
      return { dueAt, id };
  } catch {
    // fall through to the validation problem
  }
  throw problems.validation('Invalid query parameters.', [
    { path: '/query/cursor', message: 'is not a cursor returned by this API' },
  ]);
}
