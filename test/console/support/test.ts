// The console tests' fixtures: Baton's URL (from the global setup), the admin's API client, principals made
// for one test, signing a page in through the sign-in form, a second browser of its own, and a guard that
// fails a test whose page threw an uncaught error (no page goes blank on an error).
import { test as base, expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { Api, unique, type Principal } from './api.js';

export { expect };
export type { Page };

const env = (name: string): string => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the console tests with their config (npm run test:console)`);
  return value;
};

export const consoleUrl = (): string => env('BATON_CONSOLE_URL');
export const adminApi = (): Api => new Api(consoleUrl(), env('BATON_CONSOLE_ADMIN_TOKEN'));

/** Signs a fresh page in the way a person does: the token pasted into the form, then "Sign in". */
export async function signIn(page: Page, who: Principal | { token: string; name: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/token/i).fill(who.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** A browser of its own (a new context: its own session storage and event stream), signed in. */
export async function otherBrowser(
  browser: Browser,
  who: Principal,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: consoleUrl(),
    viewport: { width: 1400, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  watchErrors(page);
  await signIn(page, who);
  return page;
}

const pageErrors = new WeakMap<Page, string[]>();
function watchErrors(page: Page): void {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
}
export const errorsOf = (page: Page): string[] => pageErrors.get(page) ?? [];

/** Marks the page so a test can tell that it was not reloaded since (live updates, not a refresh). */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as Record<string, unknown>).__batonNotReloaded = true;
  });
}
export async function expectNotReloaded(page: Page): Promise<void> {
  expect(
    await page.evaluate(() => (globalThis as Record<string, unknown>).__batonNotReloaded === true),
    'the page was reloaded',
  ).toBe(true);
}

export interface Place {
  projectId: string;
  projectKey: string;
  project: string;
  serviceId: string;
  service: string;
}

interface Fixtures {
  admin: Api;
  /** A principal of its own for this test, with these roles. */
  person: (roles: string[], name?: string) => Promise<Principal>;
  /** A project and a service of the given tier, made for this test. */
  place: (tier: 1 | 2 | 3 | 4) => Promise<Place>;
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => use(consoleUrl()), // eslint-disable-line no-empty-pattern
  page: async ({ page }, use, testInfo) => {
    watchErrors(page);
    await use(page);
    const errors = errorsOf(page);
    if (errors.length > 0 && testInfo.status === testInfo.expectedStatus)
      throw new Error(`the page threw uncaught errors:\n${errors.join('\n')}`);
  },
  admin: async ({}, use) => use(adminApi()), // eslint-disable-line no-empty-pattern
  person: async ({ admin }, use) => {
    await use((roles, name) => admin.principal(name ?? unique(roles.join('+')), roles));
  },
  place: async ({ admin }, use) => {
    await use(async (tier) => {
      const [project, service] = await Promise.all([admin.project(), admin.service(tier)]);
      return {
        projectId: project.id,
        projectKey: project.key,
        project: project.name,
        serviceId: service.id,
        service: service.name,
      };
    });
  },
});
