import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertValidRegistry,
  getPolicy,
  POLICIES,
  policyNames,
  policyProblems,
  registryProblems,
  nextCallSlot,
} from '../../../policy';
import type { ContactPolicy } from '../../../policy/types';

const PRESETS = ['default', 'haarlem', 'zoetermeer', 'coevorden'];
// The drill preset compresses the process into minutes for rehearsals and load tests; it is no municipal preset.
const REGISTERED = [...PRESETS, 'drill'];

describe('registry', () => {
  test('knows the four municipal presets and the drill', () => {
    expect(policyNames().sort()).toEqual([...REGISTERED].sort());
  });

  test('getPolicy returns the latest version without a version, and the exact one with it', () => {
    for (const name of PRESETS) {
      const versions = POLICIES[name];
      expect(getPolicy(name)).toBe(versions[versions.length - 1]);
      expect(getPolicy(name, 1).version).toBe(1);
      expect(getPolicy(name).name).toBe(name);
    }
  });

  test('unknown names and versions throw errors that name them', () => {
    expect(() => getPolicy('amsterdam')).toThrow(/Unknown contact policy 'amsterdam'.*default/);
    expect(() => getPolicy('toString')).toThrow(/Unknown contact policy 'toString'/);
    expect(() => getPolicy('haarlem', 7)).toThrow(/'haarlem' has no version 7; known versions: 1/);
  });

  test('registered policies are frozen', () => {
    const policy = getPolicy('default');
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.phoneRound.dagdeelRotation)).toBe(true);
    expect(Object.isFrozen(policy.holidays[0])).toBe(true);
  });

  test('every registered version is valid, so start-up passes', () => {
    expect(registryProblems()).toEqual([]);
    expect(() => assertValidRegistry()).not.toThrow();
  });

  test('a registry with a misnamed, broken or out-of-order version is reported per version', () => {
    const policy = getPolicy('default');
    const problems = registryProblems({
      default: [policy, { ...policy, version: 1, phoneRound: { ...policy.phoneRound, maxPerDay: 0 } }],
      haarlem: [policy],
    });
    expect(problems).toEqual([
      'Contact policy default v1 is invalid: phoneRound.maxPerDay must be >= 1; versions must ascend',
      "Contact policy default v1 is invalid: registered as 'haarlem'",
    ]);
  });

  test('policyProblems finds a broken policy', () => {
    const policy = getPolicy('default');
    const broken: ContactPolicy = {
      ...policy,
      timeZone: 'Europe/Nowhere',
      messageWindow: { from: '20:00', to: '09:00' },
      callWindows: { ...policy.callWindows, 6: { from: '9:00', to: '17:00' } },
      phoneRound: { ...policy.phoneRound, dagdeelRotation: ['Nacht' as never] },
    };
    expect(policyProblems(broken)).toEqual([
      'unknown time zone Europe/Nowhere',
      "callWindows[6]: Not a local time 'HH:mm': 9:00",
      'messageWindow must start before it ends',
      'phoneRound.dagdeelRotation has an unknown dagdeel',
    ]);
  });

  test('policyProblems refuses negative retries and timeouts that no timer could honour', () => {
    const policy = getPolicy('drill');
    const broken: ContactPolicy = {
      ...policy,
      phoneRound: {
        ...policy.phoneRound,
        outcomeTimeoutMinutes: 0,
        technicalRetries: -1,
        technicalRetryDelayMinutes: -5,
      },
      visits: { ...policy.visits, outcomeTimeoutHours: -0.95 },
    };
    expect(policyProblems(broken)).toEqual([
      'phoneRound.outcomeTimeoutMinutes must be > 0',
      'phoneRound.technicalRetries must be a whole number >= 0',
      'phoneRound.technicalRetryDelayMinutes must be >= 0',
      'visits.outcomeTimeoutHours must be > 0',
    ]);
  });
});

