// The handover as people walk it in the console (issue 12's journeys), each a test of its own. Every test
// makes its own principals, project and service; the state it needs before its own steps is seeded through
// the public API, and its own steps are done in the browser, checked in the browser and against the API.
import ICAL from 'ical.js';
import { unique, type Principal } from './support/api.js';
import {
  attest,
  chooseLens,
  criterion,
  decide,
  decideInInbox,
  inboxRow,
  openDeliverable,
  expectNoSidewaysScroll,
  statusOf,
  statusPattern,
  statusWord,
  escape,
} from './support/pages.js';
import { ELS_SECONDS, JOURNEY_CRITERIA } from './support/scene.js';
import {
  expect,
  expectNotReloaded,
  markPage,
  otherBrowser,
  signIn,
  test,
  type Page,
} from './support/test.js';

type Place = { projectId: string; serviceId: string };

/** A deliverable its PMO submitted, every mandatory criterion attested: at the acceptance gate. */
async function atAcceptance(pmo: Principal, where: Place, title = unique('Deliverable')) {
  const created = await pmo.api.deliverable(where, { title });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);
  return created;
}

/** ...accepted by `approver` (tier 2 and 4: one approval), scheduled by `smo`. */
async function scheduled(pmo: Principal, approver: Principal, smo: Principal, where: Place, title?: string) {
  const created = await atAcceptance(pmo, where, title);
  await approver.api.decide(created.id, 'acceptance', 'service_owner');
  await smo.api.schedule(created.id);
  return created;
}

test('a PMO creates a deliverable, attests its criteria and submits it', async ({
  page,
  admin,
  person,
  place,
}) => {
  const pmo = await person(['pmo'], 'Pat PMO');
  const where = await place(4);
  await signIn(page, pmo);
  await page.goto('/board');
  await page.getByRole('button', { name: 'New deliverable' }).click();
  const form = page.getByRole('form', { name: 'New deliverable' });
  const title = unique('Customer portal');
  await form.getByLabel(/^Project/).selectOption({ label: `${where.projectKey} · ${where.project}` });
  await form.getByLabel('Service').selectOption({ label: `${where.service} (tier 4)` });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Change type').selectOption('new_service');
  await form.getByLabel('Target go-live').fill('2027-06-30T10:00');
  await form.getByRole('button', { name: 'Create deliverable' }).click();

  await expect(page).toHaveURL(/\/deliverables\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').pop()!;
  expect((await admin.read(id)).status).toBe('draft');

  for (const item of JOURNEY_CRITERIA) await attest(page, item.title, `https://wiki.example/${item.key}`);
  await page.getByRole('button', { name: 'Submit for readiness' }).click();

  // Nothing mandatory is pending, so the submission goes straight on to the acceptance gate.
  const submitted = await admin.waitFor(id, (d) => d.status === 'acceptance', 'acceptance');
  expect(submitted.submittedBy).toBe(pmo.id);
  expect(submitted.readiness.criteria.map((c) => [c.key, c.status])).toEqual(
    JOURNEY_CRITERIA.map((c) => [c.key, 'passed']),
  );
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'acceptance'));
  await expect(page.getByRole('button', { name: 'Submit for readiness' })).toHaveCount(0);
});

test('an approver finds it in the inbox and approves; a second approver reaches quorum', async ({
  page,
  browser,
  admin,
  person,
  place,
}) => {
  const where = await place(3); // tier 3: service_owner and change_manager, quorum 2
  const [pmo, owner, change] = await Promise.all([
    person(['pmo']),
    person(['service_owner'], 'Olive Owner'),
    person(['change_manager'], 'Chris Change'),
  ]);
  const created = await atAcceptance(pmo, where, unique('Payroll migration'));

  await signIn(page, owner);
  await page.goto('/inbox');
  const row = inboxRow(page, created.title);
  await expect(row).toBeVisible();
  await decideInInbox(row, 'Approve', 'Runbooks read, fine by me');
  // The list does not move under the reader: the row stays, saying it was decided.
  await expect(row).toContainText('You approved');
  const first = await admin.read(created.id);
  expect(first.status).toBe('acceptance');
  expect(first.approvals.map((a) => [a.role, a.decision, a.principalId, a.comment])).toEqual([
    ['service_owner', 'approve', owner.id, 'Runbooks read, fine by me'],
  ]);

  const other = await otherBrowser(browser, change);
  await other.goto('/inbox');
  const otherRow = inboxRow(other, created.title);
  await expect(otherRow).toContainText(/1 of 2/); // whom we wait for: one approval of two
  await decideInInbox(otherRow, 'Approve');
  await expect(otherRow).toContainText('You approved');
  const approved = await admin.waitFor(created.id, (d) => d.status === 'approved', 'approved');
  expect(approved.approvals.map((a) => a.principalId).sort()).toEqual([owner.id, change.id].sort());
  await openDeliverable(other, created.id, created.title);
  await expect(statusOf(other)).toContainText(await statusPattern(admin, 'approved'));
  await other.context().close();
});

