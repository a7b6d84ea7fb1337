import { z } from 'zod';

// C0 and C1 control characters and DEL, apart from tab and line breaks, which are whitespace to a person.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS_AND_TABS = /[ ]*[\t\n\r]+[\t\n\r ]*/g;

/**
 * Free text as a person would type it. Control characters and lone surrogates are refused: they are never part of a
 * name or a note, they break SMS and e-mail rendering, and PostgreSQL refuses NUL. One-line fields (names, streets)
 * fold line breaks and tabs into a space, because spreadsheets put them into address cells.
 */
export function plainText(max: number, options: { multiline?: boolean } = {}) {
  const text = z
    .string()
    .trim()
    .max(max)
    .refine((value) => !CONTROL.test(value) && !LONE_SURROGATE.test(value), {
      error: 'must be plain text without control characters',
    });
  return options.multiline ? text : text.transform((value) => value.replace(LINE_BREAKS_AND_TABS, ' '));
}

/** An identifier from a partner system: printable ASCII without spaces, as DDAS IDs and provider references are. */
export function asciiIdentifier(what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, { error: `must be ${what} (printable ASCII without spaces)` });
}
