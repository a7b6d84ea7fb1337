import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Twilio Lookups v2 line types, plus 'invalid' and 'unknown'. */
export type LineType =
  | 'mobile'
  | 'landline'
  | 'fixedVoip'
  | 'nonFixedVoip'
  | 'personal'
  | 'tollFree'
  | 'premium'
  | 'sharedCost'
  | 'uan'
  | 'voicemail'
  | 'pager'
  | 'invalid'
  | 'unknown';

/** Types that receive SMS. 'unknown' is tried: Twilio refuses a landline with 21614, which we report the same way. */
const SMS_CAPABLE: ReadonlySet<LineType> = new Set(['mobile', 'nonFixedVoip', 'unknown']);

export function smsCapable(type: LineType): boolean {
  return SMS_CAPABLE.has(type);
}

/** The reason a message is not sent to a number of this type. */
export function notSmsReason(type: LineType): string {
  if (type === 'landline' || type === 'fixedVoip') return 'landline';
  if (type === 'invalid') return 'invalid-number';
  return `not-mobile:${type}`;
}

export { toE164 } from '../../common/phone-number';

const TWILIO_TYPES: Record<string, LineType> = {
  mobile: 'mobile',
  landline: 'landline',
  fixedVoip: 'fixedVoip',
  nonFixedVoip: 'nonFixedVoip',
  personal: 'personal',
  tollFree: 'tollFree',
  premium: 'premium',
  sharedCost: 'sharedCost',
  uan: 'uan',
  voicemail: 'voicemail',
  pager: 'pager',
};

export function fromTwilioLineType(type: string | null | undefined): LineType {
  return (type && TWILIO_TYPES[type]) || 'unknown';
}

/** Line type from the numbering plan alone (06 is mobile, 020 is fixed, 085/088 are VoIP in the Netherlands). */
export function numberingPlanLineType(e164: string): LineType {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isValid()) return 'invalid';
  switch (parsed.getType()) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'VOIP':
      return 'fixedVoip';
    case 'TOLL_FREE':
      return 'tollFree';
    case 'PREMIUM_RATE':
      return 'premium';
    case 'SHARED_COST':
      return 'sharedCost';
    case 'PERSONAL_NUMBER':
      return 'personal';
    case 'PAGER':
      return 'pager';
    case 'UAN':
      return 'uan';
    case 'VOICEMAIL':
      return 'voicemail';
    default:
      return 'unknown';
  }
}