test('the submitter, also an approver, is told why they may not decide', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(3);
  const both = await person(['pmo', 'service_owner'], 'Sasha Submitter');
  const created = await atAcceptance(both, where, unique('Data warehouse'));

  // Not in their inbox: they submitted it.
  await signIn(page, both);
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(inboxRow(page, created.title)).toHaveCount(0);

  // On the deliverable page the refusal is explained in plain words, and no decision button is offered.
  await openDeliverable(page, created.id, created.title);
  const decisions = page.getByRole('region', { name: 'Decisions' });
  await expect(decisions.getByText(/separation of duties|you submitted (it|this)/i).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  // The API agrees: a decision by the submitter is 403.
  const refused = await both.api.request('POST', `/v1/deliverables/${created.id}/decisions`, {
    gate: 'acceptance',
    role: 'service_owner',
    decision: 'approve',
  });
  expect(refused.status).toBe(403);
  expect((await admin.read(created.id)).approvals).toEqual([]);
});

test('the SMO schedules, confirms, records a P1 and watches early life support extend', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(2); // tier 2: early life support lasts ELS_SECONDS
  const [pmo, owner, smo] = await Promise.all([
    person(['pmo']),
    person(['service_owner']),
    person(['smo'], 'Sam SMO'),
  ]);
  const created = await atAcceptance(pmo, where, unique('Billing service'));
  await owner.api.decide(created.id, 'acceptance', 'service_owner');

  await signIn(page, smo);
  await openDeliverable(page, created.id, created.title);
  await markPage(page);
  await page.getByRole('button', { name: 'Schedule go-live' }).click();
  // The form proposes the target go-live and two hours: taken as it is.
  const schedule = page.getByRole('form', { name: 'Schedule go-live' });
  await expect(schedule.getByLabel('Window start')).not.toHaveValue('');
  await schedule.getByRole('button', { name: 'Schedule go-live' }).click();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'scheduled'));
  expect((await admin.read(created.id)).status).toBe('scheduled');

  await page.getByRole('button', { name: 'Confirm go-live' }).click();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'early_life_support'));

  await page.getByRole('button', { name: 'Record incident' }).click();
  const incident = page.getByRole('form', { name: 'Record incident' });
  await incident.getByLabel('Reference').fill('INC-4711');
  await incident.getByLabel('Priority').selectOption('P1');
  await incident.getByLabel('Summary').fill('Invoices fail for EU customers');
  await incident.getByRole('button', { name: 'Record incident' }).click();
  await expect(page.getByRole('cell', { name: 'INC-4711', exact: true })).toBeVisible();
  const recorded = await admin.read(created.id);
  expect(recorded.incidents).toMatchObject([{ reference: 'INC-4711', priority: 'P1' }]);

  // The period ends with the P1 open: ELS is extended, and the page says so without a reload.
  const extended = await admin.waitFor(
    created.id,
    (d) => (d.els?.extensions ?? 0) >= 1,
    'the ELS extension',
    ELS_SECONDS * 1000 + 15_000,
  );
  expect(extended.status).toBe('early_life_support');
  await expect(page.getByRole('heading', { level: 2, name: /extended 1×/ })).toBeVisible({ timeout: 5_000 });
  await expectNotReloaded(page);
  await smo.api.command(created.id, 'cancel', { reason: 'test over: stop the period timers' });
});

