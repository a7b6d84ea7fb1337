import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../config';
import type { Keyring } from '../common/encryption-keys';
import type { Logger } from '../common/logger';
import type { Authenticator } from './auth';
import type { CaseAccessDeps } from './case-access';
import type { ApiMetrics } from './metrics';

export interface AppDeps {
  config: Config;
  pool: Pool;
  /** The process's one Temporal client, created by the caller (with the payload codec). */
  temporalClient: Client;
  logger: Logger;
  /** Opens sealed personal data for the DDAS report and serves the Web UI codec endpoint; without it clients stay empty. */
  keyring?: Keyring;
  /** Contact-policy name for a municipality (MUNICIPALITY_POLICIES, else DEFAULT_POLICY). */
  policyFor(municipality: string): string;
}

export interface AppContext {
  deps: AppDeps;
  auth: Authenticator;
  metrics: ApiMetrics;
  /** The case workflows (through the one gateway) and the read model, for every route that reads or changes a case. */
  caseAccess: CaseAccessDeps;
  caseIdSecret: string;
  residentLinkSecret: string;
}
