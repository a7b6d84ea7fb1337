import {
  LANGUAGE_PACKS,
  PURPOSES,
  SMS_LINK_BUDGET,
  SMS_MAX_SEGMENTS,
  SMS_NAME_BUDGET,
  TONES,
  TemplateError,
  displayName,
  forbiddenWords,
  languagePack,
  renderCallGreeting,
  renderCallScript,
  renderMessage,
  smsLength,
  toneFor,
  type RenderInput,
} from '../../templates';
import type { Language } from '../../domain/signal';
import { createMunicipalityDirectory } from '../../domain/municipalities';

const LANGS = Object.keys(LANGUAGE_PACKS) as Language[];
// Worst-case lengths the SMS ceiling is documented for: a 20-character name and municipality, a 90-character link.
const LONG_NAME = { Voorletters: 'A.B.C.', Voorvoegsel: 'van den', Achternaam: 'Bergh' };
const LONG_MUNICIPALITY = { name: 'Alphen aan den Rijn', phone: '0172 123 456' };
const LINK = `https://bereik.example.nl/k/${'x'.repeat(SMS_LINK_BUDGET - 28)}`;
const MOMENT = '2026-03-03T13:30:00Z'; // 14:30 in Amsterdam (CET)

const cases = LANGS.flatMap((lang) => PURPOSES.flatMap((purpose) => TONES.map((tone) => ({ lang, purpose, tone }))));

function render(
  lang: string,
  purpose: RenderInput['purpose'],
  tone: RenderInput['tone'],
  extra: Partial<RenderInput> = {},
) {
  return renderMessage({
    purpose,
    tone,
    client: { ...LONG_NAME, taal: lang },
    municipality: LONG_MUNICIPALITY,
    link: LINK,
    moment: MOMENT,
    ...extra,
  });
}

