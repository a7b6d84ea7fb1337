import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addressBlock,
  createLetterChannel,
  findFonts,
  letterFileName,
  type OutboundLetter,
} from '../../activities/channels/letter';
import { MemorySentStore } from '../../activities/channels/sent-store';
import { tokenize, visualLine } from '../../activities/channels/pdf-text';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { renderMessage } from '../../templates';
import { extractPdfText } from './support/pdf-text';

const link = 'https://bereik.haarlem.nl/k/Xy12abCD34efGH56';
const client = {
  Voorletters: 'A',
  Voorvoegsel: 'de',
  Achternaam: 'Vries',
  Straatnaam: 'Dorpsstraat',
  Huisnummer: '12',
  Huisnummertoevoeging: 'a',
  Postcode: '2011AB',
  Plaatsnaam: 'Haarlem',
};
const sender = {
  name: 'Haarlem',
  returnAddress: ['Postbus 511', '2003 PB Haarlem'],
  phone: '14 023',
  website: 'www.haarlem.nl',
};
const municipality = { name: 'Haarlem', phone: '14 023' };

function letter(key: string, taal = 'nl'): OutboundLetter {
  const base = {
    purpose: 'invitation' as const,
    tone: 'positive' as const,
    client: { ...client, taal },
    municipality,
    link,
  };
  const messages = [renderMessage({ ...base, language: 'nl' }), ...(taal === 'nl' ? [] : [renderMessage(base)])];
  return { key, client, sender, date: '2026-03-03T08:30:00Z', messages };
}

const ARABIC_LETTERS = /[\u0620-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]/;
/** fontkit stores right-to-left words in visual order; reading them back means reversing the glyphs. */
const logical = (s: string) => [...s].reverse().join('');

