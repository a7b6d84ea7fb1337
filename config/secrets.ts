import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ConfigError, type Config } from './index';
import { readOrCreatePrivateFile } from '../common/dev-files';

export interface Secrets {
  caseIdSecret: string;
  residentLinkSecret: string;
  phoneIndexSecret: string;
}

const NAMES = {
  caseIdSecret: 'CASE_ID_SECRET',
  residentLinkSecret: 'RESIDENT_LINK_SECRET',
  phoneIndexSecret: 'PHONE_INDEX_SECRET',
} as const;

/**
 * The non-rotating secrets from the environment. In development a missing one comes from `<DATA_DIR>/dev-secrets.json`,
 * created once, so the API and the worker (separate processes) agree on case IDs, resident links and the phone index.
 */
export function resolveSecrets(config: Config): Secrets {
  const fromEnv: Partial<Secrets> = {
    caseIdSecret: config.CASE_ID_SECRET,
    residentLinkSecret: config.RESIDENT_LINK_SECRET,
    phoneIndexSecret: config.PHONE_INDEX_SECRET,
  };
  const missing = (Object.keys(NAMES) as (keyof Secrets)[]).filter((k) => !fromEnv[k]);
  if (missing.length === 0) return fromEnv as Secrets;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((k) => `  ${NAMES[k]}: is required in production`).join('\n')}`,
    );
  }
  const dev = loadOrCreateDevSecrets(config.DATA_DIR);
  return {
    caseIdSecret: fromEnv.caseIdSecret ?? dev.caseIdSecret,
    residentLinkSecret: fromEnv.residentLinkSecret ?? dev.residentLinkSecret,
    phoneIndexSecret: fromEnv.phoneIndexSecret ?? dev.phoneIndexSecret,
  };
}

function loadOrCreateDevSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  const content = readOrCreatePrivateFile(file, () => {
    const fresh: Secrets = {
      caseIdSecret: randomBytes(32).toString('base64url'),
      residentLinkSecret: randomBytes(32).toString('base64url'),
      phoneIndexSecret: randomBytes(32).toString('base64url'),
    };
    return `${JSON.stringify(fresh, null, 2)}\n`;
  });
  const parsed = JSON.parse(content) as Partial<Secrets>;
  for (const key of Object.keys(NAMES) as (keyof Secrets)[]) {
    if (typeof parsed[key] !== 'string' || parsed[key].length < 16)
      throw new ConfigError(`${file}: ${key} is missing or too short; delete the file to regenerate it`);
  }
  return parsed as Secrets;
}