test('early life support ends and the service is accepted into operation', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(2);
  const [pmo, owner, smo] = await Promise.all([
    person(['pmo']),
    person(['service_owner'], 'Olive Owner'),
    person(['smo']),
  ]);
  const created = await scheduled(pmo, owner, smo, where, unique('Customer portal v2'));
  await smo.api.command(created.id, 'go-live/confirm');

  await signIn(page, owner);
  await openDeliverable(page, created.id, created.title);
  await markPage(page);
  // No incident: the period ends into the operational acceptance review, live on the page.
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'els_review'), {
    timeout: ELS_SECONDS * 1000 + 10_000,
  });
  await decide(page, 'Approve', 'Stable for the whole period');
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'operational'));
  await expectNotReloaded(page);
  const done = await admin.read(created.id);
  expect(done.status).toBe('operational');
  expect(done.approvals.filter((a) => a.gate === 'els_exit').map((a) => [a.principalId, a.decision])).toEqual(
    [[owner.id, 'approve']],
  );
  // The handover is over; the live service still takes follow-on actions and lessons (admin may).
  expect(done.allowedActions).toEqual(['create_action', 'record_lesson']);
});

test('the lens switch renames the statuses', async ({ page, admin, person, place }) => {
  const where = await place(4);
  const pmo = await person(['pmo']);
  const created = await atAcceptance(pmo, where, unique('Intranet search'));
  await signIn(page, pmo);
  await openDeliverable(page, created.id, created.title);

  const [pmoWord, smoWord] = await Promise.all([
    statusWord(admin, 'acceptance', 'pmo'),
    statusWord(admin, 'acceptance', 'smo'),
  ]);
  const other = statusOf(page).locator('[title]').first();
  await chooseLens(page, 'pmo');
  await expect(statusOf(page)).toContainText(pmoWord);
  await expect(statusOf(page)).not.toContainText(smoWord);
  // The other office's word is one hover away.
  await expect(other).toHaveAttribute('title', new RegExp(escape(smoWord)));
  await chooseLens(page, 'smo');
  await expect(statusOf(page)).toContainText(smoWord);
  await expect(statusOf(page)).not.toContainText(pmoWord);
  await expect(other).toHaveAttribute('title', new RegExp(escape(pmoWord)));
  await chooseLens(page, 'both');
  await expect(statusOf(page)).toContainText(pmoWord);
  await expect(statusOf(page)).toContainText(smoWord);

  // The board names its columns in the lens too, and the choice is remembered by this browser.
  await chooseLens(page, 'smo');
  await page.goto('/board');
  const column = (word: string) =>
    page.getByRole('heading', { level: 2, name: new RegExp(`^${escape(word)}`) });
  await expect(column(smoWord)).toBeVisible();
  await page.reload();
  await expect(column(smoWord)).toBeVisible();
  await expect(column(pmoWord)).toHaveCount(0);
  await chooseLens(page, 'pmo');
  await expect(column(pmoWord)).toBeVisible();
  await expect(column(smoWord)).toHaveCount(0);
});

test('two browsers see each other’s decisions live, within 2 s, without reload', async ({
  page,
  browser,
  admin,
  person,
  place,
}) => {
  const where = await place(3);
  const [pmo, owner, change] = await Promise.all([
    person(['pmo']),
    person(['service_owner'], 'Olive Owner'),
    person(['change_manager'], 'Chris Change'),
  ]);
  const created = await atAcceptance(pmo, where, unique('Mobile app'));
  await signIn(page, owner);
  const other = await otherBrowser(browser, change);
  await Promise.all([
    openDeliverable(page, created.id, created.title),
    openDeliverable(other, created.id, created.title),
  ]);
  await Promise.all([markPage(page), markPage(other)]);
  const decisions = (from: Page) => from.getByRole('region', { name: /decisions/i });

  // The owner approves in one browser; the change manager's browser shows it within 2 s.
  await decideAndWait(page, created.id, 'Approve', 'Looks good');
  await expect(decisions(other).getByText('Looks good')).toBeVisible({ timeout: 2_000 });

  // The change manager requests changes in the other; the owner's browser shows the rework within 2 s.
  await decideAndWait(other, created.id, 'Request changes', 'Rollback plan missing');
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'rework'), { timeout: 2_000 });
  await expect(decisions(page).getByText('Rollback plan missing')).toBeVisible({ timeout: 2_000 });
  await Promise.all([expectNotReloaded(page), expectNotReloaded(other)]);
  expect((await admin.read(created.id)).status).toBe('rework');
  await other.context().close();
});

