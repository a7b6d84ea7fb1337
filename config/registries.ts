import { ConfigError, type Config } from './index';

export type RegistryName = 'brp' | 'sdv' | 'phone-enrichment';

export interface RegistryEndpointSettings {
  url: string;
  apiKey?: string;
  /** BRP only: the key per gemeentecode, before `apiKey`. */
  apiKeysByMunicipality?: Record<string, string>;
  apiKeyHeader: string;
  timeoutMs: number;
}

/** Per registry: the service to call, or null for the unconnected stand-in. */
export type RegistrySettings = Record<RegistryName, RegistryEndpointSettings | null>;

const VARIABLES: Record<
  RegistryName,
  {
    url: 'BRP_URL' | 'SDV_URL' | 'PHONE_ENRICHMENT_URL';
    key: 'BRP_API_KEY' | 'SDV_API_KEY' | 'PHONE_ENRICHMENT_API_KEY';
  }
> = {
  brp: { url: 'BRP_URL', key: 'BRP_API_KEY' },
  sdv: { url: 'SDV_URL', key: 'SDV_API_KEY' },
  'phone-enrichment': { url: 'PHONE_ENRICHMENT_URL', key: 'PHONE_ENRICHMENT_API_KEY' },
};

/**
 * Which registries this deployment connects. A registry with a URL is connected. Without one it runs unconnected
 * (the check does not filter) only by choice: listed in UNCONNECTED_REGISTRIES, or outside production. In
 * production a registry that is neither stops start-up naming its URL variable, so nobody ships a BRP check that
 * silently counts everyone as a resident.
 */
export function resolveRegistries(config: Config): RegistrySettings {
  const unconnected = new Set(config.UNCONNECTED_REGISTRIES ?? []);
  const problems: string[] = [];
  const settings = {} as RegistrySettings;
  for (const name of Object.keys(VARIABLES) as RegistryName[]) {
    const { url, key } = VARIABLES[name];
    const base = config[url];
    if (base && unconnected.has(name))
      problems.push(`  UNCONNECTED_REGISTRIES: lists ${name} while ${url} is set; choose one`);
    if (!base && !unconnected.has(name) && config.NODE_ENV === 'production') {
      problems.push(
        `  ${url}: is required in production (or list ${name} in UNCONNECTED_REGISTRIES to run without it)`,
      );
    }
    // The Haal Centraal BRP API always authenticates; bereik's own contracts may sit behind network-level access.
    const brp = name === 'brp';
    if (base && brp && !config[key] && !config.BRP_API_KEYS_BY_MUNICIPALITY && config.NODE_ENV === 'production') {
      problems.push(`  ${key}: is required in production when ${url} is set (or BRP_API_KEYS_BY_MUNICIPALITY)`);
    }
    settings[name] = base
      ? {
          url: base,
          apiKey: config[key],
          ...(brp && config.BRP_API_KEYS_BY_MUNICIPALITY
            ? { apiKeysByMunicipality: config.BRP_API_KEYS_BY_MUNICIPALITY }
            : {}),
          apiKeyHeader: brp ? config.BRP_API_KEY_HEADER : 'X-API-Key',
          timeoutMs: config.REGISTRY_TIMEOUT,
        }
      : null;
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return settings;
}
