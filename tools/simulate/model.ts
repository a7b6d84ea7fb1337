import { z } from 'zod';
import { DAGDELEN, type Dagdeel } from '../../domain/ddas';

const share = z.number().min(0).max(1);
const hours = z.number().positive();
const byDagdeel = z.strictObject({ Ochtend: share, Middag: share, Avond: share });

/** The resident model of ../shared/SIMULATION.md, extended with the answer rate at a moment the resident chose. */
export const residentModelSchema = z
  .strictObject({
    answersCall: byDagdeel.extend({ saturday: share }),
    answersAtChosenMoment: share.default(0.8),
    respondsToInvitation: z.strictObject({ share, medianHours: hours }),
    atHomeOnVisit: byDagdeel,
    callsBack: z.strictObject({ share, medianHours: hours }),
    conversation: z.strictObject({ help_accepted: share, quick_fix: share, help_declined: share, already_paid: share }),
    knownAtDebtServices: share,
    moved: share,
    deceased: share,
  })
  .superRefine((model, ctx) => {
    const total = Object.values(model.conversation).reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6)
      ctx.addIssue({
        code: 'custom',
        path: ['conversation'],
        message: `shares must add up to 1, they add up to ${total}`,
      });
    if (model.moved + model.deceased > 1)
      ctx.addIssue({ code: 'custom', path: ['moved'], message: 'moved and deceased together exceed 1' });
  });
export type ResidentModel = z.infer<typeof residentModelSchema>;
export type Conversation = keyof ResidentModel['conversation'];

/**
 * The calibrated default; tools/simulate/README.md gives the sources and how each number was set. Per-attempt answer
 * rates are low (a stranger's number), higher in the evening and on Saturday when people are home from work.
 */
export const DEFAULT_RESIDENT_MODEL: ResidentModel = {
  answersCall: { Ochtend: 0.16, Middag: 0.14, Avond: 0.24, saturday: 0.22 },
  answersAtChosenMoment: 0.85,
  respondsToInvitation: { share: 0.2, medianHours: 20 },
  atHomeOnVisit: { Ochtend: 0.3, Middag: 0.35, Avond: 0.5 },
  callsBack: { share: 0.05, medianHours: 48 },
  conversation: { help_accepted: 0.2, quick_fix: 0.25, help_declined: 0.35, already_paid: 0.2 },
  knownAtDebtServices: 0.07,
  moved: 0.02,
  deceased: 0.005,
};

/**
 * Draws in [0, 1) keyed by what they decide, not by the order they are asked in: resident i answers call k in a
 * given dagdeel under every policy or under none, however the policies order their actions.
 */
export class Draws {
  constructor(private readonly seed: string) {}

  uniform(...key: (string | number)[]): number {
    return hashToUnit(`${this.seed}|${key.join('|')}`);
  }

  /** Log-normal delay with the given median (hours), spread sigma 1: most react soon, a few days later. */
  delayHours(medianHours: number, ...key: (string | number)[]): number {
    const u1 = Math.max(this.uniform(...key, 'u1'), 1e-12);
    const u2 = this.uniform(...key, 'u2');
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return medianHours * Math.exp(normal);
  }
}

/** cyrb53: a fast, well-mixed 53-bit string hash, scaled to [0, 1). */
function hashToUnit(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)) / 2 ** 53;
}

/** The traits a resident has whatever the policy does: drawn once per resident from the seed. */
export interface ResidentTraits {
  residency: 'resident' | 'moved' | 'deceased';
  knownAtDebtServices: boolean;
  conversation: Conversation;
  invitationReplyAfterHours: number | null;
  callsBackAfterHours: number | null;
}

export function traitsOf(model: ResidentModel, draws: Draws, resident: number): ResidentTraits {
  const r = draws.uniform(resident, 'residency');
  const residency = r < model.deceased ? 'deceased' : r < model.deceased + model.moved ? 'moved' : 'resident';
  let c = draws.uniform(resident, 'conversation');
  let conversation: Conversation = 'already_paid';
  for (const [name, p] of Object.entries(model.conversation) as [Conversation, number][]) {
    if (c < p) {
      conversation = name;
      break;
    }
    c -= p;
  }
  const replies = draws.uniform(resident, 'invitation') < model.respondsToInvitation.share;
  const callsBack = draws.uniform(resident, 'callsBack') < model.callsBack.share;
  return {
    residency,
    knownAtDebtServices: draws.uniform(resident, 'sdv') < model.knownAtDebtServices,
    conversation,
    invitationReplyAfterHours: replies
      ? draws.delayHours(model.respondsToInvitation.medianHours, resident, 'invitationDelay')
      : null,
    callsBackAfterHours: callsBack ? draws.delayHours(model.callsBack.medianHours, resident, 'callsBackDelay') : null,
  };
}

export function answersCall(
  model: ResidentModel,
  draws: Draws,
  resident: number,
  attempt: number,
  dagdeel: Dagdeel,
  saturday: boolean,
): boolean {
  const p = saturday ? model.answersCall.saturday : model.answersCall[dagdeel];
  return draws.uniform(resident, 'call', attempt, saturday ? 'saturday' : dagdeel) < p;
}

export function atHomeOnVisit(
  model: ResidentModel,
  draws: Draws,
  resident: number,
  visit: number,
  dagdeel: Dagdeel,
): boolean {
  return draws.uniform(resident, 'visit', visit, dagdeel) < model.atHomeOnVisit[dagdeel];
}

export { DAGDELEN };