/** Decides on the deliverable page and waits for the server's answer (the clock of "within 2 s" starts there). */
async function decideAndWait(
  page: Page,
  id: string,
  decision: 'Approve' | 'Request changes',
  comment: string,
) {
  const answered = page.waitForResponse(
    (response) =>
      response.url().endsWith(`/v1/deliverables/${id}/decisions`) && response.request().method() === 'POST',
  );
  await decide(page, decision, comment);
  expect((await answered).status()).toBe(200);
}

test('a stale edit is refused with 412 and the reload keeps what was typed', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(4);
  const [pmo, colleague] = await Promise.all([person(['pmo'], 'Pat PMO'), person(['pmo'], 'Kim Colleague')]);
  const created = await pmo.api.deliverable(where, { title: unique('Reporting suite') });
  await signIn(page, pmo);
  await openDeliverable(page, created.id, created.title);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByRole('form', { name: 'Edit deliverable' });
  const typed = `${created.title} (phase 2)`;
  await form.getByLabel('Title').fill(typed);

  // Meanwhile a colleague changes the description: the version the form was opened on is stale now.
  await colleague.api.ok('PATCH', `/v1/deliverables/${created.id}`, {
    description: 'Scope agreed with finance',
  });

  const save = () => {
    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith(`/v1/deliverables/${created.id}`) && response.request().method() === 'PATCH',
    );
    return form
      .getByRole('button', { name: 'Save changes' })
      .click()
      .then(() => answered);
  };
  expect((await save()).status()).toBe(412);
  const alert = page.getByRole('alert').filter({ hasText: /changed this deliverable meanwhile/i });
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Reload' }).click();

  // The fresh version is shown, the typed title is still in the form, and saving again goes through
  // without undoing the colleague's change.
  await expect(alert).toHaveCount(0);
  await expect(form.getByLabel('Title')).toHaveValue(typed);
  await expect(page.getByText('Scope agreed with finance').first()).toBeVisible();
  expect((await save()).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: typed })).toBeVisible();
  const saved = await admin.read(created.id);
  expect([saved.title, saved.description]).toEqual([typed, 'Scope agreed with finance']);
});

test('an approver works through the inbox with the keyboard only (J, K, Enter, A)', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(4);
  const [pmo, owner] = await Promise.all([person(['pmo']), person(['service_owner'], 'Kai Keyboard')]);
  const first = await atAcceptance(pmo, where, unique('Keyboard first'));
  const second = await atAcceptance(pmo, where, unique('Keyboard second'));
  await signIn(page, owner);
  await page.goto('/inbox');
  await expect(inboxRow(page, second.title)).toBeVisible();

  const selected = page.getByRole('listitem').and(page.locator('[aria-current="true"]'));
  /** J until the selected row is `title` (other tests' deliverables may wait in the same inbox). */
  const moveTo = async (title: string) => {
    for (let presses = 0; presses < 50; presses++) {
      if (((await selected.textContent()) ?? '').includes(title)) return;
      await page.keyboard.press('j');
    }
    throw new Error(`J never selected ${title}`);
  };

  await moveTo(first.title);
  await page.keyboard.press('j');
  await expect(selected).toContainText(second.title);
  await page.keyboard.press('k');
  await expect(selected).toContainText(first.title);
  await page.keyboard.press('a'); // approve the selected one
  await expect.poll(async () => (await admin.read(first.id)).status).toBe('approved');
  await expect(inboxRow(page, first.title)).toContainText('You approved');

  await moveTo(second.title);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/deliverables/${second.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: second.title })).toBeVisible();
  const approvals = (await admin.read(first.id)).approvals;
  expect(approvals.map((a) => [a.principalId, a.decision])).toEqual([[owner.id, 'approve']]);
});

