import { createServer, type Server } from 'node:http';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createEmailChannel, type EmailChannel } from '../../activities/channels/email';
import {
  configureTeamNotifications,
  createTeamNotifier,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignature,
} from '../../activities/team-notifier';
import { createTeamActivities } from '../../activities/teams';
import { freshDatabase, makeSignal, testKeyring } from '../api/support';

interface Hook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('new work reaches teams that work in their own systems', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let smtp: SMTPServer;
  let email: EmailChannel;
  let receiver: Server;
  let receiverUrl: string;
  const mails: { to: string[]; mail: ParsedMail }[] = [];
  const hooks: Hook[] = [];
  const keyring = testKeyring();
  const SECRET = 'webhook-secret-of-the-sdv-team';

  beforeAll(async () => {
    db = await freshDatabase('team-notifier');
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    email = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`,
      from: 'bereik@denhaag.nl',
    });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/fail') {
          res.writeHead(500).end();
          return;
        }
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/bereik`;
  });
  afterAll(async () => {
    email.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await db.drop();
  });

  it('mails the team mailbox and calls its signed webhook once per item, with a link and no personal data', async () => {
    await configureTeamNotifications(
      { pool: db.pool, keyring },
      { municipality: '0518', team: 'sdv', mailbox: 'sdv@denhaag.nl', webhook: { url: receiverUrl, secret: SECRET } },
    );
    const teams = createTeamActivities({
      pool: db.pool,
      keyring,
      notify: createTeamNotifier({ pool: db.pool, keyring, email, publicBaseUrl: 'https://bereik.denhaag.nl/' }),
    });
    const client = makeSignal().client as never;
    const ref = { caseId: 'case-0518-bbbbbbbbbbbbbbbbbbbbbbbbbb', municipality: '0518', round: 1 };
    const handover = {
      ...ref,
      caseRef: `${ref.caseId}.1`,
      handoverKey: `${ref.caseId}.1:handover:sdv`,
      to: 'sdv' as const,
      reason: 'already known at schulddienstverlening',
      at: '2027-03-08T10:00:00.000Z',
      dueAt: '2027-03-22T10:00:00.000Z',
      history: [],
      client,
      description: 'Mevrouw Jansen wil graag hulp',
    };
    await teams.warmHandover(handover);
    await teams.warmHandover(handover); // a retried activity: the item exists, nobody is told twice
    // A team without a configured channel hears nothing.
    await teams.createVisitTask({
      ...ref,
      caseRef: `${ref.caseId}.1`,
      visitKey: 'v1',
      visit: 1,
      plannedAt: handover.at,
      team: 'visit',
      client,
    });

    const { rows } = await db.pool.query<{ item_id: string }>("SELECT item_id FROM team_tasks WHERE team = 'sdv'");
    const link = `https://bereik.denhaag.nl/console/werk/${rows[0]!.item_id}`;
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['sdv@denhaag.nl']);
    expect(mails[0]!.mail.subject).toBe('Nieuw werk voor sdv: overdracht');
    expect(mails[0]!.mail.text).toContain(link);
    expect(mails[0]!.mail.html).toContain(`href="${link}"`);

    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    const timestamp = String(hook.headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()]);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(hook.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()]).toBe(webhookSignature(SECRET, timestamp, hook.body));
    expect(webhookSignature('another-secret', timestamp, hook.body)).not.toBe(
      hook.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()],
    );
    expect(JSON.parse(hook.body)).toEqual({
      type: 'work_item.created',
      item: rows[0]!.item_id,
      municipality: '0518',
      team: 'sdv',
      kind: 'handover',
      dueAt: '2027-03-22T10:00:00.000Z',
      dagdeel: null,
      link,
    });

    const everything = JSON.stringify([mails.map((m) => [m.mail.subject, m.mail.text, m.mail.html]), hooks]);
    for (const personal of ['Jansen', 'Dorpsstraat', '+31612345678', 'a.jansen@example.org', '2011AB'])
      expect(everything).not.toContain(personal);
    const stored = JSON.stringify((await db.pool.query('SELECT * FROM team_notification_channels')).rows);
    expect(stored).not.toContain(SECRET);
  });

  it('retries a notice whose webhook failed: the item stays unnotified until a notice goes out', async () => {
    await configureTeamNotifications(
      { pool: db.pool, keyring },
      {
        municipality: '0518',
        team: 'meldpunt',
        webhook: { url: receiverUrl.replace('/bereik', '/fail'), secret: SECRET },
      },
    );
    const teams = createTeamActivities({
      pool: db.pool,
      keyring,
      notify: createTeamNotifier({ pool: db.pool, keyring, email, publicBaseUrl: 'https://bereik.denhaag.nl' }),
    });
    const handover = {
      caseId: 'case-0518-cccccccccccccccccccccccccc',
      caseRef: 'case-0518-cccccccccccccccccccccccccc.1',
      municipality: '0518',
      round: 1,
      handoverKey: 'case-0518-cccccccccccccccccccccccccc.1:handover:meldpunt',
      to: 'meldpunt' as const,
      reason: 'arrears growing',
      at: '2027-03-08T10:00:00.000Z',
      history: [],
      client: makeSignal().client as never,
    };
    await expect(teams.warmHandover(handover)).rejects.toThrow('team webhook answered 500');
    const { rows } = await db.pool.query("SELECT notified_at FROM team_tasks WHERE team = 'meldpunt'");
    expect(rows).toEqual([{ notified_at: null }]);
  });
});
