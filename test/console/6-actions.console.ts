// Follow-on actions and lessons learned as people use them in the console: an SMO records an action during
// early life support and assigns it, its owner closes it in a browser of its own, and once the service is
// under review a lesson is recorded. The state before the journey is seeded through the public API.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { unique } from './support/api.js';
import { openDeliverable, statusOf, statusPattern } from './support/pages.js';
import { ELS_SECONDS } from './support/scene.js';
import { expect, expectNotReloaded, markPage, otherBrowser, signIn, test } from './support/test.js';

test('an SMO adds an action during ELS and assigns it, its owner closes it, and a lesson is recorded', async ({
  page,
  browser,
  admin,
  person,
  place,
}) => {
  const where = await place(2); // tier 2: early life support lasts ELS_SECONDS
  const [pmo, approver, smo, owner] = await Promise.all([
    person(['pmo']),
    person(['service_owner']),
    person(['smo'], 'Sam SMO'),
    person(['operations'], 'Ola Operations'),
  ]);
  const created = await pmo.api.deliverable(where, { title: unique('Payroll service') });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);
  await approver.api.decide(created.id, 'acceptance', 'service_owner');
  await smo.api.schedule(created.id);

  // The page is open when the go-live is confirmed (through the API): the period of ELS_SECONDS starts then.
  await signIn(page, smo);
  await openDeliverable(page, created.id, created.title);
  await markPage(page);
  await smo.api.command(created.id, 'go-live/confirm');
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'early_life_support'));
  const section = page.getByRole('region', { name: /^Actions/ });
  await expect(section.getByText('No follow-on actions yet.')).toBeVisible();

  // The SMO records a known defect as a follow-on action, with nobody owning it yet.
  await section.getByRole('button', { name: 'Add action' }).click();
  const add = page.getByRole('form', { name: 'Add follow-on action' });
  await add.getByLabel('Action').fill('Fix rounding of overtime pay (KD-12)');
  await add.getByRole('button', { name: 'Add action' }).click();
  const row = section.getByRole('row').filter({ hasText: 'KD-12' });
  await expect(row).toContainText('Nobody yet');
  expect((await admin.read(created.id)).actions).toMatchObject([
    { key: 'A-1', title: 'Fix rounding of overtime pay (KD-12)', ownerId: null, status: 'open' },
  ]);
  // An open action without an owner holds early life support: the exit criteria say so.
  await expect(page.getByText(/Every open follow-on action has an owner.*not yet/)).toBeVisible();

  // ...and assigns it to operations.
  await row.getByRole('button', { name: 'Assign A-1' }).click();
  const assign = page.getByRole('form', { name: 'Assign A-1' });
  await assign.getByLabel(/Owner/).fill(owner.id);
  await assign.getByRole('button', { name: 'Assign A-1' }).click();
  await expect(row).toContainText(owner.id.slice(0, 8));
  expect((await admin.read(created.id)).actions).toMatchObject([{ key: 'A-1', ownerId: owner.id }]);
  await expect(page.getByText(/Every open follow-on action has an owner.*yes/)).toBeVisible();
  await section.screenshot({ path: join(tmpdir(), 'baton-actions-section.png') });

  // The owner, in a browser of its own, closes it: it sees Close on its own action and nothing else.
  const ownerPage = await otherBrowser(browser, owner);
  await openDeliverable(ownerPage, created.id, created.title);
  const ownerRow = ownerPage
    .getByRole('region', { name: /^Actions/ })
    .getByRole('row')
    .filter({ hasText: 'KD-12' });
  await expect(ownerRow).toContainText('You');
  await expect(ownerRow.getByRole('button', { name: 'Assign A-1' })).toHaveCount(0);
  await ownerRow.getByRole('button', { name: 'Close A-1' }).click();
  const close = ownerPage.getByRole('form', { name: 'Close A-1' });
  await close.getByLabel(/What was done/).fill('Fixed in payroll 4.2.1');
  await close.getByRole('button', { name: 'Close A-1' }).click();
  await expect(ownerRow).toContainText('Closed');
  const closed = await admin.read(created.id);
  expect(closed.actions).toMatchObject([
    { key: 'A-1', status: 'closed', closedBy: owner.id, note: 'Fixed in payroll 4.2.1' },
  ]);
  await ownerPage.context().close();

  // The SMO's page follows live; once the period ends the service is under review and a lesson is recorded.
  await expect(row).toContainText('Closed', { timeout: 15_000 });
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'els_review'), {
    timeout: 2 * ELS_SECONDS * 1000 + 10_000,
  });
  const lessons = page.getByRole('region', { name: /^Lessons learned/ });
  await lessons.getByRole('button', { name: 'Record a lesson' }).click();
  await lessons.getByLabel('Lesson learned').fill('Run the payroll dry-run a full month before go-live');
  await lessons.getByRole('button', { name: 'Record lesson' }).click();
  await expect(lessons.getByRole('listitem').filter({ hasText: 'Run the payroll dry-run' })).toBeVisible();
  await expectNotReloaded(page);
  const reviewed = await admin.read(created.id);
  expect(reviewed.lessons).toMatchObject([
    { text: 'Run the payroll dry-run a full month before go-live', recordedBy: smo.id },
  ]);
  await page.screenshot({ path: join(tmpdir(), 'baton-actions-page.png'), fullPage: true });
  await smo.api.command(created.id, 'cancel', { reason: 'test over: stop the decision timers' });
});

test('an admin switches the action-owner exit criterion of a tier off and on again', async ({
  page,
  admin,
}) => {
  const tier = 3;
  const {
    tier: _tier,
    source: _source,
    updatedAt: _updatedAt,
    ...before
  } = await admin.get(`/v1/policies/${tier}`);
  expect(before.elsExitRequiresActionOwners).toBe(true);
  await signIn(page, { token: admin.token, name: 'admin' });
  await page.goto('/admin/policies');
  try {
    await page.getByRole('button', { name: `Edit tier ${tier} policy` }).click();
    const form = page.getByRole('form', { name: `Edit tier ${tier} policy` });
    const toggle = form.getByLabel('ELS exit needs an owner for every open follow-on action');
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form).toHaveCount(0);
    const saved = await admin.get(`/v1/policies/${tier}`);
    // Only the switch changed: what the form does not edit is kept.
    expect(saved).toMatchObject({ ...before, elsExitRequiresActionOwners: false });
  } finally {
    // The scene's tiers are shared by every test: put it back as it was.
    expect((await admin.request('PUT', `/v1/policies/${tier}`, before)).status).toBe(200);
  }
  expect((await admin.get(`/v1/policies/${tier}`)).elsExitRequiresActionOwners).toBe(true);
});
