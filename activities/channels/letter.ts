import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Logger } from 'pino';
import type { Client, PostalAddress } from '../../domain/signal';
import { displayName, formatDate, languagePack, type RenderedMessage } from '../../templates';
import { hasArabicScript, stripBidiControls, writeRtlParagraph } from './pdf-text';
import type { SentStore } from './sent-store';

/**
 * Printable A4 letters in a print-queue folder.
 *
 * Contract with the print system: a letter appears as `<key>.pdf`, complete, in one atomic step (written to a
 * dot-file ending in .tmp, fsynced, then hard-linked into place, which never overwrites). Ignore dot-files.
 * A key never produces a second file: an existing file or a 'sent' record in the SentStore (which survives the
 * print system moving the file away) makes a retry a no-op.
 */

/** The sending municipality as printed on the letter. */
export interface LetterSender {
  /** Bare name, e.g. "Haarlem". */
  name: string;
  /** Return address for the envelope window and letterhead, e.g. ["Postbus 511", "2003 PB Haarlem"]. */
  returnAddress: string[];
  phone?: string;
  website?: string;
  email?: string;
  team?: string;
}

export interface LetterFonts {
  /** TTF for Latin text (Dutch, English, Turkish). */
  regular: string;
  bold: string;
  /** TTF for Arabic script (Arabic, Farsi); must have Arabic GSUB tables for joining forms. */
  arabic: string;
  arabicBold: string;
}

export interface LetterChannelOptions {
  printQueueDir: string;
  /** Defaults to Noto Naskh Arabic (fonts-noto-core) when installed, else DejaVu Sans (fonts-dejavu-core). */
  fonts?: Partial<LetterFonts>;
  /** Deflate page content (default true); tests may turn it off. */
  compress?: boolean;
  sentStore?: SentStore;
  logger?: Logger;
}

export interface OutboundLetter {
  /** messageKey; also the file name. */
  key: string;
  client: Pick<Client, 'Voorletters' | 'Voorvoegsel' | 'Achternaam' | 'Huisnummertoevoeging'> & PostalAddress;
  sender: LetterSender;
  /** ISO date printed on the letter. */
  date: string;
  /** The Dutch letter first, then the resident's language if different. Sections that cannot be rendered are left out. */
  messages: RenderedMessage[];
}

export interface LetterResult {
  sent: true;
  providerRef: string;
  duplicate: boolean;
  /** Languages actually printed. */
  languages: string[];
}

export interface LetterChannel {
  send(letter: OutboundLetter): Promise<LetterResult>;
  /** Renders the PDF without writing it. */
  render(letter: OutboundLetter): Promise<{ pdf: Buffer; languages: string[] }>;
  readonly fonts: LetterFonts | null;
}

