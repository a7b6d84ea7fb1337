import { DateTime } from 'luxon';
import { DAGDELEN } from '../domain/ddas';
import { parseLocalTime } from './calendar';
import { evaluateHolidays } from './holidays';
import { coevordenPolicy } from './presets/coevorden';
import { defaultPolicy } from './presets/default';
import { drillPolicy } from './presets/drill';
import { haarlemPolicy } from './presets/haarlem';
import { zoetermeerPolicy } from './presets/zoetermeer';
import type { Segment } from '../domain/case';
import type { ContactPolicy, TimeRange } from './types';

export type {
  ContactFacts,
  ContactPolicy,
  HolidayRule,
  LadderSegmentPlan,
  LocalTime,
  SegmentFacts,
  SegmentPlan,
  TimeRange,
  WijkteamPlan,
  WijkteamSegmentPlan,
} from './types';
export type { Holiday } from './holidays';
export { ALGEMENE_TERMIJNENWET_HOLIDAYS, evaluateHolidays } from './holidays';
export {
  addMonths,
  addWorkingDays,
  dagdeelAt,
  holidaysIn,
  isHoliday,
  isInCallWindow,
  isWorkingDay,
  localDate,
  nextMessageMoment,
} from './calendar';
export {
  chosenMomentSlots,
  closeDeadline,
  firstAttemptDeadline,
  isAllowedChosenMoment,
  nextCallSlot,
  visitSlots,
} from './call-slots';
export { invitationChannels, planFor, priorityReason, segmentFor } from './segmentation';
export { isRepeatSignal, type EarlierSignal } from './matching';
export { withChanges, type PolicyChange } from './changes';
export { CALL_WAKE_SPREAD_MS, jitteredCallSlot } from './wake-jitter';

/**
 * Every version of every preset, oldest first. A case stores { name, version } at its start and keeps that policy
 * for its whole life, so a behaviour change never touches running cases. To change a preset:
 *   1. copy presets/<name>.ts to presets/<name>-v<old version>.ts (rename the export), leave it untouched;
 *   2. change presets/<name>.ts and bump its `version`;
 *   3. add the new object at the end of its list here, after the old one.
 * Never edit or remove a registered version while cases may still run on it.
 */
const REGISTRY: Record<string, ContactPolicy[]> = {
  default: [defaultPolicy],
  haarlem: [haarlemPolicy],
  zoetermeer: [zoetermeerPolicy],
  coevorden: [coevordenPolicy],
  drill: [drillPolicy],
};

