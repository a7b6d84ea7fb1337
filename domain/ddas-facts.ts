// The facts a DDAS delivery is built from, as the database gives them (db/reports.ts) and the builders read them.

export interface DdasRoundRow {
  caseRef: string;
  result: string | null;
  signalIds: string[];
  matchingsdatum: string;
  attempts: { soort: string; bereikt: boolean; datum: string; dagdeel: string }[];
}

export interface DdasSignalRow {
  signalId: string;
  caseId: string;
  crisis: boolean;
  warmeOverdracht: boolean | null;
  amount: number;
  ontstaansdatum: string | null;
  signaaldatum: string;
  /** What the case workflow recorded on the signal. */
  status: string;
  /** The round that took the signal in, when one has been matched (at any time, not only in the period). */
  round: { result: string | null } | null;
  partnerType: string;
  /** Null once the personal data has been purged. */
  clientSealed: string | null;
}
