import type { ContactPolicy } from '../types';
import { defaultPolicy } from './default';

const ALL_DAY = { from: '00:00', to: '23:59' } as const;

/**
 * Not for residents: the default process compressed from weeks into minutes, every day of the week, for rehearsals,
 * crash drills and load tests against a real Temporal server (where time cannot be skipped). Never assign it to a
 * municipality's live signals.
 */
export const drillPolicy: ContactPolicy = {
  ...defaultPolicy,
  name: 'drill',
  version: 1,
  description: 'The default process in minutes, around the clock: for drills and load tests only.',
  matching: { windowMinutes: 1, repeatWindowMonths: 6 },
  segments: {
    ...defaultPolicy.segments,
    light: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      reminderAfterDays: null,
      phoneRound: false,
    },
    standard: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      waitForChoiceHours: 0,
      phoneRound: true,
      visitsWhenUnreached: true,
    },
  },
  callWindows: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY },
  holidays: [],
  messageWindow: ALL_DAY,
  visitWindow: ALL_DAY,
  visitDays: [1, 2, 3, 4, 5, 6, 7],
  phoneRound: {
    ...defaultPolicy.phoneRound,
    maxAttempts: 3,
    minGapMinutes: 1,
    maxPerDay: 1000,
    alternateDagdeel: false,
    dagdeelRotation: [], // no aim: the earliest allowed minute
    outcomeTimeoutMinutes: 2,
    technicalRetries: 0,
  },
  chosenMoment: { retryAfterMinutes: 1, horizonWorkingDays: 2, slotMinutes: 2 },
  visits: { count: 1, outcomeTimeoutHours: 0.05 },
  deadlines: {
    firstAttemptWorkingDays: 0,
    closeAfterDays: 1,
    closeAtMonthEnd: false,
    conversationOutcomeDays: 1,
    handoverOutcomeDays: 1,
    handoverReminders: 1,
    linkValidDaysAfterClose: 1,
  },
  dormant: { months: 1 },
};