/** Structural problems of a policy, as readable sentences; empty when the policy is usable. */
export function policyProblems(policy: ContactPolicy): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const isCount = (n: number, min: number) => Number.isInteger(n) && n >= min;
  const checkRange = (label: string, range: TimeRange) => {
    try {
      check(parseLocalTime(range.from) < parseLocalTime(range.to), `${label} must start before it ends`);
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    }
  };

  check(policy.name.length > 0, 'name is empty');
  check(isCount(policy.version, 1), 'version must be a whole number >= 1');
  check(DateTime.fromMillis(0, { zone: policy.timeZone }).isValid, `unknown time zone ${policy.timeZone}`);
  check(isCount(policy.matching.windowMinutes, 1), 'matching.windowMinutes must be >= 1');
  check(
    policy.segmentation.lightBelowAmount <= policy.segmentation.priorityAboveAmount,
    'segmentation.lightBelowAmount must not exceed priorityAboveAmount',
  );
  for (const type of policy.segmentation.neverLightPartnerTypes) {
    check(
      !policy.segmentation.priorityPartnerTypes.includes(type),
      `segmentation.neverLightPartnerTypes: ${type} is ignored, it is one of priorityPartnerTypes`,
    );
  }
  for (const [weekday, range] of Object.entries(policy.callWindows)) {
    check(['1', '2', '3', '4', '5', '6', '7'].includes(weekday), `callWindows has no weekday ${weekday}`);
    if (range) checkRange(`callWindows[${weekday}]`, range);
  }
  check(Object.keys(policy.callWindows).length > 0, 'callWindows is empty');
  checkRange('messageWindow', policy.messageWindow);
  checkRange('visitWindow', policy.visitWindow);
  check(
    policy.visitDays.length > 0 &&
      policy.visitDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7) &&
      new Set(policy.visitDays).size === policy.visitDays.length,
    'visitDays must list distinct ISO weekdays 1..7, at least one',
  );
  try {
    evaluateHolidays(policy.holidays, 2030);
  } catch (error) {
    problems.push(`holidays: ${(error as Error).message}`);
  }
  const round = policy.phoneRound;
  check(isCount(round.maxAttempts, 0), 'phoneRound.maxAttempts must be a whole number >= 0');
  check(isCount(round.maxPerDay, 1), 'phoneRound.maxPerDay must be >= 1');
  check(isCount(round.minGapMinutes, 0), 'phoneRound.minGapMinutes must be a whole number >= 0');
  check(round.outcomeTimeoutMinutes > 0, 'phoneRound.outcomeTimeoutMinutes must be > 0');
  check(isCount(round.technicalRetries, 0), 'phoneRound.technicalRetries must be a whole number >= 0');
  check(round.technicalRetryDelayMinutes >= 0, 'phoneRound.technicalRetryDelayMinutes must be >= 0');
  check(
    round.dagdeelRotation.every((d) => DAGDELEN.includes(d)),
    'phoneRound.dagdeelRotation has an unknown dagdeel',
  );
  check(isCount(policy.chosenMoment.slotMinutes, 1), 'chosenMoment.slotMinutes must be >= 1');
  check(isCount(policy.chosenMoment.horizonWorkingDays, 1), 'chosenMoment.horizonWorkingDays must be >= 1');
  check(
    policy.chosenMoment.retryAfterMinutes < policy.chosenMoment.slotMinutes,
    'chosenMoment.retryAfterMinutes must be shorter than a slot, so the retry stays inside the window',
  );
  check(isCount(policy.visits.count, 0), 'visits.count must be a whole number >= 0');
  check(policy.visits.outcomeTimeoutHours > 0, 'visits.outcomeTimeoutHours must be > 0');
  check(isCount(policy.deadlines.firstAttemptWorkingDays, 0), 'deadlines.firstAttemptWorkingDays must be >= 0');
  const deadlines = policy.deadlines;
  if (deadlines.closeAtMonthEnd) {
    check(
      deadlines.closeAfterDays === null,
      'deadlines.closeAfterDays is ignored when deadlines.closeAtMonthEnd: set it to null',
    );
  } else {
    check(
      deadlines.closeAfterDays !== null && isCount(deadlines.closeAfterDays, 1),
      'deadlines.closeAfterDays must be >= 1',
    );
  }
  check(deadlines.conversationOutcomeDays >= 0, 'deadlines.conversationOutcomeDays must be >= 0');
  check(deadlines.handoverOutcomeDays > 0, 'deadlines.handoverOutcomeDays must be > 0');
  check(isCount(deadlines.handoverReminders, 0), 'deadlines.handoverReminders must be a whole number >= 0');
  check(deadlines.linkValidDaysAfterClose >= 0, 'deadlines.linkValidDaysAfterClose must be >= 0');
  for (const segment of ['light', 'standard', 'priority'] as const) {
    if (segment in policy.segments) problems.push(...segmentProblems(policy, segment));
    else problems.push(`segments.${segment} is missing`);
  }
  return problems;
}

const WIJKTEAM_ROUTE_FIELDS = ['wijkteamHandover', 'wijkteamPlan'];
const LADDER_FIELDS = ['wijkteamHandover', 'wijkteamPlan', 'invite', 'alwaysLetter', 'phoneRound'];
const ROUND_FIELDS = [...LADDER_FIELDS, 'waitForChoiceHours', 'visitsWhenUnreached'];
const REMINDER_FIELDS = [...LADDER_FIELDS, 'reminderAfterDays'];