describe('resident-facing templates', () => {
  test('the worst-case values are as long as the documented budget', () => {
    expect(LINK).toHaveLength(SMS_LINK_BUDGET);
    expect(displayName(LONG_NAME).length).toBeLessThanOrEqual(SMS_NAME_BUDGET);
    expect(displayName(LONG_NAME).length).toBeGreaterThanOrEqual(SMS_NAME_BUDGET - 1);
    expect(LONG_MUNICIPALITY.name.length).toBeGreaterThanOrEqual(SMS_NAME_BUDGET - 1);
  });

  test.each(cases)('$lang $purpose $tone: every placeholder is filled', ({ lang, purpose, tone }) => {
    const r = render(lang, purpose, tone);
    for (const [part, value] of Object.entries({ subject: r.subject, text: r.text, html: r.html, sms: r.sms })) {
      expect({ part, value }).toEqual({
        part,
        value: expect.not.stringMatching(/\{\{|\}\}|\$\{|undefined|null|NaN|\[object/),
      });
      expect(value.trim().length).toBeGreaterThan(0);
    }
    expect(r.lang).toBe(lang);
    expect(r.text).toContain(LINK);
    expect(r.sms).toContain(LINK);
    expect(r.html).toContain(`href="${LINK}"`);
    expect(r.text).toContain('A.B.C. van den Bergh');
    expect(r.sms).toContain('Alphen aan den Rijn');
    if (purpose === 'confirmation') {
      expect(r.sms).toContain('14:30');
      expect(r.text).toContain('14:30');
    }
  });

  test.each(cases)('$lang $purpose $tone: HTML declares the language and direction', ({ lang, purpose, tone }) => {
    const r = render(lang, purpose, tone);
    const dir = lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr';
    expect(r.dir).toBe(dir);
    expect(r.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}" dir="${dir}">`));
  });

  test.each(cases)('$lang $purpose $tone: SMS stays within its segment ceiling', ({ lang, purpose, tone }) => {
    const r = render(lang, purpose, tone);
    const length = smsLength(r.sms);
    expect({ ...length, sms: r.sms }).toEqual({ ...length, segments: expect.any(Number), sms: r.sms });
    expect(length.segments).toBeLessThanOrEqual(SMS_MAX_SEGMENTS[length.encoding]);
    // Dutch and English must not slip into UCS-2 (70 characters a segment) through a stray ë or curly quote.
    if (lang === 'nl' || lang === 'en') expect(length.encoding).toBe('GSM-7');
  });

  test.each(cases)('$lang $purpose $tone: no alarming words', ({ lang, purpose, tone }) => {
    const r = render(lang, purpose, tone, { amount: 1234.5, showAmount: true });
    expect(forbiddenWords(r.subject, 'subject')).toEqual([]);
    expect(forbiddenWords(r.sms, 'sms')).toEqual([]);
    expect(forbiddenWords(r.text, 'body')).toEqual([]);
    expect(forbiddenWords(r.html, 'body')).toEqual([]);
  });

  test.each(LANGS.flatMap((lang) => TONES.map((tone) => ({ lang, tone }))))(
    '$lang $tone call script: complete and without alarming words',
    ({ lang, tone }) => {
      const script = renderCallScript({
        tone,
        client: { ...LONG_NAME, taal: lang },
        municipality: LONG_MUNICIPALITY,
        amount: 600,
        showAmount: true,
      });
      expect(script.lang).toBe(lang);
      expect(script.sections.length).toBeGreaterThanOrEqual(8);
      expect(script.text).not.toMatch(/\{\{|undefined|null|NaN/);
      expect(script.text).toContain('A.B.C. van den Bergh');
      expect(script.html).toContain(`<html lang="${lang}" dir="${script.dir}">`);
      expect(forbiddenWords(script.text, 'body')).toEqual([]);
      expect(forbiddenWords(script.title, 'subject')).toEqual([]);
    },
  );

  test('the forbidden-word check itself catches what it must', () => {
    expect(forbiddenWords('Hulp bij schulden', 'subject')).not.toEqual([]);
    expect(forbiddenWords('Uw schuld', 'subject')).not.toEqual([]);
    expect(forbiddenWords('Aanmelden voor schuldhulpverlening', 'body')).not.toEqual([]);
    expect(forbiddenWords('De deurwaarder komt', 'body')).not.toEqual([]);
    expect(forbiddenWords('Het incassobureau', 'body')).not.toEqual([]);
    expect(forbiddenWords('U heeft een achterstand', 'sms')).not.toEqual([]);
    expect(forbiddenWords('U heeft een achterstand', 'body')).toEqual([]); // allowed outside SMS, though we do not use it
    // "مدينة" (city) contains the letters of "دين" (debt) and must not count.
    expect(forbiddenWords('بلدية المدينة', 'subject')).toEqual([]);
  });

  test('unknown or missing languages fall back to Dutch', () => {
    for (const taal of [undefined, 'xx', 'pl', '']) {
      const r = renderMessage({
        purpose: 'invitation',
        tone: 'positive',
        client: { Achternaam: 'Jansen', taal },
        municipality: { name: 'Haarlem' },
        link: LINK,
      });
      expect(r.lang).toBe('nl');
      expect(r.subject).toBe('Gemeente Haarlem denkt graag met u mee');
    }
    expect(languagePack('AR').lang).toBe('ar');
  });

  test('names: initials with full stops, prefix lower case after initials and capitalised without them', () => {
    expect(displayName({ Voorletters: 'A', Achternaam: 'Jansen' })).toBe('A. Jansen');
    expect(displayName({ Voorletters: 'AB', Voorvoegsel: 'de', Achternaam: 'Vries' })).toBe('A.B. de Vries');
    expect(displayName({ Voorletters: 'J.P.', Achternaam: 'Balkenende' })).toBe('J.P. Balkenende');
    expect(displayName({ Voorvoegsel: 'van der', Achternaam: 'Berg' })).toBe('Van der Berg');
    expect(displayName({ Achternaam: 'Yılmaz' })).toBe('Yılmaz');
    expect(displayName({ Voorletters: 'A' })).toBe('');
  });

  test('a signal without a name (DDAS v1.2 allows one) greets the resident, in every language', () => {
    const expected: Record<Language, string> = {
      nl: 'Beste bewoner,',
      en: 'Dear resident,',
      ar: 'مرحبًا الساكن الكريم،',
      tr: 'Sayın Hane Sakini,',
      fa: 'سلام ساکن گرامی،',
    };
    for (const lang of LANGS) {
      const r = renderMessage({
        purpose: 'invitation',
        tone: 'positive',
        client: { taal: lang },
        municipality: LONG_MUNICIPALITY,
        link: LINK,
      });
      expect({ lang, greeting: r.parts.greeting }).toEqual({ lang, greeting: expected[lang] });
      expect(r.sms).not.toMatch(/undefined|null/);
      expect(r.sms).toContain(LANGUAGE_PACKS[lang].resident);
    }
  });

  test('the moment is shown in Europe/Amsterdam time, summer and winter, in the resident language', () => {
    const at = (moment: string, taal: string) =>
      renderMessage({
        purpose: 'confirmation',
        tone: 'positive',
        client: { Achternaam: 'Jansen', taal },
        municipality: { name: 'Haarlem' },
        moment,
      }).subject;
    expect(at('2026-03-03T13:30:00Z', 'nl')).toBe('Wij bellen u op dinsdag 3 maart om 14:30');
    expect(at('2026-07-01T07:00:00Z', 'nl')).toBe('Wij bellen u op woensdag 1 juli om 09:00');
    expect(at('2026-07-01T07:00:00Z', 'en')).toBe('We will call you on Wednesday 1 July at 09:00');
    expect(at('2026-07-01T07:00:00Z', 'tr')).toContain('1 Temmuz Çarşamba, saat 09:00');
    expect(at('2026-07-01T07:00:00Z', 'ar')).toContain('الأربعاء، 1 يوليو الساعة 09:00');
    // Farsi in the Gregorian calendar with Latin digits, like the rest of the resident's appointments here.
    expect(at('2026-07-01T07:00:00Z', 'fa')).toContain('1 ژوئیه، ساعت 09:00');
  });

  test('a confirmation without a moment is a programming error', () => {
    expect(() =>
      renderMessage({
        purpose: 'confirmation',
        tone: 'positive',
        client: { Achternaam: 'Jansen' },
        municipality: { name: 'Haarlem' },
      }),
    ).toThrow(TemplateError);
  });

  test('the amount appears only when policy allows it, and never in an SMS', () => {
    const without = render('nl', 'invitation', 'positive', { amount: 1234.5 });
    expect(without.text).not.toContain('1.234,50');
    const withAmount = render('nl', 'invitation', 'positive', { amount: 1234.5, showAmount: true });
    // Intl puts a no-break space between € and the number, so they never land on separate lines.
    expect(withAmount.text).toContain('Het gaat om een bedrag van €\u00a01.234,50.');
    expect(withAmount.html).toContain('€\u00a01.234,50');
    expect(withAmount.sms).not.toContain('1.234');
    const script = renderCallScript({
      tone: 'positive',
      client: { Achternaam: 'Jansen' },
      municipality: { name: 'Haarlem' },
      amount: 80,
    });
    expect(script.text).not.toContain('80');
  });

  test('without a link the texts point to the phone number instead', () => {
    const r = renderMessage({
      purpose: 'invitation',
      tone: 'positive',
      client: { Achternaam: 'Jansen' },
      municipality: { name: 'Haarlem', phone: '14 023' },
    });
    expect(r.sms).toContain('Bel ons op 14 023.');
    expect(r.text).not.toContain('Kies zelf een moment');
    expect(r.html).not.toContain('<a ');
  });

  test('personal data is escaped in HTML and links must be http(s)', () => {
    const r = renderMessage({
      purpose: 'invitation',
      tone: 'positive',
      client: { Achternaam: '<script>alert(1)</script>' },
      municipality: { name: 'Haarlem' },
      link: LINK,
    });
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;');
    expect(() =>
      renderMessage({
        purpose: 'invitation',
        tone: 'positive',
        client: { Achternaam: 'X' },
        municipality: { name: 'Haarlem' },
        link: 'javascript:alert(1)',
      }),
    ).toThrow(TemplateError);
  });

  test('phone numbers keep their order inside right-to-left text (Unicode isolates)', () => {
    const r = render('ar', 'invitation', 'positive');
    expect(r.text).toContain('\u20660172 123 456\u2069');
    expect(render('nl', 'invitation', 'positive').text).not.toContain('\u2066');
  });

  test('tone: positive for a first signal, direct for a repeat', () => {
    expect(toneFor({ repeat: false, segment: 'light' })).toBe('positive');
    expect(toneFor({ repeat: true, segment: 'light' })).toBe('direct');
  });

  test.each(cases)(
    '$lang $purpose $tone: every form of the message says which municipality sends it',
    ({ lang, purpose, tone }) => {
      const denHaag = createMunicipalityDirectory().get('0518');
      const r = render(lang, purpose, tone, { municipality: denHaag });
      const signature = LANGUAGE_PACKS[lang].signature('Den Haag');
      expect(r.parts.closing.at(-1)).toBe(signature);
      expect(r.text).toContain(signature);
      expect(r.html).toContain(signature);
      expect(r.html).toContain(LANGUAGE_PACKS[lang].labels.footer('Den Haag'));
      expect(r.sms).toContain('Den Haag');
      expect(r.text).toContain('14 070');
    },
  );

  test('a municipality without a name is refused, never printed as "Gemeente undefined"', () => {
    const nameless = [{ name: '' }, { name: '   ' }, {} as { name: string }, { name: undefined as unknown as string }];
    for (const municipality of nameless) {
      expect(() =>
        renderMessage({
          purpose: 'invitation',
          tone: 'positive',
          client: { Achternaam: 'Jansen' },
          municipality,
          link: LINK,
        }),
      ).toThrow(new TemplateError('the municipality needs a name'));
      expect(() => renderCallGreeting(municipality)).toThrow(TemplateError);
    }
  });

  test('the call greeting names the municipality', () => {
    expect(renderCallGreeting({ name: 'Zoetermeer' })).toEqual({
      text: 'Goedendag. U wordt gebeld door de gemeente Zoetermeer. Een moment, wij verbinden u met een medewerker.',
      voiceLanguage: 'nl-NL',
    });
  });
});
