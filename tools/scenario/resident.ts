import type { Client } from '@temporalio/client';
import type { CaseActivities } from '../../activities/types';
import type { CaseEvent } from '../../domain/events';
import { applyEvent } from '../../workflows/case/messages';
import type { ResidentScript, TeamScript } from './schema';
import type { Timeline } from './timeline';

/**
 * Channel and registry activities replaced by recorders that follow the resident's script: they write the timeline
 * and answer as the resident would, through the same update the webhooks and staff use.
 */
export function createResidentActivities(opts: {
  client: Client;
  taskQueue: string;
  resident: ResidentScript;
  /** The receiving teams: they answer each handover some days after it, unless silent. */
  teams?: TeamScript;
  timeline: Timeline;
  /** Calls and visits are recorded (answered and atHome null), but their outcome never comes back. */
  silent?: boolean;
}): CaseActivities {
  const { client, resident, timeline } = opts;
  const sent = new Set<string>();
  const invited = new Set<string>();
  const answering = new Set<string>();

  // Each answer is told once: an activity retried after its answer went through (a timeout on a busy machine) must
  // not tell it again, which the case would refuse.
  const told = new Set<string>();
  const tellOnce = async (key: string, caseId: string, event: CaseEvent) => {
    if (told.has(key)) return;
    await client.workflow.getHandle(caseId).executeUpdate(applyEvent, { args: [event] });
    told.add(key);
  };
  const recorded = new Set<string>();
  const recordOnce = (key: string, record: () => void) => {
    if (!recorded.has(key)) record();
    recorded.add(key);
  };
  const reached = async (caseRef: string, caseId: string) => {
    if (resident.conversation) await tellOnce(`${caseRef}:conversation`, caseId, { type: resident.conversation });
  };

  return {
    async checkResidency() {
      return resident.residency;
    },
    async lookupDebtServices() {
      return { known: resident.knownAtDebtServices, trajectory: false };
    },
    async enrichPhone() {
      return { telefoon: null };
    },
    async lookupLineType({ telefoon }) {
      return { mobile: /^\+316/.test(telefoon) };
    },
    async sendMessage(input) {
      if (sent.has(input.messageKey)) return { sent: true, providerRef: input.messageKey };
      sent.add(input.messageKey);
      timeline.add(input.caseRef, input.at, 'message', { channel: input.channel, purpose: input.purpose });
      const respond = resident.respondsToInvitation;
      if (input.purpose === 'invitation' && respond && !invited.has(input.caseRef)) {
        invited.add(input.caseRef);
        await client.workflow.start('residentReaction', {
          taskQueue: opts.taskQueue,
          workflowId: `resident-${input.caseRef}`,
          args: [
            {
              at: Date.parse(input.at) + respond.afterHours * 3_600_000,
              caseId: input.caseId,
              event: { type: 'contact_moment_chosen', moment: respond.chooses },
            },
          ],
        });
      }
      return { sent: true, providerRef: input.messageKey };
    },
    async placeCall(input) {
      const answered = opts.silent ? null : resident.answersCalls.includes(input.attempt);
      recordOnce(input.callKey, () =>
        timeline.add(input.caseRef, input.at, 'call', {
          attempt: input.attempt,
          answered,
          ...(input.kind !== 'round' ? { kind: input.kind } : {}),
        }),
      );
      if (answered === null) return { providerRef: input.callKey };
      await tellOnce(input.callKey, input.caseId, {
        type: 'call_outcome',
        attempt: input.attempt,
        outcome: answered ? 'answered' : 'no-answer',
      });
      if (answered) await reached(input.caseRef, input.caseId);
      return { providerRef: input.callKey };
    },
    async createVisitTask(input) {
      const atHome = opts.silent ? null : resident.atHomeOnVisits.includes(input.visit);
      recordOnce(input.visitKey, () => {
        timeline.add(input.caseRef, input.plannedAt, 'visit', {
          attempt: input.visit,
          atHome,
          ...(input.team === 'wijkteam' ? { team: 'wijkteam' } : {}),
        });
        if (atHome === false) timeline.add(input.caseRef, input.plannedAt, 'card');
      });
      if (atHome === null) return;
      await tellOnce(input.visitKey, input.caseId, { type: 'visit_outcome', visit: input.visit, atHome });
      if (atHome) await reached(input.caseRef, input.caseId);
    },
    async warmHandover(input) {
      timeline.add(input.caseRef, input.at, 'handover', { to: input.to, ...(input.dueAt ? { due: input.dueAt } : {}) });
      const afterDays = opts.teams?.answersHandoversAfterDays ?? null;
      if (opts.silent || afterDays === null || answering.has(input.handoverKey)) return;
      answering.add(input.handoverKey);
      await client.workflow.start('residentReaction', {
        taskQueue: opts.taskQueue,
        workflowId: `team-${input.handoverKey}`,
        args: [
          {
            at: Date.parse(input.at) + afterDays * 86_400_000,
            caseId: input.caseId,
            event: { type: 'handover_answered', to: input.to, outcome: 'taken_up' },
          },
        ],
      });
    },
    // The people's side of work items: a conversation is told by the resident model, reminders have no effect here.
    async createConversationTask() {},
    async closeWorkItem() {},
    async remindTeam() {},
    async persistCase(record) {
      timeline.observe(record.view);
    },
    async residentLink(input) {
      // The link's end is policy (deadlines.linkValidDaysAfterClose): the timeline shows it once per instant.
      recordOnce(`link ${input.caseRef} ${input.expiresAt}`, () =>
        timeline.add(input.caseRef, input.expiresAt, 'link_expires'),
      );
      return `https://bereik.example/r/scenario-${input.caseRef}`;
    },
  };
}
