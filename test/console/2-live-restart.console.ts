// The live stream survives a restart of the api: a deliverable page stays open while Baton is stopped and
// started again (same port, same database), a decision is made as soon as it is back, and the page shows it
// without a reload (the browser reconnects with Last-Event-ID). This test runs a Baton of its own, on a
// scratch database, so stopping it disturbs no other test.
import { randomBytes } from 'node:crypto';
import { scratchDatabase } from '../support/scratch-database.js';
import { Api, unique } from './support/api.js';
import { startBaton, type RunningBaton } from './support/baton.js';
import { openDeliverable, statusOf, statusPattern } from './support/pages.js';
import { expect, expectNotReloaded, markPage, otherBrowser, test } from './support/test.js';

test('the live stream survives a restart of the api and misses nothing', async ({ browser }) => {
  test.setTimeout(120_000);
  const scratch = await scratchDatabase();
  const env = {
    DATABASE_URL: scratch.url,
    BATON_QUEUE_PREFIX: `${process.env.BATON_TEST_QUEUE_PREFIX}_restart_${randomBytes(3).toString('hex')}`,
    REDIS_URL: process.env.BATON_TEST_REDIS_URL || undefined,
    BATON_ADMIN_TOKEN: `console_admin_${randomBytes(16).toString('hex')}`,
  };
  let baton: RunningBaton | undefined = await startBaton(env);
  try {
    const port = new URL(baton.url).port;
    const admin = new Api(baton.url, baton.adminToken);
    const [pmo, owner] = await Promise.all([
      admin.principal('Pat PMO', ['pmo']),
      admin.principal('Olive Owner', ['service_owner']),
    ]);
    const [project, service] = await Promise.all([admin.project(), admin.service(4)]);
    const created = await pmo.api.deliverable(
      { projectId: project.id, serviceId: service.id },
      { title: unique('Restart-proof') },
    );
    await pmo.api.command(created.id, 'submit');
    await pmo.api.attestMandatory(created.id);

    const page = await otherBrowser(browser, pmo, { baseURL: baton.url });
    await openDeliverable(page, created.id, created.title);
    await expect(page.getByText('Live', { exact: true })).toBeVisible();
    await markPage(page);

    await baton.stop();
    baton = undefined;
    await expect(page.getByRole('status').filter({ hasText: /live updates are interrupted/i })).toBeVisible();
    baton = await startBaton({ ...env, PORT: port });
    // Decided as soon as Baton is back, before the browser's next retry: the page gets it by replay.
    await owner.api.decide(created.id, 'acceptance', 'service_owner', 'approve', 'After the restart');
    expect((await admin.read(created.id)).status).toBe('approved');
    await expect(statusOf(page)).toContainText(await statusPattern(admin, 'approved'), { timeout: 20_000 });
    await expect(
      page.getByRole('region', { name: 'Decisions' }).getByText('After the restart'),
    ).toBeVisible();
    await expect(page.getByText('Live', { exact: true })).toBeVisible();
    await expectNotReloaded(page);
    await page.context().close();
  } finally {
    await baton?.stop();
    await scratch.drop();
  }
});