const FONT_CANDIDATES = {
  regular: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
  bold: ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  arabic: [
    '/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  ],
  arabicBold: [
    '/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  ],
};

export function findFonts(overrides: Partial<LetterFonts> = {}): LetterFonts | null {
  const pick = (k: keyof LetterFonts) => overrides[k] ?? FONT_CANDIDATES[k].find((f) => existsSync(f));
  const regular = pick('regular');
  const bold = pick('bold') ?? regular;
  const arabic = pick('arabic');
  const arabicBold = overrides.arabicBold ?? (overrides.arabic ? arabic : pick('arabicBold')) ?? arabic;
  return regular && bold && arabic && arabicBold ? { regular, bold, arabic, arabicBold } : null;
}

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = { left: 25 * MM, right: 20 * MM, top: 20 * MM, bottom: 20 * MM };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

/** "1234 AB  HAARLEM" and "Dorpsstraat 12 A", as PostNL wants the address block. */
export function addressBlock(client: OutboundLetter['client']): string[] {
  const addition = client.Huisnummertoevoeging?.trim();
  const number = !addition
    ? client.Huisnummer
    : /^[A-Za-z]$/.test(addition)
      ? `${client.Huisnummer}${addition.toUpperCase()}`
      : `${client.Huisnummer}-${addition}`;
  const postcode = client.Postcode.replace(/\s+/g, '')
    .replace(/^(\d{4})([A-Za-z]{2})$/, '$1 $2')
    .toUpperCase();
  // A signal without a name (DDAS v1.2 allows one) is addressed the Dutch way, to whoever lives there.
  const addressee = displayName(client) || 'Aan de bewoner(s) van';
  return [addressee, `${client.Straatnaam} ${number}`, `${postcode}  ${client.Plaatsnaam.toUpperCase()}`];
}

export function letterFileName(key: string): string {
  const safe = key
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 150);
  // Two keys that differ only in unsafe characters must not share a file.
  return safe === key ? `${safe}.pdf` : `${safe}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}.pdf`;
}

/** Registered font names; a file used for two roles is registered (and parsed by fontkit) once. */
interface FontNames {
  regular: string;
  bold: string;
  arabic: string;
  arabicBold: string;
}

export function createLetterChannel(options: LetterChannelOptions): LetterChannel {
  const fonts = findFonts(options.fonts);
  const log = options.logger;
  if (!fonts) log?.warn('no TrueType fonts found; letters fall back to Helvetica and print only Dutch and English');
  // Read each font file once per channel, not once per letter.
  const files = fonts ? [...new Set(Object.values(fonts))] : [];
  const data = new Map(files.map((f) => [f, readFileSync(f)]));
  const names: FontNames = fonts
    ? {
        regular: `f${files.indexOf(fonts.regular)}`,
        bold: `f${files.indexOf(fonts.bold)}`,
        arabic: `f${files.indexOf(fonts.arabic)}`,
        arabicBold: `f${files.indexOf(fonts.arabicBold)}`,
      }
    : { regular: 'Helvetica', bold: 'Helvetica-Bold', arabic: 'Helvetica', arabicBold: 'Helvetica-Bold' };

  async function render(letter: OutboundLetter): Promise<{ pdf: Buffer; languages: string[] }> {
    const [main, ...translations] = letter.messages;
    if (!main) throw new Error('a letter needs at least one rendered message');
    const doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      compress: options.compress ?? true,
      lang: main.lang,
      info: { Title: main.subject, Author: `Gemeente ${letter.sender.name}`, Creator: 'bereik' },
      bufferPages: false,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });

    files.forEach((file, i) => doc.registerFont(`f${i}`, data.get(file) as Buffer));

    const printable = (m: RenderedMessage) => canRender(doc, names, sectionText(m), m.dir === 'rtl', !fonts);
    const languages = [main.lang as string];
    letterhead(doc, names, letter);
    await section(doc, names, main, letter, false);
    for (const t of translations) {
      if (t.lang === main.lang) continue;
      if (!printable(t)) {
        log?.warn({ key: letter.key, lang: t.lang }, 'letter section left out: the fonts cannot render this language');
        continue;
      }
      doc.addPage();
      await section(doc, names, t, letter, true);
      languages.push(t.lang);
    }
    doc.end();
    return { pdf: await done, languages };
  }

  async function send(letter: OutboundLetter): Promise<LetterResult> {
    const file = letterFileName(letter.key);
    const target = path.join(options.printQueueDir, file);
    const storeKey = `letter:${letter.key}`;
    const remembered = await options.sentStore?.get(storeKey);
    if (remembered?.state === 'sent')
      return { sent: true, providerRef: remembered.ref ?? file, duplicate: true, languages: [] };
    if (await exists(target)) {
      await options.sentStore?.put(storeKey, { state: 'sent', ref: file, at: new Date().toISOString() });
      return { sent: true, providerRef: file, duplicate: true, languages: [] };
    }
    const { pdf, languages } = await render(letter);
    await mkdir(options.printQueueDir, { recursive: true });
    const tmp = path.join(options.printQueueDir, `.${file}.${process.pid}.${randomUUID()}.tmp`);
    const handle = await open(tmp, 'wx', 0o640);
    try {
      await handle.writeFile(pdf);
      await handle.sync();
    } finally {
      await handle.close();
    }
    let duplicate = false;
    try {
      await link(tmp, target); // fails with EEXIST instead of replacing a letter a concurrent attempt just wrote
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') duplicate = true;
      else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') await rename(tmp, target);
      else throw error;
    }
    await unlink(tmp).catch(() => undefined);
    await syncDir(options.printQueueDir);
    await options.sentStore?.put(storeKey, { state: 'sent', ref: file, at: new Date().toISOString() });
    if (!duplicate) log?.info({ key: letter.key, file, languages }, 'letter queued for printing');
    return { sent: true, providerRef: file, duplicate, languages: duplicate ? [] : languages };
  }

  return { send, render, fonts };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function sectionText(m: RenderedMessage): string {
  return [
    m.subject,
    m.parts.greeting,
    ...m.parts.paragraphs,
    m.parts.linkIntro ?? '',
    m.parts.callUs ?? '',
    ...m.parts.closing,
  ].join(' ');
}

/** Whether every character has a glyph in the font it will be drawn with, so no tofu boxes reach a resident. */
function canRender(
  doc: PDFKit.PDFDocument,
  names: FontNames,
  text: string,
  rtl: boolean,
  standardFonts: boolean,
): boolean {
  // ZWNJ and ZWJ only steer joining in Persian; fonts need no glyph for them.
  const chars = [...new Set(stripBidiControls(text).replace(/[\s\u200c\u200d]/g, ''))];
  if (standardFonts) return chars.every((c) => (c.codePointAt(0) as number) < 0x100 || '€‘’“”–—…'.includes(c));
  const glyphs = (font: string) => {
    doc.font(font);
    return (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint(cp: number): boolean } } })._font?.font;
  };
  const latin = glyphs(names.regular);
  const arabic = glyphs(names.arabic);
  return chars.every((c) => {
    const font = rtl && hasArabicScript(c) ? arabic : latin;
    return !font || font.hasGlyphForCodePoint(c.codePointAt(0) as number);
  });
}

