// The console's browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, installed by .ci/run
// when missing; Playwright downloads no browser) against Baton started as `npm start` starts it, on a fresh
// database (global-setup.ts). Run with `npm run test:console`, which builds first.
//
// One worker: the tests share one Baton, whose inbox is by role; run one at a time they also leave the two
// cores to Baton, PostgreSQL and Chromium, and the scale test (2,000 deliverables) runs last (files in name
// order) so the journeys' boards stay small.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Traces and screenshots of failures, in a folder of this run's own (Playwright empties it first: two runs
// on one machine must not share it). Set once here, inherited by the workers, which load this file again.
process.env.BATON_CONSOLE_RESULTS ??= mkdtempSync(join(tmpdir(), 'baton-console-results-'));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.console.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: process.env.BATON_CONSOLE_RESULTS,
  reporter: [['list'], ['./support/summary-reporter.ts']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.BATON_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    },
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
