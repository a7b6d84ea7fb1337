import { benchConsole } from './console';
import { benchIntake } from './intake';
import { benchOpenCases } from './open-cases';
import { benchSimulate } from './simulate';
import { benchSleeping } from './sleeping';

const benches: Record<string, (argv: string[]) => Promise<number>> = {
  intake: benchIntake,
  load: benchOpenCases,
  console: benchConsole,
  simulate: benchSimulate,
  sleeping: benchSleeping,
};

const [name, ...argv] = process.argv.slice(2);
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(
    `usage: npm run bench:<${Object.keys(benches).join('|')}> -- [options]   (or node tools/run.mjs bench <name>)`,
  );
  process.exit(2);
}
bench(argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
