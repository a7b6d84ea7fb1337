import { Writable } from 'node:stream';
import { createLogger, redactFields, redactText } from '../../../common/logger';

const SURNAME = 'Zwanenburg-Qwertyuiop';
const PHONE = '+31687654321';
const EMAIL = 'z.qwertyuiop@voorbeeld.nl';
const BSN = '999990019';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger('test', 'trace', { destination }), output: () => lines.join('') };
}

function expectClean(output: string) {
  for (const secret of [SURNAME, PHONE, '687654321', EMAIL, BSN, '2011AB', 'Bearer abc', 'session=1']) {
    expect(output).not.toContain(secret);
  }
}

describe('logger', () => {
  it('censors personal fields at any depth, in arrays and in child bindings', () => {
    const { logger, output } = capture();
    const client = { Achternaam: SURNAME, telefoon: PHONE, email: EMAIL, Burgerservicenummer: BSN, Postcode: '2011AB' };
    logger.info({ signal: { ID: 's-1', client } }, 'intake');
    logger.info({ batch: [{ signal: { client } }] }, 'batch');
    logger.info({ a: { b: { c: { d: { e: { Achternaam: SURNAME } } } } } }, 'deep');
    logger.info({ sms: { To: PHONE, From: '+3197010200300', Body: `Beste ${SURNAME}` } }, 'twilio');
    logger.info(
      { req: { headers: { authorization: 'Bearer abc', cookie: 'session=1', 'X-Api-Key': 'Bearer abc' } } },
      'http',
    );
    logger.child({ client }).child({ caseId: 'c-1' }).warn('child');
    const out = output();
    expectClean(out);
    expect(out).toContain('"ID":"s-1"');
    expect(out).toContain('"caseId":"c-1"');
    expect(out).toContain('[redacted]');
  });

  it('masks personal data in messages, format arguments and errors', () => {
    const { logger, output } = capture();
    logger.warn('could not reach %s at %s', EMAIL, PHONE);
    logger.info('payload %j', { client: { Achternaam: SURNAME } });
    logger.error(new Error(`Twilio: The 'To' number ${PHONE} is not valid (bsn ${BSN}, 2011 AB)`));
    logger.error({ err: new Error(`mail to ${EMAIL} bounced`) }, 'send failed');
    const out = output();
    expectClean(out);
    expect(out).toContain('[phone]');
    expect(out).toContain('"msg":"Twilio: The \'To\' number [phone] is not valid (bsn [bsn], [postcode])"');
  });

  it('logs an error given as text as text, masked', () => {
    const { logger, output } = capture();
    logger.warn({ error: `tcp connect error calling ${PHONE}` }, 'gRPC call retried');
    logger.warn({ err: { code: 14 } }, 'plain object');
    const line = JSON.parse(output().split('\n')[0]) as { error: unknown };
    expect(line.error).toBe('tcp connect error calling [phone]');
    expect(JSON.parse(output().split('\n')[1])).toMatchObject({ err: { code: 14 } });
  });

  it('masks query strings of pino-http style request logs', () => {
    const { logger, output } = capture();
    logger.info(
      { req: { method: 'GET', url: `/moment?token=abc&phone=${encodeURIComponent(PHONE)}`, headers: {} } },
      'request',
    );
    const out = output();
    expect(out).toContain('/moment?token=[redacted]&phone=[redacted]');
    expectClean(out);
  });

  it('keeps ordinary operational text readable', () => {
    expect(redactText('timeout after 5000 ms in 2024 at attempt 3 of 7, took 1500ms')).toBe(
      'timeout after 5000 ms in 2024 at attempt 3 of 7, took 1500ms',
    );
  });

  it.each([
    [`mail ${EMAIL} now`, 'mail [email] now'],
    ['bel 06-12345678', 'bel [phone]'],
    ['bel 06 1234 5678', 'bel [phone]'],
    ['bel +31 6 12345678', 'bel [phone]'],
    ['bel 0031612345678', 'bel [phone]'],
    ['bel +32470123456', 'bel [phone]'],
    ['bel +31 (0)20 123 4567', 'bel [phone]'],
    ['bel (020) 123 4567', 'bel [phone]'],
    ['postcode 2011AB', 'postcode [postcode]'],
    ['postcode 2011 AB', 'postcode [postcode]'],
    ['postcode 2011ab', 'postcode [postcode]'],
    ['bsn 123456782 of 1234.56.782', 'bsn [bsn] of [bsn]'],
    ['BSN:123456782, "123456782", (123456782)', 'BSN:[bsn], "[bsn]", ([bsn])'],
    ['run 52971fcd123456789abc and token AAdkZ123456789Q==', 'run 52971fcd123456789abc and token AAdkZ123456789Q=='],
    ['iban NL91 ABNA 0417 1643 00', 'iban [iban]'],
  ])('redactText(%j)', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redactFields copies only what it changes', () => {
    const clean = { caseId: 'c-1', attempts: [1, 2] };
    expect(redactFields(clean)).toBe(clean);
    const dirty = { caseId: 'c-1', client: { Achternaam: SURNAME } };
    expect(redactFields(dirty)).toEqual({ caseId: 'c-1', client: '[redacted]' });
    expect(dirty.client.Achternaam).toBe(SURNAME);
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { caseId: 'c-1' };
    a.self = a;
    expect(() => redactFields(a)).not.toThrow();
  });
});
