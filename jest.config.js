// One config, two projects: `unit` (*.spec.ts, in-memory, fast) and `integration`
// (*.int-spec.ts, real Hazelcast members and MariaDB, run in band).
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // @noble/ciphers and openid-client (with oauth4webapi, jose) ship ES modules only: jest runs them
  // through swc like our own sources.
  transform: {
    '^.+\\.ts$': swcTransform,
    '/node_modules/(@noble|openid-client|oauth4webapi|jose)/.+\\.js$': swcTransform,
  },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|openid-client|oauth4webapi|jose)/)'],
  setupFiles: ['<rootDir>/tools/jest/encryption-setup.js'],
  moduleNameMapper: {
    // The local TynTec lives under tools/ (it is also a command), not libs/.
    '^@switchboard/tyntec-fake$': '<rootDir>/tools/tyntec-fake/index.ts',
    '^@switchboard/oidc-provider/testing$': '<rootDir>/tools/oidc-provider/testing/index.ts',
    '^@switchboard/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^@switchboard/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.cache/', '<rootDir>/data/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/unit-setup.js'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,test}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-setup.js'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-setup.js'],
    },
  ],
};