describe('letter channel (pdfkit)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bereik-print-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes one printable A4 PDF per key with address block, link text and QR code', async () => {
    const channel = createLetterChannel({ printQueueDir: dir });
    const result = await channel.send(letter('case-0392-k3j.1:invitation:1'));

    expect(result).toEqual({
      sent: true,
      providerRef: letterFileName('case-0392-k3j.1:invitation:1'),
      duplicate: false,
      languages: ['nl'],
    });
    const files = await readdir(dir);
    expect(files).toEqual([result.providerRef]);
    const pdf = await readFile(path.join(dir, result.providerRef));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);

    const text = extractPdfText(pdf);
    expect(text).toContain(link);
    expect(text).toEqual(
      expect.arrayContaining([
        'A. de Vries',
        'Dorpsstraat 12A',
        '2011 AB  HAARLEM',
        'Datum: 3 maart 2026',
        'Beste A. de Vries,',
      ]),
    );
    expect(text.join('\n')).toContain('Retour: Gemeente Haarlem, Postbus 511, 2003 PB Haarlem');
    // The link is also a clickable annotation for PDF readers.
    expect(pdf.toString('latin1')).toContain(`/URI (${link})`);
  });

  test('the letterhead, return line, text and signature name the municipality from the directory, in both languages', async () => {
    const denHaag = createMunicipalityDirectory().get('0518');
    const resident = { ...client, Postcode: '2511AA', Plaatsnaam: 'Den Haag' };
    const base = {
      purpose: 'invitation' as const,
      tone: 'positive' as const,
      client: { ...resident, taal: 'tr' },
      municipality: denHaag,
      link: 'https://bereik.denhaag.nl/r/Xy12',
    };
    const channel = createLetterChannel({ printQueueDir: dir, compress: false });
    const { pdf, languages } = await channel.render({
      key: 'den-haag',
      client: resident,
      sender: denHaag,
      date: '2026-03-03T08:30:00Z',
      messages: [renderMessage({ ...base, language: 'nl' }), renderMessage(base)],
    });
    expect(languages).toEqual(['nl', 'tr']);
    const text = extractPdfText(pdf).join('\n');
    expect(text).toContain('Gemeente Den Haag\nPostbus 12600\n2500 DJ Den Haag\nTelefoon 14 070');
    expect(text).toContain('Retour: Gemeente Den Haag, Postbus 12600, 2500 DJ Den Haag');
    expect(text).toContain('Wij zijn van de gemeente Den Haag.');
    expect(text).toContain('Den Haag Belediyesi');
    expect(text).not.toMatch(/Haarlem|undefined/i);
  });

  test('the same key twice gives one file, and no temp files are left behind', async () => {
    const channel = createLetterChannel({ printQueueDir: dir });
    const first = await channel.send(letter('same-key'));
    const second = await channel.send(letter('same-key'));
    expect(second).toMatchObject({ sent: true, providerRef: first.providerRef, duplicate: true });
    expect(await readdir(dir)).toEqual([first.providerRef]);
  });

  test('concurrent attempts with the same key still produce a single letter', async () => {
    const channel = createLetterChannel({ printQueueDir: dir });
    const results = await Promise.all([
      channel.send(letter('race')),
      channel.send(letter('race')),
      channel.send(letter('race')),
    ]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await readdir(dir)).toEqual(['race.pdf']);
  });

  test('after the print system took the file away, the SentStore still prevents a second letter', async () => {
    const store = new MemorySentStore();
    const channel = createLetterChannel({ printQueueDir: dir, sentStore: store });
    const first = await channel.send(letter('printed'));
    await rm(path.join(dir, first.providerRef));
    const again = await channel.send(letter('printed'));
    expect(again.duplicate).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  test('file names are safe and distinct for keys with unsafe characters', () => {
    expect(letterFileName('case-1.1:invitation:1')).toMatch(/^case-1\.1_invitation_1-[0-9a-f]{10}\.pdf$/);
    expect(letterFileName('a/b')).not.toBe(letterFileName('a:b'));
    expect(letterFileName('../../etc/passwd')).not.toContain('/');
    expect(letterFileName('plain-key')).toBe('plain-key.pdf');
  });

  test('the address block follows PostNL: number and addition, postcode with a space, place in capitals', () => {
    expect(addressBlock(client)).toEqual(['A. de Vries', 'Dorpsstraat 12A', '2011 AB  HAARLEM']);
    expect(addressBlock({ ...client, Voorletters: undefined, Huisnummertoevoeging: '2', Postcode: '1234ab' })).toEqual([
      'De Vries',
      'Dorpsstraat 12-2',
      '1234 AB  HAARLEM',
    ]);
    // A signal without a name (DDAS v1.2 allows one) goes to whoever lives there.
    expect(addressBlock({ ...client, Voorletters: undefined, Voorvoegsel: undefined, Achternaam: undefined })).toEqual([
      'Aan de bewoner(s) van',
      'Dorpsstraat 12A',
      '2011 AB  HAARLEM',
    ]);
  });

  const fonts = findFonts();
  const withFonts = fonts ? test : test.skip;

  withFonts.each(['ar', 'fa'])(
    'a %s letter is bilingual: Dutch first, then the resident language right-to-left with shaped Arabic script',
    async (taal) => {
      const channel = createLetterChannel({ printQueueDir: dir });
      const result = await channel.send(letter(`rtl-${taal}`, taal));
      expect(result.languages).toEqual(['nl', taal]);
      const text = extractPdfText(await readFile(path.join(dir, result.providerRef)));
      expect(text.filter((t) => t === link)).toHaveLength(2);
      const arabicWords = text.filter((t) => ARABIC_LETTERS.test(t));
      expect(arabicWords.length).toBeGreaterThan(30);
      const municipalityWord = taal === 'ar' ? 'بلدية' : 'شهرداری';
      expect(arabicWords.map(logical)).toContain(municipalityWord);
    },
  );

  withFonts('Turkish prints with its own letters (ğ, ş, ı, İ)', async () => {
    const channel = createLetterChannel({ printQueueDir: dir });
    const result = await channel.send(letter('tr-1', 'tr'));
    expect(result.languages).toEqual(['nl', 'tr']);
    const text = extractPdfText(await readFile(path.join(dir, result.providerRef))).join('\n');
    expect(text).toContain('Sayın A. de Vries,');
    expect(text).toContain('Belediyesi');
  });

  test('a language the fonts cannot render is left out: the letter stays Dutch-only', async () => {
    const latinOnly = '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf';
    if (!existsSync(latinOnly)) return;
    const channel = createLetterChannel({
      printQueueDir: dir,
      fonts: { regular: latinOnly, bold: latinOnly, arabic: latinOnly },
    });
    const result = await channel.send(letter('no-arabic-font', 'ar'));
    expect(result.languages).toEqual(['nl']);
    const text = extractPdfText(await readFile(path.join(dir, result.providerRef)));
    expect(text.some((t) => ARABIC_LETTERS.test(t))).toBe(false);
    expect(text).toContain(link);
  });
});

describe('right-to-left line layout', () => {
  const visual = (s: string) => {
    const tokens = tokenize(s);
    const dirs = tokens.map((t, i) => {
      if (t.dir !== 'N') return t.dir;
      const before =
        tokens
          .slice(0, i)
          .reverse()
          .find((x) => x.dir !== 'N')?.dir ?? 'R';
      const after = tokens.slice(i + 1).find((x) => x.dir !== 'N')?.dir ?? 'R';
      return before === 'L' && after === 'L' ? 'L' : 'R';
    });
    return visualLine(
      tokens,
      dirs,
      tokens.map((_, i) => i),
    )
      .map((it) => `${it.gapBefore ? ' ' : ''}${tokens[it.index].text}`)
      .join('');
  };

  test('Arabic words run right to left, a Latin name keeps its own order, punctuation follows the paragraph', () => {
    expect(visual('مرحبًا A. de Vries،')).toBe('،A. de Vries مرحبًا');
    expect(visual('نحن من بلدية Haarlem. علمنا')).toBe('علمنا .Haarlem بلدية من نحن');
  });

  test('a phone number in an isolate stays in order, with the full stop on its left', () => {
    expect(visual('رقمنا هو \u2066023 511 51 15\u2069.')).toBe('.023 511 51 15 هو رقمنا');
  });
});
