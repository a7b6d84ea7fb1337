import { z } from 'zod';

/**
 * The municipalities bereik knows, by CBS gemeentecode: what residents read about the sender of a message or page.
 * This is the one source of municipality names. The built-in entries are the municipalities of the policy presets
 * and the test keys; a deployment adds or corrects its own with the MUNICIPALITIES variable (see `config/`), which
 * is validated at start-up. An unknown code is an error, never a made-up name.
 */
export interface Municipality {
  /** CBS gemeentecode, four digits, e.g. "0518". */
  code: string;
  /** Bare place name as residents know it ("Den Haag"), without "Gemeente". */
  name: string;
  /** Return address for letters, e.g. ["Postbus 12600", "2500 DJ Den Haag"]. */
  returnAddress: string[];
  /** Number residents can call, as printed ("14 070"). */
  phone: string;
  website?: string;
  /** Address residents may write to; shown on the resident page and used as Reply-To when `replyTo` is not set. */
  email?: string;
  /** Where replies to our e-mails go, e.g. the team's shared mailbox. */
  replyTo?: string;
  /** Signature line above the municipality, e.g. "Team Vroegsignalering". */
  team?: string;
  /** HTTPS URL of the municipality's logo, shown on the resident page beside its name. */
  logoUrl?: string;
  /** House colour (#rrggbb) for the page's buttons and links; it must carry white text at WCAG AA contrast. */
  colour?: string;
  /** Who delivers the DDAS v1.2 data to CBS for this municipality (`aanleverendeOrganisatie`). */
  ddas?: DdasSupplier;
}

/** A contactpersoon of the aanleverende organisatie, as DDAS v1.2 records one. */
export interface DdasContactPerson {
  naam: string;
  email: string;
  telefoonnummer?: string;
  functietitel?: string;
}

export interface DdasSupplier {
  /** Defaults to "Gemeente <name>": the municipality delivering itself. */
  organisatie?: string;
  /** KvK number of the organisation, 8 digits. */
  kvkNummer?: string;
  /** Whom CBS contacts about the delivery; at least one. */
  contactpersonen: DdasContactPerson[];
}

export type MunicipalityEntry = Omit<Municipality, 'code'>;

const BUILT_IN: Readonly<Record<string, MunicipalityEntry>> = {
  '0109': {
    name: 'Coevorden',
    returnAddress: ['Postbus 2', '7740 AA Coevorden'],
    phone: '14 0524',
    website: 'coevorden.nl',
    team: 'Team Vroegsignalering',
  },
  '0363': {
    name: 'Amsterdam',
    returnAddress: ['Postbus 202', '1000 AE Amsterdam'],
    phone: '14 020',
    website: 'amsterdam.nl',
    team: 'Team Vroegsignalering',
  },
  '0392': {
    name: 'Haarlem',
    returnAddress: ['Postbus 511', '2003 PB Haarlem'],
    phone: '14 023',
    website: 'haarlem.nl',
    team: 'Team Vroegsignalering',
  },
  '0518': {
    name: 'Den Haag',
    returnAddress: ['Postbus 12600', '2500 DJ Den Haag'],
    phone: '14 070',
    website: 'denhaag.nl',
    team: 'Team Vroegsignalering',
  },
  '0637': {
    name: 'Zoetermeer',
    returnAddress: ['Postbus 15', '2700 AA Zoetermeer'],
    phone: '14 079',
    website: 'zoetermeer.nl',
    team: 'Team Vroegsignalering',
  },
};

export class UnknownMunicipalityError extends Error {
  constructor(readonly code: string) {
    super(
      `municipality ${/^\d{4}$/.test(code) ? code : '(not a gemeentecode)'} is not in the directory; add it to MUNICIPALITIES`,
    );
    this.name = 'UnknownMunicipalityError';
  }
}

/** WCAG 2.1 contrast ratio of a #rrggbb colour against white. */
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
const email = z.email({ error: 'must be an e-mail address' });

const ddasContactPersonSchema = z.strictObject({
  naam: text(100),
  email: email.max(254, { error: 'must be at most 254 characters' }),
  telefoonnummer: text(30)
    .regex(/^\+?[0-9][0-9 ()-]*$/, { error: 'must be a phone number such as 070 353 3000' })
    .optional(),
  functietitel: text(100).optional(),
});

const ddasSupplierSchema = z.strictObject({
  organisatie: text(200).optional(),
  kvkNummer: z
    .string()
    .regex(/^[0-9]{8}$/, { error: 'must be a KvK number of 8 digits' })
    .optional(),
  contactpersonen: z
    .array(ddasContactPersonSchema)
    .min(1, { error: 'needs at least one contact person' })
    .max(10, { error: 'has at most 10 contact persons' })
    .refine((list) => new Set(list.map((c) => c.email.toLowerCase())).size === list.length, {
      error: 'must not list the same e-mail address twice',
    }),
});

export const municipalityEntrySchema = z
  .object({
    name: text(60),
    returnAddress: z
      .array(text(80))
      .min(1, { error: 'needs at least one line' })
      .max(4, { error: 'has at most 4 lines' }),
    phone: text(30).regex(/^\+?[0-9][0-9 ()-]*$/, {
      error: 'must be a phone number as residents dial it, e.g. 14 070',
    }),
    website: text(200).optional(),
    email: email.optional(),
    replyTo: email.optional(),
    team: text(60).optional(),
    logoUrl: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .max(500, { error: 'must be at most 500 characters' })
      .optional(),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour such as #00589c' })
      .refine((c) => contrastWithWhite(c) >= 4.5, {
        error: 'is too light: white text on it needs a contrast of at least 4.5:1',
      })
      .optional(),
    ddas: ddasSupplierSchema.optional(),
  })
  .strict();

/** MUNICIPALITIES: per gemeentecode the fields to add or change; a code that is not built in needs name, returnAddress and phone. */
export const municipalityOverridesSchema = z
  .record(
    z.string().regex(/^\d{4}$/, { error: 'keys must be 4-digit gemeentecodes' }),
    municipalityEntrySchema.partial().strict(),
  )
  .superRefine((overrides, ctx) => {
    for (const [code, entry] of Object.entries(overrides)) {
      if (BUILT_IN[code]) continue;
      for (const field of ['name', 'returnAddress', 'phone'] as const) {
        if (entry[field] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [code, field],
            message: 'is required for a municipality that is not built in',
          });
      }
    }
  });

export type MunicipalityOverrides = z.infer<typeof municipalityOverridesSchema>;

export interface MunicipalityDirectory {
  /** The municipality with this gemeentecode; throws UnknownMunicipalityError for a code it does not know. */
  get(code: string): Municipality;
  find(code: string): Municipality | undefined;
  codes(): string[];
}

export function createMunicipalityDirectory(overrides: MunicipalityOverrides = {}): MunicipalityDirectory {
  const entries = new Map<string, Municipality>();
  for (const code of new Set([...Object.keys(BUILT_IN), ...Object.keys(overrides)])) {
    const merged = { ...BUILT_IN[code], ...overrides[code] };
    const parsed = municipalityEntrySchema.safeParse(merged);
    if (!parsed.success)
      throw new Error(
        `municipality ${code}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    entries.set(code, Object.freeze({ code, ...parsed.data }));
  }
  const find = (code: string) => entries.get(code);
  return {
    find,
    get(code) {
      const found = find(code);
      if (!found) throw new UnknownMunicipalityError(code);
      return found;
    },
    codes: () => [...entries.keys()].sort(),
  };
}
