import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createDdasDeliveryActivities } from '../../activities/ddas-delivery';
import { createPersistenceActivities } from '../../activities/persistence';
import { dataConverterFor } from '../../common/codec';
import { ddasDeliveriesOf } from '../../db/ddas-deliveries';
import type { CaseView } from '../../domain/case';
import { createMunicipalityDirectory } from '../../domain/municipalities';
import { ensureDdasDeliverySchedules } from '../../worker/ddas-schedules';
import { previousMonth, type ddasDeliveryWorkflow } from '../../workflows/ddas-delivery';
import { eventually, freshDatabase, requireEnv, testKeyring } from './support';

const SHARED_V12 = path.resolve(__dirname, '../../../shared/ddas/v1.2/json_schema_Uitwisselmodel.json');
const SCHEMA_V12 = existsSync(SHARED_V12)
  ? SHARED_V12
  : path.resolve(__dirname, '../../domain/ddas/v1.2/json_schema_Uitwisselmodel.json');

/** A closed round of the previous month, with a client identified by BSN. */
function closedRound(municipality: string, caseId: string, day: string): CaseView {
  const at = (time: string) => `${day}T${time}.000Z`;
  return {
    case: caseId,
    caseRef: `${caseId}.1`,
    municipality,
    round: 1,
    status: 'dormant',
    segment: 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: false, opeenvolgend: false, crisis: false, reopenedWarm: false },
    signals: [
      {
        ID: `VS-${caseId}`,
        partnerType: 'Energie',
        amount: 640,
        signaaldatum: day,
        receivedAt: at('08:00:00'),
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
    ],
    attempts: [{ soort: 'Telefoon', bereikt: true, datum: day, dagdeel: 'Middag', at: at('13:00:00') }],
    handovers: [],
    chosenMoment: null,
    nextAction: null,
    deadlines: { firstAttemptBy: at('20:00:00'), closeBy: null, breaches: [] },
    matchedAt: at('08:00:00'),
    reachedAt: at('13:00:00'),
    closedAt: at('14:00:00'),
    result: '(Budget)advies en/of quick fix',
    previousRounds: [],
  };
}

describe('the monthly DDAS delivery on a Temporal schedule (dev server)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let client: Client;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const keyring = testKeyring();
  const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'bereik-ddas-outbox-'));
  const taskQueue = `ddas-delivery-${randomBytes(4).toString('hex')}`;
  const idPrefix = `test-ddas-delivery-${randomBytes(4).toString('hex')}`;
  const period = previousMonth(Date.now());

  beforeAll(async () => {
    db = await freshDatabase('ddas_delivery');
    const address = requireEnv('BEREIK_TEST_TEMPORAL_ADDRESS');
    connection = await Connection.connect({ address });
    client = new Client({ connection, dataConverter: dataConverterFor(keyring) });
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: requireEnv('BEREIK_WORKFLOW_BUNDLE') },
      activities: createDdasDeliveryActivities({
        pool: db.pool,
        keyring,
        municipalities: createMunicipalityDirectory({}),
        supplierCode: 'BEREIK',
        outboxDir,
      }),
      dataConverter: dataConverterFor(keyring),
    });
    running = worker.run();
    const { persistCase } = createPersistenceActivities({ pool: db.pool, keyring });
    const client0518 = { Burgerservicenummer: '999993653', Achternaam: 'Bakkerveld', Postcode: '2511AB' };
    await persistCase({
      view: closedRound('0518', 'case-0518-delivery', period.from),
      clients: [{ signalID: 'VS-case-0518-delivery', client: client0518 as never }],
    });
    // 0363's round carries a result outside the national vocabulary: its delivery would not validate.
    await persistCase({
      view: closedRound('0363', 'case-0363-refused', period.to),
      clients: [{ signalID: 'VS-case-0363-refused', client: client0518 as never }],
    });
    await db.pool.query(`UPDATE cases SET result = 'Zomaar iets' WHERE municipality = '0363'`);
  });
  afterAll(async () => {
    for (const m of ['0518', '0363']) {
      await client.schedule
        .getHandle(`${idPrefix}-${m}`)
        .delete()
        .catch(() => undefined);
    }
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await db.drop();
  });

  it('creates one schedule per municipality, idempotently: 1st of the month, 06:00 Amsterdam', async () => {
    const first = await ensureDdasDeliverySchedules(client, { municipalities: ['0518', '0518'], taskQueue, idPrefix });
    expect(first.created).toEqual(['0518']);
    const again = await ensureDdasDeliverySchedules(client, { municipalities: ['0518'], taskQueue, idPrefix });
    expect(again.created).toEqual([]);
    const described = await client.schedule.getHandle(`${idPrefix}-0518`).describe();
    expect(described.spec.timezone).toBe('Europe/Amsterdam');
    expect(described.spec.calendars).toEqual([
      expect.objectContaining({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] }),
    ]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'ddasDeliveryWorkflow', taskQueue });
    // The next run is on a 1st at 06:00 in Amsterdam.
    const next = described.info.nextActionTimes[0]!;
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(local).toBe('1, 06:00');
  });

  it('a triggered run writes the validated file for the previous month and records it', async () => {
    const handle = client.schedule.getHandle(`${idPrefix}-0518`);
    await handle.trigger();
    const [record] = await eventually(async () => {
      const rows = await ddasDeliveriesOf(db.pool, '0518');
      return rows.length > 0 ? rows : null;
    });
    expect(record).toMatchObject({ municipality: '0518', ...period, signals: 1, cases: 1, omittedSignals: 0 });
    const file = readFileSync(path.join(outboxDir, record!.fileName));
    expect(createHash('sha256').update(file).digest('hex')).toBe(record!.sha256);
    const delivery = JSON.parse(file.toString('utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_V12, 'utf8')));
    expect(validate(delivery)).toBe(true);
    expect(delivery).toMatchObject({ startdatumLevering: period.from, einddatumLevering: period.to });
    expect(delivery.leveringen[0].vroegsignalen[0].client).toEqual({ burgerservicenummer: '999993653' });
    expect(readdirSync(outboxDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const audit = await db.pool.query(
      `SELECT outcome FROM audit_log WHERE municipality = '0518' AND action = 'ddas.delivery'`,
    );
    expect(audit.rows).toEqual([{ outcome: 'accepted' }]);
  });

  it('refuses a delivery that would not validate: no file, no record, the refusal audited', async () => {
    const run = client.workflow.execute<typeof ddasDeliveryWorkflow>('ddasDeliveryWorkflow', {
      workflowId: `${idPrefix}-0363-refused`,
      taskQueue,
      args: [{ municipality: '0363', period }],
    });
    const failure = await run.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as { type?: string; message?: string } | undefined;
    expect(cause?.type).toBe('DdasDeliveryInvalid');
    expect(cause?.message).toMatch(/\/leveringen\/0\/vroegsignaalzaken\/0\/resultaat/);
    expect(cause?.message).not.toContain('999993653');
    expect(await ddasDeliveriesOf(db.pool, '0363')).toEqual([]);
    expect(readdirSync(outboxDir).filter((f) => f.includes('-0363-'))).toEqual([]);
    const audit = await db.pool.query(
      `SELECT outcome, detail FROM audit_log WHERE municipality = '0363' AND action = 'ddas.delivery'`,
    );
    expect(audit.rows).toEqual([expect.objectContaining({ outcome: 'failed' })]);
  });
});
