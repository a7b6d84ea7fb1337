import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { caseIdFor } from '../../common/case-id';
import type { CaseActivities } from '../../activities/types';
import type { CaseView } from '../../domain/case';
import type { CaseEvent } from '../../domain/events';
import { DateTime } from 'luxon';
import { chosenMomentSlots, dagdeelAt, type ContactPolicy, type PolicyChange } from '../../policy';
import { caseWorkflowClient, caseWorkflowInput } from '../../workflows/case/client';
import { answersCall, atHomeOnVisit, traitsOf, type Draws, type ResidentModel, type ResidentTraits } from './model';
import { SYNTHETIC_MIX } from './signals';
import type { SimulationActivities } from './simulation-workflow';

export type WorkKind = 'call' | 'visit' | 'handover' | 'message';

/** What one policy's run did: every piece of work with its instant, and the latest view of every case round. */
export class RunRecord {
  readonly work: { kind: WorkKind; ms: number; caseRef: string }[] = [];
  readonly views = new Map<string, CaseView>();
  readonly caseIds = new Set<string>();
  /** Resident events the case refused (e.g. a reply after the round closed): part of the behaviour, not an error. */
  rejectedEvents = 0;
  /** Wall-clock instant of the last thing that happened, for the stall watchdog. */
  lastProgress = Date.now();

  add(kind: WorkKind, at: string | number, caseRef: string): void {
    this.work.push({ kind, ms: typeof at === 'number' ? at : Date.parse(at), caseRef });
    this.lastProgress = Date.now();
  }

  observe(view: CaseView): void {
    this.views.set(view.caseRef, view);
    this.lastProgress = Date.now();
  }

  /** Cases whose latest round is neither closed-and-dormant nor ended (or that never reported a view). */
  unsettled(): string[] {
    const latest = new Map<string, CaseView>();
    for (const view of this.views.values()) {
      const before = latest.get(view.case);
      if (!before || view.round > before.round) latest.set(view.case, view);
    }
    return [...this.caseIds].filter((id) => {
      const view = latest.get(id);
      return !view || (view.status !== 'dormant' && view.status !== 'ended');
    });
  }
}

export interface PolicyRunContext {
  client: Client;
  taskQueue: string;
  label: string;
  policy: ContactPolicy;
  policyChanges: PolicyChange[];
  model: ResidentModel;
  draws: Draws;
  record: RunRecord;
}

/**
 * Channel and registry activities replaced by recorders driven by the seeded resident model, answering through the
 * same updates the webhooks and staff use (as the scenario runner's recorders do), plus the driver's deliveries.
 */
