/**
 * Words that frighten residents away (seed 004: "schuldhulpverlening" causes a "schrikreactie"). Checked by the
 * template tests on every rendered text; not at runtime, because a resident's own name may contain one.
 */
export const FORBIDDEN_ANYWHERE: RegExp[] = [
  /schuldhulpverlening/i,
  /schuldhulp/i,
  /incasso/i,
  /deurwaarder/i,
  /bailiff/i,
  /debt collect/i,
  /\bicra\b/i,
];
export const FORBIDDEN_IN_SUBJECT: RegExp[] = [
  /schuld/i,
  /\bdebts?\b/i,
  /\bborç/i,
  /(^|[\s:،])(دين|ديون|الديون|الدين)($|[\s:،.])/,
  /بدهی/,
];
export const FORBIDDEN_IN_SMS: RegExp[] = [/achterstand/i, /\barrears\b/i, /schuld/i, /\bdebts?\b/i, /\bborç/i, /بدهی/];

export type TextPlace = 'subject' | 'sms' | 'body';

export function forbiddenWords(text: string, place: TextPlace): string[] {
  const rules = [
    ...FORBIDDEN_ANYWHERE,
    ...(place === 'subject' ? FORBIDDEN_IN_SUBJECT : place === 'sms' ? FORBIDDEN_IN_SMS : []),
  ];
  return rules.filter((r) => r.test(text)).map((r) => r.source);
}
