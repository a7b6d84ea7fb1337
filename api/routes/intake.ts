import express, { type Express, type Request } from 'express';
import { intakeSignals, MAX_SIGNALS_PER_REQUEST } from '../intake';
import { signalsFromCsv } from '../intake-csv';
import { principalOf } from '../auth';
import { fieldErrors, problems, type FieldError } from '../problem';
import { intakeEnvelopeSchema } from '../schemas';
import type { AppContext } from '../context';

/** 10,000 signals of about 1 kB each, with room for long names. */
export const INTAKE_BODY_LIMIT = '32mb';

export function registerIntakeRoutes(app: Express, ctx: AppContext): void {
  const json = express.json({ limit: INTAKE_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  const csv = express.text({ limit: INTAKE_BODY_LIMIT, type: ['text/csv'] });

  app.post('/v1/signals', ctx.auth.require('intake', 'partner'), json, csv, async (req, res) => {
    const { municipality, role, scope } = principalOf(res);
    const { signals, rowErrors } = readBody(req);
    if (signals.length > MAX_SIGNALS_PER_REQUEST) {
      throw problems.tooLarge(
        `A request may carry at most ${MAX_SIGNALS_PER_REQUEST} signals; this one has ${signals.length}. Split the batch.`,
      );
    }
    const stop = ctx.metrics.intakeBatchSeconds.startTimer();
    const results = await intakeSignals(
      {
        pool: ctx.deps.pool,
        cases: ctx.caseAccess.cases,
        caseIdSecret: ctx.caseIdSecret,
        policyFor: ctx.deps.policyFor,
        matchingWindowMs: ctx.deps.config.MATCHING_WINDOW,
        onDeliveryFailure: (error) => req.log?.warn({ err: error }, 'signal-with-start failed'),
        ...(role === 'partner' ? { partner: partnerScope(scope) } : {}),
      },
      municipality,
      signals,
      rowErrors,
    );
    stop();
    for (const r of results) ctx.metrics.intakeSignals.inc({ status: r.status });
    res.status(202).json({ results });
  });
}

/** A partner key always carries its partner (config and the keys table refuse one without). */
export function partnerScope(scope: string | undefined): string {
  if (!scope) throw problems.forbidden('This partner key names no signal partner; ask for a key with a scope.');
  return scope;
}

function readBody(req: Request): { signals: unknown[]; rowErrors: Map<number, FieldError[]> } {
  if (req.is('text/csv')) {
    if (typeof req.body !== 'string') throw problems.malformed('The CSV body is empty.');
    return signalsFromCsv(req.body);
  }
  if (!req.is(['application/json', 'application/*+json'])) {
    throw problems.unsupportedMediaType('Send application/json ({"signals": [...]}) or text/csv (one signal per row).');
  }
  const parsed = intakeEnvelopeSchema.safeParse(req.body);
  if (!parsed.success)
    throw problems.validation(
      'The body must be {"signals": [ ... ]} with at least one signal.',
      fieldErrors(parsed.error),
    );
  return { signals: parsed.data.signals, rowErrors: new Map() };
}
