import type { Pool } from 'pg';
import { inTransaction, type Queryable } from './connection';
import { detachFunnelStats } from './funnel';

export interface RetentionPeriods {
  /** Months after a household's last round closed; per municipality, with a default for the others. */
  default: number;
  byMunicipality: Record<string, number>;
}

export interface CaseKey {
  municipality: string;
  caseId: string;
}

/** Households whose every round closed longer ago than their municipality's retention period, with personal data left. */
async function casesPastRetention(db: Queryable, now: string, periods: RetentionPeriods): Promise<CaseKey[]> {
  const overrides = Object.entries(periods.byMunicipality);
  const expired = await db.query<{ municipality: string; case_id: string }>(
    `WITH retention AS (
       SELECT m.code, m.months FROM unnest($2::text[], $3::int[]) AS m(code, months)
     )
     SELECT c.municipality, c.case_id
       FROM cases c
       LEFT JOIN retention r ON r.code = c.municipality
      GROUP BY c.municipality, c.case_id, r.months
     HAVING bool_and(c.closed_at IS NOT NULL)
        AND max(c.closed_at) < $1::timestamptz - make_interval(months => coalesce(r.months, $4::int))
        AND EXISTS (SELECT 1 FROM case_personal p WHERE p.municipality = c.municipality AND p.case_id = c.case_id)`,
    [now, overrides.map(([code]) => code), overrides.map(([, months]) => months), periods.default],
  );
  return expired.rows.map((r) => ({ municipality: r.municipality, caseId: r.case_id }));
}

/**
 * Deletes these households' personal data: the sealed client records and the personal details of their team tasks.
 * Cases, signals, contact attempts, handovers, audit entries and the funnel statistics stay; the funnel rows lose the
 * key that tied them to the household.
 * Returns the number of sealed client records deleted.
 */
export async function purgePersonalData(db: Queryable, cases: readonly CaseKey[]): Promise<number> {
  if (cases.length === 0) return 0;
  const municipalities = cases.map((c) => c.municipality);
  const caseIds = cases.map((c) => c.caseId);
  const deleted = await db.query(
    `DELETE FROM case_personal p USING unnest($1::text[], $2::text[]) AS e(municipality, case_id)
      WHERE p.municipality = e.municipality AND p.case_id = e.case_id`,
    [municipalities, caseIds],
  );
  await db.query(
    `UPDATE team_tasks t SET details_sealed = NULL FROM unnest($1::text[], $2::text[]) AS e(municipality, case_id)
      WHERE t.municipality = e.municipality AND t.case_id = e.case_id`,
    [municipalities, caseIds],
  );
  await detachFunnelStats(db, cases);
  return deleted.rowCount ?? 0;
}

/** Finds and purges the households past retention in one transaction; returns how many households were purged. */
export async function purgeExpiredPersonalData(pool: Pool, now: string, periods: RetentionPeriods): Promise<number> {
  return inTransaction(pool, async (client) => {
    const expired = await casesPastRetention(client, now, periods);
    await purgePersonalData(client, expired);
    return expired.length;
  });
}
