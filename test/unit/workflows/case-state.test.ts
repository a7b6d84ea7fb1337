import type { RoundSummary } from '../../../domain/case';
import type { SignaalpartnerType } from '../../../domain/ddas';
import type { IncomingSignal } from '../../../domain/signal';
import { getPolicy } from '../../../policy';
import { CaseState } from '../../../workflows/case/state';
import { at } from '../policy/helpers';

const policy = getPolicy('default');
// Tuesday 2 March 2027, 10:00 in Amsterdam: inside the call windows of the coming working days.
const NOW = at('2027-03-02T10:00:00+01:00');

function incoming(
  ID: string,
  partner: SignaalpartnerType,
  bedrag: number,
  receivedAt = '2027-03-01T09:00:00.000Z',
  extra: { crisis?: boolean; telefoon?: string } = {},
): IncomingSignal {
  return {
    municipality: '0518',
    receivedAt,
    signal: {
      ID,
      signaaldatum: receivedAt.slice(0, 10),
      bedrag,
      crisissignaal: extra.crisis ?? false,
      signaalpartner: { type: partner },
      client: {
        Achternaam: 'Jansen',
        Straatnaam: 'Dorpsstraat',
        Huisnummer: '12',
        Postcode: '2011AB',
        Plaatsnaam: 'Haarlem',
        ...(extra.telefoon ? { telefoon: extra.telefoon } : {}),
      },
    },
  };
}

function newState(previousRounds: RoundSummary[] = []): CaseState {
  return new CaseState('case-0518-test', '0518', previousRounds.length + 1, policy, previousRounds);
}

function previousRound(signals: RoundSummary['signals']): RoundSummary {
  return {
    round: 1,
    caseRef: 'case-0518-test.1',
    segment: 'light',
    matchedAt: '2027-01-02T09:00:00.000Z',
    closedAt: '2027-01-30T09:00:00.000Z',
    result: 'Definitief geen contact kunnen krijgen',
    reached: false,
    helpDeclined: false,
    maxAmount: Math.max(0, ...signals.map((s) => s.amount)),
    signals,
    attempts: [],
    handovers: [],
  };
}

describe('CaseState.receive: the signal handler', () => {
  test('a new signal joins the active round; a second delivery of the same ID changes nothing', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.receive(incoming('VS-1', 'Energie', 900));
    expect(state.view().signals).toMatchObject([
      { ID: 'VS-1', amount: 300, status: 'Nog niet opgepakt', repeat: false },
    ]);
  });

  test('a later signal without name or street (DDAS v1.2) keeps those of the latest signal that had them', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    const nameless = incoming('VS-2', 'Water', 200, '2027-03-01T12:00:00.000Z', { telefoon: '+31612345678' });
    nameless.signal.client = { Postcode: '2011AB', Huisnummer: '12', telefoon: '+31612345678' };
    state.receive(nameless);
    expect(state.client).toMatchObject({
      Achternaam: 'Jansen',
      Straatnaam: 'Dorpsstraat',
      Plaatsnaam: 'Haarlem',
      Postcode: '2011AB',
      Huisnummer: '12',
      telefoon: '+31612345678',
    });
    // A signal that names someone else at the address: the latest name is the one used, as before.
    const other = incoming('VS-3', 'Zorg', 100, '2027-03-01T13:00:00.000Z');
    other.signal.client = { ...other.signal.client, Achternaam: 'Pietersen' };
    state.receive(other);
    expect(state.client.Achternaam).toBe('Pietersen');
  });

  test('the same partner again without a higher amount is a herhaalde melding: recorded, not worked', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.receive(incoming('VS-2', 'Energie', 300, '2027-03-01T12:00:00.000Z'));
    state.receive(incoming('VS-3', 'Energie', 301, '2027-03-01T13:00:00.000Z'));
    expect(state.view().signals.map((s) => [s.ID, s.repeat, s.status])).toEqual([
      ['VS-1', false, 'Nog niet opgepakt'],
      ['VS-2', true, 'Niet opgepakt: herhaalde melding'],
      ['VS-3', false, 'Nog niet opgepakt'],
    ]);
    expect(state.workedSignals.map((s) => s.ID)).toEqual(['VS-1', 'VS-3']);
  });

  test('a further signal in a segmented round raises the segment and tells the round to re-plan', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.segment = 'light';
    state.receive(incoming('VS-2', 'Water', 100, '2027-03-02T09:00:00.000Z'));
    expect([state.segment, state.segmentRaised]).toEqual(['standard', true]); // two signals are no longer light
    state.segmentRaised = false;
    state.receive(incoming('VS-3', 'Huur', 100, '2027-03-02T10:00:00.000Z'));
    expect([state.segment, state.segmentRaised]).toEqual(['priority', true]);
  });

  test('a signal never lowers the segment', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Huur', 100));
    state.segment = 'priority';
    state.receive(incoming('VS-2', 'Energie', 50, '2027-03-02T09:00:00.000Z'));
    expect([state.segment, state.segmentRaised]).toEqual(['priority', false]);
  });

  test('a crisis signal sets the crisis flag, and segmentation facts carry it', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 100, undefined, { crisis: true }));
    expect(state.flags.crisis).toBe(true);
    expect(state.segmentFacts().signals).toEqual([{ partnerType: 'Energie', amount: 100, crisis: true }]);
  });

  test('after closing, a new signal reopens the case; a repeat is recorded unworked under the default policy', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.close('Definitief geen contact kunnen krijgen', NOW);
    state.receive(incoming('VS-2', 'Energie', 200, '2027-03-10T09:00:00.000Z'));
    expect(state.reopeners).toEqual([]);
    expect(state.view().signals.map((s) => [s.ID, s.repeat])).toEqual([
      ['VS-1', false],
      ['VS-2', true],
    ]);
    state.receive(incoming('VS-3', 'Water', 80, '2027-03-11T09:00:00.000Z'));
    expect(state.reopeners.map((s) => s.signal.ID)).toEqual(['VS-3']);
    state.receive(incoming('VS-3', 'Water', 80, '2027-03-11T09:00:00.000Z'));
    expect(state.reopeners).toHaveLength(1);
  });

  test("a warm reopen compares with the previous rounds' signals, inside the repeat window only", () => {
    const state = newState([
      previousRound([{ ID: 'VS-0', partnerType: 'Energie', amount: 400, receivedAt: '2027-01-01T09:00:00.000Z' }]),
    ]);
    state.receive(incoming('VS-1', 'Energie', 400, '2027-03-01T09:00:00.000Z'));
    expect(state.view().signals[0].repeat).toBe(true);
    const later = newState([
      previousRound([{ ID: 'VS-0', partnerType: 'Energie', amount: 400, receivedAt: '2027-01-01T09:00:00.000Z' }]),
    ]);
    later.receive(incoming('VS-1', 'Energie', 400, '2027-07-02T09:00:00.000Z'));
    expect(later.view().signals[0].repeat).toBe(false);
  });
});

