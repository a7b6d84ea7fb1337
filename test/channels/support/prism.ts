import { existsSync } from 'node:fs';
import path from 'node:path';
import { startPrism, type LocalPeer } from '../../../tools/toolchain/local-peers';

export const TWILIO_SPEC_DIR = process.env.TWILIO_SPEC_DIR ?? path.resolve(__dirname, '../../../../shared/twilio');
export const API_SPEC = path.join(TWILIO_SPEC_DIR, 'twilio_api_v2010.json');
export const LOOKUPS_SPEC = path.join(TWILIO_SPEC_DIR, 'twilio_lookups_v2.json');
export const specsAvailable = existsSync(API_SPEC) && existsSync(LOOKUPS_SPEC);

/** describe() when the Twilio OpenAPI specs are present, otherwise a skipped block with a clear reason. */
export function describeWithTwilioSpecs(name: string, fn: () => void): void {
  if (specsAvailable) {
    describe(name, fn);
  } else {
    console.warn(`SKIPPED "${name}": Twilio OpenAPI specs not found in ${TWILIO_SPEC_DIR} (set TWILIO_SPEC_DIR)`);
    describe.skip(`${name} (Twilio specs absent in ${TWILIO_SPEC_DIR})`, fn);
  }
}

export type Prism = LocalPeer;
export { startPrism };
