/**
 * SMS length in segments, as carriers and Twilio count them: GSM-7 when every character is in the GSM 03.38
 * basic or extension table (160 per single message, 153 per part), otherwise UCS-2 (70, or 67 per part).
 * Dutch and English texts avoid ë/ï so they stay GSM-7; Turkish, Arabic and Farsi are always UCS-2.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

/**
 * Our documented ceiling for every SMS/WhatsApp text, provided the personal link is at most SMS_LINK_BUDGET
 * characters (a municipal host, `/r/` and the 58-character token) and the name and municipality at most 20 each:
 * 3 segments in GSM-7 (Dutch, English: 459 characters), 4 in UCS-2 (Turkish, Arabic, Farsi: 268 characters; the
 * link alone takes a third of that). Longer values are still sent, in more segments; the template tests check the
 * ceiling with values of exactly those lengths.
 */
export const SMS_MAX_SEGMENTS = { 'GSM-7': 3, 'UCS-2': 4 } as const;
export const SMS_LINK_BUDGET = 90;
export const SMS_NAME_BUDGET = 20;

export interface SmsLength {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
