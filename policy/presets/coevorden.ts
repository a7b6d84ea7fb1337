import type { ContactPolicy } from '../types';
import { CALL_WINDOWS, DUTCH_PUBLIC_HOLIDAYS, MESSAGE_WINDOW, TIME_ZONE, VISIT_DAYS, VISIT_WINDOW } from './common';

/**
 * Coevorden (seed: "Eerste resultaten project Vroegsignalering"). Every invited resident still gets a letter, and besides
 * it a phone call, e-mail or WhatsApp. A home visit happens only when the resident is open to it, so nobody is
 * visited unannounced: not after an unanswered phone round and not in the wijkteam's plan.
 */
export const coevordenPolicy: ContactPolicy = {
  name: 'coevorden',
  version: 1,
  description:
    'A letter always, plus WhatsApp or e-mail with a personal link. Standard: phone round of 7, no unannounced ' +
    'visits. Priority (rent, crisis, over EUR 2,000): warm handover to the wijkteam, which calls; visits by agreement.',
  timeZone: TIME_ZONE,

  matching: {
    windowMinutes: 24 * 60, // signals at one address within 24 h of the first form one case
    repeatWindowMonths: 6, // same partner, amount not grown within 6 months: herhaalde melding, not worked
  },

  segmentation: {
    lightBelowAmount: 500,
    neverLightPartnerTypes: [], // rent arrears are priority already
    priorityAboveAmount: 2000, // the case total, all its signals together
    priorityPartnerTypes: ['Huur'], // rent arrears threaten the home itself
    crisisIsPriority: true, // imminent eviction or cut-off cannot wait for a phone round
  },

  segments: {
    // Automated messages only; choosing a moment leads to a call at that moment.
    light: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 0, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: true, // letters were all Coevorden sent before; they stay, the other channels come on top
      reminderAfterDays: 5, // "de brief of WhatsApp die we sturen werkt als herinnering"
      phoneRound: false,
    },
    // Letter and invitation, 2 days to choose a moment, then the phone round. No visits when unreached.
    standard: {
      wijkteamHandover: false,
      wijkteamPlan: { visits: 0, calls: 2 }, // on a warm reopen
      invite: true,
      alwaysLetter: true,
      waitForChoiceHours: 48,
      phoneRound: true,
      visitsWhenUnreached: false, // "op huisbezoek als zij hiervoor openstaan": only by agreement
    },
    // No call centre: the wijkteam calls twice. (No letter on this route: the wijkteam makes the first contact.)
    priority: {
      wijkteamHandover: true,
      wijkteamPlan: { visits: 0, calls: 2 }, // visits only by agreement, once the resident is reached
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
    helpAcceptedTo: 'wijkteam',
  },

  escalation: {
    knownAtSdvHandover: true, // known at SDV or in a trajectory: hand over, no outreach
    meldpuntOnGrowingArrears: true, // declined or never reached before, and the new amount is higher
    reopenTo: 'wijkteam', // a new signal while dormant reopens warm, with the previous round's history
    repeatsReopenWarm: false,
  },

  dormant: {
    months: 6,
  },

  invitationChannels: { mobile: 'whatsapp', email: 'email', fallback: 'letter' }, // WhatsApp for mobile numbers
};
