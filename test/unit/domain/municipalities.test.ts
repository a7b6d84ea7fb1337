import { ConfigError, loadConfig } from '../../../config';
import {
  contrastWithWhite,
  createMunicipalityDirectory,
  UnknownMunicipalityError,
} from '../../../domain/municipalities';

describe('municipality directory', () => {
  test('gemeentecodes name the right municipalities', () => {
    const directory = createMunicipalityDirectory();
    expect(directory.get('0518').name).toBe('Den Haag');
    expect(directory.get('0392').name).toBe('Haarlem');
    expect(directory.get('0637').name).toBe('Zoetermeer');
    expect(directory.get('0109').name).toBe('Coevorden');
    expect(directory.get('0518')).toMatchObject({
      code: '0518',
      phone: '14 070',
      returnAddress: ['Postbus 12600', '2500 DJ Den Haag'],
    });
  });

  test('an unknown code fails with a message that says what to do, not a made-up name', () => {
    const directory = createMunicipalityDirectory();
    expect(directory.find('9999')).toBeUndefined();
    expect(() => directory.get('9999')).toThrow(UnknownMunicipalityError);
    expect(() => directory.get('9999')).toThrow('municipality 9999 is not in the directory; add it to MUNICIPALITIES');
  });

  test('MUNICIPALITIES adds municipalities and changes fields of built-in ones', () => {
    const config = loadConfig({
      MUNICIPALITIES: JSON.stringify({
        '0518': { replyTo: 'vroegsignalering@denhaag.nl', logoUrl: 'https://www.denhaag.nl/logo.svg' },
        '0599': { name: 'Rotterdam', returnAddress: ['Postbus 70012', '3000 KP Rotterdam'], phone: '14 010' },
      }),
      API_KEYS: 'a-long-enough-key-123:0599:staff',
    });
    const directory = createMunicipalityDirectory(config.MUNICIPALITIES);
    expect(directory.get('0518')).toMatchObject({
      name: 'Den Haag',
      phone: '14 070',
      replyTo: 'vroegsignalering@denhaag.nl',
      logoUrl: 'https://www.denhaag.nl/logo.svg',
    });
    expect(directory.get('0599')).toEqual({
      code: '0599',
      name: 'Rotterdam',
      returnAddress: ['Postbus 70012', '3000 KP Rotterdam'],
      phone: '14 010',
    });
  });

  test('a bad MUNICIPALITIES entry stops start-up naming the field', () => {
    const load = (value: unknown) => () =>
      loadConfig({ MUNICIPALITIES: typeof value === 'string' ? value : JSON.stringify(value) });
    expect(load('{0518: x}')).toThrow(/MUNICIPALITIES: must be a JSON object/);
    expect(load({ '0599': { name: 'Rotterdam' } })).toThrow(
      /MUNICIPALITIES\.0599\.phone: is required for a municipality that is not built in/,
    );
    expect(load({ '0599': { name: 'Rotterdam' } })).toThrow(/MUNICIPALITIES\.0599\.returnAddress: is required/);
    expect(load({ '0518': { replyTo: 'not an address' } })).toThrow(
      /MUNICIPALITIES\.0518\.replyTo: must be an e-mail address/,
    );
    expect(load({ '0518': { logoUrl: 'http://www.denhaag.nl/logo.svg' } })).toThrow(
      /MUNICIPALITIES\.0518\.logoUrl: must be an https:\/\/ URL/,
    );
    expect(load({ '0518': { colour: '#ffcc00' } })).toThrow(/MUNICIPALITIES\.0518\.colour: is too light/);
    expect(load({ '0518': { name: '' } })).toThrow(/MUNICIPALITIES\.0518\.name: must not be empty/);
    expect(load({ '0518': { slogan: 'Hallo' } })).toThrow(/MUNICIPALITIES\.0518/);
    expect(load({ 518: { name: 'Den Haag' } })).toThrow(/MUNICIPALITIES\.518: Invalid key/);
  });

  test('the DDAS v1.2 aanleverende organisatie and its contact persons come from MUNICIPALITIES, validated', () => {
    const contact = { naam: 'A. de Vries', email: 'vroegsignalering@denhaag.nl', telefoonnummer: '070 353 3000' };
    const config = loadConfig({
      MUNICIPALITIES: JSON.stringify({ '0518': { ddas: { kvkNummer: '27370237', contactpersonen: [contact] } } }),
    });
    expect(createMunicipalityDirectory(config.MUNICIPALITIES).get('0518').ddas).toEqual({
      kvkNummer: '27370237',
      contactpersonen: [contact],
    });
    expect(createMunicipalityDirectory().get('0518').ddas).toBeUndefined();

    const load = (ddas: unknown) => () => loadConfig({ MUNICIPALITIES: JSON.stringify({ '0518': { ddas } }) });
    expect(load({ contactpersonen: [] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.contactpersonen: needs at least one contact person/,
    );
    expect(load({})).toThrow(/MUNICIPALITIES\.0518\.ddas\.contactpersonen/);
    expect(load({ contactpersonen: [{ ...contact, email: 'geen adres' }] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.contactpersonen\.0\.email: must be an e-mail address/,
    );
    expect(load({ contactpersonen: [{ email: contact.email }] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.contactpersonen\.0\.naam/,
    );
    expect(load({ contactpersonen: [{ ...contact, telefoonnummer: 'bel maar' }] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.contactpersonen\.0\.telefoonnummer: must be a phone number/,
    );
    expect(load({ kvkNummer: '1234', contactpersonen: [contact] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.kvkNummer: must be a KvK number of 8 digits/,
    );
    expect(load({ contactpersonen: [contact, { ...contact, naam: 'B' }] })).toThrow(
      /MUNICIPALITIES\.0518\.ddas\.contactpersonen: must not list the same e-mail address twice/,
    );
    expect(load({ contactpersonen: [{ ...contact, afdeling: 'X' }] })).toThrow(/MUNICIPALITIES\.0518\.ddas/);
  });

  test('a gemeentecode the configuration names must be in the directory', () => {
    expect(() => loadConfig({ API_KEYS: 'a-long-enough-key-123:0599:staff' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  API_KEYS: municipality 0599 is not in the directory; add it to MUNICIPALITIES',
      ),
    );
    expect(() => loadConfig({ MUNICIPALITY_POLICIES: '0599:default' })).toThrow(
      /MUNICIPALITY_POLICIES: municipality 0599 is not in the directory/,
    );
    expect(loadConfig({ API_KEYS: 'a-long-enough-key-123:0518:staff' }).API_KEYS).toHaveLength(1);
  });

  test('production mail needs a real sender address', () => {
    const production = {
      NODE_ENV: 'production',
      CASE_ID_SECRET: 'x'.repeat(16),
      RESIDENT_LINK_SECRET: 'y'.repeat(16),
      ENCRYPTION_KEYS: 'k1:AAAA',
      DATABASE_URL: 'postgres://db/bereik',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://relay.example.nl:587',
    };
    expect(() => loadConfig(production)).toThrow(/MAIL_FROM: must be an address the SMTP relay may send from/);
    expect(
      loadConfig({ ...production, MAIL_FROM: 'Vroegsignalering <vroegsignalering@denhaag.nl>' }).MAIL_FROM,
    ).toContain('denhaag.nl');
  });

  test('house colours are checked for contrast with white text', () => {
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#00589c')).toBeGreaterThan(4.5);
    expect(contrastWithWhite('#777777')).toBeLessThan(4.5);
  });
});
