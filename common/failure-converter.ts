import { DefaultFailureConverter } from '@temporalio/common';

// Failure messages and stack traces are not payloads: without this they are stored in plaintext, and a provider's
// error can quote a phone number. With it they travel as an encoded payload, so the payload codec encrypts them.
// Its own module because the worker bundles it into the workflow sandbox (no node:crypto here).
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
