// One Jest config for the monorepo: `unit` runs the pure tests beside the code; `integration` runs test/
// against real PostgreSQL and Redis (test/setup/global-setup.ts makes a fresh database per run).
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = new URL('.', import.meta.url).pathname;
swcrc.module = { type: 'es6' };

/** Transform and module mapping, shared with other Jest configs (test/faults/jest.config.js). */
export const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcrc] },
  moduleNameMapper: {
    '^@baton/(api|worker)$': '<rootDir>/apps/$1/src/index.ts',
    '^@baton/handover/testing$': '<rootDir>/libs/handover/src/testing/index.ts',
    '^@baton/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // scripts/: the standalone scripts' pure parts (plain ES modules, no build).
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.mjs'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 60_000,
  // Three files side by side, even on two cores: the end-to-end files mostly wait on Baton processes,
  // PostgreSQL and Redis (13.5 min one at a time, 5.5 min three at a time here). `--maxWorkers` overrides.
  maxWorkers: 3,
};
