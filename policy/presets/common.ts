import { ALGEMENE_TERMIJNENWET_HOLIDAYS } from '../holidays';
import type { ContactPolicy, HolidayRule, TimeRange } from '../types';

// Calendar data every Dutch preset shares. Presets refer to these by name so a policy author still reads the
// whole process in the preset file, while a holiday or call-window fix lands in one place.

export const TIME_ZONE = 'Europe/Amsterdam';

/** Algemene termijnenwet: New Year, Good Friday, Easter Monday, King's Day, 5 May, Ascension, Whit Monday, Christmas, Boxing Day. */
export const DUTCH_PUBLIC_HOLIDAYS: HolidayRule[] = ALGEMENE_TERMIJNENWET_HOLIDAYS;

/** Monday to Friday 08:30-21:00, Saturday 09:00-17:00; no Sunday. The call-centre hours from the seed documents. */
export const CALL_WINDOWS: ContactPolicy['callWindows'] = {
  1: { from: '08:30', to: '21:00' },
  2: { from: '08:30', to: '21:00' },
  3: { from: '08:30', to: '21:00' },
  4: { from: '08:30', to: '21:00' },
  5: { from: '08:30', to: '21:00' },
  6: { from: '09:00', to: '17:00' },
};

/** SMS and e-mail: daytime and early evening only, never at night. */
export const MESSAGE_WINDOW: TimeRange = { from: '09:00', to: '20:00' };

/** Home visits: from 09:00, and into the evening so working residents can be found at home. */
export const VISIT_WINDOW: TimeRange = { from: '09:00', to: '20:00' };

/** Home visits Monday to Saturday; never on a Sunday. */
export const VISIT_DAYS: ContactPolicy['visitDays'] = [1, 2, 3, 4, 5, 6];
