// An axe-core scan of every page of the console: no serious or critical violation (WCAG 2.1 A and AA rules and
// axe's best practices). Each page is scanned once it has shown its content, with data in it.
import AxeBuilder from '@axe-core/playwright';
import { unique } from './support/api.js';
import { expect, signIn, test, type Page } from './support/test.js';

async function scan(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
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

  const pages: [string, (page: Page) => Promise<void>][] = [
    ['board', (page) => page.goto('/board').then(() => undefined)],
    ['inbox', (page) => page.goto('/inbox').then(() => undefined)],
    ['deliverable', (page) => page.goto(`/deliverables/${deliverable.id}`).then(() => undefined)],
    ['calendar', (page) => page.goto('/calendar').then(() => undefined)],
    ['projects', (page) => page.goto('/projects').then(() => undefined)],
    ['services', (page) => page.goto('/services').then(() => undefined)],
    ['admin: principals', (page) => page.goto('/admin/principals').then(() => undefined)],
    ['admin: policies', (page) => page.goto('/admin/policies').then(() => undefined)],
    ['admin: checklists', (page) => page.goto('/admin/checklists').then(() => undefined)],
    ['admin: webhooks', (page) => page.goto('/admin/webhooks').then(() => undefined)],
  ];
  for (const [name, open] of pages) {
    test(`the ${name} page`, async ({ page }) => {
      await signIn(page, token);
      await open(page);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Loaded: no "Loading ..." status left on the page.
      await expect(page.getByRole('status').filter({ hasText: /loading/i })).toHaveCount(0);
      await scan(page, name);
    });
  }
});
