import type { MessagePurpose } from '../domain/case';
import type { Client, Language } from '../domain/signal';

export type { Language, MessagePurpose };

/** Positive for light and first signals; more direct for a repeat. */
export type Tone = 'positive' | 'direct';
export type Direction = 'ltr' | 'rtl';

/** What residents see of the municipality. `name` is the bare place name ("Haarlem"), not "Gemeente Haarlem". */
export interface MunicipalityInfo {
  name: string;
  /** Number residents can call, as it should be printed ("14 023" or "023 511 51 15"). */
  phone?: string;
  website?: string;
  email?: string;
  /** Signature line above the municipality, e.g. "Team Vroeg Erop Af". */
  team?: string;
}

export interface RenderInput {
  purpose: MessagePurpose;
  tone: Tone;
  client: Pick<Client, 'Voorletters' | 'Voorvoegsel' | 'Achternaam' | 'taal'>;
  municipality: MunicipalityInfo;
  /** Personal link to choose a contact moment. */
  link?: string;
  /** ISO 8601 instant of the chosen moment; required for a confirmation. */
  moment?: string;
  /** Arrears amount in EUR; only rendered when `showAmount` is true (policy decides, default off). Never in SMS. */
  amount?: number;
  showAmount?: boolean;
  /** Overrides `client.taal`. */
  language?: string;
}

/** The variables a language pack fills in; all already formatted for that language. */
export interface TextVars {
  name: string;
  municipality: string;
  link?: string;
  moment?: string;
  phone?: string;
  amount?: string;
}

export interface MessageTexts {
  subject(v: TextVars): string;
  /** Body paragraphs between greeting and closing; the link and phone lines are added by the renderer. */
  body(v: TextVars): string[];
  /** Sentence introducing the link (button or QR code follows). */
  linkIntro(v: TextVars): string;
  sms(v: TextVars): string;
}

export interface CallScriptSection {
  heading: string;
  lines: string[];
}

export interface LanguagePack {
  lang: Language;
  dir: Direction;
  /** BCP 47 tag for Intl; digits are always Latin so links, times and phone numbers read the same everywhere. */
  locale: string;
  /** Name of the language in itself, for the heading of a bilingual letter. */
  nativeName: string;
  greeting(name: string): string;
  /** Who the resident is when the signal gives no name (DDAS v1.2 allows that): "bewoner" in "Beste bewoner,". */
  resident: string;
  /** "Met vriendelijke groet," */
  regards: string;
  /** "Gemeente Haarlem" as a signature. */
  signature(municipality: string): string;
  moment(date: string, time: string): string;
  amount(amount: string): string;
  callUs(phone: string): string;
  labels: {
    button: string;
    linkFallback: string;
    qrHint: string;
    date: string;
    subject: string;
    footer(municipality: string): string;
  };
  messages: Record<MessagePurpose, Record<Tone, MessageTexts>>;
  callScript(tone: Tone, v: TextVars): { title: string; sections: CallScriptSection[] };
  /** Spoken by text-to-speech when the resident picks up, before the call centre is connected. */
  callGreeting?(municipality: string): string;
}

export interface RenderedMessage {
  lang: Language;
  dir: Direction;
  subject: string;
  /** Plain text: greeting, paragraphs, link, closing. */
  text: string;
  /** A complete HTML document with lang and dir set. */
  html: string;
  /** Short text for SMS or WhatsApp; never an amount. */
  sms: string;
  /** Structured parts for letters and other layouts. */
  parts: {
    greeting: string;
    paragraphs: string[];
    linkIntro?: string;
    link?: string;
    callUs?: string;
    closing: string[];
  };
}

export interface RenderedCallScript {
  lang: Language;
  dir: Direction;
  title: string;
  sections: CallScriptSection[];
  text: string;
  html: string;
}
