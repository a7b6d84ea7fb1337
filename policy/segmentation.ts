import type { MessageChannel, Segment } from '../domain/case';
import type { SignaalpartnerType } from '../domain/ddas';
import type { ContactFacts, ContactPolicy, SegmentFacts, SegmentPlan } from './types';

/**
 * priority: a signal from a priority partner type, a crisis signal (when crisisIsPriority), or a case total above
 * priorityAboveAmount. The total is the SUM of the signals' amounts: the household's arrears together are what
 * makes it urgent, and several mid-size arrears at one address weigh as much as one large one.
 * light: exactly one signal, not meervoudig or opeenvolgend, below lightBelowAmount, no crisis and no
 * never-light partner type. Everything else is standard. A case without signals is standard.
 */
export function segmentFor(policy: ContactPolicy, facts: SegmentFacts): Segment {
  const rules = policy.segmentation;
  const total = facts.signals.reduce((sum, signal) => sum + signal.amount, 0);
  const crisis = facts.signals.some((signal) => signal.crisis);
  const fromPartnerIn = (types: readonly string[]) =>
    facts.signals.some((signal) => types.includes(signal.partnerType));

  if (fromPartnerIn(rules.priorityPartnerTypes) || total > rules.priorityAboveAmount) return 'priority';
  if (crisis && rules.crisisIsPriority) return 'priority';

  const single = facts.signals.length === 1 && !facts.meervoudig && !facts.opeenvolgend;
  if (single && total < rules.lightBelowAmount && !crisis && !fromPartnerIn(rules.neverLightPartnerTypes)) {
    return 'light';
  }
  return 'standard';
}

/** The segment's plan, exactly as the preset says it. */
export function planFor(policy: ContactPolicy, segment: Segment): SegmentPlan {
  return policy.segments[segment];
}

/**
 * Channels for the invitation: the policy's mobile channel (SMS or WhatsApp) when a mobile number is known, e-mail
 * when an address is known (both when both are: each carries the same personal link), the fallback (a letter) when
 * neither is, and a letter besides when the plan has alwaysLetter. A plan without invitation gets only that
 * letter, or nothing; the wijkteam's route sends no messages. A landline carries no messages.
 */
export function invitationChannels(policy: ContactPolicy, segment: Segment, contact: ContactFacts): MessageChannel[] {
  const plan = planFor(policy, segment);
  if (plan.wijkteamHandover) return [];
  const channels: MessageChannel[] = [];
  if (plan.invite) {
    if (contact.mobile) channels.push(policy.invitationChannels.mobile);
    if (contact.email) channels.push(policy.invitationChannels.email);
    if (channels.length === 0) channels.push(policy.invitationChannels.fallback);
  }
  if (plan.alwaysLetter) channels.push('letter');
  return [...new Set(channels)];
}

/** Why a case went to the priority route, as the wijkteam reads it in the handover. */
export function priorityReason(
  policy: ContactPolicy,
  facts: { crisis: boolean; partnerTypes: SignaalpartnerType[] },
): string {
  if (facts.crisis) return 'crisis signal';
  if (facts.partnerTypes.some((t) => policy.segmentation.priorityPartnerTypes.includes(t))) return 'rent arrears';
  return 'high arrears';
}
