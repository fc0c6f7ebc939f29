// How a person reaches things in the console, by role and accessible name (apps/console/README.md lists the
// routes and names). Journeys call these, so a renamed control is changed here once.
import { type Locator, type Page } from '@playwright/test';
import { expect } from './test.js';
import { type Api } from './api.js';

export type Lens = 'pmo' | 'smo' | 'both';

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

let glossary: Promise<{ statuses: { status: string; pmo: string; smo: string }[] }> | undefined;

/** A status as the console may show it, whatever the reader's lens: either office's words. */
export async function statusPattern(api: Api, status: string): Promise<RegExp> {
  const [pmo, smo] = await Promise.all([statusWord(api, status, 'pmo'), statusWord(api, status, 'smo')]);
  return new RegExp(`${escape(pmo)}|${escape(smo)}`);
}

export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A status in one office's words, as GET /v1/glossary has it (capitalised, as the console shows it). */
export async function statusWord(api: Api, status: string, office: 'pmo' | 'smo'): Promise<string> {
  glossary ??= api.get('/v1/glossary');
  const entry = (await glossary).statuses.find((item) => item.status === status);
  if (!entry) throw new Error(`the glossary has no status ${status}`);
  return capital(entry[office]);
}

export async function chooseLens(page: Page, lens: Lens): Promise<void> {
  const names = { pmo: 'PMO', smo: 'SMO', both: 'Both' } as const;
  await page.getByRole('radio', { name: names[lens], exact: true }).check();
}

export async function openDeliverable(page: Page, id: string, title?: string): Promise<void> {
  await page.goto(`/deliverables/${id}`);
  await expect(page.getByRole('heading', { level: 1, ...(title ? { name: title } : {}) })).toBeVisible();
}

/**
 * The deliverable page's status in the reader's lens: the state diagram's heading, "Workflow · now <status>"
 * (the other office's word in its title, on hover).
 */
export function statusOf(page: Page): Locator {
  return page.getByRole('heading', { level: 2, name: /^Workflow/ });
}

/** One readiness criterion on the deliverable page, by its title. */
export function criterion(page: Page, title: string): Locator {
  return page
    .getByRole('region', { name: /criteria/i })
    .getByRole('listitem')
    .filter({ hasText: title });
}

export async function attest(page: Page, title: string, evidence: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^Attest\\s*:\\s*${escape(title)}$`) }).click();
  const form = page.getByRole('form', { name: `Attest: ${title}` });
  await form.getByLabel('Evidence').fill(evidence);
  await form.getByRole('button', { name: 'Attest', exact: true }).click();
  await expect(criterion(page, title).getByText('Passed', { exact: true })).toBeVisible();
}

export type Decision = 'Approve' | 'Request changes' | 'Reject';

/** Decides from `scope` (an inbox row or the deliverable page), with a comment when given or needed. */
export async function decide(scope: Page | Locator, decision: Decision, comment?: string): Promise<void> {
  if (comment !== undefined)
    await scope
      .getByLabel(/comment/i)
      .first()
      .fill(comment);
  await scope.getByRole('button', { name: decision, exact: true }).click();
}

/** The inbox row of a deliverable, by its title (the row holds a link to it). */
export function inboxRow(page: Page, title: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

/** Opens an inbox row's details and decides there. */
export async function decideInInbox(row: Locator, decision: Decision, comment?: string): Promise<void> {
  await row.getByRole('button', { name: 'Details and decide' }).click();
  await decide(row, decision, comment);
}

/**
 * How far the document reaches beyond the viewport's width (a page that scrolls sideways at 375 px is
 * broken), and the deepest elements that stick out, to say where.
 */
export async function sidewaysOverflow(page: Page): Promise<{ pixels: number; culprits: string[] }> {
  return page.evaluate<{ pixels: number; culprits: string[] }>(`(() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 1);
    const deepest = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
    return {
      pixels: document.documentElement.scrollWidth - width,
      culprits: deepest.slice(0, 5).map((e) =>
        e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') +
        ' "' + (e.textContent || '').trim().slice(0, 60) + '" right=' + Math.round(e.getBoundingClientRect().right)),
    };
  })()`);
}

export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { pixels, culprits } = await sidewaysOverflow(page);
  expect(pixels, `${what} scrolls sideways by ${pixels} px; sticking out: ${culprits.join('; ')}`).toBe(0);
}

/**
 * Milliseconds from the start of the navigation to `path` until a link whose text starts with `linkText` is in
 * the page, measured by the page's own clock (performance.now() counts from the navigation's start), checked
 * every animation frame: no test-runner polling in the figure.
 */
export async function msUntilLinkShown(page: Page, path: string, linkText: string): Promise<number> {
  await page.goto(path, { waitUntil: 'commit' });
  // A function, not a string: the console's Content-Security-Policy forbids evaluating strings.
  const found = await page.waitForFunction(
    (prefix) => {
      const links: any[] = [...(globalThis as any).document.querySelectorAll('a')];
      return (
        links.some((a) =>
          String(a.textContent ?? '')
            .trim()
            .startsWith(prefix),
        ) && Math.round(performance.now())
      );
    },
    linkText,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await found.jsonValue()) as number;
}
