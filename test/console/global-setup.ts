// Playwright's global setup: the test services and a fresh database and queue prefix exactly as `npm test`
// makes them (test/setup/global-setup.mjs: DATABASE_URL / REDIS_URL when set, else the local services when
// they answer, else the embedded default in a temporary folder), Baton started as `npm start` starts it, and
// the scene's governance. The tests find Baton through the environment; the returned function is the teardown.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Api } from './support/api.js';
import { ROOT, startBaton } from './support/baton.js';
import { setUpScene } from './support/scene.js';

type Step = () => Promise<void>;

export default async function globalSetup(): Promise<Step> {
  const chromium = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium))
    throw new Error(
      `No Chromium at ${chromium}: install Debian's (apt-get install -y chromium, as .ci/run does) or set ` +
        'BATON_CHROMIUM to a Chromium or Chrome binary. Playwright downloads no browser here.',
    );
  // The .mjs files are Jest's, loaded as they are: one way to find the services and name the run's database.
  const load = (file: string): Promise<{ default: Step }> =>
    import(pathToFileURL(join(ROOT, 'test/setup', file)).href) as Promise<{ default: Step }>;
  const [setUpServices, tearDownServices] = await Promise.all([
    load('global-setup.mjs'),
    load('global-teardown.mjs'),
  ]);
  await setUpServices.default();
  const started = Date.now();
  const baton = await startBaton({
    DATABASE_URL: process.env.BATON_TEST_DATABASE_URL,
    BATON_QUEUE_PREFIX: process.env.BATON_TEST_QUEUE_PREFIX,
    REDIS_URL: process.env.BATON_TEST_REDIS_URL || undefined,
  }).catch(async (error: unknown) => {
    await tearDownServices.default();
    throw error;
  });
  process.stderr.write(`[console tests] Baton at ${baton.url} (healthy in ${Date.now() - started} ms)\n`);
  process.env.BATON_CONSOLE_URL = baton.url;
  process.env.BATON_CONSOLE_ADMIN_TOKEN = baton.adminToken;
  try {
    await setUpScene(new Api(baton.url, baton.adminToken));
  } catch (error) {
    await baton.stop();
    await tearDownServices.default();
    throw error;
  }
  return async () => {
    await baton.stop();
    await tearDownServices.default();
  };
}
