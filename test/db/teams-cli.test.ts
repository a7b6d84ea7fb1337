import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freshDatabase } from '../api/support';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const SECRET = 'webhook-secret-for-the-sdv-0123';

describe('teams CLI: where a team hears of its work', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const teams = (args: string[], env: Record<string, string> = {}) =>
    run(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'api/teams-cli.ts'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    db = await freshDatabase('teams-cli');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('configures a mailbox and a signed webhook per municipality and team, lists them without the secret, removes one', async () => {
    const mail = await teams([
      'notify',
      '--municipality',
      '0518',
      '--team',
      'wijkteam',
      '--mailbox',
      'wijkteam@denhaag.example',
    ]);
    expect(mail).toMatchObject({ code: 0, stdout: '0518 wijkteam: notices go to wijkteam@denhaag.example\n' });
    const hook = await teams(
      ['notify', '--municipality', '0518', '--team', 'sdv', '--webhook', 'https://sdv.example/hooks'],
      {
        BEREIK_WEBHOOK_SECRET: SECRET,
      },
    );
    expect(hook.code).toBe(0);
    const stored = await db.pool.query('SELECT * FROM team_notification_channels ORDER BY team');
    expect(stored.rows.map((r) => [r.team, r.mailbox, r.webhook_url])).toEqual([
      ['sdv', null, 'https://sdv.example/hooks'],
      ['wijkteam', 'wijkteam@denhaag.example', null],
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(SECRET);

    const listed = await teams(['list']);
    expect(listed.stdout).toContain('0518  sdv          mailbox -  webhook https://sdv.example/hooks');
    expect(listed.stdout).not.toContain(SECRET);

    expect(await teams(['remove', '--municipality', '0518', '--team', 'sdv'])).toMatchObject({ code: 0 });
    expect((await db.pool.query('SELECT team FROM team_notification_channels')).rows).toEqual([{ team: 'wijkteam' }]);
  });

  it('refuses bad input naming the option, and stores nothing', async () => {
    const refusals = await Promise.all([
      teams(['notify', '--municipality', '0518', '--team', 'kantine', '--mailbox', 'a@b.example']),
      teams(['notify', '--municipality', '9999', '--team', 'sdv', '--mailbox', 'a@b.example']),
      teams(['notify', '--municipality', '0518', '--team', 'sdv', '--mailbox', 'geen-adres']),
      teams(['notify', '--municipality', '0518', '--team', 'sdv', '--webhook', 'https://sdv.example/hooks']),
      teams(['notify', '--municipality', '0518', '--team', 'sdv']),
    ]);
    expect(refusals.map((r) => [r.code, r.stderr.split(':')[0]!.split(' ')[0]])).toEqual([
      [2, '--team'],
      [2, '--municipality'],
      [2, '--mailbox'],
      [2, '--webhook'],
      [2, 'notify'],
    ]);
    expect((await db.pool.query("SELECT 1 FROM team_notification_channels WHERE team = 'sdv'")).rowCount).toBe(0);
  });
});
