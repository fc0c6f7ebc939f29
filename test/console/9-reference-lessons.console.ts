// The shared vocabulary and the improvement register as people use them: a project manager preparing the
// next project reads what earlier handovers taught (narrowed to a project, searched by words), follows a
// lesson to its deliverable, sees its readiness by ITIL 4 practice and opens a practice's touchpoints in
// the catalogue beside the glossary. The lessons are seeded through the public API.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { unique } from './support/api.js';
import { expectNoSidewaysScroll, openDeliverable } from './support/pages.js';
import { ELS_SECONDS } from './support/scene.js';
import { expect, signIn, test } from './support/test.js';

test('a PM reads the lessons of a project, follows one to its deliverable and its practice in the catalogue', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(2); // tier 2: early life support lasts ELS_SECONDS, then the ELS review
  const [pmo, approver, smo, reader] = await Promise.all([
    person(['pmo'], 'Pat PMO'),
    person(['service_owner']),
    person(['smo']),
    person(['pmo'], 'Rita Reader'),
  ]);
  const created = await pmo.api.deliverable(where, { title: unique('Expenses portal') });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);
  await approver.api.decide(created.id, 'acceptance', 'service_owner');
  await smo.api.schedule(created.id);
  await smo.api.command(created.id, 'go-live/confirm');
  await admin.waitFor(
    created.id,
    (d) => d.status === 'els_review',
    'the ELS review',
    2 * ELS_SECONDS * 1000 + 10_000,
  );
  await pmo.api.command(created.id, 'lessons', { text: 'Book the load tests a sprint earlier' });
  await smo.api.command(created.id, 'lessons', { text: 'Brief the service desk before the pilot users' });

  await signIn(page, reader);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lessons' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Lessons/);
  await page.getByLabel('Project').selectOption({ label: `${where.projectKey} · ${where.project}` });
  const lessons = page.locator('.lessons-register > li');
  await expect(lessons).toHaveCount(2);
  // Newest first, each with its deliverable, service, project and who recorded it.
  await expect(lessons.first()).toContainText('Brief the service desk before the pilot users');
  await expect(lessons.nth(1)).toContainText('Book the load tests a sprint earlier');
  await expect(lessons.nth(1)).toContainText(created.title);
  await expect(lessons.nth(1)).toContainText(where.service);

  // Words find a lesson by their stem ("test" finds "tests"); the filters are in the address.
  const words = page.getByRole('search', { name: 'Lessons' }).getByLabel('Words');
  await words.fill('load test');
  await words.press('Enter');
  await expect(lessons).toHaveCount(1);
  await expect(lessons.first()).toContainText('Book the load tests a sprint earlier');
  expect(new URL(page.url()).searchParams.get('q')).toBe('load test');
  expect(new URL(page.url()).searchParams.get('projectId')).toBe(where.projectId);
  await page.screenshot({ path: join(tmpdir(), 'baton-lessons-1400.png'), fullPage: true });

  // Nothing to search for is explained, not a blank page.
  await words.fill('?!');
  await words.press('Enter');
  await expect(page.getByText('must contain a letter or a digit to search for')).toBeVisible();
  await expect(words).toHaveAttribute('aria-invalid', 'true');
  await words.fill('nothing like this was learned');
  await words.press('Enter');
  await expect(page.getByText('No lesson matches')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  expect(new URL(page.url()).search).toBe('');

  // From a lesson to its deliverable: readiness grouped by practice, each practice a link to the catalogue.
  await openDeliverable(page, created.id, created.title);
  const readiness = page.locator('section[aria-labelledby="readiness-title"]');
  const practice = readiness.getByRole('link', { name: 'Knowledge management' });
  await expect(practice).toBeVisible();
  await expect(readiness.getByRole('heading', { name: /Knowledge management 1\/1/ })).toBeVisible();
  await practice.click();
  await expect(page).toHaveURL(/\/reference\/practices#knowledge_management$/);
  const card = page.locator('#knowledge_management');
  await expect(card).toBeInViewport();
  await expect(card).toContainText('PRINCE2');
  await expect(card).toContainText('PMBOK');
  await expect(page.getByRole('status').filter({ hasText: 'practices' })).toHaveText('34 practices');

  // The catalogue narrows by group and by words; the glossary sits beside it.
  await page.getByLabel('Group').selectOption('technical');
  await expect(page.locator('.practice-cards > li')).toHaveCount(3);
  await page.getByLabel('Search').fill('stakeholders');
  await expect(page.getByRole('status').filter({ hasText: 'practices' })).toHaveText(/of 34 practices/);
  await page.getByLabel('Group').selectOption('');
  await page.getByLabel('Search').fill('');
  await page.screenshot({ path: join(tmpdir(), 'baton-practices-1400.png') });
  await page
    .getByRole('navigation', { name: 'Reference sections' })
    .getByRole('link', { name: 'Glossary' })
    .click();
  const statuses = page.getByRole('region', { name: 'Statuses' }).getByRole('table');
  await expect(statuses.getByRole('row')).toHaveCount(13); // a header and the twelve statuses
  await expect(statuses).toContainText('early_life_support');
  await page.screenshot({ path: join(tmpdir(), 'baton-glossary-1400.png'), fullPage: true });

  // On a phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/lessons', '/reference/practices', '/reference/glossary']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: /lesson|practices/ })
        .or(page.getByRole('table').first()),
    ).toBeVisible();
    await expectNoSidewaysScroll(page, path);
    await page.screenshot({ path: join(tmpdir(), `baton-${path.split('/').pop()}-375.png`), fullPage: true });
  }
  await smo.api.command(created.id, 'cancel', { reason: 'test over: stop the decision timers' });
});
