import type { Express } from 'express';
import { insertAudit } from '../../db/audit';
import { ddasFacts } from '../../db/reports';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { principalOf } from '../auth';
import { buildDdasDelivery } from '../ddas-report';
import { buildDdasDeliveryV12, ddasV12Errors } from '../ddas-v12';
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
        'Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD, and version=1.2 (the default) or version=0.9.',
        fieldErrors(parsed.error, ['query']),
      );
    const { from, to, version } = parsed.data;
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS) {
      throw problems.validation('The period is too long.', [
        { path: '/query/to', message: `must be at most ${MAX_PERIOD_DAYS} days after from` },
      ]);
    }
    const facts = await ddasFacts(ctx.deps.pool, principal.municipality, from, to);
    const municipality = municipalities.get(principal.municipality);
    const common = {
      municipality: principal.municipality,
      from,
      to,
      supplierCode: ctx.deps.config.DDAS_SUPPLIER_CODE,
      rounds: facts.rounds,
      signals: facts.signals,
      keyring: ctx.deps.keyring,
    };
    let delivery: unknown;
    let omittedSignals = 0;
    if (version === '0.9') {
      delivery = buildDdasDelivery({ ...common, municipalityName: municipality.name });
    } else {
      const built = buildDdasDeliveryV12({ ...common, directoryEntry: municipality });
      delivery = built.delivery;
      omittedSignals = built.omittedSignals;
    }
    const invalid = version === '1.2' ? ddasV12Errors(delivery) : [];
    // The delivery holds personal data: it is audited like any other staff read of it, and never cached. A delivery
    // the national schema would refuse is never handed out; the audit and the answer say where it fails.
    const detail = {
      from,
      to,
      version,
      signals: facts.signals.length,
      cases: facts.rounds.length,
      ...(omittedSignals > 0 ? { omittedSignals } : {}),
      ...(invalid.length > 0 ? { invalid: invalid.slice(0, 20) } : {}),
    };
    await insertAudit(ctx.deps.pool, {
      municipality: principal.municipality,
      keyId: principal.keyId,
      role: principal.role,
      caseId: null,
      action: 'report.ddas',
      outcome: invalid.length > 0 ? 'failed' : 'accepted',
      requestId: (res.locals.requestId as string | undefined) ?? null,
      detail,
    });
    if (invalid.length > 0) {
      throw problems.invalidDelivery(
        `The DDAS v${version} delivery for this period does not validate against the national schema and was not delivered.`,
        invalid,
      );
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Disposition', `attachment; filename="ddas-${principal.municipality}-${from}-${to}.json"`);
    if (version === '1.2') res.setHeader('Bereik-Omitted-Signals', String(omittedSignals));
    res.json(delivery);
  });
}
