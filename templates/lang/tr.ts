import type { LanguagePack, TextVars } from '../types';

// Place and person names never take a Turkish suffix here: the right suffix depends on the name's last vowel.
const free = 'Ücretsizdir ve hiçbir yükümlülüğü yoktur.';
const stop = 'Durdurmak için STOP yazın.';
const act = (v: TextVars, choose = 'Zaman seçin') =>
  v.link ? `${choose}: ${v.link}` : v.phone ? `Bizi arayın: ${v.phone}` : 'Bu mesaja yanıt verebilirsiniz.';

export const tr: LanguagePack = {
  lang: 'tr',
  dir: 'ltr',
  locale: 'tr-TR',
  nativeName: 'Türkçe',
  greeting: (name) => `Sayın ${name},`,
  resident: 'Hane Sakini',
  regards: 'Saygılarımızla,',
  signature: (m) => `${m} Belediyesi`,
  moment: (date, time) => `${date}, saat ${time}`,
  amount: (a) => `Tutar: ${a}.`,
  callUs: (phone) => `Bizi kendiniz aramak ister misiniz? Telefon numaramız: ${phone}`,
  labels: {
    button: 'Zaman seçin',
    linkFallback: 'Düğme çalışmıyor mu? Bu bağlantıyı kopyalayın:',
    qrHint: 'QR kodunu telefonunuzun kamerasıyla tarayın. Ya da bu bağlantıyı yazın:',
    date: 'Tarih',
    subject: 'Konu',
    footer: (m) => `Bu mesaj ${m} Belediyesi tarafından gönderilmiştir.`,
  },
  messages: {
    invitation: {
      positive: {
        subject: (v) => `${v.municipality} Belediyesi: size yardımcı olmak istiyoruz`,
        body: (v) => [
          `${v.municipality} Belediyesi olarak size yazıyoruz. Bir faturanın henüz ödenmediğini öğrendik. Bu herkesin başına gelebilir.`,
          `Sizi kısaca aramak istiyoruz. Birlikte size nasıl yardımcı olabileceğimize bakarız. ${free}`,
        ],
        linkIntro: () => 'Size uygun bir zamanı kendiniz seçin:',
        sms: (v) => `Sayın ${v.name}, ${v.municipality} Belediyesi sizi aramak istiyor. Ücretsizdir. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `${v.municipality} Belediyesi: sizinle konuşmak istiyoruz`,
        body: (v) => [
          `${v.municipality} Belediyesi olarak size yazıyoruz. Bir faturanın henüz ödenmediğine dair yeniden bir bildirim aldık.`,
          `Durum zorlaşmadan size yardım etmek istiyoruz. Bu yüzden kısa süre içinde konuşalım. ${free}`,
        ],
        linkIntro: () => 'Önümüzdeki günlerde bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi sizi hemen aramak istiyor. Ücretsizdir. ${act(v)} ${stop}`,
      },
    },
    reminder: {
      positive: {
        subject: (v) => `Hatırlatma: ${v.municipality} Belediyesi size yardımcı olmak istiyor`,
        body: (v) => [
          'Birkaç gün önce size bir mesaj gönderdik. Belki gözünüzden kaçtı. Bu sorun değil.',
          `${v.municipality} Belediyesi olarak sizi hâlâ kısaca aramak istiyoruz. Birlikte size neyin yardımcı olacağına bakarız. ${free}`,
        ],
        linkIntro: () => 'Size uygun bir zamanı kendiniz seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi sizi hâlâ aramak istiyor. Ücretsizdir. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `Hatırlatma: ${v.municipality} Belediyesi sizinle konuşmak istiyor`,
        body: (v) => [
          'Size daha önce bir mesaj gönderdik, ancak sizden henüz haber alamadık.',
          `${v.municipality} Belediyesi olarak size gerçekten yardım etmek istiyoruz. Ne kadar erken konuşursak, birlikte bir çözüm bulmak çoğu zaman o kadar kolay olur. Görüşme ücretsizdir.`,
        ],
        linkIntro: () => 'Şimdi bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi size hâlâ yardım etmek istiyor. ${act(v, 'Şimdi zaman seçin')} ${stop}`,
      },
    },
    confirmation: {
      positive: {
        subject: (v) => `Görüşme zamanınız: ${v.moment}`,
        body: (v) => [
          `Bir zaman seçtiğiniz için teşekkür ederiz. Sizi şu zamanda arayacağız: ${v.moment}.`,
          'Hazırlık yapmanıza gerek yok. Görüşme ücretsizdir.',
        ],
        linkIntro: () => 'Bu zaman size uymuyor mu? Başka bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, teşekkürler. ${v.municipality} Belediyesi sizi arayacak: ${v.moment}.${v.link ? ` Değiştirmek için: ${v.link}` : ''}`,
      },
      direct: {
        subject: (v) => `Görüşme zamanınız: ${v.moment}`,
        body: (v) => [
          `Bir zaman seçtiğiniz için teşekkür ederiz. Sizi şu zamanda arayacağız: ${v.moment}.`,
          'Hazırlık yapmanıza gerek yok. Görüşme ücretsizdir.',
        ],
        linkIntro: () => 'Bu zaman size uymuyor mu? Başka bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, teşekkürler. ${v.municipality} Belediyesi sizi arayacak: ${v.moment}.${v.link ? ` Değiştirmek için: ${v.link}` : ''}`,
      },
    },
    card: {
      positive: {
        subject: () => 'Sizi ziyarete geldik',
        body: (v) => [
          `${v.municipality} Belediyesi olarak bugün sizi ziyarete geldik, ancak evde değildiniz.`,
          `Sizinle konuşmak istiyoruz. Birlikte size nasıl yardımcı olabileceğimize bakarız. ${free}`,
        ],
        linkIntro: () => 'Telefon görüşmesi için bir zaman seçin:',
        sms: (v) => `Sayın ${v.name}, ${v.municipality} Belediyesi bugün geldi, ama evde değildiniz. ${act(v)} ${stop}`,
      },
      direct: {
        subject: () => 'Sizi ziyarete geldik',
        body: (v) => [
          `${v.municipality} Belediyesi olarak bugün sizi ziyarete geldik, ancak evde değildiniz.`,
          `Size daha önce de ulaşmaya çalıştık. Sizinle gerçekten konuşmak ve birlikte size neyin yardımcı olacağına bakmak istiyoruz. ${free}`,
        ],
        linkIntro: () => 'Telefon görüşmesi için bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi bugün yine geldi, ama evde değildiniz. ${act(v)} ${stop}`,
      },
    },
    other: {
      positive: {
        subject: (v) => `${v.municipality} Belediyesi size ulaşmaya çalışıyor`,
        body: (v) => [
          `${v.municipality} Belediyesi olarak size ulaşmaya çalışıyoruz, çünkü sizinle konuşmak istiyoruz.`,
          `Birlikte size nasıl yardımcı olabileceğimize bakarız. ${free}`,
        ],
        linkIntro: () => 'Size uygun bir zamanı kendiniz seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi size ulaşmaya çalışıyor. Ücretsizdir. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `${v.municipality} Belediyesi size ulaşmaya çalışıyor`,
        body: (v) => [
          `${v.municipality} Belediyesi olarak bir süredir size ulaşmaya çalışıyoruz, çünkü sizinle konuşmak istiyoruz.`,
          `Birlikte size neyin yardımcı olacağına bakarız. ${free}`,
        ],
        linkIntro: () => 'Şimdi bir zaman seçin:',
        sms: (v) =>
          `Sayın ${v.name}, ${v.municipality} Belediyesi bir süredir size ulaşmaya çalışıyor. ${act(v)} ${stop}`,
      },
    },
  },
  callScript: (tone, v) => ({
    title: tone === 'positive' ? 'Arama metni: ilk görüşme' : 'Arama metni: takip görüşmesi',
    sections: [
      {
        heading: 'Açılış',
        lines: [
          `Günaydın / iyi günler / iyi akşamlar, ben [adınız], ${v.municipality} Belediyesi adına arıyorum. ${v.name} ile mi görüşüyorum?`,
        ],
      },
      { heading: 'Doğru kişiyse', lines: ['Size ulaştığıma sevindim. Birkaç dakikanız var mı?'] },
      {
        heading: 'Aramanın nedeni',
        lines: [
          tone === 'positive'
            ? 'Bir faturanın henüz ödenmediğini öğrendik. Bu herkesin başına gelebilir. Nasıl olduğunuzu sormak ve size yardımcı olup olamayacağımızı öğrenmek için arıyorum.'
            : 'Size daha önce bir mesaj gönderdik. Bir faturanın henüz ödenmediğine dair yeniden bir bildirim aldık. Durum zorlaşmadan buna sizinle birlikte bakmak istiyorum.',
          ...(v.amount ? [`Tutar: ${v.amount}.`] : []),
        ],
      },
      {
        heading: 'Teklif',
        lines: ['Bu görüşme ücretsizdir ve hiçbir yükümlülüğü yoktur. Bilgilerinize özenle yaklaşıyoruz.'],
      },
      {
        heading: 'Sorular',
        lines: [
          'Nasılsınız?',
          'Kira ve enerji gibi sabit giderlerinizi ödeyebiliyor musunuz?',
          'Birinin sizinle birlikte bakmasını ister misiniz, örneğin bir bütçe koçu?',
          'Sizi aramak için en uygun zaman ne zaman?',
        ],
      },
      { heading: 'Şu an uygun değilse', lines: ['Ne zaman daha uygun olur? O zaman sizi geri ararım.'] },
      {
        heading: 'Yardım gerekmiyorsa',
        lines: [
          v.phone
            ? `Tamam. Daha sonra bir şey olursa bizi arayabilirsiniz: ${v.phone}`
            : 'Tamam. Daha sonra bir şey olursa bizi her zaman arayabilirsiniz.',
        ],
      },
      {
        heading: 'Kişi iletişim istemiyorsa',
        lines: ['İletişim istemediğinizi not ediyorum. Bu konuda bizden artık mesaj almayacaksınız.'],
      },
      { heading: 'Kapanış', lines: ['Görüşme için teşekkür ederim. İyi günler.'] },
      {
        heading: 'Sesli mesaj',
        lines: [
          `Yalnızca adınızı, "${v.municipality} Belediyesi" ve geri arama numarasını bırakın. Para konularından bahsetmeyin.`,
        ],
      },
    ],
  }),
};
