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
});
