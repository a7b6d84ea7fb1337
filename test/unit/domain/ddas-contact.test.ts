import { CONTACTSOORT_OF_CHANNEL, CONTACTSOORTEN, isContactAttempt } from '../../../domain/ddas';

describe('the DDAS contactsoort of a message', () => {
  test('SMS and WhatsApp are one soort, e-mail is Mail, a letter is Brief; all are DDAS values', () => {
    expect(CONTACTSOORT_OF_CHANNEL).toEqual({
      sms: 'SMS/Whatsapp',
      whatsapp: 'SMS/Whatsapp',
      email: 'Mail',
      letter: 'Brief',
    });
    for (const soort of Object.values(CONTACTSOORT_OF_CHANNEL)) expect(CONTACTSOORTEN).toContain(soort);
  });
});

describe('what counts as a contactpoging', () => {
  test('invitations and reminders do; a confirmation of the chosen moment and a card do not', () => {
    expect((['invitation', 'reminder', 'confirmation', 'card', 'other'] as const).filter(isContactAttempt)).toEqual([
      'invitation',
      'reminder',
    ]);
  });
});