export function createSimulationActivities(ctx: PolicyRunContext): CaseActivities & SimulationActivities {
  const { client, model, draws, record, policy } = ctx;
  const cases = caseWorkflowClient(client, { taskQueue: ctx.taskQueue });
  const caseIdSecret = createHash('sha256').update(`bereik-simulation|${ctx.label}`).digest('hex');
  const residentOfCase = new Map<string, number>();
  const traits = new Map<number, ResidentTraits>();
  const reacted = new Set<string>();

  const residentOf = (caseId: string): number => {
    const resident = residentOfCase.get(caseId);
    if (resident === undefined) throw new Error(`no resident for case ${caseId}`);
    return resident;
  };
  const traitsFor = (caseId: string): ResidentTraits => {
    const resident = residentOf(caseId);
    let t = traits.get(resident);
    if (!t) traits.set(resident, (t = traitsOf(model, draws, resident)));
    return t;
  };
  const tell = async (caseId: string, event: CaseEvent) => {
    const outcome = await cases.applyEvent(caseId, event);
    if (outcome.kind === 'unavailable') throw outcome.error;
    if (outcome.kind !== 'accepted') record.rejectedEvents++;
    return outcome.kind === 'accepted';
  };
  const converse = (caseId: string) => tell(caseId, { type: traitsFor(caseId).conversation });
  /** A later reaction, once per case round and kind, as a workflow that sleeps in simulated time. */
  const react = async (key: string, caseId: string, at: number, events: CaseEvent[]) => {
    if (reacted.has(key)) return;
    reacted.add(key);
    await client.workflow.start('residentReaction', {
      taskQueue: ctx.taskQueue,
      workflowId: `resident-${key}`,
      args: [{ at, caseId, events }],
    });
  };
  const callsBackAfterMissed = async (caseId: string, caseRef: string, ms: number) => {
    const after = traitsFor(caseId).callsBackAfterHours;
    if (after === null) return;
    await react(`${caseRef}-callback`, caseId, ms + Math.round(after * 3_600_000) + 3_001, [
      { type: 'resident_contact', channel: 'phone' },
      { type: traitsFor(caseId).conversation },
    ]);
  };

  return {
    async deliverSignal(incoming, resident) {
      const caseId = caseIdFor(caseIdSecret, incoming.municipality, incoming.signal.client);
      if (!residentOfCase.has(caseId)) residentOfCase.set(caseId, resident);
      record.caseIds.add(caseId);
      const delivered = await cases.deliverSignal(
        caseId,
        incoming,
        caseWorkflowInput({
          municipality: incoming.municipality,
          policy: { name: policy.name, version: policy.version },
          policyChanges: ctx.policyChanges,
        }),
      );
      if (delivered.kind === 'unavailable') throw delivered.error;
      record.lastProgress = Date.now();
    },
    async deliverResidentEvent({ caseId, events }) {
      for (const event of events) if (!(await tell(caseId, event))) break;
    },
    async unsettledCases() {
      return record.unsettled().length;
    },

    async checkResidency({ caseId }) {
      return traitsFor(caseId).residency;
    },
    async lookupDebtServices({ caseId }) {
      return { known: traitsFor(caseId).knownAtDebtServices, trajectory: false };
    },
    async enrichPhone({ caseId }) {
      const resident = residentOf(caseId);
      const found = draws.uniform(resident, 'enrichPhone') < SYNTHETIC_MIX.phoneFoundByEnrichment;
      return { telefoon: found ? `+3162${String(resident).padStart(7, '0')}` : null };
    },
    async lookupLineType({ telefoon }) {
      return { mobile: /^\+316/.test(telefoon) };
    },
    async sendMessage(input) {
      record.add('message', input.at, input.caseRef);
      const after = traitsFor(input.caseId).invitationReplyAfterHours;
      if (input.purpose === 'invitation' && after !== null) {
        const replyAt = Date.parse(input.at) + Math.round(after * 3_600_000) + 2_003;
        const slots = chosenMomentSlots(policy, replyAt);
        if (slots.length > 0) {
          const pick = Math.floor(draws.uniform(residentOf(input.caseId), 'moment') * Math.min(slots.length, 12));
          const moment = DateTime.fromMillis(slots[pick], { zone: policy.timeZone }).toISO() as string;
          await react(`${input.caseRef}-invitation`, input.caseId, replyAt, [
            { type: 'contact_moment_chosen', moment },
          ]);
        }
      }
      return { sent: true, providerRef: input.messageKey };
    },
    async placeCall(input) {
      const ms = Date.parse(input.at);
      record.add('call', ms, input.caseRef);
      const resident = residentOf(input.caseId);
      const answered =
        input.kind === 'chosen_moment'
          ? draws.uniform(resident, 'chosenMomentCall', input.attempt) < model.answersAtChosenMoment
          : answersCall(
              model,
              draws,
              resident,
              input.attempt,
              dagdeelAt(policy, ms),
              DateTime.fromMillis(ms, { zone: policy.timeZone }).weekday === 6,
            );
      const applied = await tell(input.caseId, {
        type: 'call_outcome',
        attempt: input.attempt,
        outcome: answered ? 'answered' : 'no-answer',
      });
      if (applied && answered) await converse(input.caseId);
      else if (!answered) await callsBackAfterMissed(input.caseId, input.caseRef, ms);
      return { providerRef: input.callKey };
    },
    async createVisitTask(input) {
      const ms = Date.parse(input.plannedAt);
      record.add('visit', ms, input.caseRef);
      const atHome = atHomeOnVisit(model, draws, residentOf(input.caseId), input.visit, dagdeelAt(policy, ms));
      const applied = await tell(input.caseId, { type: 'visit_outcome', visit: input.visit, atHome });
      if (applied && atHome) await converse(input.caseId);
      else if (!atHome) await callsBackAfterMissed(input.caseId, input.caseRef, ms);
    },
    async warmHandover(input) {
      record.add('handover', input.at, input.caseRef);
      // The receiving team takes it up the next day: the simulator models residents, not late teams.
      await react(`${input.handoverKey}-answer`, input.caseId, Date.parse(input.at) + 86_400_000, [
        { type: 'handover_answered', to: input.to, outcome: 'taken_up' },
      ]);
    },
    // The people's side of work items: a conversation is told by the resident model, reminders have no effect here.
    async createConversationTask() {},
    async closeWorkItem() {},
    async remindTeam() {},
    async persistCase({ view }) {
      record.observe(view);
    },
    async residentLink(input) {
      return `https://bereik.example/r/simulation-${input.caseRef}`;
    },
  };
}
