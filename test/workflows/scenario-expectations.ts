import { readdirSync } from 'node:fs';
import { loadScenario, ofType, expectPolicyInvariants, playScenario, SCENARIO_DIR } from '../support/scenarios';
import type { ScenarioResult } from '../../tools/scenario/run-scenario';

const HOUR = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const closedWith = (r: ScenarioResult, label = 'c1') => ofType(r, 'closed', label).map((e) => e.result);
const caseOf = (r: ScenarioResult, label = 'c1') => r.cases.find((c) => c.case === label) as Record<string, unknown>;
const contactTypes = new Set(['message', 'call', 'visit', 'card']);
/** DDAS contactpogingen: every call, visit and card, and every message but a confirmation of the chosen moment. */
const contactAttempts = (r: ScenarioResult, label = 'c1') =>
  r.timeline.filter(
    (e) => e.case === label && contactTypes.has(e.type) && !(e.type === 'message' && e.purpose === 'confirmation'),
  ).length;

/** What each shipped scenario must show, beyond the invariants every timeline keeps. */
export const EXPECTATIONS: Record<string, (r: ScenarioResult) => void> = {
  '01-light-invitation-and-reminder.json': (r) => {
    expect(caseOf(r).segment).toBe('light');
    const invitations = ofType(r, 'message').filter((m) => m.purpose === 'invitation');
    expect(invitations.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const reminders = ofType(r, 'message').filter((m) => m.purpose === 'reminder');
    expect(reminders.length).toBeGreaterThan(0);
    expect(ms(reminders[0].at) - ms(invitations[0].at)).toBeGreaterThanOrEqual(5 * 24 * HOUR);
    expect(ofType(r, 'call')).toEqual([]);
    expect(closedWith(r)).toEqual(['Definitief geen contact kunnen krijgen']);
  },
  '02-light-chosen-moment.json': (r) => {
    const calls = ofType(r, 'call');
    expect(calls[0]).toMatchObject({ at: '2027-03-04T19:30:00+01:00', answered: true, kind: 'chosen_moment' });
    expect(ofType(r, 'message').some((m) => m.purpose === 'confirmation')).toBe(true);
    expect(caseOf(r).attempts).toBe(contactAttempts(r));
    expect(ofType(r, 'handover')).toMatchObject([{ to: 'wijkteam' }]);
    expect(closedWith(r)).toEqual(['Vervolghulp en/of verwijzing financieel']);
  },
  '03-standard-reached-on-third-call.json': (r) => {
    expect(caseOf(r).segment).toBe('standard');
    const invitation = ofType(r, 'message').find((m) => m.purpose === 'invitation');
    const calls = ofType(r, 'call');
    expect(calls.map((c) => c.answered)).toEqual([false, false, true]);
    expect(ms(calls[0].at) - ms(invitation?.at as string)).toBeGreaterThanOrEqual(48 * HOUR);
    expect(ofType(r, 'handover')).toMatchObject([{ to: 'wijkteam' }]);
    expect(closedWith(r)).toEqual(['Vervolghulp en/of verwijzing financieel']);
  },
  '04-standard-never-reached.json': (r) => {
    const calls = ofType(r, 'call');
    expect(calls).toHaveLength(7);
    const local = calls.map((c) => new Date(ms(c.at)));
    expect(calls.some((c) => Number(c.at.slice(11, 13)) >= 18)).toBe(true); // an evening
    expect(local.some((d) => new Date(d.getTime() + HOUR).getUTCDay() === 6)).toBe(true); // a Saturday
    expect(ofType(r, 'visit').map((v) => v.atHome)).toEqual([false, false]);
    expect(ofType(r, 'card')).toHaveLength(2);
    const visitDays = ofType(r, 'visit').map((v) => v.at.slice(0, 10));
    expect(new Set(visitDays).size).toBe(2);
    expect(ms(ofType(r, 'visit')[0].at)).toBeGreaterThan(ms(calls[6].at));
    expect(closedWith(r)).toEqual(['Definitief geen contact kunnen krijgen']);
    // Matched 24 h after the signal, closed 28 days after matching.
    expect(ofType(r, 'closed')[0].at).toBe('2027-03-30T10:00:00+02:00');
  },
  '05-standard-at-home-on-second-visit.json': (r) => {
    expect(ofType(r, 'call')).toHaveLength(7);
    expect(ofType(r, 'visit').map((v) => v.atHome)).toEqual([false, true]);
    expect(ofType(r, 'card')).toHaveLength(1);
    expect(closedWith(r)).toEqual(['(Budget)advies en/of quick fix']);
  },
  '06-priority-rent-arrears.json': (r) => {
    expect(caseOf(r).segment).toBe('priority');
    const first = r.timeline.find((e) => e.type === 'handover' || contactTypes.has(e.type));
    expect(first).toMatchObject({ type: 'handover', to: 'wijkteam' });
    expect(ofType(r, 'message').filter((m) => m.purpose === 'invitation')).toEqual([]);
    expect(ofType(r, 'visit')[0]).toMatchObject({ atHome: true, team: 'wijkteam' });
    expect(closedWith(r)).toEqual(['Vervolghulp en/of verwijzing financieel']);
  },
  '07-crisis-signal.json': (r) => {
    expect(caseOf(r).segment).toBe('priority');
    expect(ofType(r, 'handover')[0]).toMatchObject({ to: 'wijkteam' });
    const visits = ofType(r, 'visit');
    expect(visits).toHaveLength(2);
    expect(new Set(visits.map((v) => v.at.slice(0, 10))).size).toBe(2);
    expect(ofType(r, 'call').length).toBeLessThanOrEqual(2);
    expect(closedWith(r)).toEqual(['Definitief geen contact kunnen krijgen']);
  },
  '08-meervoudig-one-case.json': (r) => {
    expect(r.cases).toHaveLength(1);
    expect(caseOf(r)).toMatchObject({ segment: 'standard', signals: ['VS-801', 'VS-802'] });
    expect((caseOf(r).flags as Record<string, boolean>).meervoudig).toBe(true);
    expect(closedWith(r)).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
  },
  '09-arrears-resolved-mid-round.json': (r) => {
    // Five calls by Saturday 09:00; the report at 11:00 comes before call 6 (12:00), which never happens.
    expect(ofType(r, 'call').map((c) => c.at)).toHaveLength(5);
    expect(closedWith(r)).toEqual(['Inwoner heeft zelf al betaald/betalingsregeling getroffen']);
    expect(ofType(r, 'closed')[0].at).toBe('2027-03-06T11:00:00+01:00');
  },
  '10-objection-stops-contact.json': (r) => {
    expect(closedWith(r)).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
    expect(ofType(r, 'closed')[0].at).toBe('2027-03-03T11:00:00+01:00');
  },
  '11-known-at-sdv.json': (r) => {
    expect(ofType(r, 'handover')).toMatchObject([{ to: 'sdv' }]);
    expect(r.timeline.filter((e) => contactTypes.has(e.type))).toEqual([]);
    expect(closedWith(r)).toEqual(['Inwoner al bekend bij schuldhulpverlening']);
  },
  '12-moved-away.json': (r) => {
    expect(r.timeline.filter((e) => contactTypes.has(e.type))).toEqual([]);
    expect(closedWith(r)).toEqual(['Persoon is geen inwoner (meer) in de gemeente']);
  },
  '13-deceased.json': (r) => {
    expect(r.timeline.filter((e) => contactTypes.has(e.type))).toEqual([]);
    expect(closedWith(r)).toEqual(['Inwoner is overleden']);
  },
  '14-no-phone-goes-to-visits.json': (r) => {
    expect(ofType(r, 'call')).toEqual([]);
    expect(ofType(r, 'message').map((m) => m.channel)).toContain('letter');
    expect(ofType(r, 'visit')[0]).toMatchObject({ attempt: 1, atHome: true });
    expect(closedWith(r)).toEqual(['Inwoner heeft zelf al betaald/betalingsregeling getroffen']);
  },
  '15-reopen-warm-and-meldpunt.json': (r) => {
    expect(closedWith(r, 'c1')).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
    expect(ofType(r, 'reopened', 'c2')).toMatchObject([{ warm: true, at: '2027-05-10T10:00:00+02:00' }]);
    expect(
      ofType(r, 'handover', 'c2')
        .map((h) => h.to)
        .sort(),
    ).toEqual(['meldpunt', 'wijkteam']);
    expect((caseOf(r, 'c2').flags as Record<string, boolean>).opeenvolgend).toBe(true);
  },
  '26-reopen-warm-works-the-segment-plan.json': (r) => {
    expect(closedWith(r, 'c1')).toEqual(['Definitief geen contact kunnen krijgen']);
    expect(closedWith(r, 'c2')).toEqual(['Definitief geen contact kunnen krijgen']);
    expect(ofType(r, 'reopened', 'c3')).toMatchObject([{ warm: true, at: '2027-05-10T10:00:00+02:00' }]);
    expect(ofType(r, 'reopened', 'c4')).toMatchObject([{ warm: true, at: '2027-09-15T10:00:00+02:00' }]);
    // May is within the repeat window of March: standard. Mid-September is not: the light segment, and its plan.
    expect([caseOf(r, 'c3').segment, (caseOf(r, 'c3').flags as Record<string, boolean>).opeenvolgend]).toEqual([
      'standard',
      true,
    ]);
    expect([caseOf(r, 'c4').segment, (caseOf(r, 'c4').flags as Record<string, boolean>).opeenvolgend]).toEqual([
      'light',
      false,
    ]);
    for (const label of ['c3', 'c4']) {
      expect(ofType(r, 'handover', label).map((h) => h.to)).toContain('wijkteam');
      expect(ofType(r, 'visit', label).map((v) => v.team)).toEqual(['wijkteam', 'wijkteam']);
      expect(ofType(r, 'call', label).map((c) => c.kind)).toEqual(['wijkteam', 'wijkteam']);
    }
  },
  '16-repeat-signal-not-worked.json': (r) => {
    expect(closedWith(r)).toEqual(['Inwoner heeft zelf al betaald/betalingsregeling getroffen']);
    expect(ofType(r, 'not_picked_up')).toMatchObject([{ reason: 'herhaalde melding', signal: 'VS-1602' }]);
    expect(ofType(r, 'reopened')).toEqual([]);
    expect(r.timeline.filter((e) => contactTypes.has(e.type) && ms(e.at) > ms('2027-04-20T00:00:00+02:00'))).toEqual(
      [],
    );
  },
  '17-dormant-watch-expires.json': (r) => {
    expect(closedWith(r)).toEqual(['Persoon is geen inwoner (meer) in de gemeente']);
    expect(caseOf(r).status).toBe('ended');
  },
  '18-chosen-moment-across-dst.json': (r) => {
    const call = ofType(r, 'call')[0];
    expect(call.at).toBe('2027-03-30T19:00:00+02:00');
    expect(new Date(ms(call.at)).toISOString()).toBe('2027-03-30T17:00:00.000Z');
    expect(closedWith(r)).toEqual(['(Budget)advies en/of quick fix']);
  },
  '19-haarlem-high-amount-to-call-centre.json': (r) => {
    expect(r.policy.name).toBe('haarlem');
    expect(caseOf(r).segment).toBe('standard');
    expect(ofType(r, 'call').map((c) => c.answered)).toEqual([false, true]);
  },
  '20-zoetermeer-light-still-called.json': (r) => {
    expect(caseOf(r).segment).toBe('light');
    expect(ofType(r, 'call').map((c) => c.answered)).toEqual([false, false, false, true]);
    expect(closedWith(r)).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
  },
  '21-coevorden-letter-always.json': (r) => {
    const channels = ofType(r, 'message')
      .filter((m) => m.purpose === 'invitation')
      .map((m) => m.channel);
    expect(channels).toEqual(expect.arrayContaining(['letter', 'whatsapp']));
    expect(ofType(r, 'visit')).toEqual([]);
  },
  '22-new-choice-moves-the-call.json': (r) => {
    const calls = ofType(r, 'call');
    expect(calls.map((c) => c.at)).toEqual(['2027-03-05T10:00:00+01:00']);
    expect(ofType(r, 'message').filter((m) => m.purpose === 'confirmation')).toHaveLength(2);
    expect(caseOf(r).attempts).toBe(contactAttempts(r));
    expect(closedWith(r)).toEqual(['(Budget)advies en/of quick fix']);
  },
  '23-rent-signal-raises-the-segment.json': (r) => {
    expect(r.cases).toHaveLength(1);
    expect(caseOf(r)).toMatchObject({ segment: 'priority', signals: ['VS-2301', 'VS-2302'] });
    const handover = ofType(r, 'handover')[0];
    expect(handover).toMatchObject({ to: 'wijkteam' });
    expect(ms(handover.at)).toBeGreaterThanOrEqual(ms('2027-03-04T10:00:00+01:00'));
    expect(ofType(r, 'visit')[0]).toMatchObject({ atHome: true, team: 'wijkteam' });
    expect(closedWith(r)).toEqual(['Vervolghulp en/of verwijzing financieel']);
  },
  '24-events-that-do-not-fit.json': (r) => {
    const rejected = ofType(r, 'event_rejected');
    expect(rejected.map((e) => [e.event, e.reason])).toEqual([
      ['visit_outcome', 'no home visit is waiting for an outcome'],
      ['contact_moment_chosen', 'the moment is not a free slot inside the call windows of the coming working days'],
      ['arrears_resolved', 'signal VS-OTHER is not part of this case'],
      ['help_accepted', 'the case round is closed; events are no longer accepted'],
    ]);
    expect(closedWith(r)).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
    expect(ofType(r, 'closed')[0].at).toBe('2027-03-03T09:00:00+01:00');
  },
  '25-no-calls-after-phone-objection.json': (r) => {
    const calls = ofType(r, 'call');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => ms(c.at) < ms('2027-03-04T12:00:00+01:00'))).toBe(true);
    expect(ofType(r, 'visit')[0]).toMatchObject({ attempt: 1, atHome: true });
    expect(closedWith(r)).toEqual(['Inwoner hoeft geen hulp vanuit vroegsignalering']);
  },
};

