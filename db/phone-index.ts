import type { Queryable } from './connection';

/**
 * Cases with an open round (not dormant or ended) whose residents gave this phone number, most recently active
 * first; optionally only in one municipality.
 */
export async function openCasesByPhoneIndex(
  db: Queryable,
  phoneIndex: string,
  municipality?: string,
): Promise<string[]> {
  const result = await db.query<{ case_id: string }>(
    `SELECT latest.case_id FROM (
       SELECT DISTINCT ON (c.case_id) c.case_id, c.status, c.updated_at
         FROM cases c
        WHERE c.case_id IN (SELECT p.case_id FROM case_personal p WHERE p.phone_index = $1 AND ($2::text IS NULL OR p.municipality = $2))
        ORDER BY c.case_id, c.round DESC
     ) latest
     WHERE latest.status NOT IN ('dormant', 'ended')
     ORDER BY latest.updated_at DESC`,
    [phoneIndex, municipality ?? null],
  );
  return result.rows.map((r) => r.case_id);
}
