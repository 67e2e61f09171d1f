import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

interface Probe {
  readonly file: string;
  readonly module: string;
}

const subpathImports: Probe[] = [
  { module: 'typeorm/repository/Repository', file: 'libs/routing-domain/src/probe.ts' },
  { module: 'hazelcast-client/lib/HazelcastClient', file: 'libs/routing-domain/src/probe.ts' },
  { module: 'socket.io/dist/index', file: 'libs/protocol/src/probe.ts' },
  { module: 'express/lib/router', file: 'libs/protocol/src/probe.ts' },
];
const ioBuiltins: Probe[] = ['node:fs', 'fs/promises', 'node:net', 'node:child_process', 'http'].map(
  (module) => ({
    module,
    file: 'libs/routing-domain/src/probe.ts',
  }),
);
const driversInFeatures: Probe[] = ['mysql2', 'mysql2/promise', 'better-sqlite3', 'hazelcast-client'].map(
  (module) => ({ module, file: 'libs/messaging/src/probe.ts' }),
);
const ormInFeatures: Probe[] = [
  { module: 'typeorm', file: 'libs/routing/src/probe.ts' },
  { module: 'typeorm/query-builder/SelectQueryBuilder', file: 'libs/whatsapp/src/probe.ts' },
];
const testOnlyInProduction: Probe[] = [
  { module: '@switchboard/persistence/testing', file: 'libs/messaging/src/probe.ts' },
  { module: '@switchboard/tyntec-fake', file: 'apps/embedded/src/probe.ts' },
  { module: '@switchboard/tyntec-fake', file: 'libs/whatsapp/src/probe.ts' },
];
const featureInShared: Probe[] = [
  { module: '@switchboard/messaging', file: 'libs/chat/src/probe.ts' },
  { module: '@switchboard/routing', file: 'libs/chat/src/probe.ts' },
];
const allowed: Probe[] = [
  { module: '@switchboard/chat', file: 'libs/messaging/src/probe.ts' },
  { module: '@switchboard/chat', file: 'apps/routing/src/probe.ts' },
  { module: '@switchboard/persistence', file: 'libs/chat/src/probe.ts' },
  { module: 'zod', file: 'libs/routing-domain/src/probe.ts' },
  { module: 'node:crypto', file: 'libs/protocol/src/probe.ts' },
  { module: 'mysql2/promise', file: 'libs/persistence/src/probe.ts' },
  { module: 'typeorm', file: 'libs/persistence/src/probe.ts' },
  { module: 'typeorm', file: 'libs/routing/src/probe.int-spec.ts' },
  { module: '@switchboard/tyntec-fake', file: 'apps/embedded/src/dev/probe.ts' },
  { module: '@switchboard/persistence/testing', file: 'libs/messaging/src/probe.spec.ts' },
  { module: '@switchboard/tyntec-fake', file: 'libs/whatsapp/src/testing/probe.ts' },
];
const probes = [
  ...subpathImports,
  ...ioBuiltins,
  ...driversInFeatures,
  ...ormInFeatures,
  ...testOnlyInProduction,
  ...featureInShared,
  ...allowed,
];
let ruleIds = new Map<Probe, string[]>();

/** The rule ids the workspace's lint config reports for an import of the probe's module at its file. */
function violations(probe: Probe): string[] {
  return ruleIds.get(probe) ?? [];
}

// The module boundaries are the architecture: each hole found once stays closed.
describe('lint boundaries', () => {
  beforeAll(() => {
    // The Nx boundary rule reads the cached project graph; without one it skips itself silently.
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, stdio: 'ignore' });
    const input = JSON.stringify(probes.map(({ file, module }) => ({ file, code: `import '${module}';` })));
    const output = execFileSync('node', ['tools/lint/lint-probes.mjs'], {
      cwd: root,
      input,
      encoding: 'utf8',
    });
    const results = JSON.parse(output) as string[][];
    ruleIds = new Map(probes.map((probe, index) => [probe, results[index] ?? []]));
  }, 120_000);

  it.each(subpathImports)('refuses the subpath import $module in $file', (probe) => {
    expect(violations(probe)).toContain('@nx/enforce-module-boundaries');
  });

  it.each(ioBuiltins)('refuses the I/O built-in $module in the domain library', (probe) => {
    expect(violations(probe)).toContain('no-restricted-imports');
  });

  it.each(driversInFeatures)('refuses the driver $module in a feature library', (probe) => {
    expect(violations(probe)).toContain('@nx/enforce-module-boundaries');
  });

  it.each(ormInFeatures)('refuses the ORM ($module) in feature code ($file)', (probe) => {
    expect(violations(probe)).toContain('no-restricted-imports');
  });

  it.each(testOnlyInProduction)('refuses $module in production code ($file)', (probe) => {
    expect(violations(probe)).toContain('no-restricted-imports');
  });

  it.each(featureInShared)('refuses the feature $module in the shared chat library', (probe) => {
    expect(violations(probe)).toContain('@nx/enforce-module-boundaries');
  });

  it.each(allowed)('allows $module in $file', (probe) => {
    expect(violations(probe)).toEqual([]);
  });
});