/** The scenario test files, each a share of the scenarios (they take minutes each on the time-skipping server). */
export const SCENARIO_GROUPS = {
  outreach: [
    '01-light-invitation-and-reminder.json',
    '02-light-chosen-moment.json',
    '03-standard-reached-on-third-call.json',
    '04-standard-never-reached.json',
    '05-standard-at-home-on-second-visit.json',
    '14-no-phone-goes-to-visits.json',
    '18-chosen-moment-across-dst.json',
    '22-new-choice-moves-the-call.json',
  ],
  routing: [
    '06-priority-rent-arrears.json',
    '07-crisis-signal.json',
    '08-meervoudig-one-case.json',
    '09-arrears-resolved-mid-round.json',
    '10-objection-stops-contact.json',
    '11-known-at-sdv.json',
    '12-moved-away.json',
    '13-deceased.json',
    '24-events-that-do-not-fit.json',
    '25-no-calls-after-phone-objection.json',
  ],
  rounds: [
    '15-reopen-warm-and-meldpunt.json',
    '16-repeat-signal-not-worked.json',
    '17-dormant-watch-expires.json',
    '19-haarlem-high-amount-to-call-centre.json',
    '20-zoetermeer-light-still-called.json',
    '21-coevorden-letter-always.json',
    '23-rent-signal-raises-the-segment.json',
    '26-reopen-warm-works-the-segment-plan.json',
  ],
} as const;

/**
 * One scenario test file. Each also checks that the groups together hold every scenario under scenarios/ exactly
 * once, each with expectations, so a new scenario file cannot go unplayed.
 */
export function describeScenarioGroup(group: keyof typeof SCENARIO_GROUPS): void {
  test('every scenario under scenarios/ is played by exactly one scenario test file, with expectations', () => {
    const shipped = readdirSync(SCENARIO_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(Object.values(SCENARIO_GROUPS).flat().sort()).toEqual(shipped);
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(shipped);
  });
  for (const file of SCENARIO_GROUPS[group]) {
    test(file.replace(/\.json$/, ''), async () => {
      const result = await playScenario(file);
      expectPolicyInvariants(result, loadScenario(file));
      EXPECTATIONS[file](result);
    });
  }
}