test('the inbox and the deliverable page work at 375 px wide', async ({ browser, admin, person, place }) => {
  const where = await place(4);
  const [pmo, owner] = await Promise.all([person(['pmo']), person(['service_owner'], 'Pia Phone')]);
  const created = await atAcceptance(pmo, where, unique('Phone approval'));
  const page = await otherBrowser(browser, owner, {
    viewport: { width: 375, height: 740 },
    isMobile: true,
    hasTouch: true,
  });

  await page.goto('/inbox');
  const row = inboxRow(page, created.title);
  await expect(row).toBeVisible();
  await expectNoSidewaysScroll(page, 'the inbox');
  await row.getByRole('link', { name: created.title }).click();

  await expect(page.getByRole('heading', { level: 1, name: created.title })).toBeVisible();
  await expectNoSidewaysScroll(page, 'the deliverable page');
  await expect(criterion(page, JOURNEY_CRITERIA[0].title)).toBeVisible();
  const approve = page.getByRole('button', { name: 'Approve', exact: true });
  await approve.scrollIntoViewIfNeeded();
  await expect(approve).toBeInViewport();
  await approve.tap();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'approved'));
  expect((await admin.read(created.id)).status).toBe('approved');
  await page.context().close();
});

test('signing in takes a known token only, keeps it in the tab, and signing out forgets it', async ({
  page,
  person,
}) => {
  const pmo = await person(['pmo'], 'Pat PMO');
  await page.goto('/');
  await page.getByLabel('API token').fill('bat_not-a-token-anyone-has');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/does not know this token/i);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await page.getByLabel('API token').fill(pmo.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner')).toContainText(pmo.name);
  expect(page.url()).not.toContain(pmo.token);
  const stored = await page.evaluate<{ session: string; local: string }>(
    '({ session: JSON.stringify(Object.values(sessionStorage)), local: JSON.stringify(Object.values(localStorage)) })',
  );
  expect(stored.session).toContain(pmo.token);
  expect(stored.local).not.toContain(pmo.token);
  await page.reload(); // the tab keeps it
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate<string>('JSON.stringify(Object.values(sessionStorage))')).not.toContain(
    pmo.token,
  );
});

test('an approver is told, live, when the item was decided meanwhile; a reject needs a reason', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(4); // one approval decides
  const [pmo, first, second] = await Promise.all([
    person(['pmo']),
    person(['service_owner'], 'Fran First'),
    person(['service_owner'], 'Sol Second'),
  ]);
  const quick = await atAcceptance(pmo, where, unique('Decided meanwhile'));
  const slow = await atAcceptance(pmo, where, unique('Needs a reason'));
  await signIn(page, second);
  await page.goto('/inbox');
  await markPage(page);
  const row = inboxRow(page, quick.title);
  await expect(row).toBeVisible();

  await first.api.decide(quick.id, 'acceptance', 'service_owner');
  await expect(row).toContainText(/no longer waits for you/i, { timeout: 2_000 });
  await expect(row.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await expectNotReloaded(page);

  const other = inboxRow(page, slow.title);
  await other.getByRole('button', { name: /^Details and decide/ }).click();
  await other.getByRole('button', { name: 'Reject', exact: true }).click();
  const comment = other.getByLabel(/comment/i);
  await expect(comment).toBeFocused();
  await expect(comment).toHaveAccessibleDescription(/say why you reject/i);
  expect((await admin.read(slow.id)).approvals).toEqual([]);
  await comment.fill('No capacity plan attached');
  await other.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(other).toContainText('You rejected');
  const rejected = await admin.waitFor(slow.id, (d) => d.status === 'rework', 'rework');
  expect(rejected.approvals.map((a) => [a.principalId, a.decision, a.comment])).toEqual([
    [second.id, 'reject', 'No capacity plan attached'],
  ]);
});

