import type { Segment } from '../../../domain/case';
import type { SignaalpartnerType } from '../../../domain/ddas';
import { getPolicy, invitationChannels, planFor, segmentFor } from '../../../policy';
import type { ContactFacts, SegmentFacts } from '../../../policy/types';

type Signal = SegmentFacts['signals'][number];
const signal = (partnerType: SignaalpartnerType, amount: number, crisis = false): Signal => ({
  partnerType,
  amount,
  crisis,
});
const single = (s: Signal, opeenvolgend = false): SegmentFacts => ({ signals: [s], meervoudig: false, opeenvolgend });
const multiple = (...signals: Signal[]): SegmentFacts => ({ signals, meervoudig: true, opeenvolgend: false });

type Row = [string, SegmentFacts, Segment];

const commonRows: Row[] = [
  ['single low energy signal', single(signal('Energie', 300)), 'light'],
  ['single low water signal, just under 500', single(signal('Water', 499.99)), 'light'],
  ['single signal of exactly 500', single(signal('Energie', 500)), 'standard'],
  ['single signal of 1500', single(signal('Zorg', 1500)), 'standard'],
  ['single low signal, opeenvolgend', single(signal('Energie', 100), true), 'standard'],
  ['two low signals', multiple(signal('Energie', 200), signal('Water', 100)), 'standard'],
  ['low crisis signal', single(signal('Energie', 100, true)), 'priority'],
];

const cases: Record<string, Row[]> = {
  default: [
    ...commonRows,
    ['low rent arrears', single(signal('Huur', 100)), 'priority'],
    ['single signal of exactly 2000', single(signal('Energie', 2000)), 'standard'],
    ['single signal above 2000', single(signal('Energie', 2000.01)), 'priority'],
    ['two signals that together exceed 2000', multiple(signal('Energie', 1200), signal('Zorg', 900)), 'priority'],
  ],
  haarlem: [
    ...commonRows,
    ['low rent arrears', single(signal('Huur', 100)), 'priority'],
    ['high single energy signal goes to the call centre', single(signal('Energie', 5000)), 'standard'],
    ['high multiple signals go to the call centre', multiple(signal('Energie', 3000), signal('Zorg', 900)), 'standard'],
    ['rent within multiple signals', multiple(signal('Energie', 300), signal('Huur', 50)), 'priority'],
  ],
  zoetermeer: [
    ...commonRows,
    ['low rent arrears are called, never light', single(signal('Huur', 100)), 'standard'],
    ['rent arrears above 2000', single(signal('Huur', 2500)), 'priority'],
    ['energy above 2000', single(signal('Energie', 2500)), 'priority'],
    ['two signals that together exceed 2000', multiple(signal('Energie', 1200), signal('Zorg', 900)), 'priority'],
  ],
  coevorden: [
    ...commonRows,
    ['low rent arrears', single(signal('Huur', 100)), 'priority'],
    ['single signal above 2000', single(signal('Energie', 2500)), 'priority'],
  ],
};

describe.each(Object.keys(cases))('segmentFor, %s', (name) => {
  const policy = getPolicy(name);
  test.each(cases[name])('%s', (_label, facts, expected) => {
    expect(segmentFor(policy, facts)).toBe(expected);
  });
});

test('a case without signals is standard', () => {
  expect(segmentFor(getPolicy('default'), { signals: [], meervoudig: false, opeenvolgend: false })).toBe('standard');
});

describe('planFor', () => {
  test('default: light has no phone round; standard calls, then visits; priority goes to the wijkteam', () => {
    const policy = getPolicy('default');
    expect(planFor(policy, 'light')).toMatchObject({ invite: true, reminderAfterDays: 5, phoneRound: false });
    expect(planFor(policy, 'standard')).toMatchObject({
      invite: true,
      waitForChoiceHours: 48,
      phoneRound: true,
      visitsWhenUnreached: true,
      wijkteamHandover: false,
    });
    expect(planFor(policy, 'priority')).toEqual({ wijkteamHandover: true, wijkteamPlan: { visits: 2, calls: 2 } });
  });

  test('Zoetermeer calls everything callable: its light plan itself says phone round, without visits', () => {
    expect(planFor(getPolicy('zoetermeer'), 'light')).toMatchObject({ phoneRound: true, visitsWhenUnreached: false });
    expect(planFor(getPolicy('zoetermeer'), 'light')).toBe(getPolicy('zoetermeer').segments.light);
  });

  test('Haarlem: rent goes to the wijkteam with 2 visits and 2 calls', () => {
    expect(planFor(getPolicy('haarlem'), 'priority')).toMatchObject({
      wijkteamHandover: true,
      wijkteamPlan: { visits: 2, calls: 2 },
    });
  });

  test('Coevorden: a letter with every invitation, no unannounced visits', () => {
    const policy = getPolicy('coevorden');
    expect(planFor(policy, 'light')).toMatchObject({ alwaysLetter: true, phoneRound: false });
    expect(planFor(policy, 'standard')).toMatchObject({ alwaysLetter: true, visitsWhenUnreached: false });
    for (const segment of ['light', 'standard', 'priority'] as const) {
      expect(planFor(policy, segment).wijkteamPlan.visits).toBe(0);
    }
  });
});

describe('invitationChannels', () => {
  const contact = (mobile: boolean, email: boolean, landline = false): ContactFacts => ({ mobile, email, landline });

  test.each([
    ['mobile and e-mail', contact(true, true), ['sms', 'email']],
    ['mobile only', contact(true, false), ['sms']],
    ['e-mail only', contact(false, true), ['email']],
    ['nothing known', contact(false, false), ['letter']],
    ['only a landline', contact(false, false, true), ['letter']],
  ])('default, light, %s', (_label, facts, expected) => {
    expect(invitationChannels(getPolicy('default'), 'light', facts)).toEqual(expected);
  });

  test('default: standard is invited the same way; priority gets no invitation', () => {
    expect(invitationChannels(getPolicy('default'), 'standard', contact(true, false))).toEqual(['sms']);
    expect(invitationChannels(getPolicy('default'), 'priority', contact(true, true))).toEqual([]);
  });

  test.each([
    ['mobile', contact(true, false), ['whatsapp', 'letter']],
    ['e-mail', contact(false, true), ['email', 'letter']],
    ['both', contact(true, true), ['whatsapp', 'email', 'letter']],
    ['nothing known', contact(false, false), ['letter']],
  ])('Coevorden: WhatsApp for mobiles, and a letter always (%s)', (_label, facts, expected) => {
    expect(invitationChannels(getPolicy('coevorden'), 'light', facts)).toEqual(expected);
    expect(invitationChannels(getPolicy('coevorden'), 'standard', facts)).toEqual(expected);
  });

  test("the wijkteam route sends no messages, Coevorden's neither: the wijkteam makes the first contact", () => {
    expect(invitationChannels(getPolicy('coevorden'), 'priority', contact(true, true))).toEqual([]);
  });

  test('Haarlem: single low signals get mail, SMS or letter', () => {
    const haarlem = getPolicy('haarlem');
    expect(invitationChannels(haarlem, 'light', contact(true, false))).toEqual(['sms']);
    expect(invitationChannels(haarlem, 'light', contact(false, true))).toEqual(['email']);
    expect(invitationChannels(haarlem, 'light', contact(false, false))).toEqual(['letter']);
  });
});
