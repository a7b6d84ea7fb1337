import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { findActiveApiKey, hashApiKey } from '../../db/api-keys';
import { freshDatabase } from '../api/support';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

describe('keys CLI', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const keys = (...args: string[]) =>
    run(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'api/keys-cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test' },
    });

  beforeAll(async () => {
    db = await freshDatabase('keys');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates a key, prints it once, stores only its hash, lists and revokes it', async () => {
    const created = await keys('create', '--municipality', '0518', '--role', 'staff', '--label', 'Call centre');
    const key = /^key:\s+(\S+)$/m.exec(created.stdout)?.[1];
    const id = /^id:\s+(\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toMatch(/^bk_/);
    const rows = await db.pool.query('SELECT * FROM api_keys');
    expect(JSON.stringify(rows.rows)).not.toContain(key!);
    expect(await findActiveApiKey(db.pool, hashApiKey(key!))).toEqual({ id, municipality: '0518', role: 'staff' });

    const listed = await keys('list');
    expect(listed.stdout).toContain(id!);
    expect(listed.stdout).toContain('Call centre');
    expect(listed.stdout).not.toContain(key!);

    await keys('revoke', id!);
    expect(await findActiveApiKey(db.pool, hashApiKey(key!))).toBeNull();
    await expect(keys('revoke', id!)).rejects.toMatchObject({ code: 1 });
    await expect(keys('create', '--municipality', '518', '--role', 'boss')).rejects.toMatchObject({ code: 2 });
    await expect(keys('create', '--municipality', '0999', '--role', 'staff')).rejects.toMatchObject({
      code: 2,
      stderr: 'municipality 0999 is not in the directory; add it to MUNICIPALITIES first\n',
    });
  });

  it('creates scoped keys: a staff key for one team, a partner key for its signal partner', async () => {
    const team = await keys('create', '--municipality', '0518', '--role', 'staff', '--scope', 'wijkteam');
    const teamKey = /^key:\s+(\S+)$/m.exec(team.stdout)?.[1];
    expect(team.stdout).toMatch(/^scope:\s+wijkteam$/m);
    expect(await findActiveApiKey(db.pool, hashApiKey(teamKey!))).toMatchObject({ role: 'staff', scope: 'wijkteam' });

    const partner = await keys('create', '--municipality', '0518', '--role', 'partner', '--scope', 'woonstad');
    const partnerKey = /^key:\s+(\S+)$/m.exec(partner.stdout)?.[1];
    expect(await findActiveApiKey(db.pool, hashApiKey(partnerKey!))).toMatchObject({
      role: 'partner',
      scope: 'woonstad',
    });
    expect((await keys('list')).stdout).toMatch(/partner\s+woonstad/);

    await expect(keys('create', '--municipality', '0518', '--role', 'partner')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('a partner key needs a scope'),
    });
    await expect(
      keys('create', '--municipality', '0518', '--role', 'staff', '--scope', 'kitchen'),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("a staff key's scope must be a team") });
    await expect(
      db.pool.query(
        `INSERT INTO api_keys (id, key_hash, municipality, role, scope) VALUES ('k', 'h', '0518', 'admin', 'visits')`,
      ),
    ).rejects.toThrow(/api_keys_scope_check/);
  });
});
