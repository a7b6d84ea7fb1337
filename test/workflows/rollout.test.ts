import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { dataConverterFor, FAILURE_CONVERTER_PATH } from '../../common/codec';
import type { Keyring } from '../../common/encryption-keys';
import type { Config } from '../../config';
import { caseWorkflowClient, caseWorkflowInput, type CaseWorkflowClient } from '../../workflows/case/client';
import { workerDeployment } from '../../worker/versioning';
import { eventually, freshDatabase, recorderActivities, requireEnv, testConfig, testKeyring } from '../api/support';

const { EventType, VersioningBehavior } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * A release reaches a running case at its next round, on the real dev server with Worker Versioning: the case runs
 * pinned to the worker version that started it, and its next round starts on the deployment's current version.
 * Version v2 is the case workflow with a timer at its start, which no v1 history has: had any v1 task gone to a v2
 * worker, replaying it would fail the task with a determinism error.
 */
describe('rolling out new workflow code with Worker Versioning', () => {
  const deploymentName = `bereik-rollout-${randomBytes(4).toString('hex')}`;
  let config: Config;
  let keyring: Keyring;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let cases: CaseWorkflowClient;
  let v2Bundle: WorkflowBundle;
  const workers: { worker: Worker; running: Promise<void> }[] = [];

  beforeAll(async () => {
    config = testConfig({ WORKER_DEPLOYMENT_NAME: deploymentName });
    keyring = testKeyring();
    const address = requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS');
    [db, connection, nativeConnection, v2Bundle] = await Promise.all([
      freshDatabase('rollout'),
      Connection.connect({ address }),
      NativeConnection.connect({ address }),
      bundleWorkflowCode({
        workflowsPath: require.resolve('../support/rollout-v2-workflows'),
        failureConverterPath: FAILURE_CONVERTER_PATH,
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
      }),
    ]);
    client = new Client({ connection, dataConverter: dataConverterFor(keyring) });
    cases = caseWorkflowClient(client, { taskQueue: config.TEMPORAL_TASK_QUEUE });
  });

  afterAll(async () => {
    for (const { worker } of workers) worker.shutdown();
    await Promise.all(workers.map(({ running }) => running));
    await nativeConnection?.close();
    await connection?.close();
    await db?.drop();
  });

  async function startWorker(buildId: string, workflowBundle: WorkflowBundleOption): Promise<void> {
    const settings = { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId };
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundle,
      workerDeploymentOptions: workerDeployment(settings, ''),
      activities: recorderActivities({ pool: db.pool, keyring, config }),
      dataConverter: dataConverterFor(keyring),
    });
    workers.push({ worker, running: worker.run() });
  }

  /** What an operator does with `temporal worker deployment set-current-version`; the version exists once polled. */
  async function setCurrentVersion(buildId: string): Promise<void> {
    await eventually(async () => {
      try {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({
          namespace: 'default',
          deploymentName,
          buildId,
          identity: 'rollout-test',
        });
        return true;
      } catch {
        return false;
      }
    });
  }

  const history = async (workflowId: string, runId: string): Promise<HistoryEvent[]> =>
    (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  const completedTasks = (events: HistoryEvent[]) =>
    events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const buildIdsOf = (events: HistoryEvent[]) =>
    new Set(completedTasks(events).map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId));
  const failedTasks = (events: HistoryEvent[]) =>
    events
      .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
      .map((e) => e.workflowTaskFailedEventAttributes?.failure?.message);

  const incoming = (partnerType: 'Energie' | 'Water', amount: number) => ({
    municipality: '0518',
    receivedAt: new Date().toISOString(),
    signal: {
      ID: `VS-${randomBytes(4).toString('hex')}`,
      signaaldatum: new Date().toISOString().slice(0, 10),
      bedrag: amount,
      crisissignaal: false,
      signaalpartner: { type: partnerType },
      client: {
        Achternaam: 'Jansen',
        Straatnaam: 'Dorpsstraat',
        Huisnummer: '1',
        Postcode: '2011AB',
        Plaatsnaam: 'Haarlem',
        telefoon: '+31612345678',
      },
    },
  });

  it('keeps a sleeping case on v1 and starts its next round on v2 without a determinism error', async () => {
    await startWorker('v1', { codePath: requireEnv('BEREIK_WORKFLOW_BUNDLE') });
    await setCurrentVersion('v1');

    const caseId = `case-0518-${randomBytes(13).toString('hex').slice(0, 26)}`;
    const start = caseWorkflowInput({
      municipality: '0518',
      policy: { name: 'default', version: 1 },
      matchingWindowMs: 100,
    });
    expect(await cases.deliverSignal(caseId, incoming('Energie', 640), start)).toEqual({ kind: 'delivered' });
    await eventually(async () => (await cases.applyEvent(caseId, { type: 'resident_contact' })).kind === 'accepted');
    expect(await cases.applyEvent(caseId, { type: 'already_paid' })).toMatchObject({ kind: 'accepted' });
    const firstRun = (await client.workflow.getHandle(caseId).describe()).runId;
    await eventually(async () => {
      const view = await cases.readView(caseId);
      return view.kind === 'running' && view.view.status === 'dormant';
    });

    // The release: v2 polls beside v1 and becomes current while the case sleeps through its dormant months.
    await startWorker('v2', v2Bundle);
    await setCurrentVersion('v2');

    // A herhaalde melding wakes the sleeping round: it is recorded by v1, the version its history belongs to.
    const tasksBefore = completedTasks(await history(caseId, firstRun)).length;
    expect(await cases.deliverSignal(caseId, incoming('Energie', 500), start)).toEqual({ kind: 'delivered' });
    await eventually(async () => completedTasks(await history(caseId, firstRun)).length > tasksBefore);
    const description = await client.workflow.getHandle(caseId).describe();
    expect(description.runId).toBe(firstRun);
    expect(description.raw.workflowExecutionInfo?.versioningInfo).toMatchObject({
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
      deploymentVersion: { deploymentName, buildId: 'v1' },
    });

    // A new signal from another partner reopens the case: its next round starts on v2.
    expect(await cases.deliverSignal(caseId, incoming('Water', 900), start)).toEqual({ kind: 'delivered' });
    const nextRound = await eventually(async () => {
      const next = await client.workflow.getHandle(caseId).describe();
      return next.runId !== firstRun && next.type === 'caseWorkflow' && next;
    });
    await eventually(async () => {
      const view = await cases.readView(caseId);
      return view.kind === 'running' && view.view.round === 2;
    });

    const first = await history(caseId, firstRun);
    expect(buildIdsOf(first)).toEqual(new Set(['v1']));
    expect(first[first.length - 1].eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    const boundaryRun = first[first.length - 1].workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    const boundary = await history(caseId, boundaryRun!);
    expect(boundary[0].workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('caseRoundBoundary');
    expect(completedTasks(boundary).map((e) => e.workflowTaskCompletedEventAttributes?.versioningBehavior)).toEqual([
      VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
    ]);
    expect(boundary[boundary.length - 1].workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBe(
      nextRound.runId,
    );

    const second = await history(caseId, nextRound.runId);
    expect(buildIdsOf(second)).toEqual(new Set(['v2']));
    // v2's own first command: this run's history is v2's.
    expect(second.find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)?.eventId).toEqual(
      completedTasks(second)[0].eventId!.add(1),
    );
    expect(
      (await client.workflow.getHandle(caseId).describe()).raw.workflowExecutionInfo?.versioningInfo,
    ).toMatchObject({
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
      deploymentVersion: { deploymentName, buildId: 'v2' },
    });
    expect([...failedTasks(first), ...failedTasks(boundary), ...failedTasks(second)]).toEqual([]);

    await client.workflow.getHandle(caseId).terminate('test: done');
  });
});