describe('CaseState.rejectionFor: the update validator', () => {
  const active = () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300, undefined, { telefoon: '+31612345678' }));
    state.status = 'calling';
    return state;
  };

  test('never mutates the state', () => {
    const state = active();
    const before = JSON.stringify(state.view());
    state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-03T19:00:00+01:00' }, NOW);
    state.rejectionFor({ type: 'objection', channel: 'all' }, NOW);
    expect(JSON.stringify(state.view())).toBe(before);
    expect([state.choicePending, state.stop]).toEqual([false, null]);
  });

  test('a closed or ended round accepts no event', () => {
    const state = active();
    state.close('Inwoner is overleden', NOW);
    expect(state.rejectionFor({ type: 'help_declined' }, NOW)).toBe(
      'the case round is closed; events are no longer accepted',
    );
    state.status = 'ended';
    expect(state.rejectionFor({ type: 'arrears_resolved' }, NOW)).toBe(
      'the case round is ended; events are no longer accepted',
    );
  });

  test('a chosen moment must be a free slot, before the resident is reached and while outreach goes on', () => {
    const state = active();
    expect(state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-03T19:00:00+01:00' }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-02T09:00:00+01:00' }, NOW)).toBe(
      'the moment is not a free slot inside the call windows of the coming working days',
    );
    expect(
      state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-07T12:00:00+01:00' }, NOW),
    ).not.toBeNull(); // Sunday
    state.stop = 'Inwoner hoeft geen hulp vanuit vroegsignalering';
    expect(state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-03T19:00:00+01:00' }, NOW)).toBe(
      'outreach has stopped for this case',
    );
    state.markReached(NOW);
    expect(state.rejectionFor({ type: 'contact_moment_chosen', moment: '2027-03-03T19:00:00+01:00' }, NOW)).toBe(
      'the resident has already been reached',
    );
  });

  test('a call or visit outcome fits only the call or visit waiting for one', () => {
    const state = active();
    expect(state.rejectionFor({ type: 'call_outcome', outcome: 'answered' }, NOW)).toBe(
      'no call is waiting for an outcome',
    );
    state.expect({ kind: 'call', attempt: 2 });
    expect(state.rejectionFor({ type: 'call_outcome', outcome: 'answered' }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'call_outcome', attempt: 2, outcome: 'busy' }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'call_outcome', attempt: 1, outcome: 'busy' }, NOW)).toBe(
      'the call waiting for an outcome is attempt 2',
    );
    expect(state.rejectionFor({ type: 'visit_outcome', atHome: true }, NOW)).toBe(
      'no home visit is waiting for an outcome',
    );
    state.expect({ kind: 'visit', visit: 1 });
    expect(state.rejectionFor({ type: 'visit_outcome', visit: 1, atHome: true }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'visit_outcome', visit: 2, atHome: true }, NOW)).toBe(
      'the visit waiting for an outcome is visit 1',
    );
    expect(state.rejectionFor({ type: 'call_outcome', outcome: 'answered' }, NOW)).toBe(
      'no call is waiting for an outcome',
    );
  });

  test('arrears resolved names a signal of this case, or none', () => {
    const state = active();
    expect(state.rejectionFor({ type: 'arrears_resolved' }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'arrears_resolved', signalID: 'VS-1' }, NOW)).toBeNull();
    expect(state.rejectionFor({ type: 'arrears_resolved', signalID: 'VS-9' }, NOW)).toBe(
      'signal VS-9 is not part of this case',
    );
  });

  test('one conversation outcome per round, and none after outreach stopped', () => {
    const state = active();
    expect(state.rejectionFor({ type: 'quick_fix' }, NOW)).toBeNull();
    state.apply({ type: 'help_declined' }, NOW);
    expect(state.rejectionFor({ type: 'help_accepted' }, NOW)).toBe('an outcome (help_declined) was already recorded');
    const stopped = active();
    stopped.apply({ type: 'objection', channel: 'all' }, NOW);
    expect(stopped.rejectionFor({ type: 'already_paid' }, NOW)).toBe('outreach has stopped for this case');
  });
});

