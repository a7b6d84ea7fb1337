import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { caseWorkflowClient, caseWorkflowInput, type CaseWorkflowClient } from '../../workflows/case/client';
import { requireEnv } from '../api/support';
import { timeSkippingEnv } from '../support/time-skipping';

const incoming = (municipality: string) => ({
  municipality,
  receivedAt: '2027-03-05T09:00:00.000Z',
  signal: {
    ID: `VS-${randomBytes(4).toString('hex')}`,
    signaaldatum: '2027-03-05',
    bedrag: 640,
    crisissignaal: false,
    signaalpartner: { type: 'Energie' as const },
    client: {
      Achternaam: 'Jansen',
      Straatnaam: 'Dorpsstraat',
      Huisnummer: '1',
      Postcode: '2011AB',
      Plaatsnaam: 'Haarlem',
    },
  },
});

const unknownCase = () =>
  `case-0518-${randomBytes(16)
    .toString('hex')
    .replace(/[^a-z2-7]/g, 'a')
    .slice(0, 26)
    .padEnd(26, 'a')}`;

/**
 * The gateway's outcomes come from the SDK's error types and gRPC status codes, which the dev server and the
 * time-skipping test server report differently for a workflow that has ended; both must read as `not_running`.
 * No worker runs: a case whose workflow never got a task is enough to end.
 */
describe.each([
  ['the Temporal dev server', 'dev'],
  ['the time-skipping test server', 'time-skipping'],
] as const)('the case workflow gateway on %s', (_label, server) => {
  let cases: CaseWorkflowClient;
  let client: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    if (server === 'dev') {
      const connection = await Connection.connect({ address: requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS') });
      client = new Client({ connection });
      close = () => connection.close();
    } else {
      const env: TestWorkflowEnvironment = await timeSkippingEnv();
      client = env.client;
      close = () => env.teardown();
    }
    cases = caseWorkflowClient(client, { taskQueue: `case-client-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await close?.();
  });

  it('tells a case that never existed from one whose workflow ended, without reading error messages', async () => {
    const missing = unknownCase();
    expect(await cases.readView(missing)).toEqual({ kind: 'not_found' });
    expect(await cases.applyEvent(missing, { type: 'resident_contact' })).toEqual({ kind: 'not_running' });

    const ended = unknownCase();
    const start = caseWorkflowInput({ municipality: '0518', policy: { name: 'default', version: 1 } });
    expect(await cases.deliverSignal(ended, incoming('0518'), start)).toEqual({ kind: 'delivered' });
    await client.workflow.getHandle(ended).terminate('test: the case ended');
    expect(await cases.readView(ended)).toEqual({ kind: 'closed' });
    expect(await cases.applyEvent(ended, { type: 'resident_contact' })).toEqual({ kind: 'not_running' });
  });
});
