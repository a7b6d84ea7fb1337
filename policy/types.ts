import type { Dagdeel, SignaalpartnerType } from '../domain/ddas';
import type { HandoverTarget, MessageChannel, Segment } from '../domain/case';

/** 1 = Monday ... 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** 'HH:mm' in the policy's time zone. */
export type LocalTime = `${number}:${number}`;

export interface TimeRange {
  from: LocalTime;
  /** Exclusive: an instant is inside when from <= t < to, so with 21:00 the last call starts at 20:59. */
  to: LocalTime;
}

/** A public holiday rule: a fixed day of the year, or an offset from Easter Sunday. */
export type HolidayRule =
  | { name: string; month: number; day: number; ifSunday?: 'dayBefore' | 'dayAfter' }
  | { name: string; easterOffsetDays: number };

/** Visits and calls the wijkteam plans on different days and dagdelen once it works a case. */
export interface WijkteamPlan {
  visits: number;
  calls: number;
}

/** The priority route: an immediate warm handover to the wijkteam, which works its plan. No call centre. */
export interface WijkteamSegmentPlan {
  wijkteamHandover: true;
  wijkteamPlan: WijkteamPlan;
}

/** The contact ladder: an invitation, then either a phone round (and visits) or a reminder. */
export type LadderSegmentPlan = {
  wijkteamHandover: false;
  /** What the wijkteam works when a case of this segment reopens warm (`escalation.reopenTo` 'wijkteam'). */
  wijkteamPlan: WijkteamPlan;
  /** Send a digital invitation with a personal link to choose a contact moment. */
  invite: boolean;
  /** Always send a letter as well, whatever digital channels are known (Coevorden). */
  alwaysLetter: boolean;
} & (
  | {
      /** Run the call-centre phone round after the time to choose. */
      phoneRound: true;
      /** Hours after the invitation to wait for a chosen moment before the phone round starts. */
      waitForChoiceHours: number;
      /** Plan home visits when the phone round did not reach the resident. */
      visitsWhenUnreached: boolean;
    }
  | {
      phoneRound: false;
      /** Days after the invitation to send one reminder when nothing was chosen; null for none. */
      reminderAfterDays: number | null;
    }
);

/** What the workflow does for one segment, in order. Each shape holds only the fields its route reads. */
export type SegmentPlan = WijkteamSegmentPlan | LadderSegmentPlan;

export interface ContactPolicy {
  /** Preset name, also the key in the registry. */
  name: string;
  /** Bumped on every behaviour change. A case keeps the version it started with. */
  version: number;
  description: string;
  timeZone: string;

  matching: {
    /** Signals at one address within this window after the first form one case (default 24 h). */
    windowMinutes: number;
    /** A signal from the same partner whose amount did not grow within this many months is a herhaalde melding. */
    repeatWindowMonths: number;
  };

  segmentation: {
    /** Single signals below this amount (EUR) are light, unless rent or crisis. */
    lightBelowAmount: number;
    /** Signals from these partner types are never light, however low (rent arrears: Huur). */
    neverLightPartnerTypes: SignaalpartnerType[];
    /** A case whose total (sum of its signals' amounts, EUR) is above this is priority. Infinity disables the rule. */
    priorityAboveAmount: number;
    /** Partner types that always make a case priority (rent arrears: Huur). */
    priorityPartnerTypes: SignaalpartnerType[];
    crisisIsPriority: boolean;
  };

  segments: Record<Segment, SegmentPlan>;

  /** Call windows by ISO weekday (1 = Monday ... 7 = Sunday); a missing day has no window. */
  callWindows: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, TimeRange>>;
  /** Days without calls, visits or messages. */
  holidays: HolidayRule[];
  /** Messages (SMS, e-mail) are only sent inside this range on days that have a call window. */
  messageWindow: TimeRange;
  /** Home visits happen inside this range, on `visitDays` that are no holiday. */
  visitWindow: TimeRange;
  /** ISO weekdays with home visits (1 = Monday ... 7 = Sunday). */
  visitDays: IsoWeekday[];

