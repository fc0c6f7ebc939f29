// `npm run test:faults`: the fault tests (test/faults/*.fault.ts), one at a time, each with a PostgreSQL
// and/or a Redis of its own where it stops or flushes them. Not part of `npm test` (whose testMatch is
// test/**/*.spec.ts). Same transform and module mapping as the root config.
import { fileURLToPath } from 'node:url';
import { shared } from '../../jest.config.js';

export default {
  ...shared,
  rootDir: fileURLToPath(new URL('../..', import.meta.url)),
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  testTimeout: 240_000,
  slowTestThreshold: 120,
  maxWorkers: 1,
};
