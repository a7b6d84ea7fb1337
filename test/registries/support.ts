import path from 'node:path';
import { brpSpecDir, startPrism, type LocalPeer } from '../../tools/toolchain/local-peers';
import {
  startRecordingProxy,
  type ProxyOptions,
  type RecordedRequest,
  type RecordingProxy,
} from '../channels/support/recording-proxy';

export const BRP_SPEC_DIR = brpSpecDir();
export const BRP_SPEC = BRP_SPEC_DIR ? path.join(BRP_SPEC_DIR, 'openapi.json') : null;
export const SDV_SPEC = path.resolve(__dirname, '../../activities/registries/sdv.openapi.yaml');
export const ENRICHMENT_SPEC = path.resolve(__dirname, '../../activities/registries/enrichment.openapi.yaml');

/** describe() when the BRP spec is present (../shared/brp or BRP_SPEC_DIR), otherwise a skipped block saying why. */
export function describeWithBrpSpec(name: string, fn: () => void): void {
  if (BRP_SPEC) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED "${name}": BRP OpenAPI spec not found (set BRP_SPEC_DIR or put it in ../shared/brp)`);
    describe.skip(`${name} (BRP spec absent)`, fn);
  }
}

export interface ContractPeer {
  url: string;
  requests: RecordedRequest[];
  /** Requests Prism did not accept, unless a test asked Prism for that status with `Prefer: code=`. */
  rejected(): string[];
  stop(): Promise<void>;
}

/** Prism serving `spec`, behind a proxy that records what the adapter sent and can pick or replace Prism's answer. */
export async function startContractPeer(spec: string, options: ProxyOptions = {}): Promise<ContractPeer> {
  const prism: LocalPeer = await startPrism(spec);
  let proxy: RecordingProxy;
  try {
    proxy = await startRecordingProxy(prism.url, options);
  } catch (error) {
    await prism.stop();
    throw error;
  }
  return {
    url: proxy.url,
    requests: proxy.requests,
    rejected: () =>
      proxy.requests
        .filter((r) => !r.headers.prefer?.toString().startsWith('code=') && !options.prefer?.(r)?.startsWith('code='))
        .filter((r) => !r.upstreamStatus || r.upstreamStatus >= 300)
        .map((r) => `${r.method} ${r.path}: ${r.upstreamStatus} ${r.upstreamBody}`),
    async stop() {
      await proxy.close();
      await prism.stop();
    },
  };
}