test('the SMO waives a criterion, holds and resumes the handover; the PMO cancels it', async ({
  page,
  browser,
  admin,
  person,
  place,
}) => {
  const where = await place(4);
  const [pmo, smo] = await Promise.all([person(['pmo'], 'Pat PMO'), person(['smo'], 'Sam SMO')]);
  const created = await pmo.api.deliverable(where, { title: unique('Legacy archive') });
  await pmo.api.command(created.id, 'submit');
  await signIn(page, smo);
  await openDeliverable(page, created.id, created.title);

  const [runbooks, desk] = JOURNEY_CRITERIA;
  await page.getByRole('button', { name: new RegExp(`^Waive\\s*:\\s*${escape(runbooks.title)}$`) }).click();
  const waive = page.getByRole('form', { name: `Waive: ${runbooks.title}` });
  await waive.getByLabel('Reason for the waiver').fill('Runbooks live in the vendor portal');
  await waive.getByRole('button', { name: 'Waive', exact: true }).click();
  await expect(criterion(page, runbooks.title).getByText('Waived', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Hold', exact: true }).click();
  const hold = page.getByRole('form', { name: 'Hold' });
  await hold.getByLabel('Why hold it?').fill('Supplier contract under review');
  await hold.getByRole('button', { name: 'Hold', exact: true }).click();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'on_hold'));
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'readiness'));
  const resumed = await admin.read(created.id);
  expect(resumed.readiness.criteria.map((c) => [c.key, c.status])).toEqual([
    [runbooks.key, 'waived'],
    [desk.key, 'pending'],
    ['training', 'pending'],
  ]);

  const pmoPage = await otherBrowser(browser, pmo);
  await openDeliverable(pmoPage, created.id, created.title);
  await pmoPage.getByRole('button', { name: 'Cancel deliverable' }).click();
  const cancel = pmoPage.getByRole('form', { name: 'Cancel deliverable' });
  await cancel.getByRole('button', { name: 'Cancel deliverable' }).click();
  await expect(cancel.getByText(/a reason is required/i)).toBeVisible(); // next to the field, nothing sent
  await cancel.getByLabel(/why cancel it/i).fill('Service retired instead');
  await cancel.getByRole('button', { name: 'Cancel deliverable' }).click();
  await expect(statusOf(pmoPage)).toContainText(await statusPattern(admin, 'cancelled'));
  // The SMO's page follows live.
  await expect(statusOf(page)).toContainText(await statusPattern(admin, 'cancelled'), { timeout: 2_000 });
  expect((await admin.read(created.id)).status).toBe('cancelled');
  await pmoPage.context().close();
});

test('an admin opens the queue dashboard from the console; no one else gets in', async ({
  page,
  person,
  baseURL,
}) => {
  const [boss, pmo] = await Promise.all([person(['admin'], 'Ada Admin'), person(['pmo'])]);
  await signIn(page, boss);
  await page.goto('/admin');
  const [dashboard] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: /^Queues/ }).click(),
  ]);
  await dashboard.waitForURL(/\/admin\/queues/);
  for (const queue of ['notifications', 'probes', 'timers', 'webhooks'])
    await expect(dashboard.getByText(queue, { exact: true }).first()).toBeVisible();
  await dashboard.close();

  // Without the admin's session, the dashboard is refused: no cookie, or a PMO's token.
  const anonymous = await fetch(`${baseURL}/admin/queues`, { redirect: 'manual' });
  expect([401, 403]).toContain(anonymous.status);
  const asPmo = await fetch(`${baseURL}/admin/queues`, {
    headers: { authorization: `Bearer ${pmo.token}` },
    redirect: 'manual',
  });
  expect([401, 403]).toContain(asPmo.status);
});

