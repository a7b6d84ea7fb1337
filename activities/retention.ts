import type { Pool } from 'pg';
import { purgeExpiredPersonalData, type RetentionPeriods } from '../db/retention';

export interface PurgeInput {
  /** The workflow's clock, so a time-skipping test purges in simulated time. */
  now: string;
  /** Months after a household's last round closed; per municipality, with a default for the others. */
  retentionMonths: RetentionPeriods;
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
      return { purgedCases: await purgeExpiredPersonalData(deps.pool, now, retentionMonths) };
    },
  };
}
