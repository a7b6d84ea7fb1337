/**
 * Right-to-left paragraphs for pdfkit. pdfkit hands each space-separated word to fontkit, which shapes Arabic
 * script (joining forms, lam-alef) and reverses the glyphs of a right-to-left word, but pdfkit then places the
 * words left to right and has no bidi algorithm. So we break lines ourselves and order the words of each line
 * visually: a simplified UAX #9 for one right-to-left paragraph with Latin runs (names, links, times, numbers).
 * Numbers use Latin digits in our templates, which keeps digit runs left-to-right inside fontkit too.
 */

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/** Arabic-script letters only: Arabic punctuation (، ؛ ؟) is neutral and takes its direction from the context. */
const ARABIC_LETTER =
  /[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/;
const STRONG_LTR = /[A-Za-z0-9\u00c0-\u024f\u20ac]/;
const EDGE_PUNCT = /^([.,:;!?()"'«»،؛؟…-]*)(.*?)([.,:;!?()"'«»،؛؟…-]*)$/su;
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';

type Dir = 'L' | 'R' | 'N';
interface Token {
  text: string;
  dir: Dir;
  /** Whitespace before this token in the logical text. */
  space: boolean;
}

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

export function hasArabicScript(text: string): boolean {
  return ARABIC.test(text);
}

function classify(text: string): Dir {
  if (ARABIC_LETTER.test(text)) return 'R';
  if (STRONG_LTR.test(text)) return 'L';
  return 'N';
}

/**
 * Words in logical order. Punctuation at the edge of a word is split off so it can take the paragraph's
 * direction, and everything inside an isolate (LRI ... PDI, as the templates put around phone numbers and
 * amounts) keeps the isolate's direction as one unit.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let space = false;
  let forced: Dir | null = null;
  const flush = () => {
    if (!word) return;
    const m = forced || /^https?:/i.test(word) ? null : EDGE_PUNCT.exec(word);
    const parts = m && m[2] && (m[1] || m[3]) ? [m[1], m[2], m[3]].filter(Boolean) : [word];
    parts.forEach((part, i) => tokens.push({ text: part, dir: forced ?? classify(part), space: i === 0 && space }));
    word = '';
    space = false;
  };
  for (const ch of text) {
    if (/\s/.test(ch)) {
      flush();
      space = tokens.length > 0;
    } else if (ch === LRI || ch === RLI || ch === FSI) {
      flush();
      forced = ch === LRI ? 'L' : ch === RLI ? 'R' : null;
    } else if (ch === PDI) {
      flush();
      forced = null;
    } else if (!BIDI_CONTROLS.test(ch)) {
      word += ch;
    }
    BIDI_CONTROLS.lastIndex = 0;
  }
  flush();
  return tokens;
}

/** Neutrals between two left-to-right tokens stay left-to-right; all others follow the right-to-left paragraph. */
function resolve(tokens: Token[]): ('L' | 'R')[] {
  return tokens.map((t, i) => {
    if (t.dir !== 'N') return t.dir;
    const before =
      tokens
        .slice(0, i)
        .reverse()
        .find((x) => x.dir !== 'N')?.dir ?? 'R';
    const after = tokens.slice(i + 1).find((x) => x.dir !== 'N')?.dir ?? 'R';
    return before === 'L' && after === 'L' ? 'L' : 'R';
  });
}

export interface VisualItem {
  index: number;
  /** Whether a space goes before this item, left of it on the page. */
  gapBefore: boolean;
}

/**
 * Visual left-to-right order of one line of a right-to-left paragraph: directional runs in reverse, right-to-left
 * runs reversed inside, left-to-right runs kept. `indexes` are the line's tokens in logical order.
 */
export function visualLine(tokens: Token[], dirs: ('L' | 'R')[], indexes: number[]): VisualItem[] {
  const runs: { dir: 'L' | 'R'; items: number[] }[] = [];
  for (const i of indexes) {
    const last = runs[runs.length - 1];
    if (last && last.dir === dirs[i]) last.items.push(i);
    else runs.push({ dir: dirs[i], items: [i] });
  }
  const out: VisualItem[] = [];
  const visual = runs.reverse();
  visual.forEach((run, r) => {
    const items = run.dir === 'R' ? [...run.items].reverse() : run.items;
    items.forEach((index, k) => {
      let gapBefore: boolean;
      if (r === 0 && k === 0) gapBefore = false;
      // Between runs: the run on the left follows logically, so its first token says whether a space was there.
      else if (k === 0) gapBefore = tokens[visual[r - 1].items[0]].space;
      else gapBefore = run.dir === 'L' ? tokens[index].space : tokens[items[k - 1]].space;
      out.push({ index, gapBefore });
    });
  });
  return out;
}

export interface RtlOptions {
  /** Right edge x and width of the text block. */
  right: number;
  width: number;
  fontSize: number;
  /** Registered font names for Arabic-script and other words. */
  rtlFont: string;
  ltrFont: string;
  lineGap?: number;
  /** Bottom of the writable area; a new page starts below it. */
  bottom: number;
  top: number;
  /** Make a token clickable, e.g. the personal link. */
  link?: string;
}

/** Writes one right-to-left paragraph from the current y; returns nothing, moves doc.y below it. */
export function writeRtlParagraph(doc: PDFKit.PDFDocument, text: string, o: RtlOptions): void {
  const tokens = tokenize(text);
  const dirs = resolve(tokens);
  const fontFor = (t: Token) => (hasArabicScript(t.text) ? o.rtlFont : o.ltrFont);
  const widthOf = (t: Token) => doc.font(fontFor(t)).fontSize(o.fontSize).widthOfString(t.text);
  const spaceWidth = doc.font(o.ltrFont).fontSize(o.fontSize).widthOfString(' ');
  // Arabic and Latin fonts have different ascenders: draw every word on one shared baseline.
  const metrics = (font: string) => {
    doc.font(font).fontSize(o.fontSize);
    const ascender = (doc as unknown as { _font: { ascender: number } })._font.ascender;
    return { ascent: (ascender / 1000) * o.fontSize, height: doc.currentLineHeight(true) };
  };
  const rtlMetrics = metrics(o.rtlFont);
  const ltrMetrics = metrics(o.ltrFont);
  const ascent = Math.max(rtlMetrics.ascent, ltrMetrics.ascent);
  const lineHeight = Math.max(rtlMetrics.height, ltrMetrics.height) + (o.lineGap ?? 2);

  const lines: number[][] = [];
  let current: number[] = [];
  let used = 0;
  tokens.forEach((t, i) => {
    const w = widthOf(t) + (current.length && t.space ? spaceWidth : 0);
    if (current.length && used + w > o.width) {
      lines.push(current);
      current = [];
      used = 0;
    }
    used += current.length ? w : widthOf(t);
    current.push(i);
  });
  if (current.length) lines.push(current);

  let y = doc.y;
  for (const line of lines) {
    if (y + lineHeight > o.bottom) {
      doc.addPage();
      y = o.top;
    }
    const items = visualLine(tokens, dirs, line);
    const total = items.reduce((sum, it) => sum + widthOf(tokens[it.index]) + (it.gapBefore ? spaceWidth : 0), 0);
    let x = o.right - total;
    for (const it of items) {
      if (it.gapBefore) x += spaceWidth;
      const t = tokens[it.index];
      doc
        .font(fontFor(t))
        .fontSize(o.fontSize)
        .text(t.text, x, y + ascent, {
          lineBreak: false,
          baseline: 'alphabetic',
          ...(o.link && t.text === o.link ? { link: o.link } : {}),
        });
      x += widthOf(t);
    }
    y += lineHeight;
  }
  doc.x = o.right - o.width;
  doc.y = y;
}
