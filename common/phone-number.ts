import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** E.164 for a valid number ("06-1234 5678" → "+31612345678"); strips a "whatsapp:" prefix. Null when invalid. */
export function toE164(raw: string, defaultCountry: CountryCode = 'NL'): string | null {
  const value = raw.trim().replace(/^whatsapp:/i, '');
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}
