import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins. The domain vocabulary is bundled with it.
const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);
const deterministicCode = ['workflows/**/*.ts', 'policy/**/*.ts', 'domain/**/*.ts'];

/**
 * The folder boundaries (README, "Where things are"): each folder may import only the folders listed for it, so
 * the layers run one way and a newcomer knows where a change belongs. `test/` may import everything.
 */
const mayImport = {
  domain: [],
  policy: ['domain'],
  common: ['domain'],
  templates: ['domain', 'policy', 'common'],
  config: ['domain', 'policy', 'common'],
  db: ['domain', 'policy', 'common', 'config'],
  activities: ['domain', 'policy', 'common', 'config', 'db', 'templates'],
  workflows: ['domain', 'policy', 'activities'], // activities by type only, see below
  api: ['domain', 'policy', 'common', 'config', 'db', 'templates', 'workflows'],
  worker: ['domain', 'policy', 'common', 'config', 'db', 'templates', 'activities', 'workflows'],
  tools: ['domain', 'policy', 'common', 'config', 'db', 'templates', 'activities', 'workflows', 'api', 'worker'],
  scenarios: [],
  test: null,
};
const folders = Object.keys(mayImport);
const boundaryZones = Object.entries(mayImport)
  .filter(([, allowed]) => allowed !== null)
  .flatMap(([target, allowed]) =>
    folders
      .filter((from) => from !== target && !allowed.includes(from))
      .map((from) => ({
        target: `./${target}`,
        from: `./${from}`,
        message: `${target}/ may not import ${from}/ (README: folder boundaries).`,
      })),
  );

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      '.tools/**',
      '.outbox/**',
      'dist/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: deterministicCode,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/*', '!**/activities/types'],
              allowTypeImports: true,
              message: 'Workflows import activities by type only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'process', message: 'Workflow code must not read the environment.' },
      ],
    },
  },
);
