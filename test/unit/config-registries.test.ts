import { loadConfig } from '../../config';
import { resolveRegistries } from '../../config/registries';
import { createRegistries } from '../../activities/registries';

const PRODUCTION = {
  NODE_ENV: 'production',
  CASE_ID_SECRET: 'x'.repeat(16),
  RESIDENT_LINK_SECRET: 'y'.repeat(16),
  ENCRYPTION_KEYS: 'k1:AAAA',
  DATABASE_URL: 'postgres://db/bereik',
  TEMPORAL_ADDRESS: 'temporal:7233',
};
const ALL_URLS = {
  BRP_URL: 'https://brp.example.nl/haalcentraal/api/brp',
  BRP_API_KEY: 'brp-key',
  SDV_URL: 'https://sdv.example.nl/bereik',
  PHONE_ENRICHMENT_URL: 'https://enrich.example.nl/bereik',
};
const settings = (env: Record<string, string>) => resolveRegistries(loadConfig(env));

describe('registries configuration', () => {
  test('outside production an unset registry runs unconnected', () => {
    expect(settings({})).toEqual({ brp: null, sdv: null, 'phone-enrichment': null });
    expect(createRegistries(settings({})).connected).toEqual({ brp: false, sdv: false, 'phone-enrichment': false });
  });

  test('a URL connects its registry, with its key, header and timeout', () => {
    const chosen = settings({ ...ALL_URLS, SDV_API_KEY: 'sdv-key', REGISTRY_TIMEOUT: '5s' });
    expect(chosen.brp).toEqual({
      url: ALL_URLS.BRP_URL,
      apiKey: 'brp-key',
      apiKeyHeader: 'X-API-KEY',
      timeoutMs: 5000,
    });
    expect(chosen.sdv).toEqual({
      url: ALL_URLS.SDV_URL,
      apiKey: 'sdv-key',
      apiKeyHeader: 'X-API-Key',
      timeoutMs: 5000,
    });
    expect(
      settings({ BRP_URL: ALL_URLS.BRP_URL, BRP_API_KEY_HEADER: 'Ocp-Apim-Subscription-Key' }).brp?.apiKeyHeader,
    ).toBe('Ocp-Apim-Subscription-Key');
    expect(createRegistries(chosen).connected).toEqual({ brp: true, sdv: true, 'phone-enrichment': true });
  });

  test('in production an unset registry without an explicit choice stops start-up naming its variable', () => {
    expect(() => settings(PRODUCTION)).toThrow(
      /BRP_URL: is required in production[^]*SDV_URL: is required[^]*PHONE_ENRICHMENT_URL: is required/,
    );
    expect(() => settings({ ...PRODUCTION, ...ALL_URLS, PHONE_ENRICHMENT_URL: '' })).toThrow(
      /PHONE_ENRICHMENT_URL: is required in production \(or list phone-enrichment in UNCONNECTED_REGISTRIES/,
    );
    expect(() => settings({ ...PRODUCTION, ...ALL_URLS, BRP_API_KEY: '' })).toThrow(
      /BRP_API_KEY: is required in production when BRP_URL is set/,
    );
    expect(settings({ ...PRODUCTION, ...ALL_URLS }).brp?.url).toBe(ALL_URLS.BRP_URL);
  });

  test('a deployment serving several municipalities gives each its own BRP key', () => {
    const chosen = settings({
      ...PRODUCTION,
      ...ALL_URLS,
      BRP_API_KEY: '',
      BRP_API_KEYS_BY_MUNICIPALITY: '0518:key-den-haag, 0363:key:amsterdam',
    });
    expect(chosen.brp).toMatchObject({ apiKeysByMunicipality: { '0518': 'key-den-haag', '0363': 'key:amsterdam' } });
    expect(chosen.brp?.apiKey).toBeUndefined();
    expect(() => loadConfig({ BRP_API_KEYS_BY_MUNICIPALITY: '518:key' })).toThrow(
      /BRP_API_KEYS_BY_MUNICIPALITY: entries must look like gemeentecode:key/,
    );
  });

  test('UNCONNECTED_REGISTRIES is the explicit choice, also in production, and may not contradict a URL', () => {
    expect(
      settings({ ...PRODUCTION, ...ALL_URLS, PHONE_ENRICHMENT_URL: '', UNCONNECTED_REGISTRIES: 'phone-enrichment' })[
        'phone-enrichment'
      ],
    ).toBeNull();
    expect(settings({ ...PRODUCTION, UNCONNECTED_REGISTRIES: 'all' })).toEqual({
      brp: null,
      sdv: null,
      'phone-enrichment': null,
    });
    expect(
      settings({
        ...PRODUCTION,
        UNCONNECTED_REGISTRIES: 'brp, sdv',
        PHONE_ENRICHMENT_URL: ALL_URLS.PHONE_ENRICHMENT_URL,
      }).sdv,
    ).toBeNull();
    expect(() => settings({ ...ALL_URLS, UNCONNECTED_REGISTRIES: 'brp' })).toThrow(
      /UNCONNECTED_REGISTRIES: lists brp while BRP_URL is set/,
    );
  });

  test('bad values stop start-up naming the variable', () => {
    expect(() => loadConfig({ UNCONNECTED_REGISTRIES: 'brp,kvk' })).toThrow(
      /UNCONNECTED_REGISTRIES: must be all or a list of brp, sdv, phone-enrichment/,
    );
    expect(() => loadConfig({ BRP_URL: 'brp.example.nl' })).toThrow(/BRP_URL/);
    expect(() => loadConfig({ BRP_API_KEY_HEADER: 'X API KEY' })).toThrow(
      /BRP_API_KEY_HEADER: must be an HTTP header name/,
    );
    expect(() => loadConfig({ REGISTRY_TIMEOUT: '15' })).toThrow(/REGISTRY_TIMEOUT: must be a duration/);
  });
});
