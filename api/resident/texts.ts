// Texts of the resident page at B1 level. Dutch is the source; the others say the same, as plainly.
// Words such as "schulden" or "schuldhulpverlening" are avoided on purpose: the page must not alarm anyone.

export const PAGE_LANGUAGES = ['nl', 'en', 'ar', 'tr', 'fa'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export interface PageTexts {
  languageName: string;
  languageLabel: string;
  locale: string;
  dir: 'ltr' | 'rtl';
  title: string;
  intro: string;
  legend: string;
  slotCount: (n: number) => string;
  submit: string;
  timeNote: string;
  current: (moment: string) => string;
  noSlots: string;
  confirmTitle: string;
  confirmText: (moment: string) => string;
  confirmChange: string;
  invalidTitle: string;
  invalidText: string;
  expiredTitle: string;
  expiredText: string;
  closedTitle: string;
  closedText: string;
  /** Who to call: the municipality's name and number (the number is marked up by the page). */
  callUs: (municipality: string, phone: string) => string;
  mailUs: (email: string) => string;
  /** When the page cannot say which municipality sent the link. */
  contactUnknown: string;
  /** The form's body could not be read (too large or malformed). */
  unreadable: string;
  rejected: string;
  missing: string;
  unavailable: string;
  errorPrefix: string;
  at: (day: string, time: string) => string;
}

export const TEXTS: Record<PageLanguage, PageTexts> = {
  nl: {
    languageName: 'Nederlands',
    languageLabel: 'Taal',
    locale: 'nl-NL',
    dir: 'ltr',
    title: 'Kies een moment voor ons telefoongesprek',
    intro:
      'Wij willen graag met u praten. Kies hieronder een dag en een tijd. Dan bellen wij u op dat moment. Het gesprek is gratis.',
    legend: 'Kies een dag en een tijd',
    slotCount: (n) => (n === 1 ? '1 tijd' : `${n} tijden`),
    submit: 'Dit moment kiezen',
    timeNote: 'Alle tijden zijn Nederlandse tijd.',
    current: (m) => `U koos eerder: ${m}. U mag ook een ander moment kiezen.`,
    noSlots: 'Er zijn nu geen tijden vrij. Probeer het later nog eens.',
    confirmTitle: 'Bedankt! Wij bellen u',
    confirmText: (m) => `Wij bellen u op ${m}.`,
    confirmChange: 'Past het toch niet? Open de link in ons bericht opnieuw en kies een ander moment.',
    invalidTitle: 'Deze link werkt niet',
    invalidText: 'Kijk of u de hele link uit ons bericht heeft gebruikt.',
    expiredTitle: 'Deze link werkt niet meer',
    expiredText: 'U kunt met deze link geen moment meer kiezen.',
    closedTitle: 'Kiezen kan niet meer',
    closedText: 'U hoeft met deze link geen moment meer te kiezen.',
    callUs: (m, phone) => `Wilt u met ons praten of heeft u een vraag? Bel de gemeente ${m} op ${phone}.`,
    mailUs: (email) => `U kunt ook een e-mail sturen naar ${email}.`,
    contactUnknown: 'Wilt u met ons praten of heeft u een vraag? Neem dan contact op met uw gemeente.',
    unreadable: 'Wij konden uw keuze niet lezen. Kies een tijd en probeer het opnieuw.',
    rejected: 'Dit moment kan niet meer. Kies een ander moment.',
    missing: 'U heeft nog geen moment gekozen. Kies een tijd en probeer het opnieuw.',
    unavailable: 'Het lukt nu even niet. Probeer het over een paar minuten opnieuw.',
    errorPrefix: 'Let op:',
    at: (day, time) => `${day} om ${time} uur`,
  },
  en: {
    languageName: 'English',
    languageLabel: 'Language',
    locale: 'en-GB',
    dir: 'ltr',
    title: 'Choose a time for our phone call',
    intro:
      'We would like to talk with you. Choose a day and a time below. We will call you at that time. The call is free.',
    legend: 'Choose a day and a time',
    slotCount: (n) => (n === 1 ? '1 time' : `${n} times`),
    submit: 'Choose this time',
    timeNote: 'All times are Dutch time.',
    current: (m) => `You chose earlier: ${m}. You can also choose another time.`,
    noSlots: 'There are no free times right now. Please try again later.',
    confirmTitle: 'Thank you! We will call you',
    confirmText: (m) => `We will call you on ${m}.`,
    confirmChange: 'Does it not suit you after all? Open the link in our message again and choose another time.',
    invalidTitle: 'This link does not work',
    invalidText: 'Please check that you used the whole link from our message.',
    expiredTitle: 'This link no longer works',
    expiredText: 'You can no longer choose a time with this link.',
    closedTitle: 'Choosing is no longer possible',
    closedText: 'You do not need to choose a time with this link any more.',
    callUs: (m, phone) =>
      `Would you like to talk with us, or do you have a question? Call the Municipality of ${m} on ${phone}.`,
    mailUs: (email) => `You can also send an e-mail to ${email}.`,
    contactUnknown: 'Would you like to talk with us, or do you have a question? Please contact your municipality.',
    unreadable: 'We could not read your choice. Choose a time and try again.',
    rejected: 'This time is no longer available. Please choose another time.',
    missing: 'You have not chosen a time yet. Choose a time and try again.',
    unavailable: 'This does not work right now. Please try again in a few minutes.',
    errorPrefix: 'Please note:',
    at: (day, time) => `${day} at ${time}`,
  },
  ar: {
    languageName: 'العربية',
    languageLabel: 'اللغة',
    locale: 'ar-u-nu-latn',
    dir: 'rtl',
    title: 'اختر موعدًا لمكالمتنا الهاتفية',
    intro: 'نود التحدث معك. اختر يومًا ووقتًا من القائمة أدناه. سنتصل بك في ذلك الوقت. المكالمة مجانية.',
    legend: 'اختر يومًا ووقتًا',
    slotCount: (n) => `عدد المواعيد: ${n}`,
    submit: 'اختر هذا الموعد',
    timeNote: 'جميع الأوقات بتوقيت هولندا.',
    current: (m) => `اخترت سابقًا: ${m}. يمكنك أيضًا اختيار موعد آخر.`,
    noSlots: 'لا توجد مواعيد متاحة الآن. يرجى المحاولة لاحقًا.',
    confirmTitle: 'شكرًا لك! سنتصل بك',
    confirmText: (m) => `سنتصل بك في: ${m}.`,
    confirmChange: 'هل الموعد غير مناسب؟ افتح الرابط في رسالتنا مرة أخرى واختر موعدًا آخر.',
    invalidTitle: 'هذا الرابط لا يعمل',
    invalidText: 'يرجى التأكد من أنك استخدمت الرابط كاملًا من رسالتنا.',
    expiredTitle: 'هذا الرابط لم يعد يعمل',
    expiredText: 'لم يعد بإمكانك اختيار موعد بهذا الرابط.',
    closedTitle: 'لم يعد اختيار موعد ممكنًا',
    closedText: 'لا حاجة لاختيار موعد بهذا الرابط بعد الآن.',
    callUs: (m, phone) => `هل تريد التحدث معنا أو لديك سؤال؟ اتصل ببلدية ${m} على الرقم ${phone}.`,
    mailUs: (email) => `يمكنك أيضًا إرسال بريد إلكتروني إلى ${email}.`,
    contactUnknown: 'هل تريد التحدث معنا أو لديك سؤال؟ يرجى التواصل مع بلديتك.',
    unreadable: 'لم نتمكن من قراءة اختيارك. اختر وقتًا وحاول مرة أخرى.',
    rejected: 'هذا الموعد لم يعد متاحًا. يرجى اختيار موعد آخر.',
    missing: 'لم تختر موعدًا بعد. اختر وقتًا وحاول مرة أخرى.',
    unavailable: 'لا يعمل هذا الآن. يرجى المحاولة مرة أخرى بعد بضع دقائق.',
    errorPrefix: 'تنبيه:',
    at: (day, time) => `${day} الساعة ${time}`,
  },
  tr: {
    languageName: 'Türkçe',
    languageLabel: 'Dil',
    locale: 'tr-TR',
    dir: 'ltr',
    title: 'Telefon görüşmemiz için bir zaman seçin',
    intro: 'Sizinle konuşmak istiyoruz. Aşağıdan bir gün ve saat seçin. Sizi o saatte arayacağız. Görüşme ücretsizdir.',
    legend: 'Bir gün ve saat seçin',
    slotCount: (n) => `${n} saat`,
    submit: 'Bu zamanı seç',
    timeNote: 'Tüm saatler Hollanda saatidir.',
    current: (m) => `Daha önce seçtiğiniz zaman: ${m}. Başka bir zaman da seçebilirsiniz.`,
    noSlots: 'Şu anda boş saat yok. Lütfen daha sonra tekrar deneyin.',
    confirmTitle: 'Teşekkürler! Sizi arayacağız',
    confirmText: (m) => `Sizi şu zamanda arayacağız: ${m}.`,
    confirmChange: 'Bu zaman size uymuyor mu? Mesajımızdaki bağlantıyı tekrar açın ve başka bir zaman seçin.',
    invalidTitle: 'Bu bağlantı çalışmıyor',
    invalidText: 'Lütfen mesajımızdaki bağlantının tamamını kullandığınızı kontrol edin.',
    expiredTitle: 'Bu bağlantı artık çalışmıyor',
    expiredText: 'Bu bağlantıyla artık zaman seçemezsiniz.',
    closedTitle: 'Artık zaman seçilemiyor',
    closedText: 'Bu bağlantıyla artık zaman seçmeniz gerekmiyor.',
    callUs: (m, phone) =>
      `Bizimle konuşmak mı istiyorsunuz veya bir sorunuz mu var? ${m} Belediyesini ${phone} numarasından arayın.`,
    mailUs: (email) => `${email} adresine e-posta da gönderebilirsiniz.`,
    contactUnknown: 'Bizimle konuşmak mı istiyorsunuz veya bir sorunuz mu var? Lütfen belediyenizle iletişime geçin.',
    unreadable: 'Seçiminizi okuyamadık. Bir saat seçin ve tekrar deneyin.',
    rejected: 'Bu zaman artık uygun değil. Lütfen başka bir zaman seçin.',
    missing: 'Henüz bir zaman seçmediniz. Bir saat seçin ve tekrar deneyin.',
    unavailable: 'Şu anda çalışmıyor. Lütfen birkaç dakika sonra tekrar deneyin.',
    errorPrefix: 'Dikkat:',
    at: (day, time) => `${day}, saat ${time}`,
  },
  fa: {
    languageName: 'فارسی',
    languageLabel: 'زبان',
    locale: 'fa-u-ca-gregory-nu-latn',
    dir: 'rtl',
    title: 'زمانی را برای تماس تلفنی ما انتخاب کنید',
    intro:
      'ما می‌خواهیم با شما صحبت کنیم. در پایین یک روز و یک ساعت انتخاب کنید. ما در همان زمان با شما تماس می‌گیریم. این تماس رایگان است.',
    legend: 'یک روز و یک ساعت انتخاب کنید',
    slotCount: (n) => `${n} زمان`,
    submit: 'انتخاب این زمان',
    timeNote: 'همه ساعت‌ها به وقت هلند است.',
    current: (m) => `انتخاب قبلی شما: ${m}. می‌توانید زمان دیگری هم انتخاب کنید.`,
    noSlots: 'در حال حاضر زمان آزادی وجود ندارد. لطفاً بعداً دوباره امتحان کنید.',
    confirmTitle: 'متشکریم! با شما تماس می‌گیریم',
    confirmText: (m) => `ما در این زمان با شما تماس می‌گیریم: ${m}.`,
    confirmChange: 'این زمان برایتان مناسب نیست؟ پیوند پیام ما را دوباره باز کنید و زمان دیگری انتخاب کنید.',
    invalidTitle: 'این پیوند کار نمی‌کند',
    invalidText: 'لطفاً بررسی کنید که کل پیوند پیام ما را استفاده کرده‌اید.',
    expiredTitle: 'این پیوند دیگر کار نمی‌کند',
    expiredText: 'با این پیوند دیگر نمی‌توانید زمانی انتخاب کنید.',
    closedTitle: 'انتخاب زمان دیگر ممکن نیست',
    closedText: 'دیگر لازم نیست با این پیوند زمانی انتخاب کنید.',
    callUs: (m, phone) => `می‌خواهید با ما صحبت کنید یا سؤالی دارید؟ با شهرداری ${m} به شماره ${phone} تماس بگیرید.`,
    mailUs: (email) => `می‌توانید به ${email} هم ایمیل بفرستید.`,
    contactUnknown: 'می‌خواهید با ما صحبت کنید یا سؤالی دارید؟ لطفاً با شهرداری خود تماس بگیرید.',
    unreadable: 'نتوانستیم انتخاب شما را بخوانیم. یک ساعت انتخاب کنید و دوباره امتحان کنید.',
    rejected: 'این زمان دیگر آزاد نیست. لطفاً زمان دیگری انتخاب کنید.',
    missing: 'هنوز زمانی انتخاب نکرده‌اید. یک ساعت انتخاب کنید و دوباره امتحان کنید.',
    unavailable: 'الان این کار ممکن نیست. لطفاً چند دقیقه دیگر دوباره امتحان کنید.',
    errorPrefix: 'توجه:',
    at: (day, time) => `${day}، ساعت ${time}`,
  },
};

/** `?lang=` wins, then the browser's Accept-Language, then Dutch. */
export function pickLanguage(query: unknown, acceptLanguage: string | undefined): PageLanguage {
  if (typeof query === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(query)) return query as PageLanguage;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const code = part.trim().slice(0, 2).toLowerCase();
    if ((PAGE_LANGUAGES as readonly string[]).includes(code)) return code as PageLanguage;
  }
  return 'nl';
}
