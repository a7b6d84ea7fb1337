import type { ContactPolicy } from '../types';
import { CALL_WINDOWS, DUTCH_PUBLIC_HOLIDAYS, MESSAGE_WINDOW, TIME_ZONE, VISIT_DAYS, VISIT_WINDOW } from './common';

/**
 * Zoetermeer (seed: the interim report of the Certin pilot). The call centre calls everything callable, light cases
 * included; arrears above EUR 2,000 go to the social team (Kwadraad) instead so they cannot vanish in the monthly
 * close. Unworked cases close at the end of the month. Repeats are approached warm; growing arrears with refusal go
 * to Meldpunt Bezorgd.
 */
export const zoetermeerPolicy: ContactPolicy = {
  name: 'zoetermeer',
  version: 1,
  description:
    'Everything callable gets the call centre round of 7, light cases too. Over EUR 2,000 or crisis: warm handover ' +
    'to the social team. Unworked cases close at month end; repeats reopen warm; growing refusals go to the Meldpunt.',
  timeZone: TIME_ZONE,

  matching: {
    windowMinutes: 24 * 60, // signals at one address within 24 h of the first form one case
    repeatWindowMonths: 6, // same partner, amount not grown within 6 months: herhaalde melding, not worked
  },

  segmentation: {
    lightBelowAmount: 500,
    neverLightPartnerTypes: ['Huur'],
    priorityAboveAmount: 2000, // "boven 2.000 euro ... niet naar Certin, maar naar Kwadraad" (case total)
    priorityPartnerTypes: [], // rent arrears are called like everything else
    crisisIsPriority: true, // imminent eviction or cut-off cannot wait for a phone round
  },

  segments: {
    // "Het belbare deel wordt telefonisch benaderd": messages with a personal link, then the call centre's round
    // after 48 h, light cases too. No home visits for them.
    light: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      waitForChoiceHours: 48,
      phoneRound: true,
      visitsWhenUnreached: false,
    },
    // Invitation first, 2 days to choose a moment, then the phone round, then home visits.
    standard: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 2, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: false,
      waitForChoiceHours: 48,
      phoneRound: true,
      visitsWhenUnreached: true,
    },
    // Kwadraad, the social team, takes over at once: 2 visits on different days and dagdelen, 2 calls.
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
    closeAfterDays: null, // closeAtMonthEnd decides
    closeAtMonthEnd: true, // "worden collectief aan het einde van de maand afgesloten"
    conversationOutcomeDays: 7, // staff record how the conversation went
    handoverOutcomeDays: 14, // the receiving team answers within two weeks
    handoverReminders: 2, // then the team is reminded, twice at most
    linkValidDaysAfterClose: 1,
  },

  outcomes: {
    helpAcceptedTo: 'wijkteam', // Kwadraad follows up warm with the best time to call and a short description
  },

  escalation: {
    knownAtSdvHandover: true, // known at SDV or in a trajectory: hand over, no outreach
    meldpuntOnGrowingArrears: true, // declined or never reached before, and the new amount is higher
    reopenTo: 'wijkteam', // a new signal while dormant reopens warm, with the previous round's history
    repeatsReopenWarm: true, // recidive is approached warm via Kwadraad, not dropped as a repeat
  },

  dormant: {
    months: 6,
  },

  invitationChannels: { mobile: 'sms', email: 'email', fallback: 'letter' },
};
