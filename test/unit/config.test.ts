import { ConfigError, loadConfig } from '../../config';

describe('configuration', () => {
  test('documented defaults apply when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'bereik-cases',
      DEFAULT_POLICY: 'default',
      API_KEYS: [],
    });
    expect(config.DATA_DIR).toMatch(/\.data$/);
  });

  test('a bad value stops start-up with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MATCHING_WINDOW: 'soon' })).toThrow(/MATCHING_WINDOW: must be a duration/);
    expect(() => loadConfig({ API_KEYS: 'short:0518:staff' })).toThrow(
      /API_KEYS: each key must be at least 16 characters/,
    );
    expect(() => loadConfig({ API_KEYS: 'a-long-enough-key-123:0518:boss' })).toThrow(
      /API_KEYS: entries must look like key:gemeentecode:role/,
    );
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost' })).toThrow(ConfigError);
  });

  test('API keys, durations and municipality policies are parsed', () => {
    const config = loadConfig({
      API_KEYS: 'dev-intake-key-0518:0518:intake, dev-staff-key-0637x:0637:staff',
      MATCHING_WINDOW: '10s',
      MUNICIPALITY_POLICIES: '0392:haarlem,0637:zoetermeer',
    });
    expect(config.API_KEYS).toEqual([
      { key: 'dev-intake-key-0518', municipality: '0518', role: 'intake' },
      { key: 'dev-staff-key-0637x', municipality: '0637', role: 'staff' },
    ]);
    expect(config.MATCHING_WINDOW).toBe(10_000);
    expect(config.MUNICIPALITY_POLICIES).toEqual({ '0392': 'haarlem', '0637': 'zoetermeer' });
  });

  test('API keys may carry a scope: a team for staff, the signal partner for a partner key', () => {
    const config = loadConfig({
      API_KEYS: 'dev-wijkteam-key-0518:0518:staff:wijkteam,dev-partner-key-0518:0518:partner:woonstad',
    });
    expect(config.API_KEYS).toEqual([
      { key: 'dev-wijkteam-key-0518', municipality: '0518', role: 'staff', scope: 'wijkteam' },
      { key: 'dev-partner-key-0518', municipality: '0518', role: 'partner', scope: 'woonstad' },
    ]);
    expect(() => loadConfig({ API_KEYS: 'dev-staff-key-0518x:0518:staff:kitchen' })).toThrow(
      /API_KEYS: a staff key's scope must be a team: callcentre, visits, wijkteam, sdv, budgetcoach, meldpunt/,
    );
    expect(() => loadConfig({ API_KEYS: 'dev-partner-key-0518:0518:partner' })).toThrow(
      /API_KEYS: a partner key needs a scope naming its signal partner/,
    );
    expect(() => loadConfig({ API_KEYS: 'dev-intake-key-0518:0518:intake:visits' })).toThrow(
      /API_KEYS: a intake key takes no scope/,
    );
    expect(() => loadConfig({ API_KEYS: 'dev-staff-key-0518x:0518:staff:visits:extra' })).toThrow(
      /API_KEYS: entries must look like key:gemeentecode:role\[:scope\]/,
    );
  });

  test("Twilio's sending rates are positive numbers per second", () => {
    expect(
      loadConfig({
        TWILIO_MESSAGES_PER_SECOND: '30',
        TWILIO_CALLS_PER_SECOND: '0.5',
        TWILIO_LOOKUPS_PER_SECOND: '100',
      }),
    ).toMatchObject({
      TWILIO_MESSAGES_PER_SECOND: 30,
      TWILIO_CALLS_PER_SECOND: 0.5,
      TWILIO_LOOKUPS_PER_SECOND: 100,
    });
    expect(loadConfig({}).TWILIO_CALLS_PER_SECOND).toBeUndefined();
    expect(() => loadConfig({ TWILIO_CALLS_PER_SECOND: '0' })).toThrow(/TWILIO_CALLS_PER_SECOND/);
    expect(() => loadConfig({ TWILIO_MESSAGES_PER_SECOND: 'fast' })).toThrow(/TWILIO_MESSAGES_PER_SECOND/);
  });

  test('an empty variable counts as unset, as docker-compose passes optional ones', () => {
    const config = loadConfig({ TWILIO_ACCOUNT_SID: '', TWILIO_CALLS_PER_SECOND: '', PORT: '' });
    expect(config.TWILIO_ACCOUNT_SID).toBeUndefined();
    expect(config.TWILIO_CALLS_PER_SECOND).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  test('defaults that depend on other variables are resolved once, and the variables stay as given', () => {
    const unset = loadConfig({ PORT: '3100', OUTBOX_DIR: '/srv/outbox' });
    expect(unset).toMatchObject({
      temporalAddress: '127.0.0.1:7233',
      publicBaseUrl: 'http://localhost:3100',
      printQueueDir: '/srv/outbox/print-queue',
    });
    // npm start runs a dev server only when TEMPORAL_ADDRESS is unset, so the variable itself stays unset.
    expect(unset.TEMPORAL_ADDRESS).toBeUndefined();
    expect(unset.PUBLIC_BASE_URL).toBeUndefined();

    const set = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      PUBLIC_BASE_URL: 'https://bereik.example.nl/',
      PRINT_QUEUE_DIR: '/srv/print',
    });
    expect(set).toMatchObject({
      temporalAddress: 'temporal:7233',
      publicBaseUrl: 'https://bereik.example.nl',
      printQueueDir: '/srv/print',
    });
  });

  test('production refuses to start without its secrets', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CASE_ID_SECRET: is required in production/);
  });
});
