// The evidence pack from the deliverable page: an auditor (a role that may only read) downloads the signed
// JSON and the PDF; both files are saved, the JSON parses and names the key the page shows, the PDF is a PDF,
// and the token never appears in a URL the page asks for. The section stays tidy on a phone and a desktop.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unique } from './support/api.js';
import { openDeliverable } from './support/pages.js';
import { expect, signIn, test } from './support/test.js';

test('an auditor downloads the evidence pack as JSON and as PDF, with the token kept out of every URL', async ({
  page,
  admin,
  person,
  place,
}) => {
  const where = await place(4);
  const [pmo, approver, auditor] = await Promise.all([
    person(['pmo']),
    person(['service_owner']),
    person(['auditor'], 'Ada Auditor'),
  ]);
  const created = await pmo.api.deliverable(where, { title: unique('Ledger export') });
  await pmo.api.command(created.id, 'submit');
  await pmo.api.attestMandatory(created.id);
  await approver.api.decide(created.id, 'acceptance', 'service_owner', 'approve', 'Evidence reviewed');
  const keys = await admin.get('/v1/evidence-keys');

  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  await signIn(page, auditor);
  await openDeliverable(page, created.id, created.title);
  const section = page.getByRole('region', { name: 'Evidence pack' });
  await expect(section.getByText(keys.keys[0].kid)).toBeVisible();

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  expect(json.suggestedFilename()).toBe(`evidence-pack-${created.id.slice(0, 8)}.json`);
  const pack = JSON.parse(await readFile(await json.path(), 'utf8'));
  expect(pack).toMatchObject({
    format: 'baton.evidence-pack/1',
    deliverable: { id: created.id, status: 'approved' },
    signature: { alg: 'Ed25519', keyId: keys.keys[0].kid },
  });
  await expect(section.getByRole('status')).toContainText(`signed by ${keys.keys[0].kid}`);

  const [pdf] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('button', { name: 'Download PDF' }).click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(
    new RegExp(`^evidence-pack-ledger-export-.*-${created.id.slice(0, 8)}\\.pdf$`),
  );
  expect((await readFile(await pdf.path())).subarray(0, 5).toString()).toBe('%PDF-');
  expect(urls.filter((url) => url.includes(auditor.token))).toEqual([]);

  // Tidy at both widths: nothing wider than the window, the buttons side by side.
  for (const width of [375, 1400]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(section).toBeVisible();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await section.screenshot({ path: join(tmpdir(), `baton-evidence-section-${width}.png`) });
    await page.screenshot({ path: join(tmpdir(), `baton-evidence-page-${width}.png`), fullPage: true });
  }
});
