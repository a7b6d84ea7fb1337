import { createHash } from 'node:crypto';
import { LANGUAGE_PACKS } from '../../templates';
import { PAGE_LANGUAGES, TEXTS, type PageLanguage, type PageTexts } from './texts';

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

const DEFAULT_ACCENT = '#0b5394';

/** The page's CSS; `accent` is the municipality's house colour (checked at start-up for contrast with white). */
function pageStyle(accent: string): string {
  return `
:root { color-scheme: light; --accent: ${accent}; --text: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Tahoma, sans-serif;
  font-size: 1.125rem; line-height: 1.6; color: var(--text); background: #fff; }
header, main, footer { max-width: 40rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 4px solid var(--accent); }
.sender { display: flex; align-items: center; gap: .75rem; margin: 0 0 .75rem; font-size: 1.25rem; font-weight: 700; }
.sender img { height: 3rem; width: auto; max-width: 12rem; }
footer { border-top: 1px solid var(--line); }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1rem; margin: 0; padding: 0; }
a { color: var(--accent); }
a[aria-current="true"] { font-weight: 700; text-decoration: none; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .5rem 0 1rem; }
fieldset { border: 1px solid var(--line); border-radius: .5rem; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
legend { font-weight: 700; padding: 0 .25rem; }
details { border-top: 1px solid var(--line); padding: .5rem 0; }
summary { cursor: pointer; font-weight: 600; padding: .25rem 0; }
.slots { display: grid; grid-template-columns: repeat(auto-fill, minmax(6.5rem, 1fr)); gap: .5rem; margin-top: .5rem; }
.slot { display: flex; align-items: center; gap: .4rem; border: 1px solid var(--line); border-radius: .4rem; padding: .35rem .5rem; }
.slot:has(input:checked) { border: 2px solid var(--accent); font-weight: 700; }
.slot input { width: 1.25rem; height: 1.25rem; margin: 0; accent-color: var(--accent); }
button { font: inherit; font-weight: 700; color: #fff; background: var(--accent); border: 0; border-radius: .4rem; padding: .75rem 1.25rem; cursor: pointer; }
.note { color: var(--muted); }
.error { border: 2px solid #b00020; border-radius: .4rem; padding: .5rem .75rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
}

/** Who the page is from, as far as the link tells: shown in the header, and how to reach them in the footer. */
export interface PageSender {
  /** Bare name, e.g. "Den Haag". */
  name: string;
  phone?: string;
  email?: string;
  logoUrl?: string;
  colour?: string;
}

const styleHash = (style: string) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`;

/**
 * Inline CSS is allowed by its hash only, so the page needs no other source and runs no script; the municipality's
 * logo is the one image, from its own origin.
 */
export function residentSecurityHeaders(sender?: PageSender): Record<string, string> {
  const images = sender?.logoUrl ? `; img-src ${new URL(sender.logoUrl).origin}` : '';
  return {
    'Content-Security-Policy': `default-src 'none'; style-src ${styleHash(pageStyle(sender?.colour ?? DEFAULT_ACCENT))}${images}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

const PHONE_MARK = '\uE000';
const EMAIL_MARK = '\uE001';

/** How to reach the municipality, with the number as a tel: link that reads left to right in every language. */
function contactHtml(t: PageTexts, sender: PageSender | undefined): string {
  if (!sender?.phone) return escapeHtml(t.contactUnknown);
  const phone = `<a href="tel:${sender.phone.replace(/[^+0-9]/g, '')}" dir="ltr">${escapeHtml(sender.phone)}</a>`;
  const parts = [escapeHtml(t.callUs(sender.name, PHONE_MARK)).replace(PHONE_MARK, phone)];
  if (sender.email) {
    const email = `<a href="mailto:${escapeHtml(sender.email)}" dir="ltr">${escapeHtml(sender.email)}</a>`;
    parts.push(escapeHtml(t.mailUs(EMAIL_MARK)).replace(EMAIL_MARK, email));
  }
  return parts.join(' ');
}

interface Layout {
  lang: PageLanguage;
  /** Path of this page without query, for the language links. */
  selfPath: string;
  title: string;
  body: string;
  sender?: PageSender;
  /** Whether the footer tells how to reach the municipality (the notices say it in their body instead). */
  contactFooter?: boolean;
}

function layout({ lang, selfPath, title, body, sender, contactFooter = true }: Layout): string {
  const t = TEXTS[lang];
  const links = PAGE_LANGUAGES.map((code) => {
    const current = code === lang ? ' aria-current="true"' : '';
    return `<li><a href="${escapeHtml(`${selfPath}?lang=${code}`)}" lang="${code}" hreflang="${code}"${current}>${escapeHtml(TEXTS[code].languageName)}</a></li>`;
  }).join('');
  const signature = sender ? LANGUAGE_PACKS[lang].signature(sender.name) : undefined;
  // The logo is decorative beside the written name, which stays readable when the image does not load.
  const logo = sender?.logoUrl ? `<img src="${escapeHtml(sender.logoUrl)}" alt="">` : '';
  const from = signature ? `<p class="sender">${logo}<span>${escapeHtml(signature)}</span></p>\n` : '';
  const footer = sender && contactFooter ? `<footer><p>${contactHtml(t, sender)}</p></footer>\n` : '';
  return `<!doctype html>
<html lang="${lang}" dir="${t.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(signature ? `${title} - ${signature}` : title)}</title>
<style>${pageStyle(sender?.colour ?? DEFAULT_ACCENT)}</style>
</head>
<body>
<header>${from}<nav aria-label="${escapeHtml(t.languageLabel)}"><ul>${links}</ul></nav></header>
<main id="main">
${body}
</main>
${footer}</body>
</html>`;
}

export interface Formatter {
  day(ms: number): string;
  time(ms: number): string;
  moment(ms: number): string;
  dayKey(ms: number): string;
}

export function formatterFor(texts: PageTexts, timeZone: string): Formatter {
  const day = new Intl.DateTimeFormat(texts.locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(texts.locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const key = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    day: (ms) => day.format(ms),
    time: (ms) => time.format(ms),
    moment: (ms) => texts.at(day.format(ms), time.format(ms)),
    dayKey: (ms) => key.format(ms),
  };
}

export interface ChoosePage {
  lang: PageLanguage;
  selfPath: string;
  slots: number[];
  timeZone: string;
  chosenMoment: number | null;
  error?: 'rejected' | 'missing' | 'unavailable' | 'unreadable';
  /** The slot whose radio button is checked: the moment the resident chose before, when it is still offered. */
  selected?: number;
  sender: PageSender;
}

export function renderChoosePage(page: ChoosePage): string {
  const t = TEXTS[page.lang];
  const f = formatterFor(t, page.timeZone);
  const days = new Map<string, number[]>();
  for (const slot of page.slots) {
    const key = f.dayKey(slot);
    days.set(key, [...(days.get(key) ?? []), slot]);
  }
  const parts: string[] = [`<h1>${escapeHtml(t.title)}</h1>`];
  if (page.error) {
    parts.push(
      `<p class="error" role="alert" id="form-error"><strong>${escapeHtml(t.errorPrefix)}</strong> ${escapeHtml(t[page.error])}</p>`,
    );
  }
  parts.push(`<p>${escapeHtml(t.intro)}</p>`);
  if (page.chosenMoment !== null) parts.push(`<p>${escapeHtml(t.current(f.moment(page.chosenMoment)))}</p>`);
  if (days.size === 0) {
    parts.push(`<p>${escapeHtml(t.noSlots)}</p>`);
    return layout({
      lang: page.lang,
      selfPath: page.selfPath,
      title: t.title,
      body: parts.join('\n'),
      sender: page.sender,
    });
  }
  const describedBy = page.error ? ' aria-describedby="form-error"' : '';
  const groups = [...days.values()].map((slots, dayIndex) => {
    const open = dayIndex === 0 || (page.selected !== undefined && slots.includes(page.selected)) ? ' open' : '';
    const radios = slots
      .map((slot, i) => {
        const id = `slot-${dayIndex}-${i}`;
        const checked = slot === page.selected ? ' checked' : '';
        return `<div class="slot"><input type="radio" name="moment" id="${id}" value="${new Date(slot).toISOString()}" required${checked}><label for="${id}">${escapeHtml(f.time(slot))}</label></div>`;
      })
      .join('');
    return `<details${open}><summary>${escapeHtml(f.day(slots[0]!))} <span class="note">(${escapeHtml(t.slotCount(slots.length))})</span></summary>
<fieldset><legend class="sr-only">${escapeHtml(f.day(slots[0]!))}</legend><div class="slots">${radios}</div></fieldset></details>`;
  });
  parts.push(`<form method="post" action="${escapeHtml(page.selfPath)}"${describedBy}>
<input type="hidden" name="lang" value="${page.lang}">
<fieldset><legend>${escapeHtml(t.legend)}</legend>
<p class="note">${escapeHtml(t.timeNote)}</p>
${groups.join('\n')}
</fieldset>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`);
  return layout({
    lang: page.lang,
    selfPath: page.selfPath,
    title: t.title,
    body: parts.join('\n'),
    sender: page.sender,
  });
}

export function renderConfirmation(
  lang: PageLanguage,
  selfPath: string,
  moment: number,
  timeZone: string,
  sender: PageSender,
): string {
  const t = TEXTS[lang];
  const f = formatterFor(t, timeZone);
  const body = `<h1>${escapeHtml(t.confirmTitle)}</h1>
<p role="status" id="confirmation">${escapeHtml(t.confirmText(f.moment(moment)))}</p>
<p>${escapeHtml(t.confirmChange)}</p>`;
  return layout({ lang, selfPath, title: t.confirmTitle, body, sender });
}

export type NoticeKind = 'invalid' | 'expired' | 'closed' | 'unavailable';

/**
 * A page that shows nothing about the case: for bad, expired or finished links. `sender` is known only when the
 * link's signature was valid; a closed or expired link then says whom to call instead.
 */
export function renderNotice(lang: PageLanguage, selfPath: string, kind: NoticeKind, sender?: PageSender): string {
  const t = TEXTS[lang];
  const [title, text] =
    kind === 'invalid'
      ? [t.invalidTitle, t.invalidText]
      : kind === 'expired'
        ? [t.expiredTitle, t.expiredText]
        : kind === 'closed'
          ? [t.closedTitle, t.closedText]
          : [t.title, t.unavailable];
  const paragraphs = [`<p>${escapeHtml(text)}</p>`];
  if (kind === 'expired' || kind === 'closed') paragraphs.push(`<p id="contact">${contactHtml(t, sender)}</p>`);
  const body = `<h1>${escapeHtml(title)}</h1>\n${paragraphs.join('\n')}`;
  return layout({ lang, selfPath, title, body, sender, contactFooter: kind !== 'expired' && kind !== 'closed' });
}
