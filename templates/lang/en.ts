import type { LanguagePack, TextVars } from '../types';

const free = 'It is free and there is no obligation.';
const stop = 'No more messages? Reply STOP.';
const act = (v: TextVars, choose = 'Choose a time') =>
  v.link ? `${choose}: ${v.link}` : v.phone ? `Call us on ${v.phone}.` : 'Feel free to reply to this message.';

export const en: LanguagePack = {
  lang: 'en',
  dir: 'ltr',
  locale: 'en-GB',
  nativeName: 'English',
  greeting: (name) => `Dear ${name},`,
  resident: 'resident',
  regards: 'Kind regards,',
  signature: (m) => `Municipality of ${m}`,
  moment: (date, time) => `${date} at ${time}`,
  amount: (a) => `The amount is ${a}.`,
  callUs: (phone) => `Would you rather call us yourself? You can reach us on ${phone}.`,
  labels: {
    button: 'Choose a time',
    linkFallback: 'Does the button not work? Copy this link:',
    qrHint: 'Scan the QR code with your phone camera. Or type this link:',
    date: 'Date',
    subject: 'Subject',
    footer: (m) => `This message was sent by the Municipality of ${m}.`,
  },
  messages: {
    invitation: {
      positive: {
        subject: (v) => `Municipality of ${v.municipality}: we are happy to help`,
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We heard that a bill has not been paid yet. This can happen to anyone.`,
          `We would like to give you a call. Together we will see if we can help you with anything. ${free}`,
        ],
        linkIntro: () => 'Choose a time that suits you:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} would like to give you a call. We help with money matters and bills. Free and without obligation. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `Municipality of ${v.municipality}: we would like to talk to you`,
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We heard again that a bill has not been paid yet.`,
          `We would like to help you before things get harder. So let us talk soon. ${free}`,
        ],
        linkIntro: () => 'Choose a time in the coming days:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} would like to call you soon about your bills. We are happy to help, free and without obligation. ${act(v)} ${stop}`,
      },
    },
    reminder: {
      positive: {
        subject: (v) => `Reminder: the Municipality of ${v.municipality} is happy to help`,
        body: (v) => [
          'A few days ago we sent you a message. Maybe you missed it. That is no problem.',
          `The Municipality of ${v.municipality} would still like to give you a call. Together we will see what can help you. ${free}`,
        ],
        linkIntro: () => 'Choose a time that suits you:',
        sms: (v) =>
          `Dear ${v.name}, maybe you missed our message. The Municipality of ${v.municipality} would like to give you a call. Free and without obligation. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `Reminder: the Municipality of ${v.municipality} would like to talk to you`,
        body: (v) => [
          'We sent you a message earlier, but we have not heard from you yet.',
          `The Municipality of ${v.municipality} really wants to help you. The sooner we talk, the easier it often is to find a solution together. The conversation is free.`,
        ],
        linkIntro: () => 'Choose a time now:',
        sms: (v) =>
          `Dear ${v.name}, we have not heard from you yet. The Municipality of ${v.municipality} would like to help you. Free and without obligation. ${act(v, 'Choose a time now')} ${stop}`,
      },
    },
    confirmation: {
      positive: {
        subject: (v) => `We will call you on ${v.moment}`,
        body: (v) => [
          `Thank you for choosing a time. We will call you on ${v.moment}.`,
          'You do not need to prepare anything. The conversation is free.',
        ],
        linkIntro: () => 'Does this time not suit you after all? Choose another time:',
        sms: (v) =>
          `Dear ${v.name}, thank you. The Municipality of ${v.municipality} will call you on ${v.moment}.${v.link ? ` Does it not suit you? Choose another time: ${v.link}` : ''}`,
      },
      direct: {
        subject: (v) => `We will call you on ${v.moment}`,
        body: (v) => [
          `Thank you for choosing a time. We will call you on ${v.moment}.`,
          'You do not need to prepare anything. The conversation is free.',
        ],
        linkIntro: () => 'Does this time not suit you after all? Choose another time:',
        sms: (v) =>
          `Dear ${v.name}, thank you. The Municipality of ${v.municipality} will call you on ${v.moment}.${v.link ? ` Does it not suit you? Choose another time: ${v.link}` : ''}`,
      },
    },
    card: {
      positive: {
        subject: () => 'We came by to see you',
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We came by today, but you were not at home.`,
          `We would like to talk to you. Together we will see if we can help you with anything. ${free}`,
        ],
        linkIntro: () => 'Choose a time for a phone call:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} came by today, but you were not at home. We would like to call you. ${act(v)} ${stop}`,
      },
      direct: {
        subject: () => 'We came by to see you',
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We came by today, but you were not at home.`,
          `We have tried to reach you before. We would really like to talk to you and see together what can help you. ${free}`,
        ],
        linkIntro: () => 'Choose a time for a phone call:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} came by today, but you were not at home. We would really like to talk to you. ${act(v)} ${stop}`,
      },
    },
    other: {
      positive: {
        subject: (v) => `The Municipality of ${v.municipality} is trying to reach you`,
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We are trying to reach you because we would like to talk to you.`,
          `Together we will see if we can help you with anything. ${free}`,
        ],
        linkIntro: () => 'Choose a time that suits you:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} is trying to reach you. We would like to talk to you. Free and without obligation. ${act(v)} ${stop}`,
      },
      direct: {
        subject: (v) => `The Municipality of ${v.municipality} is trying to reach you`,
        body: (v) => [
          `We are from the Municipality of ${v.municipality}. We have been trying to reach you for a while, because we would like to talk to you.`,
          `Together we will see what can help you. ${free}`,
        ],
        linkIntro: () => 'Choose a time now:',
        sms: (v) =>
          `Dear ${v.name}, the Municipality of ${v.municipality} has been trying to reach you for a while. We would like to talk to you. Free and without obligation. ${act(v)} ${stop}`,
      },
    },
  },
  callScript: (tone, v) => ({
    title: tone === 'positive' ? 'Call script: first conversation' : 'Call script: follow-up conversation',
    sections: [
      {
        heading: 'Opening',
        lines: [
          `Good morning / good afternoon / good evening, this is [your name] from the Municipality of ${v.municipality}. Am I speaking with ${v.name}?`,
        ],
      },
      { heading: 'If it is the right person', lines: ['Good to reach you. Do you have a few minutes?'] },
      {
        heading: 'Reason for the call',
        lines: [
          tone === 'positive'
            ? 'We heard that a bill has not been paid yet. This can happen to anyone. I am calling to ask how you are doing, and whether we can help you with anything.'
            : 'We sent you a message earlier. We heard again that a bill has not been paid yet. I would like to look at it together with you, before things get harder.',
          ...(v.amount ? [`The amount is ${v.amount}.`] : []),
        ],
      },
      {
        heading: 'Offer',
        lines: ['This conversation is free and there is no obligation. We handle your information with care.'],
      },
      {
        heading: 'Questions',
        lines: [
          'How are you doing?',
          'Are you managing to pay your fixed costs, such as rent and energy?',
          'Would you like someone to look at it with you, for example a money coach?',
          'When is the best time to call you?',
        ],
      },
      { heading: 'If now is not a good time', lines: ['When would suit you better? Then I will call you back.'] },
      {
        heading: 'If no help is needed',
        lines: [
          v.phone
            ? `That is fine. If anything comes up later, you can call us on ${v.phone}.`
            : 'That is fine. If anything comes up later, you can always call us.',
        ],
      },
      {
        heading: 'If the resident does not want contact',
        lines: [
          'I will note that you do not want to be contacted. You will not receive any more messages from us about this.',
        ],
      },
      { heading: 'Closing', lines: ['Thank you for talking with me. Have a nice day.'] },
      {
        heading: 'Voicemail',
        lines: [
          `Only leave your name, "Municipality of ${v.municipality}" and the number to call back. Do not mention money matters.`,
        ],
      },
    ],
  }),
};
