import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { SIGNAALPARTNER_TYPES } from './ddas';
import { asciiIdentifier, plainText } from './text';

// Year 0000 matches the ISO pattern but is no date to PostgreSQL, which would fail the whole batch on it.
const isoDate = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD' })
  .refine((v) => !v.startsWith('0000'), { error: 'must be a date as YYYY-MM-DD' });

const postcode = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{3} ?[A-Za-z]{2}$/, { error: 'must be a Dutch postcode such as 2011AB' })
  .transform((v) => v.replace(' ', '').toUpperCase());

const phone = z
  .string()
  .trim()
  .max(32)
  .transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value, 'NL');
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number' });
      return z.NEVER;
    }
    return parsed.number; // E.164
  });

export const LANGUAGES = ['nl', 'en', 'ar', 'tr', 'fa'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The resident as the partner reports them: DDAS `client` plus the contact fields bereik needs. As in DDAS v1.2, the
 * resident is identified by a BSN, or by postcode plus huisnummer; name, street and place are welcome (letters and
 * the BRP match need them) but not required. Contact details stay optional.
 */
export const clientSchema = z
  .strictObject({
    Burgerservicenummer: z
      .string()
      .regex(/^[0-9]{9}$/, { error: 'must be 9 digits' })
      .optional(),
    Voorletters: plainText(20).optional(),
    Voorvoegsel: plainText(20).optional(),
    Achternaam: plainText(200).pipe(z.string().min(1)).optional(),
    Geboortedatum: isoDate.optional(),
    Straatnaam: plainText(200).pipe(z.string().min(1)).optional(),
    Huisnummer: z
      .string()
      .trim()
      .regex(/^[1-9][0-9]{0,4}$/, { error: 'must be a house number such as 12' })
      .optional(),
    Huisnummertoevoeging: plainText(10).optional(),
    Postcode: postcode.optional(),
    Plaatsnaam: plainText(100).pipe(z.string().min(1)).optional(),
    telefoon: phone.optional(),
    email: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
    // Unknown languages fall back to Dutch when texts are rendered, so any short code is accepted here.
    taal: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2}$/, { error: 'must be a two-letter language code' })
      .optional(),
  })
  .superRefine((client, ctx) => {
    if (client.Postcode !== undefined && client.Huisnummer === undefined)
      ctx.addIssue({ code: 'custom', path: ['Huisnummer'], message: 'is required with Postcode' });
    if (client.Huisnummer !== undefined && client.Postcode === undefined)
      ctx.addIssue({ code: 'custom', path: ['Postcode'], message: 'is required with Huisnummer' });
    if (client.Huisnummertoevoeging !== undefined && client.Huisnummer === undefined)
      ctx.addIssue({ code: 'custom', path: ['Huisnummertoevoeging'], message: 'needs Postcode and Huisnummer' });
    if (client.Burgerservicenummer === undefined && client.Postcode === undefined && client.Huisnummer === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'must identify the resident: give Burgerservicenummer, or Postcode and Huisnummer',
      });
  });
export type Client = z.infer<typeof clientSchema>;

/** One vroegsignaal as received at intake: the DDAS fields plus contact details. */
export const signalSchema = z.strictObject({
  ID: asciiIdentifier('a signal ID'),
  signaaldatum: isoDate,
  ontstaansdatum: isoDate.optional(),
  bedrag: z.number().nonnegative().max(10_000_000),
  crisissignaal: z.boolean().default(false),
  warmeOverdracht: z.boolean().optional(),
  signaalpartner: z.strictObject({
    type: z.enum(SIGNAALPARTNER_TYPES),
    naam: plainText(200).optional(),
  }),
  client: clientSchema,
});
export type Signal = z.infer<typeof signalSchema>;
export type SignalInput = z.input<typeof signalSchema>;

/** A signal on its way into a case: the validated signal plus where and when it came in. */
export interface IncomingSignal {
  signal: Signal;
  municipality: string;
  receivedAt: string; // ISO 8601
}

export type ClientAddress = Required<Pick<Client, 'Postcode' | 'Huisnummer'>> & Pick<Client, 'Huisnummertoevoeging'>;

/** The client's address (postcode and huisnummer), when the signal gives one. */
export function addressOf(
  client: Pick<Client, 'Postcode' | 'Huisnummer' | 'Huisnummertoevoeging'>,
): ClientAddress | null {
  if (client.Postcode === undefined || client.Huisnummer === undefined) return null;
  return {
    Postcode: client.Postcode,
    Huisnummer: client.Huisnummer,
    Huisnummertoevoeging: client.Huisnummertoevoeging,
  };
}

export type PostalAddress = Required<Pick<Client, 'Straatnaam' | 'Huisnummer' | 'Postcode' | 'Plaatsnaam'>>;

/** Whether a letter can be addressed to the client: street, number, postcode and place (a name is optional). */
export function hasPostalAddress<C extends Partial<PostalAddress>>(client: C): client is C & PostalAddress {
  return Boolean(client.Straatnaam && client.Huisnummer && client.Postcode && client.Plaatsnaam);
}

/** The household key: the address fields that make two signals one case. */
export function addressKey(client: ClientAddress): string {
  const addition = (client.Huisnummertoevoeging ?? '').replace(/[\s-]/g, '').toUpperCase();
  return `${client.Postcode}|${client.Huisnummer}|${addition}`;
}
