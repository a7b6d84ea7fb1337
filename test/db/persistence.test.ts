import { createPersistenceActivities } from '../../activities/persistence';
import { personalAad, phoneIndexFor } from '../../common/personal-data';
import { openJson } from '../../common/field-crypto';
import { openCasesByPhoneIndex } from '../../db/phone-index';
import { purgePersonalData } from '../../db/retention';
import type { CaseView } from '../../domain/case';
import type { CaseRecord } from '../../activities/types';
import { freshDatabase, testKeyring } from '../api/support';

const SURNAME = 'Zwanenburg-Oosterhuisje';
const PHONE_SECRET = 'phone-index-secret-for-tests-01234';

function record(overrides: Partial<CaseView> = {}): CaseRecord {
  const view: CaseView = {
    case: 'case-0518-abcdefghijklmnopqrstuvwxyz',
    caseRef: 'case-0518-abcdefghijklmnopqrstuvwxyz.2',
    municipality: '0518',
    round: 2,
    status: 'calling',
    segment: 'standard',
    policy: { name: 'default', version: 1 },
    flags: { meervoudig: true, opeenvolgend: true, crisis: false, reopenedWarm: true },
    signals: [
      {
        ID: 'VS-1',
        partnerType: 'Energie',
        amount: 640,
        signaaldatum: '2027-03-05',
        receivedAt: '2027-03-05T19:55:00.000Z',
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
      {
        ID: 'VS-2',
        partnerType: 'Water',
        amount: 120.5,
        signaaldatum: '2027-03-06',
        receivedAt: '2027-03-06T09:00:00.000Z',
        status: 'Nog niet opgepakt',
        repeat: false,
        resolved: false,
      },
    ],
    attempts: [
      {
        soort: 'SMS/Whatsapp',
        bereikt: false,
        datum: '2027-03-06',
        dagdeel: 'Ochtend',
        at: '2027-03-06T09:00:00.000Z',
      },
      { soort: 'Telefoon', bereikt: false, datum: '2027-03-08', dagdeel: 'Avond', at: '2027-03-08T18:30:00.000Z' },
    ],
    handovers: [
      { to: 'wijkteam', at: '2027-03-06T09:00:00.000Z', reason: 'new signal after an earlier round: warm reopen' },
    ],
    chosenMoment: null,
    nextAction: { type: 'call', at: '2027-03-09T07:30:00.000Z' },
    deadlines: { firstAttemptBy: '2027-03-10T23:00:00.000Z', closeBy: '2027-04-03T19:55:00.000Z', breaches: [] },
    matchedAt: '2027-03-06T19:55:00.000Z',
    reachedAt: null,
    closedAt: null,
    result: null,
    previousRounds: [
      {
        round: 1,
        caseRef: 'case-0518-abcdefghijklmnopqrstuvwxyz.1',
        segment: 'light',
        matchedAt: '2026-11-02T10:00:00.000Z',
        closedAt: '2026-11-30T10:00:00.000Z',
        result: 'Definitief geen contact kunnen krijgen',
        reached: false,
        helpDeclined: false,
        maxAmount: 300,
        signals: [{ ID: 'VS-0', partnerType: 'Energie', amount: 300, receivedAt: '2026-11-01T10:00:00.000Z' }],
        attempts: [
          { soort: 'Brief', bereikt: false, datum: '2026-11-03', dagdeel: 'Ochtend', at: '2026-11-03T08:00:00.000Z' },
        ],
        handovers: [],
      },
    ],
    ...overrides,
  };
  const client = {
    Voorletters: 'Q.',
    Achternaam: SURNAME,
    Geboortedatum: '1970-01-31',
    Straatnaam: 'Kerklaan',
    Huisnummer: '7',
    Postcode: '2011AB',
    Plaatsnaam: 'Haarlem',
    telefoon: '+31612345678',
    email: 'q.zwanenburg@example.org',
  };
  return {
    view,
    clients: [
      { signalID: 'VS-1', client },
      { signalID: 'VS-2', client: { ...client, telefoon: undefined } },
    ],
  };
}

async function snapshot(pool: import('pg').Pool): Promise<Record<string, unknown[]>> {
  const tables = ['cases', 'signals', 'contact_attempts', 'handovers', 'case_personal'];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) out[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
  return out;
}

describe('persistCase', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const keyring = testKeyring();

  beforeAll(async () => {
    db = await freshDatabase('persistence');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is idempotent: the same record twice leaves the same rows', async () => {
    const { persistCase } = createPersistenceActivities({ pool: db.pool, keyring, phoneIndexSecret: PHONE_SECRET });
    await persistCase(record());
    const first = await snapshot(db.pool);
    await persistCase(record());
    expect(await snapshot(db.pool)).toEqual(first);

    expect(first.cases).toHaveLength(2); // this round and the previous one
    expect(first.signals).toHaveLength(2);
    expect(first.contact_attempts).toHaveLength(3);
    expect(first.handovers).toHaveLength(1);
    expect(first.case_personal).toHaveLength(2);
  });

  it('updates the round as the case moves on, without duplicating rows', async () => {
    const { persistCase } = createPersistenceActivities({ pool: db.pool, keyring, phoneIndexSecret: PHONE_SECRET });
    const base = record();
    await persistCase({
      ...base,
      view: {
        ...base.view,
        status: 'dormant',
        result: 'Inwoner hoeft geen hulp vanuit vroegsignalering',
        reachedAt: '2027-03-09T08:00:00.000Z',
        closedAt: '2027-03-10T08:00:00.000Z',
        attempts: [
          ...base.view.attempts,
          { soort: 'Telefoon', bereikt: true, datum: '2027-03-09', dagdeel: 'Ochtend', at: '2027-03-09T08:00:00.000Z' },
        ],
      },
    });
    const round = await db.pool.query(`SELECT status, result, reached, closed_at FROM cases WHERE case_ref = $1`, [
      base.view.caseRef,
    ]);
    expect(round.rows[0]).toMatchObject({
      status: 'dormant',
      result: 'Inwoner hoeft geen hulp vanuit vroegsignalering',
      reached: true,
    });
    const attempts = await db.pool.query(
      `SELECT seq, soort, bereikt FROM contact_attempts WHERE case_ref = $1 ORDER BY seq`,
      [base.view.caseRef],
    );
    expect(attempts.rows).toEqual([
      { seq: 1, soort: 'SMS/Whatsapp', bereikt: false },
      { seq: 2, soort: 'Telefoon', bereikt: false },
      { seq: 3, soort: 'Telefoon', bereikt: true },
    ]);
  });

  it('stores personal data sealed, bound to the municipality and case, and findable by phone only through the blind index', async () => {
    const raw = await db.pool.query(`SELECT * FROM case_personal`);
    const dump = JSON.stringify(raw.rows);
    expect(dump).not.toContain(SURNAME);
    expect(dump).not.toContain('Kerklaan');
    expect(dump).not.toContain('612345678');
    // Nothing else in the read model carries the person either.
    for (const table of ['cases', 'signals', 'contact_attempts', 'handovers', 'audit_log']) {
      const rows = await db.pool.query(`SELECT * FROM ${table}`);
      expect(JSON.stringify(rows.rows)).not.toContain(SURNAME);
    }

    const row = raw.rows.find((r: { signal_id: string }) => r.signal_id === 'VS-1') as {
      client_sealed: string;
      case_id: string;
      municipality: string;
    };
    const opened = openJson<{ Achternaam: string }>(
      keyring,
      row.client_sealed,
      personalAad(row.municipality, row.case_id),
    );
    expect(opened.Achternaam).toBe(SURNAME);
    expect(() => openJson(keyring, row.client_sealed, personalAad('0363', row.case_id))).toThrow();

    const byIndex = await db.pool.query('SELECT DISTINCT case_id FROM case_personal WHERE phone_index = $1', [
      phoneIndexFor(PHONE_SECRET, '+31612345678'),
    ]);
    expect(byIndex.rows).toEqual([{ case_id: 'case-0518-abcdefghijklmnopqrstuvwxyz' }]);
    // Inbound messages look for open rounds only: this round closed in the test before.
    expect(await openCasesByPhoneIndex(db.pool, phoneIndexFor(PHONE_SECRET, '+31612345678'))).toEqual([]);
  });

  it('keeps the anonymous facts when personal data is purged', async () => {
    expect(
      await purgePersonalData(db.pool, [{ municipality: '0518', caseId: 'case-0518-abcdefghijklmnopqrstuvwxyz' }]),
    ).toBe(2);
    const counts = await db.pool.query(
      `SELECT (SELECT count(*) FROM case_personal)::int AS personal, (SELECT count(*) FROM cases)::int AS cases,
              (SELECT count(*) FROM signals)::int AS signals, (SELECT count(*) FROM contact_attempts)::int AS attempts`,
    );
    expect(counts.rows[0]).toEqual({ personal: 0, cases: 2, signals: 2, attempts: 4 });
  });

  it('keeps the later revision of a round when two writes race, whichever finishes last', async () => {
    const { persistCase } = createPersistenceActivities({ pool: db.pool, keyring, phoneIndexSecret: PHONE_SECRET });
    const base = record({ caseRef: 'case-0518-abcdefghijklmnopqrstuvwxyz.3', round: 3 });
    const closed = {
      ...base,
      view: { ...base.view, status: 'dormant' as const, result: '(Budget)advies en/of quick fix' as const },
    };
    const row = async () =>
      (await db.pool.query(`SELECT status, result, revision FROM cases WHERE case_ref = $1`, [base.view.caseRef]))
        .rows[0];

    await persistCase({ ...closed, revision: 5 });
    await persistCase({ ...base, revision: 4 });
    expect(await row()).toEqual({ status: 'dormant', result: '(Budget)advies en/of quick fix', revision: 5 });

    await Promise.all([
      persistCase({ ...closed, view: { ...closed.view, status: 'ended' }, revision: 7 }),
      persistCase({ ...base, revision: 6 }),
      persistCase({ ...base, revision: 6 }),
    ]);
    expect(await row()).toEqual({ status: 'ended', result: '(Budget)advies en/of quick fix', revision: 7 });

    // A write without a revision (a run recorded before revisions) is written as before.
    await persistCase(base);
    expect(await row()).toEqual({ status: 'calling', result: null, revision: null });
  });
});
