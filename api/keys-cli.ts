import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createMunicipalityDirectory } from '../domain/municipalities';
import { apiKeyScopeProblem } from '../domain/teams';
import { createApiKey, listApiKeys, revokeApiKey, ROLES, type Role } from '../db/api-keys';
import { createPool, databaseUrlFrom } from '../db/connection';
import { migrate } from '../db/migrate';

const USAGE = `Manage production API keys (stored as SHA-256 hashes in PostgreSQL; DATABASE_URL selects the database).

  npm run keys -- create --municipality 0518 --role staff --label "Call centre Den Haag"
      prints the new key once; only its hash is stored
  npm run keys -- create --municipality 0518 --role staff --scope wijkteam --label "Wijkteam Centrum"
      a staff key scoped to one team (callcentre, visits, wijkteam, sdv, budgetcoach, meldpunt) sees that team's work
  npm run keys -- create --municipality 0518 --role partner --scope woonstad --label "Woonstad Rotterdam"
      a partner key must name the signal partner it speaks for
  npm run keys -- list
  npm run keys -- revoke <key id>
`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      municipality: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
      label: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const databaseUrl = databaseUrlFrom(config);
  await migrate(databaseUrl);
  const pool = createPool(databaseUrl, { max: 1 });
  try {
    switch (command) {
      case 'create': {
        const municipality = values.municipality ?? '';
        const role = (values.role ?? '') as Role;
        if (!/^\d{4}$/.test(municipality) || !ROLES.includes(role)) {
          process.stderr.write(`create needs --municipality <4-digit gemeentecode> and --role <${ROLES.join('|')}>\n`);
          return 2;
        }
        if (!createMunicipalityDirectory(config.MUNICIPALITIES).find(municipality)) {
          process.stderr.write(
            `municipality ${municipality} is not in the directory; add it to MUNICIPALITIES first\n`,
          );
          return 2;
        }
        const scopeProblem = apiKeyScopeProblem(role, values.scope);
        if (scopeProblem) {
          process.stderr.write(`${scopeProblem}\n`);
          return 2;
        }
        const { key, record } = await createApiKey(pool, {
          municipality,
          role,
          ...(values.scope ? { scope: values.scope } : {}),
          label: values.label ?? '',
        });
        process.stdout.write(
          `id:           ${record.id}\nmunicipality: ${record.municipality}\nrole:         ${record.role}\n` +
            `scope:        ${record.scope ?? '-'}\nlabel:        ${record.label}\n`,
        );
        process.stdout.write(
          `key:          ${key}\n\nStore the key now: it is not shown again and cannot be recovered.\n`,
        );
        return 0;
      }
      case 'list': {
        const keys = await listApiKeys(pool);
        if (keys.length === 0) process.stdout.write('no keys\n');
        for (const k of keys) {
          const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
          process.stdout.write(
            `${k.id}  ${k.municipality}  ${k.role.padEnd(7)}  ${(k.scope ?? '-').padEnd(11)}  ${state.padEnd(33)}  created ${k.createdAt}  ${k.label}\n`,
          );
        }
        return 0;
      }
      case 'revoke': {
        const [id] = rest;
        if (!id) {
          process.stderr.write('revoke needs a key id (see `list`)\n');
          return 2;
        }
        if (!(await revokeApiKey(pool, id))) {
          process.stderr.write(`no active key with id ${id}\n`);
          return 1;
        }
        process.stdout.write(`revoked ${id}; running APIs stop accepting it within 10 seconds\n`);
        return 0;
      }
      default:
        process.stderr.write(`unknown command ${command}\n\n${USAGE}`);
        return 2;
    }
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
