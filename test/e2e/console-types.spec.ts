// The console's API types are generated from the OpenAPI document Baton serves (scripts/generate-api-types.mjs):
// this fails when apps/console/src/api/schema.d.ts no longer matches /docs-json, so a server change that
// alters the contract cannot land without the console's client being regenerated (and type-checked).
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startBaton, type BatonProcess } from '../support/baton-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let baton: BatonProcess;

beforeAll(async () => {
  baton = await startBaton();
});

afterAll(async () => {
  await baton?.stop();
});

it('the console types match the served OpenAPI document', async () => {
  const result = await promisify(execFile)(
    process.execPath,
    ['scripts/generate-api-types.mjs', '--check', '--url', baton.url],
    { cwd: ROOT },
  ).catch((error: { code: number; stdout: string; stderr: string }) => error);
  expect(result.stderr).toBe('');
  expect(result.stdout).toContain('matches /docs-json');
});
