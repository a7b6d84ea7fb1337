import { migrate, MIGRATIONS_TABLE } from '../../db/migrate';
import { freshDatabase } from '../api/support';

describe('migrations', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeAll(async () => {
    db = await freshDatabase('migrations');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('create every table on an empty database', async () => {
    const tables = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'api_keys',
        'audit_log',
        'case_personal',
        'cases',
        'contact_attempts',
        'handovers',
        'signals',
        MIGRATIONS_TABLE,
      ]),
    );
  });

  it('are idempotent: a second run applies nothing and changes nothing', async () => {
    const before = await db.pool.query(`SELECT name, run_on FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    expect(await migrate(db.url)).toEqual([]);
    const after = await db.pool.query(`SELECT name, run_on FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('can run from several processes at once (advisory lock)', async () => {
    await expect(Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)])).resolves.toEqual([[], [], []]);
  });

  it('report a failure with the cause', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_database_here';
    await expect(migrate(url.toString())).rejects.toThrow(/database migration failed/);
  });
});
