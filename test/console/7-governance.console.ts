// Issue 13's governance as people meet it in the console: a change freeze over the planned go-live, refused
// with the freeze named and overridden with a reason by a change manager; a readiness attestation that
// expires by itself while the page is open and is attested again.
import { unique } from './support/api.js';
import { attest, criterion, openDeliverable, statusOf, statusPattern, escape } from './support/pages.js';
import { EXPIRING_SECONDS } from './support/scene.js';
import { expect, expectNotReloaded, markPage, signIn, test } from './support/test.js';

test('a change manager schedules into a freeze with a reason; an SMO without that role is told why not', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(4); // the default policy: one service_owner accepts; change_manager overrides
  const [pmo, owner, smo, changeManager] = await Promise.all([
    person(['pmo']),
    person(['service_owner']),
    person(['smo'], 'Sam SMO'),
    person(['smo', 'change_manager'], 'Cam Change'),
  ]);
  const created = await pmo.api.deliverable(where, { title: unique('Payroll upgrade') });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);
  await owner.api.decide(created.id, 'acceptance', 'service_owner');
  // A freeze of this service only, around the target go-live the scheduling form proposes.
  const target = Date.parse(String(created.targetGoLive));
  const freeze = await admin.post('/v1/freeze-windows', {
    name: unique('Quarter-end freeze'),
    reason: 'Quarter-end close',
    start: new Date(target - 86_400_000).toISOString(),
    end: new Date(target + 86_400_000).toISOString(),
    scope: { serviceIds: [where.serviceId] },
  });

  // The SMO tries: refused with the freeze named; an override needs a role the SMO does not hold.
  await signIn(page, smo);
  await openDeliverable(page, created.id, created.title);
  await page.getByRole('button', { name: 'Schedule go-live' }).click();
  const form = page.getByRole('form', { name: 'Schedule go-live' });
  await form.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(form.getByRole('alert')).toContainText('falls in a change freeze');
  await expect(form.getByText(new RegExp(`Change freeze “${escape(freeze.name)}”`))).toBeVisible();
  await form.getByLabel(/Override the freeze/).check();
  await form.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(form.getByLabel('Why override the freeze?')).toHaveAccessibleDescription(/Say why/);
  await form.getByLabel('Why override the freeze?').fill('Payroll must run on the new version');
  await form.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(form.getByRole('alert')).toContainText('Your roles do not allow this action');
  expect((await admin.read(created.id)).status).toBe('approved');

  // The change manager overrides it, with a reason the audit trail keeps.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, changeManager);
  await openDeliverable(page, created.id, created.title);
  await page.getByRole('button', { name: 'Schedule go-live' }).click();
  await form.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(form.getByText(new RegExp(`Change freeze “${escape(freeze.name)}”`))).toBeVisible();
  await form.getByLabel(/Override the freeze/).check();
  await form.getByLabel('Why override the freeze?').fill('Payroll must run on the new version');
  await form.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'scheduled'));
  const history = await admin.get(`/v1/deliverables/${created.id}/history`);
  expect(history.items.at(-1)).toMatchObject({
    action: 'schedule',
    data: { override: { reason: 'Payroll must run on the new version', freezeWindowIds: [freeze.id] } },
  });
  await admin.ok('DELETE', `/v1/freeze-windows/${freeze.id}`);
});

test('an attestation that expires shows when, lapses while the page is open, and is attested again', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(3); // retirements on tier 3: a checklist whose attestation lapses in seconds
  const pmo = await person(['pmo'], 'Pat PMO');
  const created = await pmo.api.deliverable(where, {
    title: unique('Mainframe retirement'),
    changeType: 'retirement',
  });
  await signIn(page, pmo);
  await openDeliverable(page, created.id, created.title);
  await markPage(page);
  const title = 'Backup restore rehearsed';
  const row = criterion(page, title);
  await expect(row.getByText(`Valid for ${EXPIRING_SECONDS} seconds`)).toBeVisible();
  await attest(page, title, 'https://wiki.example/restore-drill');
  await expect(row.getByText(/^Expires soon:/)).toBeVisible();

  // The timer fires by itself: the page shows it lapsed, live, without a reload.
  await expect(row.getByText('Pending', { exact: true })).toBeVisible({
    timeout: EXPIRING_SECONDS * 1000 + 10_000,
  });
  await expect(row.getByText(/Expired/)).toBeVisible();
  await expectNotReloaded(page);
  const lapsed = await admin.read(created.id);
  expect(lapsed.readiness.criteria[0]).toMatchObject({ status: 'pending', expiredAt: expect.any(String) });

  await attest(page, title, 'https://wiki.example/restore-drill-2');
  await expect(row.getByText(/Expired/)).toHaveCount(0);
  await pmo.api.command(created.id, 'cancel', { reason: 'test over: stop the expiry timer' });
});
