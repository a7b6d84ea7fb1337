import { caseEventSchema } from '../../../domain/events';
import { signalSchema } from '../../../domain/signal';

const signal = (client: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  ID: 'VS-2027-0001',
  signaaldatum: '2027-03-05',
  bedrag: 640,
  signaalpartner: { type: 'Energie', naam: 'Energiebedrijf' },
  client: {
    Achternaam: 'Jansen',
    Straatnaam: 'Dorpsstraat',
    Huisnummer: '12',
    Postcode: '2011AB',
    Plaatsnaam: 'Haarlem',
    ...client,
  },
  ...rest,
});

const errorPaths = (input: unknown) => {
  const result = signalSchema.safeParse(input);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('/')))];
};

describe('text fields in signals and events', () => {
  test.each([
    ["O'Brien-Van der Berg", "'s-Gravenhage"],
    ['Şahin', 'Ğazi Osmanpaşa'],
    ['الحسيني', 'Den Bosch'],
    ['Nguyễn', 'IJsselmonde'],
    ['Smith 𝒜', 'Zoetermeer'],
  ])('takes real names and places in any script: %s in %s', (Achternaam, Plaatsnaam) => {
    expect(errorPaths(signal({ Achternaam, Plaatsnaam }))).toEqual([]);
  });

  test.each([
    ['NUL', 'Jan\u0000sen'],
    ['a terminal escape', 'Jansen\u001b[2J'],
    ['DEL', 'Jansen\u007f'],
    ['a C1 control (NEL)', 'Jansen\u0085'],
    ['a lone high surrogate', 'Jansen\ud83d'],
    ['a lone low surrogate', '\ude00Jansen'],
  ])('refuses a surname with %s, naming the field', (_what, Achternaam) => {
    expect(errorPaths(signal({ Achternaam }))).toEqual(['client/Achternaam']);
  });

  test('names every free-text field that carries a control character, and only those', () => {
    const bad = 'x\u0007';
    const input = signal(
      { Straatnaam: bad, Voorletters: bad, Voorvoegsel: bad, Huisnummertoevoeging: bad, Plaatsnaam: bad },
      { signaalpartner: { type: 'Energie', naam: bad } },
    );
    expect(errorPaths(input).sort()).toEqual([
      'client/Huisnummertoevoeging',
      'client/Plaatsnaam',
      'client/Straatnaam',
      'client/Voorletters',
      'client/Voorvoegsel',
      'signaalpartner/naam',
    ]);
  });

  test('one-line fields fold line breaks and tabs from spreadsheet cells into one space', () => {
    const parsed = signalSchema.parse(signal({ Straatnaam: 'Lange\r\n  Straat', Achternaam: 'de\tVries \n' }));
    expect([parsed.client.Straatnaam, parsed.client.Achternaam]).toEqual(['Lange Straat', 'de Vries']);
  });

  test('a surname of only spaces is empty after trimming and refused', () => {
    expect(errorPaths(signal({ Achternaam: '   ' }))).toEqual(['client/Achternaam']);
  });

  test('signal IDs are printable ASCII: spaces, control characters and non-ASCII are refused', () => {
    for (const ID of ['VS 1', 'VS-\u00001', 'VS-é', '']) expect(errorPaths(signal({}, { ID }))).toEqual(['ID']);
    expect(errorPaths(signal({}, { ID: "VS-1';DROP--" }))).toEqual([]);
  });

  test('staff notes may span lines; best time to call is folded onto one line; neither carries control characters', () => {
    const parse = (event: unknown) => caseEventSchema.safeParse(event);
    expect(
      parse({ type: 'help_accepted', description: 'Huurachterstand.\nWil budgetcoach.\r\n\tDinsdag.' }).success,
    ).toBe(true);
    expect(parse({ type: 'quick_fix', description: 'Regeling\u0000getroffen' }).success).toBe(false);
    expect(parse({ type: 'help_accepted', bestTimeToCall: 'dinsdagochtend' }).success).toBe(true);
    expect(parse({ type: 'help_accepted', bestTimeToCall: 'ochtend\navond' })).toMatchObject({
      success: true,
      data: { bestTimeToCall: 'ochtend avond' },
    });
    const refused = parse({ type: 'help_accepted', bestTimeToCall: 'ochtend\u001b[1m' });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('/'))).toEqual(['bestTimeToCall']);
    expect(parse({ type: 'message_status', messageRef: 'SM0123\u0000', status: 'delivered' }).success).toBe(false);
  });
});
