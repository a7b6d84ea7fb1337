import type { CaseView } from '../../../domain/case';
import { aggregateFunnel, funnelFactOf, percentile, type FunnelFact } from '../../../domain/funnel';

function fact(overrides: Partial<FunnelFact> = {}): FunnelFact {
  return {
    round: 1,
    signalDate: '2027-03-05',
    segment: 'standard',
    partnerTypes: ['Energie'],
    firstAttemptMinutes: null,
    firstAttemptInTime: null,
    firstContactMinutes: null,
    firstContactChannel: null,
    firstContactDagdeel: null,
    reached: false,
    helpAccepted: false,
    result: null,
    breaches: [],
    closedDate: null,
    reopenedDate: null,
    ...overrides,
  };
}

const QUERY = { municipality: '0518', from: '2027-01-01', to: '2027-12-31', asOf: '2028-06-30' };

describe('percentile (nearest rank)', () => {
  test('median and p90 are values that occur, never interpolations', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([3, 8], 50)).toBe(3);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('the funnel of explicit rounds', () => {
  const rounds = [
    fact({
      partnerTypes: ['Energie', 'Water'],
      firstAttemptMinutes: 60,
      firstAttemptInTime: true,
      firstContactMinutes: 600,
      firstContactChannel: 'Telefoon',
      firstContactDagdeel: 'Middag',
      reached: true,
      helpAccepted: true,
      result: 'Vervolghulp en/of verwijzing financieel',
      closedDate: '2027-03-20',
      reopenedDate: '2027-08-01',
    }),
    fact({
      signalDate: '2027-04-02',
      segment: 'light',
      partnerTypes: ['Huur'],
      firstAttemptMinutes: 30,
      firstAttemptInTime: true,
      firstContactMinutes: 120,
      firstContactChannel: 'SMS/Whatsapp',
      firstContactDagdeel: 'Ochtend',
      reached: true,
      result: '(Budget)advies en/of quick fix',
      closedDate: '2027-04-10',
      reopenedDate: '2028-03-01',
    }),
    fact({
      signalDate: '2027-04-03',
      partnerTypes: ['Water'],
      firstAttemptMinutes: 9000,
      firstAttemptInTime: false,
      breaches: ['first_attempt_late', 'no_attempt_by_deadline'],
      result: 'Definitief geen contact kunnen krijgen',
      closedDate: '2027-12-15',
    }),
    fact({ signalDate: '2027-05-01', partnerTypes: ['Water', 'Water'] }),
  ];

  test('stages, results, durations, breaches and recidive of the whole period', () => {
    const { total, groups } = aggregateFunnel(rounds, { ...QUERY, by: null });
    expect(groups).toEqual([]);
    expect(total).toMatchObject({ signals: 6, cases: 4, firstAttemptInTime: 2, reached: 2, helpAccepted: 1 });
    expect(total.results).toMatchObject({
      'Vervolghulp en/of verwijzing financieel': 1,
      '(Budget)advies en/of quick fix': 1,
      'Definitief geen contact kunnen krijgen': 1,
      'Inwoner is overleden': 0,
      open: 1,
    });
    expect(Object.keys(total.results)).toHaveLength(16);
    expect(total.timeToFirstAttempt).toEqual({ count: 3, medianMinutes: 60, p90Minutes: 9000 });
    expect(total.timeToFirstContact).toEqual({ count: 2, medianMinutes: 120, p90Minutes: 600 });
    expect(total.deadlineBreaches).toEqual({
      cases: 1,
      first_attempt_late: 1,
      no_attempt_by_deadline: 1,
      handover_unanswered: 0,
      other: 0,
    });
    // As of 2028-06-30 all three closed rounds are 6 months past closing; only the first two are 12 months past.
    // The first came back after 4.5 months, the second after 10.7; the third never did.
    expect(total.recidive).toEqual({
      closed: 3,
      observable6Months: 3,
      within6Months: 1,
      share6Months: 1 / 3,
      observable12Months: 2,
      within12Months: 2,
      share12Months: 1,
    });
  });

  test('a return on the day the window ends counts; a day later does not', () => {
    const closed = { closedDate: '2027-08-31', asOf: '2029-01-01' };
    const atEdge = aggregateFunnel([fact({ closedDate: closed.closedDate, reopenedDate: '2028-02-29' })], {
      ...QUERY,
      asOf: closed.asOf,
      by: null,
    });
    expect(atEdge.total.recidive.within6Months).toBe(1);
    const after = aggregateFunnel([fact({ closedDate: closed.closedDate, reopenedDate: '2028-03-01' })], {
      ...QUERY,
      asOf: closed.asOf,
      by: null,
    });
    expect(after.total.recidive).toMatchObject({ within6Months: 0, within12Months: 1 });
  });

  test('split by partner: a round counts under each of its partners with only their signals', () => {
    const { groups } = aggregateFunnel(rounds, { ...QUERY, by: 'partner' });
    expect(groups.map((g) => [g.key, g.cases, g.signals])).toEqual([
      ['Energie', 1, 1],
      ['Huur', 1, 1],
      ['Water', 3, 4],
    ]);
  });

  test('split by channel and dagdeel of first contact; unreached rounds under null, last', () => {
    const byChannel = aggregateFunnel(rounds, { ...QUERY, by: 'channel' });
    expect(byChannel.groups.map((g) => [g.key, g.cases, g.reached])).toEqual([
      ['SMS/Whatsapp', 1, 1],
      ['Telefoon', 1, 1],
      [null, 2, 0],
    ]);
    const byDagdeel = aggregateFunnel(rounds, { ...QUERY, by: 'dagdeel' });
    expect(byDagdeel.groups.map((g) => g.key)).toEqual(['Middag', 'Ochtend', null]);
  });

  test('split by month and by segment partition the rounds', () => {
    const byMonth = aggregateFunnel(rounds, { ...QUERY, by: 'month' });
    expect(byMonth.groups.map((g) => [g.key, g.cases, g.signals])).toEqual([
      ['2027-03', 1, 2],
      ['2027-04', 2, 2],
      ['2027-05', 1, 2],
    ]);
    const bySegment = aggregateFunnel(rounds, { ...QUERY, by: 'segment' });
    expect(bySegment.groups.map((g) => [g.key, g.cases])).toEqual([
      ['light', 1],
      ['standard', 3],
    ]);
  });
});

describe("a round's contribution", () => {
  const view = {
    case: 'case-0518-x',
    caseRef: 'case-0518-x.2',
    municipality: '0518',
    round: 2,
    status: 'dormant',
    segment: 'standard',
    signals: [
      { ID: 'VS-2', partnerType: 'Water', receivedAt: '2027-03-06T09:00:00.000Z' },
      // 23:30 UTC on 5 March is 00:30 on 6 March in Amsterdam.
      { ID: 'VS-1', partnerType: 'Energie', receivedAt: '2027-03-05T23:30:00.000Z' },
    ],
    attempts: [
      { soort: 'Telefoon', bereikt: true, datum: '2027-03-08', dagdeel: 'Avond', at: '2027-03-08T18:30:00.000Z' },
      {
        soort: 'SMS/Whatsapp',
        bereikt: false,
        datum: '2027-03-06',
        dagdeel: 'Ochtend',
        at: '2027-03-06T08:00:20.000Z',
      },
    ],
    deadlines: {
      firstAttemptBy: '2027-03-06T08:00:00.000Z',
      closeBy: null,
      breaches: ['first contact attempt after the deadline of 2027-03-06T08:00:00.000Z'],
    },
    reachedAt: '2027-03-08T18:30:00.000Z',
    closedAt: '2027-03-31T22:30:00.000Z',
    result: 'Vervolghulp en/of verwijzing niet financieel',
  } as unknown as CaseView;

  test('keeps dates, minutes and kinds; no identifier, no instant', () => {
    const contribution = funnelFactOf(view);
    expect(contribution).toEqual({
      round: 2,
      signalDate: '2027-03-06',
      segment: 'standard',
      partnerTypes: ['Energie', 'Water'],
      firstAttemptMinutes: 510,
      firstAttemptInTime: false,
      firstContactMinutes: 4020,
      firstContactChannel: 'Telefoon',
      firstContactDagdeel: 'Avond',
      reached: true,
      helpAccepted: true,
      result: 'Vervolghulp en/of verwijzing niet financieel',
      breaches: ['first_attempt_late'],
      closedDate: '2027-04-01',
    });
    expect(JSON.stringify(contribution)).not.toMatch(/case-0518|VS-|T\d\d:/);
  });

  test('a quick fix is help given, not help accepted; a round without signals contributes nothing', () => {
    expect(funnelFactOf({ ...view, result: '(Budget)advies en/of quick fix' })?.helpAccepted).toBe(false);
    expect(funnelFactOf({ ...view, signals: [] })).toBeNull();
  });
});