function letterhead(doc: PDFKit.PDFDocument, f: FontNames, letter: OutboundLetter): void {
  const { sender } = letter;
  const rightX = PAGE.width - MARGIN.right - 70 * MM;
  doc
    .font(f.bold)
    .fontSize(14)
    .text(`Gemeente ${sender.name}`, rightX, MARGIN.top, { width: 70 * MM });
  doc.font(f.regular).fontSize(9);
  for (const line of [
    ...sender.returnAddress,
    sender.phone && `Telefoon ${sender.phone}`,
    sender.website,
    sender.email,
  ].filter(Boolean) as string[]) {
    doc.text(line, { width: 70 * MM });
  }
  // Return line and address block sit in the window of a standard Dutch window envelope.
  doc
    .font(f.regular)
    .fontSize(7)
    .text(`Retour: Gemeente ${sender.name}, ${sender.returnAddress.join(', ')}`, MARGIN.left, 45 * MM, {
      width: 85 * MM,
      lineBreak: false,
    });
  doc.font(f.regular).fontSize(11);
  addressBlock(letter.client).forEach((line, i) =>
    doc.text(line, MARGIN.left, 50 * MM + i * 15, { width: 85 * MM, lineBreak: false }),
  );
  doc.x = MARGIN.left;
  doc.y = 95 * MM;
}

async function section(
  doc: PDFKit.PDFDocument,
  f: FontNames,
  m: RenderedMessage,
  letter: OutboundLetter,
  translated: boolean,
): Promise<void> {
  const pack = languagePack(m.lang);
  const rtl = m.dir === 'rtl';
  const top = MARGIN.top;
  const bottom = PAGE.height - MARGIN.bottom;
  const para = (text: string, opts: { size?: number; bold?: boolean; gap?: number; link?: string } = {}) => {
    const size = opts.size ?? 11;
    if (rtl) {
      writeRtlParagraph(doc, text, {
        right: PAGE.width - MARGIN.right,
        width: TEXT_WIDTH,
        fontSize: size,
        rtlFont: opts.bold ? f.arabicBold : f.arabic,
        ltrFont: opts.bold ? f.bold : f.regular,
        top,
        bottom,
        link: opts.link,
      });
    } else {
      doc
        .font(opts.bold ? f.bold : f.regular)
        .fontSize(size)
        .text(stripBidiControls(text), MARGIN.left, doc.y, {
          width: TEXT_WIDTH,
          align: 'left',
          ...(opts.link ? { link: opts.link } : {}),
        });
    }
    doc.y += opts.gap ?? 8;
  };

  if (translated) {
    doc.x = MARGIN.left;
    doc.y = top;
    para(pack.nativeName, { size: 9, gap: 4 });
  }
  para(`${pack.labels.date}: ${formatDate(letter.date, pack)}`, { gap: 2 });
  para(`${pack.labels.subject}: ${m.subject}`, { bold: true, gap: 16 });
  para(m.parts.greeting);
  for (const p of m.parts.paragraphs) para(p);
  if (m.parts.link) {
    para(m.parts.linkIntro ?? '', { gap: 4 });
    await qrBlock(doc, f, m.parts.link, pack.labels.qrHint, rtl, bottom, top);
  }
  if (m.parts.callUs) para(m.parts.callUs);
  doc.y += 4;
  for (const line of m.parts.closing) para(line, { gap: 1 });
}

async function qrBlock(
  doc: PDFKit.PDFDocument,
  f: FontNames,
  link: string,
  hint: string,
  rtl: boolean,
  bottom: number,
  top: number,
): Promise<void> {
  const size = 30 * MM;
  if (doc.y + size > bottom) {
    doc.addPage();
    doc.y = top;
  }
  const qr = QRCode.create(link, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  const y0 = doc.y;
  const qrX = rtl ? PAGE.width - MARGIN.right - size : MARGIN.left;
  doc.save().fillColor('black');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(qrX + c * cell, y0 + r * cell, cell, cell);
  doc.fill().restore();
  const textX = rtl ? MARGIN.left : MARGIN.left + size + 6 * MM;
  const textWidth = TEXT_WIDTH - size - 6 * MM;
  if (rtl) {
    doc.y = y0 + 2;
    writeRtlParagraph(doc, hint, {
      right: textX + textWidth,
      width: textWidth,
      fontSize: 9,
      rtlFont: f.arabic,
      ltrFont: f.regular,
      top,
      bottom,
    });
  } else {
    doc
      .font(f.regular)
      .fontSize(9)
      .text(hint, textX, y0 + 2, { width: textWidth });
  }
  // The link in a monospace-like plain run, left to right, breakable at any character for long tokens.
  doc
    .font(f.bold)
    .fontSize(10)
    .text(link, textX, doc.y + 4, { width: textWidth, link, align: rtl ? 'right' : 'left' });
  doc.x = MARGIN.left;
  doc.y = Math.max(doc.y, y0 + size) + 10;
}
