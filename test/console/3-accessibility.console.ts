// An axe-core scan of every page of the console: no serious or critical violation (WCAG 2.1 A and AA rules and
// axe's best practices). Each page is scanned once it has shown its content, with data in it.
import AxeBuilder from '@axe-core/playwright';
import { unique } from './support/api.js';
import { expect, signIn, test, type Page } from './support/test.js';

async function scan(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  // The scan ran on the page (the console's Content-Security-Policy did not keep axe out).
  expect(results.passes.length, `axe checked nothing on the ${name} page`).toBeGreaterThan(10);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = bad.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}: ` +
      `${v.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join('; ')})`,
  );
  expect(described, `axe on the ${name} page`).toEqual([]);
}

test.describe('accessibility', () => {
  let deliverable: { id: string; title: string };
  let token: { token: string; name: string };

  test.beforeAll(async ({ admin }) => {
    // One person who sees every page with something on it: admin, both offices and an approver role.
    const person = await admin.principal('Ada Admin', ['admin', 'pmo', 'smo', 'change_manager']);
    token = person;
    const pmo = await admin.principal(unique('pmo'), ['pmo']);
    const [project, service] = await Promise.all([admin.project('Accessibility'), admin.service(3)]);
    const created = await pmo.api.deliverable(
      { projectId: project.id, serviceId: service.id },
      { title: 'Screen reader pilot' },
    );
    await pmo.api.command(created.id, 'submit');
    await pmo.api.attestMandatory(created.id);
    deliverable = created;
  });

  test('the sign-in page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await scan(page, 'sign-in');
  });

  // Each page at its path, with its form opened where a button opens one (so the form is scanned too).
  const pages: [name: string, path: () => string, opens?: RegExp][] = [
    ['board', () => '/board', /^New deliverable$/],
    ['inbox', () => '/inbox', /^Details and decide/],
    ['deliverable', () => `/deliverables/${deliverable.id}`, /^Attest/],
    ['calendar', () => '/calendar'],
    ['projects', () => '/projects', /^New project$/],
    ['services', () => '/services', /^New service$/],
    ['out of office', () => '/out-of-office'],
    ['lessons', () => '/lessons'],
    ['reference: glossary', () => '/reference/glossary'],
    ['reference: practices', () => '/reference/practices'],
    ['admin: principals', () => '/admin/principals'],
    ['admin: out of office', () => '/admin/principals', /^Out of office/],
    ['admin: policies', () => '/admin/policies'],
    ['admin: checklists', () => '/admin/checklists', /^New checklist$/],
    ['admin: webhooks', () => '/admin/webhooks'],
  ];
  test('the calendar with its feed subscription open', async ({ page }) => {
    await signIn(page, token);
    await page.goto('/calendar');
    await page.getByRole('button', { name: /Subscribe in your calendar/ }).click();
    const panel = page.getByRole('region', { name: 'Subscribe in your calendar' });
    await panel.getByRole('button', { name: 'Make my feed address' }).click();
    await expect(panel.getByRole('textbox', { name: 'Calendar feed URL' })).toHaveValue(/token=/);
    await scan(page, 'calendar feed');
  });

  for (const [name, path, opens] of pages) {
    test(`the ${name} page`, async ({ page }) => {
      await signIn(page, token);
      await page.goto(path());
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Loaded: no "Loading ..." status left on the page.
      await expect(page.getByRole('status').filter({ hasText: /loading/i })).toHaveCount(0);
      if (opens) {
        const button = page.getByRole('button', { name: opens }).first();
        await button.click();
        await expect(page.getByRole('form').first()).toBeVisible();
      }
      await scan(page, name);
    });
  }
});
