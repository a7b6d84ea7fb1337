import type { Express } from 'express';
import { insertAudit } from '../../db/audit';
import { ddasFacts } from '../../db/reports';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { principalOf } from '../auth';
import { buildDdasDelivery } from '../ddas-report';
import { fieldErrors, problems } from '../problem';
import { ddasQuerySchema } from '../schemas';
import type { AppContext } from '../context';

const MAX_PERIOD_DAYS = 366;

export function registerReportRoutes(app: Express, ctx: AppContext): void {
  const municipalities = createMunicipalityDirectory(ctx.deps.config.MUNICIPALITIES);
  app.get('/v1/reports/ddas', ctx.auth.require('staff'), async (req, res) => {
    const principal = principalOf(res);
    const parsed = ddasQuerySchema.safeParse(req.query);
    if (!parsed.success)
      throw problems.validation(
        'Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD.',
        fieldErrors(parsed.error, ['query']),
      );
    const { from, to } = parsed.data;
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS) {
      throw problems.validation('The period is too long.', [
        { path: '/query/to', message: `must be at most ${MAX_PERIOD_DAYS} days after from` },
      ]);
    }
    const facts = await ddasFacts(ctx.deps.pool, principal.municipality, from, to);
    const delivery = buildDdasDelivery({
      municipality: principal.municipality,
      municipalityName: municipalities.get(principal.municipality).name,
      from,
      to,
      supplierCode: ctx.deps.config.DDAS_SUPPLIER_CODE,
      rounds: facts.rounds,
      signals: facts.signals,
      keyring: ctx.deps.keyring,
    });
    // The delivery holds personal data: it is audited like any other staff read of it, and never cached.
    await insertAudit(ctx.deps.pool, {
      municipality: principal.municipality,
      keyId: principal.keyId,
      role: principal.role,
      caseId: null,
      action: 'report.ddas',
      outcome: 'accepted',
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail: { from, to, signals: facts.signals.length, cases: facts.rounds.length },
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="ddas-${principal.municipality}-${from}-${to}.json"`);
    res.json(delivery);
  });
}
