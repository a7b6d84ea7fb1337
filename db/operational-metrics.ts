import type { Queryable } from './connection';

export interface CaseCount {
  municipality: string;
  status: string;
  segment: string;
  count: number;
}

export interface AttemptCount {
  municipality: string;
  soort: string;
  reached: boolean;
  count: number;
}

export interface BreachCount {
  municipality: string;
  count: number;
}

export interface OperationalCounts {
  cases: CaseCount[];
  attempts: AttemptCount[];
  breaches: BreachCount[];
}

/**
 * What the business metrics show, counted from the read model at scrape time: each household's latest round by
 * status and segment, contact attempts by contactsoort and whether they reached the resident, and deadline breaches.
 * Enumerations and gemeentecodes only: nothing here identifies a household.
 */
export async function operationalCounts(db: Queryable): Promise<OperationalCounts> {
  const [cases, attempts, breaches] = await Promise.all([
    db.query<{ municipality: string; status: string; segment: string | null; count: string }>(
      `SELECT municipality, status, segment, count(*) AS count
         FROM (SELECT DISTINCT ON (municipality, case_id) municipality, status, segment
                 FROM cases ORDER BY municipality, case_id, round DESC) latest
        GROUP BY municipality, status, segment`,
    ),
    db.query<{ municipality: string; soort: string; bereikt: boolean; count: string }>(
      `SELECT c.municipality, a.soort, a.bereikt, count(*) AS count
         FROM contact_attempts a JOIN cases c USING (case_ref)
        GROUP BY c.municipality, a.soort, a.bereikt`,
    ),
    db.query<{ municipality: string; count: string }>(
      `SELECT municipality, coalesce(sum(jsonb_array_length(view->'deadlines'->'breaches')), 0) AS count
         FROM cases WHERE jsonb_typeof(view->'deadlines'->'breaches') = 'array'
        GROUP BY municipality`,
    ),
  ]);
  return {
    cases: cases.rows.map((r) => ({ ...r, segment: r.segment ?? 'none', count: Number(r.count) })),
    attempts: attempts.rows.map((r) => ({
      municipality: r.municipality,
      soort: r.soort,
      reached: r.bereikt,
      count: Number(r.count),
    })),
    breaches: breaches.rows.map((r) => ({ municipality: r.municipality, count: Number(r.count) })),
  };
}
