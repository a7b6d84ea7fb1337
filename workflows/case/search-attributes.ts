import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Operational facts for filtering in the Web UI. Search attributes are stored unencrypted: never personal data.
// Registered by `npm start` (tools/toolchain/dev-server.ts) and in production by docker-compose's temporal-setup.
export const MUNICIPALITY = defineSearchAttributeKey('BereikMunicipality', SearchAttributeType.KEYWORD);
export const STATUS = defineSearchAttributeKey('BereikStatus', SearchAttributeType.KEYWORD);
export const SEGMENT = defineSearchAttributeKey('BereikSegment', SearchAttributeType.KEYWORD);