describe('CaseState.apply: accepted events', () => {
  const active = () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.receive(incoming('VS-2', 'Water', 200));
    state.status = 'calling';
    return state;
  };

  test('a chosen moment is stored and flagged for the main loop', () => {
    const state = active();
    state.apply({ type: 'contact_moment_chosen', moment: '2027-03-03T19:00:00+01:00' }, NOW);
    expect([state.chosenMoment, state.choicePending]).toEqual([at('2027-03-03T19:00:00+01:00'), true]);
    expect(state.view().chosenMoment).toBe('2027-03-03T18:00:00.000Z');
  });

  test('an outcome is taken for the attempt that waits, once', () => {
    const state = active();
    state.expect({ kind: 'call', attempt: 3 });
    state.apply({ type: 'call_outcome', outcome: 'no-answer' }, NOW);
    expect(state.takeCallOutcome()).toEqual({ attempt: 3, outcome: 'no-answer' });
    expect([state.takeCallOutcome(), state.awaiting]).toEqual([null, null]);
    state.expect({ kind: 'visit', visit: 2 });
    state.apply({ type: 'visit_outcome', atHome: false }, NOW);
    expect(state.takeVisitOutcome()).toEqual({ visit: 2, atHome: false });
  });

  test('contact from the resident or a conversation outcome marks the resident reached, at the first time only', () => {
    const state = active();
    state.apply({ type: 'resident_contact', channel: 'desk' }, NOW);
    expect([state.reachedAt, state.status]).toEqual([NOW, 'reached']);
    state.apply({ type: 'quick_fix', description: 'afspraak gemaakt' }, NOW + 1000);
    expect(state.reachedAt).toBe(NOW);
    expect(state.conversation).toEqual({ type: 'quick_fix', description: 'afspraak gemaakt' });
  });

  test('outreach stops when every worked signal is resolved, not before', () => {
    const state = active();
    state.apply({ type: 'arrears_resolved', signalID: 'VS-1' }, NOW);
    expect(state.stop).toBeNull();
    expect(state.view().signals.map((s) => s.resolved)).toEqual([true, false]);
    state.apply({ type: 'arrears_resolved', signalID: 'VS-2' }, NOW);
    expect(state.stop).toBe('Inwoner heeft zelf al betaald/betalingsregeling getroffen');
  });

  test('an objection to one channel blocks it; to all, stops outreach with the first stop reason kept', () => {
    const state = active();
    state.apply({ type: 'objection', channel: 'phone' }, NOW);
    expect([[...state.blockedChannels], state.stop]).toEqual([['phone'], null]);
    state.apply({ type: 'arrears_resolved' }, NOW);
    state.apply({ type: 'objection', channel: 'all' }, NOW);
    expect(state.stop).toBe('Inwoner heeft zelf al betaald/betalingsregeling getroffen');
  });

  test('a message that was not delivered is remembered; a delivered one is not', () => {
    const state = active();
    state.apply({ type: 'message_status', messageRef: 'SM1', status: 'delivered' }, NOW);
    state.apply({ type: 'message_status', messageRef: 'SM2', status: 'failed' }, NOW);
    expect([...state.undelivered]).toEqual(['SM2']);
  });
});

