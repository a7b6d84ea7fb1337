import type { LanguagePack, TextVars } from '../types';

// B1 Dutch. Never: schuldhulpverlening, incasso, deurwaarder; no "schuld" in subjects; no "achterstand" in SMS.
const free = 'Dat is gratis en u zit nergens aan vast.';
const stop = 'Geen berichten meer? Stuur STOP.';
const act = (v: TextVars, choose = 'Kies een moment') =>
  v.link ? `${choose}: ${v.link}` : v.phone ? `Bel ons op ${v.phone}.` : 'Stuur gerust een berichtje terug.';

export const nl: LanguagePack = {
  lang: 'nl',
  dir: 'ltr',
  locale: 'nl-NL',
  nativeName: 'Nederlands',
  greeting: (name) => `Beste ${name},`,
  resident: 'bewoner',
  regards: 'Met vriendelijke groet,',
  signature: (m) => `Gemeente ${m}`,
  moment: (date, time) => `${date} om ${time}`,
  amount: (a) => `Het gaat om een bedrag van ${a}.`,
  callUs: (phone) => `Liever zelf bellen? Dat kan op ${phone}.`,
  labels: {
    button: 'Kies een moment',
    linkFallback: 'Werkt de knop niet? Kopieer dan deze link:',
    qrHint: 'Scan de QR-code met de camera van uw telefoon. Of typ deze link over:',
    date: 'Datum',
    subject: 'Onderwerp',
    footer: (m) => `Dit bericht is verstuurd door de gemeente ${m}.`,
  },
  messages: {
    invitation: {
      positive: {
        subject: (v) => `Gemeente ${v.municipality} denkt graag met u mee`,
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij kregen een bericht dat een rekening nog niet betaald is. Dat kan iedereen overkomen.`,
          `Wij willen graag even met u bellen. Samen kijken we of wij u ergens mee kunnen helpen. ${free}`,
        ],
        linkIntro: () => 'Kies zelf een moment dat u goed uitkomt:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} wil graag even met u bellen. Wij denken mee over geld en rekeningen. Gratis en zonder verplichting. ${act(v, 'Kies zelf een moment')} ${stop}`,
      },
      direct: {
        subject: (v) => `Gemeente ${v.municipality}: wij willen graag met u praten`,
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij kregen opnieuw een bericht dat een rekening nog niet betaald is.`,
          `Wij willen u graag helpen voordat het lastiger wordt. Laten we daarom snel even bellen. ${free}`,
        ],
        linkIntro: () => 'Kies een moment in de komende dagen:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} wil graag snel met u bellen over uw rekeningen. Wij helpen u graag, gratis en zonder verplichting. ${act(v)} ${stop}`,
      },
    },
    reminder: {
      positive: {
        subject: (v) => `Herinnering: gemeente ${v.municipality} denkt graag met u mee`,
        body: (v) => [
          'Een paar dagen geleden stuurden wij u een bericht. Misschien heeft u het gemist. Dat is geen probleem.',
          `De gemeente ${v.municipality} wil nog steeds graag even met u bellen. Samen kijken we wat u kan helpen. ${free}`,
        ],
        linkIntro: () => 'Kies zelf een moment dat u goed uitkomt:',
        sms: (v) =>
          `Beste ${v.name}, misschien heeft u ons bericht gemist. De gemeente ${v.municipality} belt graag even met u. Gratis en zonder verplichting. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `Herinnering: gemeente ${v.municipality} wil graag met u praten`,
        body: (v) => [
          'Wij stuurden u eerder een bericht, maar hebben nog niets van u gehoord.',
          `De gemeente ${v.municipality} wil u echt graag helpen. Hoe eerder we praten, hoe makkelijker het vaak is om samen een oplossing te vinden. Het gesprek is gratis.`,
        ],
        linkIntro: () => 'Kies nu een moment:',
        sms: (v) =>
          `Beste ${v.name}, wij hebben nog niets van u gehoord. De gemeente ${v.municipality} wil u graag helpen. Gratis en zonder verplichting. ${act(v, 'Kies nu een moment')} ${stop}`,
      },
    },
    confirmation: {
      positive: {
        subject: (v) => `Wij bellen u op ${v.moment}`,
        body: (v) => [
          `Dank u wel voor het kiezen van een moment. Wij bellen u op ${v.moment}.`,
          'U hoeft niets voor te bereiden. Het gesprek is gratis.',
        ],
        linkIntro: () => 'Komt het toch niet goed uit? Kies dan een ander moment:',
        sms: (v) =>
          `Beste ${v.name}, dank u wel. De gemeente ${v.municipality} belt u op ${v.moment}.${v.link ? ` Past het toch niet? Kies een ander moment: ${v.link}` : ''}`,
      },
      direct: {
        subject: (v) => `Wij bellen u op ${v.moment}`,
        body: (v) => [
          `Dank u wel voor het kiezen van een moment. Wij bellen u op ${v.moment}.`,
          'U hoeft niets voor te bereiden. Het gesprek is gratis.',
        ],
        linkIntro: () => 'Komt het toch niet goed uit? Kies dan een ander moment:',
        sms: (v) =>
          `Beste ${v.name}, dank u wel. De gemeente ${v.municipality} belt u op ${v.moment}.${v.link ? ` Past het toch niet? Kies een ander moment: ${v.link}` : ''}`,
      },
    },
    card: {
      positive: {
        subject: () => 'Wij kwamen bij u langs',
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij kwamen vandaag bij u langs, maar u was niet thuis.`,
          `Wij willen graag met u praten. Samen kijken we of wij u ergens mee kunnen helpen. ${free}`,
        ],
        linkIntro: () => 'Kies zelf een moment om te bellen:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} kwam vandaag bij u langs. U was niet thuis. Wij bellen graag even. ${act(v)} ${stop}`,
      },
      direct: {
        subject: () => 'Wij kwamen bij u langs',
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij kwamen vandaag bij u langs, maar u was niet thuis.`,
          `Wij hebben al eerder geprobeerd u te bereiken. Wij willen echt graag met u praten en samen kijken wat u helpt. ${free}`,
        ],
        linkIntro: () => 'Kies een moment om te bellen:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} kwam vandaag bij u langs. U was niet thuis. Wij willen echt graag met u praten. ${act(v)} ${stop}`,
      },
    },
    other: {
      positive: {
        subject: (v) => `Gemeente ${v.municipality} probeert u te bereiken`,
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij proberen u te bereiken, omdat wij graag even met u willen praten.`,
          `Samen kijken we of wij u ergens mee kunnen helpen. ${free}`,
        ],
        linkIntro: () => 'Kies zelf een moment dat u goed uitkomt:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} probeert u te bereiken. Wij praten graag even met u. Gratis en zonder verplichting. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `Gemeente ${v.municipality} probeert u te bereiken`,
        body: (v) => [
          `Wij zijn van de gemeente ${v.municipality}. Wij proberen u al een tijdje te bereiken, omdat wij graag met u willen praten.`,
          `Samen kijken we wat u helpt. ${free}`,
        ],
        linkIntro: () => 'Kies nu een moment:',
        sms: (v) =>
          `Beste ${v.name}, de gemeente ${v.municipality} probeert u al een tijdje te bereiken. Wij praten graag met u. Gratis en zonder verplichting. ${act(v)} ${stop}`,
      },
    },
  },
  callScript: (tone, v) => ({
    title: tone === 'positive' ? 'Belscript: eerste gesprek' : 'Belscript: vervolggesprek',
    sections: [
      {
        heading: 'Opening',
        lines: [
          `Goedemorgen / goedemiddag / goedenavond, u spreekt met [uw naam] van de gemeente ${v.municipality}. Spreek ik met ${v.name}?`,
        ],
      },
      { heading: 'Als het de juiste persoon is', lines: ['Fijn dat ik u spreek. Heeft u een paar minuten?'] },
      {
        heading: 'Reden van het gesprek',
        lines: [
          tone === 'positive'
            ? 'Wij kregen een bericht dat een rekening nog niet betaald is. Dat kan iedereen overkomen. Ik bel om te vragen hoe het met u gaat, en of wij u ergens mee kunnen helpen.'
            : 'Wij hebben u eerder een bericht gestuurd. Wij kregen opnieuw een bericht dat een rekening nog niet betaald is. Ik wil graag samen met u kijken wat u helpt, voordat het lastiger wordt.',
          ...(v.amount ? [`Het gaat om een bedrag van ${v.amount}.`] : []),
        ],
      },
      {
        heading: 'Aanbod',
        lines: ['Dit gesprek is gratis en u zit nergens aan vast. Wij gaan zorgvuldig om met uw gegevens.'],
      },
      {
        heading: 'Vragen',
        lines: [
          'Hoe gaat het met u?',
          'Lukt het om de vaste lasten te betalen, zoals huur en energie?',
          'Wilt u dat iemand met u meekijkt, bijvoorbeeld een budgetcoach?',
          'Wanneer kunnen wij u het beste bellen?',
        ],
      },
      { heading: 'Als het nu niet uitkomt', lines: ['Wanneer past het beter? Dan bel ik u terug.'] },
      {
        heading: 'Als er geen hulp nodig is',
        lines: [
          v.phone
            ? `Dat is goed. Is er later toch iets? Dan kunt u ons bellen op ${v.phone}.`
            : 'Dat is goed. Is er later toch iets? Dan kunt u ons altijd bellen.',
        ],
      },
      {
        heading: 'Als de inwoner geen contact wil',
        lines: ['Ik noteer dat u geen contact meer wilt. U krijgt dan geen berichten meer van ons hierover.'],
      },
      { heading: 'Afsluiting', lines: ['Dank u wel voor het gesprek. Nog een fijne dag.'] },
      {
        heading: 'Voicemail',
        lines: [`Spreek alleen uw naam, "gemeente ${v.municipality}" en het terugbelnummer in. Noem geen geldzaken.`],
      },
    ],
  }),
  callGreeting: (m) =>
    `Goedendag. U wordt gebeld door de gemeente ${m}. Een moment, wij verbinden u met een medewerker.`,
};