test("the API's refusals show next to the field or in plain words, and nothing is created", async ({
  page,
  admin,
  person,
}) => {
  const pmo = await person(['pmo'], 'Pat PMO');
  const taken = await admin.project('Already there');
  await signIn(page, pmo);
  await page.goto('/projects');
  await page.getByRole('button', { name: 'New project' }).click();
  const form = page.getByRole('form', { name: 'New project' });
  const key = form.getByLabel('Key');
  const create = form.getByRole('button', { name: /^Create/ });

  // Invalid input (400): the API's word for the field shows under it.
  await key.fill('not a key!');
  await form.getByLabel('Name').fill('Field errors');
  await create.click();
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(key).not.toHaveAccessibleDescription(/e\.g\. CRM-2027/); // the hint gave way to the error
  await expect(key).toHaveAccessibleDescription(/.+/);

  // A key another project has (409): said in plain words.
  await key.fill(taken.key);
  await create.click();
  await expect(page.getByRole('alert').filter({ hasText: /already has this key/i })).toBeVisible();
  const { items } = await admin.get<{ items: { name: string }[] }>('/v1/projects?limit=500');
  expect(items.filter((p) => p.name === 'Field errors')).toEqual([]);

  const fresh = unique('OK').toUpperCase();
  await key.fill(fresh);
  await create.click();
  await expect(page.getByRole('link', { name: fresh, exact: true })).toBeVisible();
});

test('a change manager subscribes to the calendar feed, copies its URL and makes a new one', async ({
  page,
  browser,
  person,
  place,
}) => {
  const where = await place(4);
  const [pmo, owner, manager] = await Promise.all([
    person(['pmo']),
    person(['service_owner']),
    person(['smo', 'change_manager'], 'Cleo Change'),
  ]);
  const created = await scheduled(pmo, owner, manager, where, unique('Feed go-live'));
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, manager);
  await page.goto(`/calendar?service=${where.serviceId}`);
  await expect(page.getByRole('link', { name: new RegExp(created.title) })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('calendar-1400.png') });
  await page.getByRole('button', { name: /Subscribe in your calendar/ }).click();
  const panel = page.getByRole('region', { name: 'Subscribe in your calendar' });
  await panel.getByRole('button', { name: 'Make my feed address' }).click();
  const field = panel.getByRole('textbox', { name: 'Calendar feed URL' });
  await expect(field).toHaveValue(/\/v1\/calendar\.ics\?token=batcal_/);
  await expect(field).toBeFocused();
  await expect(panel).toContainText('Keep it secret');
  // The service filtered on narrows the feed too, unless unticked.
  const narrow = panel.getByRole('checkbox', { name: /Only what the filters show/ });
  await expect(narrow).toBeChecked();
  await expect(field).toHaveValue(new RegExp(`serviceId=${where.serviceId}`));
  await panel.getByRole('button', { name: 'Copy URL' }).click();
  await expect(panel.getByRole('button', { name: 'Copied ✓' })).toBeVisible();
  const first = await field.inputValue();
  const clipboard = () =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText();
  expect(await page.evaluate(clipboard)).toBe(first);
  await page.screenshot({ path: test.info().outputPath('calendar-feed-1400.png') });

  // What a calendar app gets from it: the go-live of this service, read with ical.js.
  const feed = await page.request.get(first);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const uids = new ICAL.Component(ICAL.parse(await feed.text()))
    .getAllSubcomponents('vevent')
    .map((event) => event.getFirstPropertyValue('uid'));
  expect(uids).toContain(`golive-${created.id}@baton`);

  // A new one ends the old one.
  await panel.getByRole('button', { name: 'Make a new one' }).click();
  await expect(panel).toContainText('the one before no longer works');
  await expect(field).not.toHaveValue(first);
  const second = await field.inputValue();
  expect((await page.request.get(first)).status()).toBe(401);
  expect((await page.request.get(second)).status()).toBe(200);
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Subscribe in your calendar' })).toBeFocused();

  // On a phone: the panel fits the width.
  const phone = await otherBrowser(browser, manager, {
    viewport: { width: 375, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  await phone.goto('/calendar');
  const subscribe = phone.getByRole('button', { name: /Subscribe in your calendar/ });
  await expect(subscribe).toBeVisible();
  await expectNoSidewaysScroll(phone, 'the calendar');
  await phone.screenshot({ path: test.info().outputPath('calendar-375.png') });
  await subscribe.tap();
  await phone.getByRole('button', { name: 'Make my feed address' }).tap();
  await expect(phone.getByRole('textbox', { name: 'Calendar feed URL' })).toHaveValue(/token=batcal_/);
  await expectNoSidewaysScroll(phone, 'the calendar with its feed panel');
  await phone.screenshot({ path: test.info().outputPath('calendar-feed-375.png'), fullPage: true });
  await phone.context().close();
});