/** A segment's plan holds only fields its route reads, each with a value that does something. */
function segmentProblems(policy: ContactPolicy, segment: Segment): string[] {
  const problems: string[] = [];
  const plan = policy.segments[segment];
  const at = `segments.${segment}`;
  const route = plan.wijkteamHandover
    ? { fields: WIJKTEAM_ROUTE_FIELDS, when: 'on the wijkteam route (wijkteamHandover)' }
    : plan.phoneRound
      ? { fields: ROUND_FIELDS, when: 'when a phone round follows the invitation (phoneRound)' }
      : { fields: REMINDER_FIELDS, when: 'without a phone round (phoneRound false)' };
  for (const field of Object.keys(plan)) {
    if (!route.fields.includes(field)) problems.push(`${at}.${field} is ignored ${route.when}`);
  }
  for (const field of route.fields) {
    if (!(field in plan)) problems.push(`${at}.${field} is missing`);
  }
  const { visits, calls } = plan.wijkteamPlan;
  if (!(Number.isInteger(visits) && visits >= 0 && Number.isInteger(calls) && calls >= 0)) {
    problems.push(`${at}.wijkteamPlan needs whole numbers of visits and calls >= 0`);
  }
  if (!plan.wijkteamHandover && policy.escalation.reopenTo !== 'wijkteam' && visits + calls > 0) {
    problems.push(
      `${at}.wijkteamPlan is ignored: a warm reopen goes to escalation.reopenTo '${policy.escalation.reopenTo}', ` +
        'not the wijkteam; set it to no visits and no calls',
    );
  }
  if (plan.wijkteamHandover) return problems;
  if (plan.phoneRound) {
    if (!(plan.waitForChoiceHours >= 0)) problems.push(`${at}.waitForChoiceHours must be >= 0`);
    if (plan.visitsWhenUnreached && policy.visits.count === 0) {
      problems.push(`${at}.visitsWhenUnreached is ignored: visits.count is 0`);
    }
  } else if (plan.reminderAfterDays !== null) {
    if (!(plan.reminderAfterDays > 0)) problems.push(`${at}.reminderAfterDays must be > 0 or null`);
    if (!plan.invite && !plan.alwaysLetter) {
      problems.push(`${at}.reminderAfterDays is ignored: the segment sends no messages (invite and alwaysLetter)`);
    }
    const closeAfterDays = policy.deadlines.closeAtMonthEnd ? null : policy.deadlines.closeAfterDays;
    if (closeAfterDays !== null && plan.reminderAfterDays >= closeAfterDays) {
      problems.push(`${at}.reminderAfterDays is ignored: the round closes after ${closeAfterDays} days (deadlines)`);
    }
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Problems of a registry: each policy's structure, its name, and ascending versions. Checked when the worker and
 * the API start and in the unit tests; not when this module loads, because workflow code loads it for every case.
 */
export function registryProblems(registry: Readonly<Record<string, readonly ContactPolicy[]>> = POLICIES): string[] {
  return Object.entries(registry).flatMap(([name, versions]) =>
    versions.flatMap((policy, index) => {
      const problems = policyProblems(policy);
      if (policy.name !== name) problems.push(`registered as '${name}'`);
      if (index > 0 && policy.version <= versions[index - 1].version) problems.push('versions must ascend');
      return problems.length > 0
        ? [`Contact policy ${policy.name} v${policy.version} is invalid: ${problems.join('; ')}`]
        : [];
    }),
  );
}

/** Throws with every problem of the registry; called at start-up so a broken policy never reaches a case. */
export function assertValidRegistry(): void {
  const problems = registryProblems();
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** Policy name to all its registered versions, oldest first. Frozen: policies are data, never changed at run time. */
export const POLICIES: Readonly<Record<string, readonly ContactPolicy[]>> = deepFreeze(REGISTRY);

export function policyNames(): string[] {
  return Object.keys(POLICIES);
}

/** The policy with that name and version; without a version the latest. Throws when either is unknown. */
export function getPolicy(name: string, version?: number): ContactPolicy {
  const versions = Object.prototype.hasOwnProperty.call(POLICIES, name) ? POLICIES[name] : undefined;
  if (!versions || versions.length === 0) {
    throw new Error(`Unknown contact policy '${name}'; known policies: ${policyNames().join(', ')}`);
  }
  if (version === undefined) return versions[versions.length - 1];
  const policy = versions.find((candidate) => candidate.version === version);
  if (!policy) {
    const known = versions.map((candidate) => candidate.version).join(', ');
    throw new Error(`Contact policy '${name}' has no version ${version}; known versions: ${known}`);
  }
  return policy;
}
