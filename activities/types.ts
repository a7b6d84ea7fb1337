import type { Contactpoging, Dagdeel, Eindresultaat } from '../domain/ddas';
import type { CaseView, HandoverTarget, MessageChannel, MessagePurpose, Segment } from '../domain/case';
import type { Client } from '../domain/signal';

/** Identifies one round of one case in every activity call; carries no personal data. */
export interface CaseRef {
  caseId: string; // workflow ID
  caseRef: string; // `${caseId}.${round}`
  municipality: string;
  round: number;
}

export type Residency = 'resident' | 'moved' | 'deceased';

export interface SendMessageInput extends CaseRef {
  /** Stable per message, so a retried activity never sends twice. */
  messageKey: string;
  channel: MessageChannel;
  purpose: MessagePurpose;
  segment: Segment;
  repeat: boolean;
  client: Client;
  /** Personal link for choosing a contact moment (invitation and reminder). */
  link?: string;
  /** The chosen moment, for a confirmation. */
  moment?: string;
  /** Simulated or real instant of sending, from the workflow clock. */
  at: string;
}
export interface SendMessageResult {
  /** Provider reference (Twilio SID, SMTP message ID, print file) for status callbacks. */
  providerRef: string | null;
  /** False when the channel cannot carry it (landline for SMS, no address): the workflow picks another channel. */
  sent: boolean;
  reason?: string;
}

export interface PlaceCallInput extends CaseRef {
  callKey: string;
  attempt: number; // 1-based within the round; chosen-moment calls count too
  kind: 'round' | 'chosen_moment' | 'wijkteam';
  telefoon: string;
  at: string;
}
export interface PlaceCallResult {
  providerRef: string | null;
}

export interface VisitTaskInput extends CaseRef {
  visitKey: string;
  visit: number;
  plannedAt: string;
  team: 'wijkteam' | 'visit';
  client: Client;
  /** When the visit's outcome is due (the policy's outcome window); older runs leave it out. */
  dueAt?: string;
  dagdeel?: Dagdeel;
}

export interface HandoverInput extends CaseRef {
  handoverKey: string;
  to: HandoverTarget;
  reason: string;
  at: string;
  /** Warm handover: what the next worker needs. */
  bestTimeToCall?: string;
  description?: string;
  history: Contactpoging[];
  client: Client;
  /** When the receiving team's outcome is due (`deadlines.handoverOutcomeDays`); older runs leave it out. */
  dueAt?: string;
}

/** The conversation staff record once the resident is reached, on the list of the team that reached them. */
export interface ConversationTaskInput extends CaseRef {
  conversationKey: string;
  team: 'callcentre' | 'visits' | 'wijkteam';
  at: string;
  /** Until when the case waits for the outcome (`deadlines.conversationOutcomeDays`, at least the close deadline). */
  dueAt: string;
  history: Contactpoging[];
  client: Client;
}

/** A work item by the idempotency key the case gave it. */
export interface WorkItemKeyInput extends CaseRef {
  key: string;
}

export interface CaseRecord {
  view: CaseView;
  /** Personal data for the read model; stored encrypted or separated by the persistence layer. */
  clients: { signalID: string; client: Client }[];
  /**
   * Counts the round's writes, in the order the workflow made them: of two writes that raced, the read model keeps
   * the later one. Absent in runs recorded before it.
   */
  revision?: number;
}

export interface CaseClosedInput extends CaseRef {
  result: Eindresultaat;
  at: string;
}

/**
 * Everything the case workflow asks of the outside world. Implementations come from `createActivities(deps)`;
 * the scenario runner and workflow tests substitute recorders with the same shape.
 */
export interface CaseActivities {
  /** BRP: does the resident still live in the municipality? */
  checkResidency(input: CaseRef & { client: Client }): Promise<Residency>;
  /** Is the resident already known at schulddienstverlening or in a trajectory? */
  lookupDebtServices(input: CaseRef & { client: Client }): Promise<{ known: boolean; trajectory: boolean }>;
  /** Find a phone number when the partner gave none. */
  enrichPhone(input: CaseRef & { client: Client }): Promise<{ telefoon: string | null }>;
  /** Is this number a mobile that can receive SMS? */
  lookupLineType(input: CaseRef & { telefoon: string }): Promise<{ mobile: boolean }>;
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
  /** Start an outbound call; its outcome arrives later as a `call_outcome` event. */
  placeCall(input: PlaceCallInput): Promise<PlaceCallResult>;
  /** Put a home visit on the visit team's list; its outcome arrives later as a `visit_outcome` event. */
  createVisitTask(input: VisitTaskInput): Promise<void>;
  warmHandover(input: HandoverInput): Promise<void>;
  /** Put the conversation to record on the list of the team that reached the resident. */
  createConversationTask(input: ConversationTaskInput): Promise<void>;
  /**
   * Close an open work item the case no longer waits for: its time lapsed, or it is not needed any more (the
   * resident was reached otherwise, outreach stopped, its answer came by another way). A done item stays as it is.
   */
  closeWorkItem(input: WorkItemKeyInput & { reason: 'lapsed' | 'not_needed' }): Promise<void>;
  /** Remind the team of an overdue work item that is still open; the `reminder`th reminder is sent once. */
  remindTeam(input: WorkItemKeyInput & { reminder: number }): Promise<void>;
  /** Upsert the read model (case, signals, attempts, handovers) from the workflow's state. Idempotent. */
  persistCase(record: CaseRecord): Promise<void>;
  /** Signed, expiring link that lets the resident choose a contact moment for this round. */
  residentLink(input: CaseRef & { expiresAt: string }): Promise<string>;
}
