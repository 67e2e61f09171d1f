// Type-aware lint for the whole workspace. Project tags decide who may import whom:
//   type:app     -> feature, shared, infra, domain, util
//   type:feature -> shared, infra, domain, util  (never a database or cluster driver, nor the ORM)
//   type:shared  -> shared, infra, domain, util  (what features share, e.g. what a chat is; never a
//                                                 feature, never a database or cluster driver, nor the ORM)
//   type:infra  -> infra, domain, util
//   type:domain -> domain, util   (never a driver, a framework or an I/O built-in)
//   type:util   -> util           (the same)
// Production code never imports a `@switchboard/<lib>/testing` entry point or the fake TynTec;
// the embedded demo's dev-only entry (apps/embedded/src/dev/) is the one place that ships it.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** A package and every subpath of it (`typeorm`, `typeorm/…`): a deep import is still an import. */
const withSubpaths = (packages) => packages.flatMap((name) => [name, `${name}/*`]);

const drivers = withSubpaths(['hazelcast-client', 'mysql2', 'better-sqlite3']);
const frameworkAndDrivers = [
  ...drivers,
  ...withSubpaths(['socket.io', 'socket.io-client', 'typeorm', 'express']),
  '@nestjs/*',
];

/** Node built-ins that do I/O: the domain and util libraries compute, they never touch the world. */
const ioBuiltins = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'cluster',
  'worker_threads',
  'os',
  'vm',
  'readline',
  'process',
].flatMap((name) => [name, `node:${name}`]);
const ioBuiltinsPattern = {
  group: ioBuiltins,
  message: 'Domain and util code does no I/O: take it as input.',
};

const testOnlyEntries = [
  {
    group: ['@switchboard/*/testing'],
    message: 'Testing entry points are for tests, tools and the benchmark.',
  },
  {
    group: ['@switchboard/tyntec-fake'],
    message: 'The fake TynTec is for tests and the dev-only demo entry.',
  },
];
/** Feature code reaches the database through the persistence library's repositories, never the ORM. */
const ormInFeatures = {
  group: ['typeorm', 'typeorm/*'],
  message: 'Feature code reaches the database through @switchboard/persistence repositories.',
};
const crossProjectRelative = {
  group: ['../../*'],
  message: 'Import other projects through @switchboard/<lib>.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.cache/**', '.nx/**', '**/*.js', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:feature',
                'type:shared',
                'type:infra',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:shared', 'type:infra', 'type:domain', 'type:util'],
              bannedExternalImports: drivers,
            },
            {
              sourceTag: 'type:shared',
              onlyDependOnLibsWithTags: ['type:shared', 'type:infra', 'type:domain', 'type:util'],
              bannedExternalImports: drivers,
            },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: frameworkAndDrivers,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: frameworkAndDrivers,
            },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': ['error', { patterns: [crossProjectRelative] }],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**', 'apps/embedded/src/dev/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [crossProjectRelative, ...testOnlyEntries] }] },
  },
  {
    files: ['libs/{messaging,routing,whatsapp,admin,chat,identity}/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [crossProjectRelative, ...testOnlyEntries, ormInFeatures] },
      ],
    },
  },
  {
    files: ['libs/routing-domain/src/**/*.ts', 'libs/protocol/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [crossProjectRelative, ...testOnlyEntries, ioBuiltinsPattern] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
