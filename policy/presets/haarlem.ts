import type { ContactPolicy } from '../types';
import { CALL_WINDOWS, DUTCH_PUBLIC_HOLIDAYS, MESSAGE_WINDOW, TIME_ZONE, VISIT_DAYS, VISIT_WINDOW } from './common';

/**
 * Haarlem (seeds: the Certin round table and the Vroeg Eropaf pilot). Rent arrears go to the wijkteam, which visits
 * twice and calls twice. Single low signals get mail, SMS or a letter. High or multiple signals go to the call
 * centre with up to 7 attempts, spread over the week and outside office hours.
 */
export const haarlemPolicy: ContactPolicy = {
  name: 'haarlem',
  version: 1,
  description:
    'Rent or crisis: warm handover to the wijkteam (2 visits, 2 calls). Single low signal: mail, SMS or letter with ' +
    'a personal link. High or multiple signals: invitation, then the call centre with up to 7 attempts, then visits.',
  timeZone: TIME_ZONE,

  matching: {
    windowMinutes: 24 * 60, // signals at one address within 24 h of the first form one case
    repeatWindowMonths: 6, // same partner, amount not grown within 6 months: herhaalde melding, not worked
  },

  segmentation: {
    lightBelowAmount: 500,
    neverLightPartnerTypes: [], // rent arrears are priority already
    priorityAboveAmount: Infinity, // high amounts go to the call centre (standard), not the wijkteam
    priorityPartnerTypes: ['Huur'], // "huurachterstand heeft de hoogste prioriteit voor een huisbezoek"
    crisisIsPriority: true, // imminent eviction or cut-off cannot wait for a phone round
  },

  segments: {
    // "Bij enkelvoudige signalen (een achterstand, laag bedrag) wordt er gekozen voor een mail, sms of brief."
    light: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      reminderAfterDays: 5,
      phoneRound: false,
    },
    // High or multiple signals: invitation, 2 days to choose a moment, the call centre's round, then home visits.
    standard: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      waitForChoiceHours: 48,
      phoneRound: true,
      visitsWhenUnreached: true,
    },
    // Vroeg Eropaf: "minimaal 2 keer huisbezoek op verschillende tijdstippen/dagen + 2 keer bellen".
    priority: {
      wijkteamHandover: true,
      wijkteamPlan: { visits: 2, calls: 2 },
    },
  },

  callWindows: CALL_WINDOWS,
  holidays: DUTCH_PUBLIC_HOLIDAYS,
  messageWindow: MESSAGE_WINDOW,
  visitWindow: VISIT_WINDOW,
  visitDays: VISIT_DAYS,

  phoneRound: {
    maxAttempts: 7,
    minGapMinutes: 180,
    maxPerDay: 2,
    alternateDagdeel: true,
    // Morning, then that evening (for residents who work days), then the next afternoon. Ochtend first so a round
    // that starts at night begins when the window opens. Of the orders tried this one spreads attempts most evenly
    // over the dagdelen and finishes a round soonest.
    dagdeelRotation: ['Ochtend', 'Avond', 'Middag'],
    useSaturday: true, // residents who work weekdays are often only reachable on Saturday
    outcomeTimeoutMinutes: 30,
    technicalRetries: 2,
    technicalRetryDelayMinutes: 15,
  },

  chosenMoment: {
    retryAfterMinutes: 15, // one retry when the resident misses the call at their own moment
    horizonWorkingDays: 10,
    slotMinutes: 30,
  },

  visits: {
    count: 2, // on different days and dagdelen; a card is left when nobody is home
    outcomeTimeoutHours: 48,
  },

  deadlines: {
    firstAttemptWorkingDays: 3,
    closeAfterDays: 28, // "Definitief geen contact kunnen krijgen" when never reached
    closeAtMonthEnd: false,
    conversationOutcomeDays: 7, // staff record how the conversation went
    handoverOutcomeDays: 14, // the receiving team answers within two weeks
    handoverReminders: 2, // then the team is reminded, twice at most
    linkValidDaysAfterClose: 1,
  },

  outcomes: {
    helpAcceptedTo: 'budgetcoach', // the round table's usual next step after a call
  },

  escalation: {
    knownAtSdvHandover: true, // "Team SDV checkt: is de klant bekend bij SDV? Ja: klant blijft bij SDV"
    meldpuntOnGrowingArrears: true, // declined or never reached before, and the new amount is higher
    reopenTo: 'wijkteam', // a new signal while dormant reopens warm, with the previous round's history
    repeatsReopenWarm: false,
  },

  dormant: {
    months: 6,
  },

  invitationChannels: { mobile: 'sms', email: 'email', fallback: 'letter' },
};