describe('CaseState: attempts, closing and summaries', () => {
  test('a first attempt after the first-attempt deadline is a breach; later ones are not', () => {
    const state = newState();
    state.firstAttemptBy = NOW;
    state.recordAttempt('Telefoon', false, NOW + 1);
    state.recordAttempt('Telefoon', false, NOW + 2);
    expect(state.breaches).toEqual(['first contact attempt after the deadline of 2027-03-02T09:00:00.000Z']);
    expect(state.attempts[0]).toMatchObject({
      soort: 'Telefoon',
      bereikt: false,
      datum: '2027-03-02',
      dagdeel: 'Ochtend',
    });
  });

  test('closing without any attempt after the deadline is a breach, and a moved resident marks the signals', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.firstAttemptBy = NOW;
    state.close('Definitief geen contact kunnen krijgen', NOW + 1);
    expect(state.breaches).toEqual(['no contact attempt before the deadline of 2027-03-02T09:00:00.000Z']);
    expect([state.status, state.active, state.result]).toEqual([
      'dormant',
      false,
      'Definitief geen contact kunnen krijgen',
    ]);
    const moved = newState();
    moved.receive(incoming('VS-1', 'Energie', 300));
    moved.close('Persoon is geen inwoner (meer) in de gemeente', NOW);
    expect(moved.view().signals[0].status).toBe('Persoon is geen inwoner (meer) in de gemeente');
  });

  test('the summary carries what the next round needs: amounts, reach, a declined offer', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.receive(incoming('VS-2', 'Water', 700));
    state.matchedAt = NOW;
    state.apply({ type: 'help_declined' }, NOW);
    state.close('Inwoner hoeft geen hulp vanuit vroegsignalering', NOW);
    expect(state.summary()).toMatchObject({
      round: 1,
      caseRef: 'case-0518-test.1',
      matchedAt: '2027-03-02T09:00:00.000Z',
      reached: true,
      helpDeclined: true,
      maxAmount: 700,
      signals: [{ ID: 'VS-1' }, { ID: 'VS-2' }],
    });
  });

  test('the view carries no personal data', () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300, undefined, { telefoon: '+31612345678' }));
    const json = JSON.stringify(state.view());
    for (const personal of ['Jansen', 'Dorpsstraat', '2011AB', '+31612345678']) expect(json).not.toContain(personal);
  });
});

describe('CaseState: handovers and their answers', () => {
  const DAY = 86_400_000;
  const handedOver = () => {
    const state = newState();
    state.receive(incoming('VS-1', 'Energie', 300));
    state.status = 'handed_over';
    state.recordHandover('wijkteam', NOW, 'help accepted', 14);
    return state;
  };

  test('a handover is due after the policy days; the view shows when', () => {
    const state = handedOver();
    expect(state.view().handovers).toEqual([
      {
        to: 'wijkteam',
        at: new Date(NOW).toISOString(),
        reason: 'help accepted',
        dueAt: new Date(NOW + 14 * DAY).toISOString(),
      },
    ]);
  });

  test('the team answers its own handover once, also after the round closed; never another team, never after the end', () => {
    const state = handedOver();
    state.close('Vervolghulp en/of verwijzing financieel', NOW);
    const answer = { type: 'handover_answered', to: 'wijkteam', outcome: 'taken_up' } as const;
    expect(state.rejectionFor({ ...answer, to: 'sdv' }, NOW)).toBe('this round was not handed over to sdv');
    expect(state.rejectionFor(answer, NOW)).toBeNull();
    state.apply(answer, NOW + DAY);
    expect(state.view().handovers[0]!.answer).toEqual({ outcome: 'taken_up', at: new Date(NOW + DAY).toISOString() });
    expect(state.rejectionFor({ ...answer, outcome: 'not_taken_up' }, NOW)).toBe(
      'the handover to wijkteam was already answered (taken_up)',
    );
    state.status = 'ended';
    expect(state.rejectionFor({ ...answer, to: 'wijkteam' }, NOW)).toBe(
      'the case has ended; events are no longer accepted',
    );
  });

  test('the conversation outcome recorded while the wijkteam works the round answers its handover', () => {
    const state = handedOver();
    state.workedBy = 'wijkteam';
    state.recordHandover('meldpunt', NOW, 'arrears growing', 14);
    state.apply({ type: 'help_declined' }, NOW + DAY);
    expect(state.view().handovers.map((h) => [h.to, h.answer?.outcome ?? null])).toEqual([
      ['wijkteam', 'taken_up'],
      ['meldpunt', null],
    ]);
  });

  test('who reached the resident is kept for the conversation to record', () => {
    const state = handedOver();
    state.markReached(NOW, 'visits');
    state.markReached(NOW + DAY, 'callcentre');
    expect([state.reachedAt, state.reachedBy]).toEqual([NOW, 'visits']);
  });
});