  phoneRound: {
    maxAttempts: number;
    minGapMinutes: number;
    maxPerDay: number;
    /** No two consecutive attempts in the same dagdeel. */
    alternateDagdeel: boolean;
    /** The order of dagdelen the round aims for, so mornings, afternoons and evenings all get a turn; empty: no aim. */
    dagdeelRotation: Dagdeel[];
    /** Use Saturday slots when a round spans a Saturday. */
    useSaturday: boolean;
    /** How long to wait for a call's status before treating it as a technical failure. */
    outcomeTimeoutMinutes: number;
    /** Retries of a technically failed call before it counts as an attempt without answer. */
    technicalRetries: number;
    technicalRetryDelayMinutes: number;
  };

  chosenMoment: {
    /** One retry this many minutes after an unanswered call at the chosen moment. */
    retryAfterMinutes: number;
    /** The resident page offers slots for this many working days ahead. */
    horizonWorkingDays: number;
    slotMinutes: number;
  };

  visits: {
    count: number;
    /** How long the visit team has to report a visit's outcome before the case moves on. */
    outcomeTimeoutHours: number;
  };

  deadlines: {
    /** First contact attempt within this many working days of matching. */
    firstAttemptWorkingDays: number;
    /** Close this many days after matching at the latest; null when `closeAtMonthEnd` decides instead. */
    closeAfterDays: number | null;
    /** Zoetermeer: unworked cases close at the end of the month (then `closeAfterDays` is null). */
    closeAtMonthEnd: boolean;
    /**
     * Once the resident is reached, how long staff have to record the conversation's outcome (at least until the
     * close deadline) before the round closes without it.
     */
    conversationOutcomeDays: number;
    /**
     * After a handover, how long the receiving team has to answer it (taken up or not). Past it the handover is
     * overdue: the case records a breach and reminds the team, up to `handoverReminders` times, each after another
     * `handoverOutcomeDays`. The case's own round goes on meanwhile: it waits for its close deadline.
     */
    handoverOutcomeDays: number;
    handoverReminders: number;
    /** The resident's personal link stays valid this many days after the close deadline. */
    linkValidDaysAfterClose: number;
  };

  outcomes: {
    /** Where "help accepted" goes by default when staff don't say. */
    helpAcceptedTo: HandoverTarget;
  };

  escalation: {
    /** Residents already known at SDV are handed over without outreach. */
    knownAtSdvHandover: boolean;
    /** A new higher signal after a declined or never-reached round goes to Meldpunt Bezorgd. */
    meldpuntOnGrowingArrears: boolean;
    /**
     * Who a warm reopen is handed over to. The wijkteam then works the new segment's `wijkteamPlan`; any other
     * team works the case on its own until the close deadline.
     */
    reopenTo: HandoverTarget;
    /**
     * A herhaalde melding (same partner, amount not increased) is normally recorded and not worked. When true it
     * reopens the case warm (to `reopenTo`) instead (Zoetermeer).
     */
    repeatsReopenWarm: boolean;
  };

  dormant: {
    /** After closing, the case watches the address this long for new signals. */
    months: number;
  };

  /**
   * Channels that carry invitations and reminders: `mobile` when a mobile number is known, `email` when an address
   * is known (both when both are), `fallback` when neither is or when none of them could carry the message. A
   * confirmation of a chosen moment goes by `mobile`, else by `email`.
   */
  invitationChannels: { mobile: MessageChannel; email: MessageChannel; fallback: MessageChannel };
}

/** Facts about a case that decide its segment. */
export interface SegmentFacts {
  signals: { partnerType: SignaalpartnerType; amount: number; crisis: boolean }[];
  meervoudig: boolean;
  opeenvolgend: boolean;
}

/** What is known about how to reach the resident. */
export interface ContactFacts {
  mobile: boolean;
  landline: boolean;
  email: boolean;
}
