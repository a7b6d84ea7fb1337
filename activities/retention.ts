import type { Pool } from 'pg';

export interface PurgeInput {
  /** The workflow's clock, so a time-skipping test purges in simulated time. */
  now: string;
  /** Months after a household's last round closed; per municipality, with a default for the others. */
  retentionMonths: { default: number; byMunicipality: Record<string, number> };
}

export interface RetentionActivities {
  purgeExpiredPersonalData(input: PurgeInput): Promise<{ purgedCases: number }>;
}

/**
 * Deletes the personal data of households whose every round closed longer ago than the retention period: the sealed
 * client records and the personal details of their team tasks. Cases, signals, contact attempts, handovers and
 * audit entries stay: they carry no personal data and are the anonymous statistics (DDAS, reach funnel).
 */
export function createRetentionActivities(deps: { pool: Pool }): RetentionActivities {
  return {
    async purgeExpiredPersonalData({ now, retentionMonths }) {
      const overrides = Object.entries(retentionMonths.byMunicipality);
      const client = await deps.pool.connect();
      try {
        await client.query('BEGIN');
        const expired = await client.query<{ municipality: string; case_id: string }>(
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
          [now, overrides.map(([code]) => code), overrides.map(([, months]) => months), retentionMonths.default],
        );
        const municipalities = expired.rows.map((r) => r.municipality);
        const caseIds = expired.rows.map((r) => r.case_id);
        await client.query(
          `DELETE FROM case_personal p USING unnest($1::text[], $2::text[]) AS e(municipality, case_id)
            WHERE p.municipality = e.municipality AND p.case_id = e.case_id`,
          [municipalities, caseIds],
        );
        await client.query(
          `UPDATE team_tasks t SET details_sealed = NULL FROM unnest($1::text[], $2::text[]) AS e(municipality, case_id)
            WHERE t.municipality = e.municipality AND t.case_id = e.case_id`,
          [municipalities, caseIds],
        );
        await client.query('COMMIT');
        return { purgedCases: caseIds.length };
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
