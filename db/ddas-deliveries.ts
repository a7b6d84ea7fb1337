import type { Queryable } from './connection';

export interface DdasDeliveryRecord {
  municipality: string;
  from: string;
  to: string;
  fileName: string;
  sha256: string;
  signals: number;
  cases: number;
  omittedSignals: number;
}

/** Records a delivery written to the outbox; a repeated run for the same period replaces the record with its file. */
export async function recordDdasDelivery(db: Queryable, record: DdasDeliveryRecord): Promise<void> {
  await db.query(
    `INSERT INTO ddas_deliveries (municipality, period_from, period_to, file_name, sha256, signals, cases, omitted_signals)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (municipality, period_from, period_to) DO UPDATE SET
       file_name = EXCLUDED.file_name, sha256 = EXCLUDED.sha256, signals = EXCLUDED.signals, cases = EXCLUDED.cases,
       omitted_signals = EXCLUDED.omitted_signals, delivered_at = now()`,
    [
      record.municipality,
      record.from,
      record.to,
      record.fileName,
      record.sha256,
      record.signals,
      record.cases,
      record.omittedSignals,
    ],
  );
}

export async function ddasDeliveriesOf(
  db: Queryable,
  municipality: string,
): Promise<(DdasDeliveryRecord & { deliveredAt: string })[]> {
  const rows = await db.query<{
    municipality: string;
    period_from: string;
    period_to: string;
    file_name: string;
    sha256: string;
    signals: number;
    cases: number;
    omitted_signals: number;
    delivered_at: Date;
  }>(
    `SELECT municipality, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
            file_name, sha256, signals, cases, omitted_signals, delivered_at
       FROM ddas_deliveries WHERE municipality = $1 ORDER BY period_from`,
    [municipality],
  );
  return rows.rows.map((r) => ({
    municipality: r.municipality,
    from: r.period_from,
    to: r.period_to,
    fileName: r.file_name,
    sha256: r.sha256,
    signals: r.signals,
    cases: r.cases,
    omittedSignals: r.omitted_signals,
    deliveredAt: r.delivered_at.toISOString(),
  }));
}
