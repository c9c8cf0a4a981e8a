/**
 * Import and export from the app: a LinkedIn `Connections.csv` through "Import contacts…"
 * (preview, cancel, import, one-step undo and redo, a re-import that adds nothing), a
 * refused file that leaves the notebook as it was, a vCard preview, and a GraphML download.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  graphNodes,
  launchBrowser,
  newProfile,
  openApp,
  startNotebook,
  visiblePeople,
} from './browser.ts';

const url = inject('baseUrl');
const FIXTURES = 'tests/fixtures/io';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Choose a file through the "Import contacts…" button (Settings must be open). */
async function pickFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import contacts…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer });
}

/** The preview's counts as one line of text ("6 new 0 merged …"). */
async function counts(page: Page): Promise<string> {
  const text = await page.getByTestId('import-counts').textContent({ timeout: 30_000 });
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** The notebook's Yjs state vector: unchanged means nothing at all was written. */
function stateVector(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const v = (
      window as unknown as {
        __vitrine: { nb: { doc: unknown }; Y: { encodeStateVector(doc: unknown): Uint8Array } };
      }
    ).__vitrine;
    return Array.from(v.Y.encodeStateVector(v.nb.doc));
  });
}

function listed(page: Page, name: string) {
  return page.locator('vt-people-list').getByRole('button', { name: new RegExp(name) });
}

describe('import and export in the app', () => {
  it('previews a LinkedIn import, applies it as one undoable step, refuses a broken file, previews a vCard merge and exports GraphML', async () => {
    const connections = await readFile(`${FIXTURES}/Connections.csv`);
    const brokenQuote = await readFile(`${FIXTURES}/linkedin-broken-quote.csv`);
    const vcard = await readFile(`${FIXTURES}/contacts-v4.vcf`);
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });

    // Preview first: the right counts, the skipped row with its line and reason; Cancel
    // writes nothing.
    const empty = await stateVector(page);
    await pickFile(page, 'Connections.csv', connections);
    expect(await counts(page)).toBe('6 new 0 merged 0 unchanged 1 skipped 6 ties');
    // Planned off the main thread, in the import worker.
    expect(page.workers().some((w) => /import\.worker/.test(w.url()))).toBe(true);
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Read as' }).inputValue())
      .toBe('linkedin');
    expect(await dialog.getByText(/line 9:.*no name/).count()).toBe(1);
    expect(await dialog.getByText('Jürgen Müller').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await stateVector(page)).toEqual(empty);
    expect(await visiblePeople(page)).toBe(1);

    // Import: everyone appears in the list and the graph (plus the owner).
    await pickFile(page, 'Connections.csv', connections);
    expect(await counts(page)).toMatch(/^6 new/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => visiblePeople(page)).toBe(7);
    await expect.poll(() => graphNodes(page)).toBe(7);
    await expect.poll(() => listed(page, 'Jürgen Müller').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toMatch(/Imported Connections\.csv: 6 new, 0 merged, 6 ties, 1 skipped/);

    // One Ctrl+Z takes the whole import back; redo brings it all again.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => visiblePeople(page)).toBe(1);
    await expect.poll(() => graphNodes(page)).toBe(1);
    expect(await listed(page, 'Jürgen Müller').count()).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => visiblePeople(page)).toBe(7);

    // Re-importing the same file: everyone is already there, nothing is written.
    const imported = await stateVector(page);
    await pickFile(page, 'Connections.csv', connections);
    expect(await counts(page)).toBe('0 new 0 merged 6 unchanged 1 skipped 0 ties');
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await stateVector(page)).toEqual(imported);

    // A refused file: its sentence names the file, the line and what to do; nothing written.
    await pickFile(page, 'linkedin-broken-quote.csv', brokenQuote);
    const error = dialog.getByTestId('import-error');
    await expect
      .poll(() => error.textContent())
      .toMatch(/linkedin-broken-quote\.csv, line 6: a quoted field is never closed.*retry/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await stateVector(page)).toEqual(imported);
    expect(await visiblePeople(page)).toBe(7);

    // A vCard 4.0 file is detected and planned by the same worker;
    // Priya Raman, already here from LinkedIn, is matched by her profile link and merged,
    // and the preview says what merging adds.
    await pickFile(page, 'contacts-v4.vcf', vcard);
    expect(await counts(page)).toBe('1 new 1 merged 0 unchanged 2 skipped 2 ties');
    const merged = dialog.getByRole('listitem').filter({ hasText: /^Priya Raman/ });
    await expect
      .poll(() => merged.textContent())
      .toMatch(/same profile link[\s\S]*emails:\s*adds “priya\.raman@northwind\.example”/);
    expect(await dialog.getByRole('combobox', { name: 'Read as' }).inputValue()).toBe('vcard');
    expect(await dialog.getByText(/card 3 \(line 26\):.*KIND:org/).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await stateVector(page)).toEqual(imported);

    // Two rows of one file taken for one person (the same profile under two hosts) are
    // listed with both their lines, not folded together unseen.
    const twice = Buffer.from(
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n' +
        'Lea,Roth,https://www.linkedin.com/in/lea-roth,,Acme,Dev,01 Jan 2024\n' +
        'Lea,Roth,https://de.linkedin.com/in/Lea-Roth/,,Acme,Lead,01 Jan 2024\n',
    );
    await pickFile(page, 'twice.csv', twice);
    expect(await counts(page)).toMatch(/^1 new 0 merged/);
    const sameRows = dialog.getByRole('listitem').filter({ hasText: /^line 3 = line 2: Lea Roth/ });
    await expect.poll(() => sameRows.textContent()).toMatch(/same profile link/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await stateVector(page)).toEqual(imported);

    // Export: GraphML named after the notebook and the date, with every person and tie.
    await page.getByLabel('Export format').selectOption('graphml');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^vitrine-me-\d{4}-\d{2}-\d{2}\.graphml$/);
    const graphml = await readFile((await download.path())!, 'utf8');
    expect(graphml).toContain('<graphml');
    expect(graphml.match(/<node /g)?.length).toBe(7);
    expect(graphml.match(/<edge /g)?.length).toBe(6);
    expect(graphml).toContain('Jürgen Müller');
    expect(graphml).toContain('Müller &amp; Söhne, GmbH');

    profile.expectNoErrors();
    await profile.close();
  });
});
