// The board and the inbox with 2,000 deliverables: seeded through the API in parallel (spread over several
// PMO tokens, as the rate limit is per token), then the time until the board shows its cards is measured and
// printed, and the board is used: scrolled, filtered by project, searched. Runs last: the other tests' boards
// stay small.
import { inParallel, type Principal } from './support/api.js';
import { SCALE_ROLE } from './support/scene.js';
import { msUntilLinkShown } from './support/pages.js';
import { expect, otherBrowser, signIn, test } from './support/test.js';

const COUNT = 2_000;
const IN_ACCEPTANCE = 200; // of them, waiting at the gate: the inbox of SCALE_ROLE
const PMOS = 10;

test.describe.configure({ timeout: 180_000 });

test('the board and the inbox stay usable with 2,000 deliverables', async ({ page, browser, admin }) => {
  const pmos: Principal[] = await inParallel(Array.from({ length: PMOS }), PMOS, (_, i) =>
    admin.principal(`Scale PMO ${i + 1}`, ['pmo']),
  );
  const projects = await inParallel(['Alpha', 'Bravo', 'Charlie', 'Delta'], 4, (name) =>
    admin.project(`Scale ${name}`),
  );
  const services = await inParallel([1, 2, 3], 3, (n) => admin.service(1, `Scale service ${n}`));
  const seeding = Date.now();
  const titles = Array.from({ length: COUNT }, (_, i) => `Scale item ${String(i + 1).padStart(4, '0')}`);
  const created = await inParallel(titles, 16, (title, i) =>
    pmos[i % PMOS].api.deliverable(
      { projectId: projects[i % projects.length].id, serviceId: services[i % services.length].id },
      { title, targetGoLive: new Date(Date.now() + (10 + (i % 90)) * 86_400_000).toISOString() },
    ),
  );
  await inParallel(created.slice(0, IN_ACCEPTANCE), 16, (d, i) => pmos[i % PMOS].api.command(d.id, 'submit'));
  const seeded = Date.now() - seeding;
  console.log(`[scale] seeded ${COUNT} deliverables (${IN_ACCEPTANCE} at the gate) in ${seeded} ms`);
  expect(
    (await admin.get(`/v1/deliverables?status=acceptance&limit=500`)).items.length,
  ).toBeGreaterThanOrEqual(IN_ACCEPTANCE);

  // The board: from navigation to its columns and cards on screen.
  await signIn(page, pmos[0]);
  const boardMs = await msUntilLinkShown(page, '/board', 'Scale item');
  await expect(page.getByRole('link', { name: /^Scale item/ }).first()).toBeVisible();
  // What the console measured itself, if it marks its renders, and the browser's paints.
  const marks = await page.evaluate<string[]>(`performance
    .getEntriesByType('measure')
    .concat(performance.getEntriesByType('mark'), performance.getEntriesByType('paint'))
    .map((e) => e.name + '=' + Math.round(e.entryType === 'measure' ? e.duration : e.startTime) + 'ms')`);
  console.log(
    `[scale] board with ${COUNT} deliverables shown ${boardMs} ms after the navigation started (${marks.join(', ')})`,
  );

  // Usable: it scrolls, filters by project and searches by title.
  await page.mouse.move(700, 600);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 1_500);
  await expect(page.getByText('Scale item', { exact: false }).first()).toBeVisible();
  await page
    .getByLabel('Project', { exact: true })
    .selectOption({ label: `${projects[1].key} · ${projects[1].name}` });
  await expect(page).toHaveURL(/project/i);
  const bravo = created.filter((_, i) => i % projects.length === 1).slice(-1)[0];
  await page.getByLabel(/search/i).fill(bravo.title);
  await expect(page.getByText(bravo.title, { exact: true })).toBeVisible();
  const other = created.find((_, i) => i % projects.length === 2)!;
  await expect(page.getByText(other.title, { exact: true })).toHaveCount(0);

  // The inbox of the gate's approver: 200 waiting.
  const approver = await admin.principal('Scale approver', [SCALE_ROLE]);
  const inbox = await otherBrowser(browser, approver);
  const inboxMs = await msUntilLinkShown(inbox, '/inbox', 'Scale item');
  await expect(inbox.getByRole('link', { name: /^Scale item/ }).first()).toBeVisible();
  // Usable: the keys move through it (a row at a time).
  const selected = inbox.getByRole('listitem').and(inbox.locator('[aria-current="true"]'));
  const firstRow = await selected.textContent();
  await inbox.keyboard.press('j');
  await inbox.keyboard.press('j');
  await expect(selected).not.toHaveText(firstRow ?? '');
  await inbox.keyboard.press('k');
  await inbox.keyboard.press('k');
  await expect(selected).toHaveText(firstRow ?? '');
  console.log(`[scale] inbox with ${IN_ACCEPTANCE} waiting shown ${inboxMs} ms after the navigation started`);
  await inbox.context().close();
});