describe('policyProblems rejects a field that would be ignored, naming it', () => {
  const policy = getPolicy('default');
  const light = policy.segments.light;
  const standard = policy.segments.standard;
  const problemsWith = (changes: Partial<ContactPolicy>) => policyProblems({ ...policy, ...changes });

  test('a wijkteam route holds only the handover and the plan', () => {
    const segments = { ...policy.segments, priority: { ...standard, wijkteamHandover: true } } as never;
    expect(problemsWith({ segments })).toEqual([
      'segments.priority.invite is ignored on the wijkteam route (wijkteamHandover)',
      'segments.priority.alwaysLetter is ignored on the wijkteam route (wijkteamHandover)',
      'segments.priority.waitForChoiceHours is ignored on the wijkteam route (wijkteamHandover)',
      'segments.priority.phoneRound is ignored on the wijkteam route (wijkteamHandover)',
      'segments.priority.visitsWhenUnreached is ignored on the wijkteam route (wijkteamHandover)',
    ]);
  });

  test('a reminder only without a phone round; the wait and the visits only with one', () => {
    const segments = {
      ...policy.segments,
      light: { ...light, phoneRound: true, waitForChoiceHours: 48, visitsWhenUnreached: false },
      standard: { ...standard, phoneRound: false, reminderAfterDays: 5 },
    } as never;
    expect(problemsWith({ segments })).toEqual([
      'segments.light.reminderAfterDays is ignored when a phone round follows the invitation (phoneRound)',
      'segments.standard.waitForChoiceHours is ignored without a phone round (phoneRound false)',
      'segments.standard.visitsWhenUnreached is ignored without a phone round (phoneRound false)',
    ]);
  });

  test('a reminder of a segment that sends nothing, visits when there are none', () => {
    const segments = { ...policy.segments, light: { ...light, invite: false } };
    expect(problemsWith({ segments, visits: { ...policy.visits, count: 0 } })).toEqual([
      'segments.light.reminderAfterDays is ignored: the segment sends no messages (invite and alwaysLetter)',
      'segments.standard.visitsWhenUnreached is ignored: visits.count is 0',
    ]);
  });

  test('a reminder that would come after the round has closed', () => {
    const segments = { ...policy.segments, light: { ...light, reminderAfterDays: 10 } };
    const deadlines = { ...policy.deadlines, closeAtMonthEnd: false, closeAfterDays: 10 };
    expect(problemsWith({ segments, deadlines })).toEqual([
      'segments.light.reminderAfterDays is ignored: the round closes after 10 days (deadlines)',
    ]);
    expect(problemsWith({ segments, deadlines: { ...deadlines, closeAfterDays: 11 } })).toEqual([]);
  });

  test("the ladder segments' wijkteam plans when a warm reopen goes elsewhere", () => {
    expect(problemsWith({ escalation: { ...policy.escalation, reopenTo: 'budgetcoach' } })).toEqual([
      "segments.light.wijkteamPlan is ignored: a warm reopen goes to escalation.reopenTo 'budgetcoach', not the " +
        'wijkteam; set it to no visits and no calls',
      "segments.standard.wijkteamPlan is ignored: a warm reopen goes to escalation.reopenTo 'budgetcoach', not the " +
        'wijkteam; set it to no visits and no calls',
    ]);
  });

  test('closeAfterDays when the month end decides, and none when it does not', () => {
    const deadlines = policy.deadlines;
    expect(problemsWith({ deadlines: { ...deadlines, closeAtMonthEnd: true } })).toEqual([
      'deadlines.closeAfterDays is ignored when deadlines.closeAtMonthEnd: set it to null',
    ]);
    expect(problemsWith({ deadlines: { ...deadlines, closeAfterDays: null } })).toEqual([
      'deadlines.closeAfterDays must be >= 1',
    ]);
  });
});

describe.each(PRESETS)('preset %s', (name) => {
  const policy = getPolicy(name);

  test('is valid', () => {
    expect(policyProblems(policy)).toEqual([]);
  });

  test('has the values every preset shares', () => {
    expect(policy).toMatchObject({
      version: 1,
      timeZone: 'Europe/Amsterdam',
      matching: { windowMinutes: 1440, repeatWindowMonths: 6 },
      dormant: { months: 6 },
      deadlines: { firstAttemptWorkingDays: 3, conversationOutcomeDays: 7, linkValidDaysAfterClose: 1 },
      chosenMoment: { retryAfterMinutes: 15, horizonWorkingDays: 10, slotMinutes: 30 },
      messageWindow: { from: '09:00', to: '20:00' },
      visitWindow: { from: '09:00', to: '20:00' },
      callWindows: {
        1: { from: '08:30', to: '21:00' },
        5: { from: '08:30', to: '21:00' },
        6: { from: '09:00', to: '17:00' },
      },
      phoneRound: { maxAttempts: 7, minGapMinutes: 180, maxPerDay: 2, alternateDagdeel: true, useSaturday: true },
      visits: { count: 2 },
    });
    expect(policy.callWindows[7]).toBeUndefined();
    expect(policy.holidays).toHaveLength(9);
  });
});

test('preset differences', () => {
  expect(getPolicy('haarlem').segmentation.priorityAboveAmount).toBe(Infinity);
  expect(getPolicy('zoetermeer').deadlines.closeAtMonthEnd).toBe(true);
  expect(getPolicy('zoetermeer').escalation).toMatchObject({ meldpuntOnGrowingArrears: true, repeatsReopenWarm: true });
  expect(getPolicy('zoetermeer').segmentation.priorityPartnerTypes).toEqual([]);
  expect(getPolicy('zoetermeer').deadlines.closeAfterDays).toBeNull();
  expect(getPolicy('coevorden').invitationChannels.mobile).toBe('whatsapp');
  for (const name of ['default', 'haarlem', 'coevorden']) {
    expect(getPolicy(name).deadlines).toMatchObject({ closeAtMonthEnd: false, closeAfterDays: 28 });
  }
});

test('policy code stays deterministic: no clock, randomness, environment or timers', () => {
  const root = join(__dirname, '../../../policy');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  const forbidden = /Date\.now\(|new Date\(\s*\)|Math\.random|process\.|setTimeout|setInterval|DateTime\.(now|local)\(/;
  const offenders = files(root).filter((file) => forbidden.test(readFileSync(file, 'utf8')));
  expect(offenders).toEqual([]);
});

describe('drill preset', () => {
  test('runs a phone round in minutes, on any day, without aiming at a dagdeel', () => {
    const drill = getPolicy('drill');
    const sunday = Date.parse('2026-11-22T13:00:00Z');
    const first = nextCallSlot(drill, sunday, []);
    const second = nextCallSlot(drill, first, [first]);
    expect(first).toBe(sunday);
    expect(second - first).toBe(60_000);
  });
});
