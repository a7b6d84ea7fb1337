import type { Contactpoging, Eindresultaat, SignaalpartnerType, Signaalstatus } from './ddas';

export type Segment = 'light' | 'standard' | 'priority';
export type MessageChannel = 'sms' | 'whatsapp' | 'email' | 'letter';
export type MessagePurpose = 'invitation' | 'reminder' | 'confirmation' | 'card' | 'other';
export type HandoverTarget = 'wijkteam' | 'sdv' | 'budgetcoach' | 'meldpunt';

export type CaseStatus =
  | 'matching' // collecting signals for the same address inside the matching window
  | 'checking' // BRP and SDV checks
  | 'inviting' // digital invitation sent, waiting for a chosen moment
  | 'calling' // phone round
  | 'scheduled' // waiting for the resident's chosen moment
  | 'visiting' // home visits planned
  | 'reached' // resident reached, waiting for the conversation outcome
  | 'handed_over' // warm handover done; waiting for the wijkteam or SDV to report back
  | 'dormant' // round closed; watching the address for new signals
  | 'ended'; // dormant window over, nothing new

/** What the staff API shows of one signal: no personal data. */
export interface SignalSummary {
  ID: string;
  partnerType: SignaalpartnerType;
  amount: number;
  signaaldatum: string;
  receivedAt: string;
  status: Signaalstatus;
  repeat: boolean; // herhaalde melding: same partner, amount not increased, recorded but not worked
  resolved: boolean;
}

export interface PlannedAction {
  type: 'match' | 'check' | 'message' | 'call' | 'chosen_moment_call' | 'visit' | 'close' | 'dormant_end' | 'wait';
  at: string; // ISO 8601
  detail?: string;
}

export interface Handover {
  to: HandoverTarget;
  at: string;
  reason: string;
  /** When the receiving team's answer is due (`deadlines.handoverOutcomeDays`); rounds before it leave it out. */
  dueAt?: string;
  /** The receiving team's answer: it took the case up, or could not. */
  answer?: { outcome: HandoverAnswer; at: string };
  /** Past its first due instant without an answer. */
  overdue?: boolean;
  /** Reminders sent to the team since; each moves `dueAt` on by another period. */
  reminders?: number;
}

/** How a receiving team answers a handover. */
export const HANDOVER_ANSWERS = ['taken_up', 'not_taken_up'] as const;
export type HandoverAnswer = (typeof HANDOVER_ANSWERS)[number];

export interface RoundSummary {
  round: number;
  caseRef: string;
  segment: Segment | null;
  matchedAt: string;
  closedAt: string | null;
  result: Eindresultaat | null;
  reached: boolean;
  helpDeclined: boolean;
  maxAmount: number;
  signals: { ID: string; partnerType: SignaalpartnerType; amount: number; receivedAt: string }[];
  attempts: Contactpoging[];
  handovers: Handover[];
}

/** The answer of the case workflow's state query, and of GET /v1/cases/{case}. Carries no personal data. */
export interface CaseView {
  case: string; // workflow ID
  caseRef: string; // this round's vroegsignaalzaak reference: `${case}.${round}`
  municipality: string;
  round: number;
  status: CaseStatus;
  segment: Segment | null;
  policy: { name: string; version: number };
  flags: { meervoudig: boolean; opeenvolgend: boolean; crisis: boolean; reopenedWarm: boolean };
  signals: SignalSummary[];
  attempts: Contactpoging[];
  handovers: Handover[];
  chosenMoment: string | null;
  nextAction: PlannedAction | null;
  deadlines: { firstAttemptBy: string | null; closeBy: string | null; breaches: string[] };
  matchedAt: string | null;
  reachedAt: string | null;
  closedAt: string | null;
  result: Eindresultaat | null;
  previousRounds: RoundSummary[];
}
