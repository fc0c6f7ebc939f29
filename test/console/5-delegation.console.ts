// Out of office in the console: a person delegates their approver role to a colleague on the Out of office
// page, the colleague finds the deliverable in their inbox on behalf of that person and approves it, and the
// deliverable's decisions say who decided for whom. Screenshots of the new pages go to a temporary folder.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { unique, type Principal } from './support/api.js';
import { decide, inboxRow, openDeliverable } from './support/pages.js';
import { expect, otherBrowser, signIn, test } from './support/test.js';

const SHOTS = process.env.BATON_SCREENSHOTS ?? join(tmpdir(), 'baton-delegation-shots');

test('a person delegates their approver role; the delegate approves on their behalf from the inbox', async ({
  page,
  browser,
  admin,
  person,
  place,
}) => {
  const pmo = await person(['pmo'], unique('Pat PMO'));
  const alice = await person(['service_owner'], unique('Alice Owner'));
  const bob = await person(['auditor'], unique('Bob Deputy'));
  const where = await place(4); // one service_owner accepts
  const created = await pmo.api.deliverable(where, { title: unique('Payroll cut-over') });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);

  // Alice lends service_owner to Bob for the week, on her Out of office page.
  await signIn(page, alice);
  await page.getByRole('link', { name: 'Out of office' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Out of office' })).toBeVisible();
  const form = page.getByRole('form', { name: 'New delegation' });
  await form.getByLabel("Delegate's principal id").fill(bob.id);
  await expect(form.getByLabel('Service owner')).toBeChecked();
  await form.getByLabel('Reason (optional)').fill('Holiday in the mountains');
  await form.getByRole('button', { name: 'Delegate' }).click();
  const lent = page.getByRole('row').filter({ hasText: 'Lent to' });
  await expect(lent).toContainText('In force');
  await expect(lent).toContainText('Service owner');
  await page.screenshot({ path: join(SHOTS, 'out-of-office.png'), fullPage: true });
  const [delegation] = (await admin.get(`/v1/principals/${alice.id}/delegations`)).items;
  expect(delegation).toMatchObject({ delegateId: bob.id, roles: ['service_owner'], inForce: true });

  // Bob sees it in his inbox, on behalf of Alice, and approves.
  const deputy = await otherBrowser(browser, bob);
  await deputy.goto('/inbox');
  const row = inboxRow(deputy, created.title);
  await expect(row).toContainText(`On behalf of ${alice.name}`);
  await deputy.screenshot({ path: join(SHOTS, 'inbox-on-behalf.png') });
  await row.getByRole('button', { name: 'Details and decide' }).click();
  await expect(row).toContainText(`on behalf of ${alice.name}`);
  await decide(row, 'Approve', 'Approved while Alice is away');
  await expect(row).toContainText('You approved');
  const approved = await admin.waitFor(created.id, (d) => d.status === 'approved', 'approved');
  expect(approved.approvals.map((a) => [a.principalId, a.onBehalfOf, a.role, a.decision])).toEqual([
    [bob.id, alice.id, 'service_owner', 'approve'],
  ]);

  // The deliverable's decisions say who decided for whom.
  await openDeliverable(deputy, created.id, created.title);
  const decisions = deputy.getByRole('region', { name: 'Decisions' });
  await expect(decisions).toContainText(`by ${bob.name} (you) on behalf of ${alice.name}`);
  await deputy.screenshot({ path: join(SHOTS, 'decisions-on-behalf.png'), fullPage: true });
  await deputy.context().close();

  // Alice revokes; the admin sees it on the principals page.
  await page.reload();
  await page.getByRole('button', { name: /^Revoke/ }).click();
  await expect(lent).toContainText('Revoked');
  // The admin signs in with its token like anyone (only the token and a name are used).
  const adminPage = await otherBrowser(browser, { token: admin.token, name: 'admin' } as Principal);
  await adminPage.goto('/admin/principals');
  await adminPage.getByRole('button', { name: `Out of office of ${alice.name}` }).click();
  await expect(adminPage.getByRole('heading', { name: `Out of office: ${alice.name}` })).toBeVisible();
  await expect(adminPage.getByRole('row').filter({ hasText: `Lent to ${bob.name}` })).toContainText(
    'Revoked',
  );
  await adminPage.screenshot({ path: join(SHOTS, 'admin-out-of-office.png'), fullPage: true });
  await adminPage.context().close();
});
