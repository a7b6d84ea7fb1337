import { parseArgs } from 'node:util';
import { z } from 'zod';
import { sealJson } from '../common/field-crypto';
import { loadConfig } from '../config';
import { keyringFromEnv, loadOrCreateDevKeys } from '../common/encryption-keys';
import { createMunicipalityDirectory } from '../domain/municipalities';
import { isTeam, TEAMS, webhookSecretAad } from '../domain/teams';
import { createPool, databaseUrlFrom } from '../db/connection';
import {
  deleteTeamNotificationChannel,
  listTeamNotificationChannels,
  upsertTeamNotificationChannel,
} from '../db/work-items';
import { migrate } from '../db/migrate';

const USAGE = `Where a team that works in its own systems hears of new and overdue work items (DATABASE_URL selects the
database). A notice carries the item's link, kind and due instant, never personal data.

  npm run teams -- notify --municipality 0518 --team wijkteam --mailbox wijkteam@denhaag.nl
      an e-mail to the team's shared mailbox for each new item and each reminder
  BEREIK_WEBHOOK_SECRET=... npm run teams -- notify --municipality 0518 --team sdv --webhook https://sdv.example/hooks/bereik
      also (or instead) a webhook, signed with HMAC-SHA256 over "<timestamp>.<body>" with that secret
      (headers Bereik-Timestamp and Bereik-Signature); the secret is stored sealed, and is read from the
      environment so that it never lands in a shell history
  npm run teams -- list
  npm run teams -- remove --municipality 0518 --team sdv
`;

const mailbox = z.email();
const webhookUrl = z.url({ protocol: /^https?$/ });

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      municipality: { type: 'string' },
      team: { type: 'string' },
      mailbox: { type: 'string' },
      webhook: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const config = loadConfig();
  const needsTeam = command === 'notify' || command === 'remove';
  const municipality = values.municipality ?? '';
  const team = values.team ?? '';
  if (needsTeam) {
    if (!createMunicipalityDirectory(config.MUNICIPALITIES).find(municipality))
      return fail(`--municipality: ${municipality || '(missing)'} is not a gemeentecode in MUNICIPALITIES`);
    if (!isTeam(team)) return fail(`--team must be one of ${TEAMS.join(', ')}`);
  }
  if (command === 'notify') {
    if (!values.mailbox && !values.webhook) return fail('notify needs --mailbox, --webhook or both');
    if (values.mailbox && !mailbox.safeParse(values.mailbox).success)
      return fail(`--mailbox: ${values.mailbox} is not an e-mail address`);
    if (values.webhook && !webhookUrl.safeParse(values.webhook).success)
      return fail(`--webhook: ${values.webhook} is not an http(s) URL`);
    const secret = process.env.BEREIK_WEBHOOK_SECRET ?? '';
    if (values.webhook && secret.length < 16)
      return fail('--webhook needs BEREIK_WEBHOOK_SECRET in the environment, at least 16 characters');
  } else if (command !== 'list' && command !== 'remove') {
    return fail(`unknown command ${command}\n\n${USAGE}`);
  }

  const databaseUrl = databaseUrlFrom(config);
  await migrate(databaseUrl);
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    if (command === 'notify' && isTeam(team)) {
      const keyring = process.env.ENCRYPTION_KEYS ? keyringFromEnv() : loadOrCreateDevKeys(config.DATA_DIR);
      const secret = values.webhook ? process.env.BEREIK_WEBHOOK_SECRET! : null;
      await upsertTeamNotificationChannel(pool, {
        municipality,
        team,
        mailbox: values.mailbox ?? null,
        webhookUrl: values.webhook ?? null,
        webhookSecretSealed: secret ? sealJson(keyring, secret, webhookSecretAad(municipality, team)) : null,
      });
      process.stdout.write(
        `${municipality} ${team}: notices go to ${[values.mailbox, values.webhook].filter(Boolean).join(' and ')}\n`,
      );
      return 0;
    }
    if (command === 'remove' && isTeam(team)) {
      if (!(await deleteTeamNotificationChannel(pool, municipality, team))) {
        process.stderr.write(`${municipality} ${team} has no notification channel\n`);
        return 1;
      }
      process.stdout.write(`${municipality} ${team}: no more notices\n`);
      return 0;
    }
    const channels = await listTeamNotificationChannels(pool);
    if (channels.length === 0) process.stdout.write('no team notification channels\n');
    for (const c of channels)
      process.stdout.write(
        `${c.municipality}  ${c.team.padEnd(11)}  mailbox ${c.mailbox ?? '-'}  webhook ${c.webhookUrl ?? '-'}\n`,
      );
    return 0;
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
