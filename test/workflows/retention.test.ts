import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createPersistenceActivities } from '../../activities/persistence';
import { createRetentionActivities } from '../../activities/retention';
import type { CaseView } from '../../domain/case';
import { freshDatabase, testKeyring } from '../api/support';
import { timeSkippingEnv, workflowBundle } from '../support/time-skipping';

const MONTH = 30 * 24 * 3_600_000;

function closedView(caseId: string, closedAt: string | null): CaseView {
  return {
    case: caseId,
    caseRef: `${caseId}.1`,
    municipality: '0518',
    round: 1,
    status: closedAt ? 'dormant' : 'calling',
    segment: 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
    signals: [
      {
        ID: `${caseId}-S`,
        partnerType: 'Energie',
        amount: 640,
        signaaldatum: '2027-03-01',
        receivedAt: '2027-03-01T09:00:00.000Z',
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
    ],
    attempts: [
      { soort: 'Telefoon', bereikt: false, datum: '2027-03-03', dagdeel: 'Avond', at: '2027-03-03T18:00:00.000Z' },
    ],
    handovers: [],
    chosenMoment: null,
    nextAction: null,
    deadlines: { firstAttemptBy: null, closeBy: null, breaches: [] },
    matchedAt: '2027-03-02T09:00:00.000Z',
    reachedAt: null,
    closedAt,
    result: closedAt ? 'Definitief geen contact kunnen krijgen' : null,
    previousRounds: [],
  };
}

describe('retention: personal data is purged after the period, statistics stay', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeAll(async () => {
    [env, db] = await Promise.all([timeSkippingEnv(), freshDatabase('retention')]);
  });
  afterAll(async () => {
    await Promise.all([env?.teardown(), db?.drop()]);
  });

  test('a closed case loses its personal data after six months; an open one keeps it', async () => {
    const keyring = testKeyring();
    const { persistCase } = createPersistenceActivities({
      pool: db.pool,
      keyring,
      phoneIndexSecret: randomBytes(16).toString('hex'),
    });
    const now = Number(await env.currentTimeMs());
    const client = {
      Achternaam: 'Retentiona',
      Straatnaam: 'Bewaarstraat',
      Huisnummer: '7',
      Postcode: '2011AB',
      Plaatsnaam: 'Haarlem',
      telefoon: '+31612340000',
    };
    await persistCase({
      view: closedView('case-0518-closedclosedclosedclosedcl', new Date(now).toISOString()),
      clients: [{ signalID: 'case-0518-closedclosedclosedclosedcl-S', client }],
    });
    await persistCase({
      view: closedView('case-0518-openopenopenopenopenopenop', null),
      clients: [{ signalID: 'case-0518-openopenopenopenopenopenop-S', client }],
    });
    const personalRows = async () =>
      (await db.pool.query<{ case_id: string }>('SELECT case_id FROM case_personal ORDER BY case_id')).rows.map(
        (r) => r.case_id,
      );

    const taskQueue = `retention-${randomBytes(4).toString('hex')}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: createRetentionActivities({ pool: db.pool }),
    });
    await worker.runUntil(async () => {
      await env.client.workflow.start('retentionWorkflow', {
        taskQueue,
        workflowId: taskQueue,
        args: [{ retentionMonths: { default: 6, byMunicipality: {} }, intervalHours: 24 }],
      });
      await env.sleep(5 * MONTH);
      expect(await personalRows()).toEqual([
        'case-0518-closedclosedclosedclosedcl',
        'case-0518-openopenopenopenopenopenop',
      ]);
      await env.sleep(2 * MONTH);
      expect(await personalRows()).toEqual(['case-0518-openopenopenopenopenopenop']);
    });

    const stats = await db.pool.query('SELECT case_id, result FROM cases ORDER BY case_id');
    expect(stats.rows).toEqual([
      { case_id: 'case-0518-closedclosedclosedclosedcl', result: 'Definitief geen contact kunnen krijgen' },
      { case_id: 'case-0518-openopenopenopenopenopenop', result: null },
    ]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM contact_attempts')).rows[0].n).toBe(2);
  });
});
