/**
 * A mailbox in the app: "Import contacts…" takes an .mbox, the worker streams it from the
 * File (only the first 64 kB are read on the page), the preview counts touches, people
 * matched, ties inferred and messages counted / left out per reason; Import writes it.
 * Screenshots of the preview at 1280×800 and 375×812 go to $VITRINE_SHOTS when set.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook, visiblePeople } from './browser.ts';
import { connectionsCsv, personEmail } from '../helpers/ics.ts';
import { mbox, message } from '../helpers/mail.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function pickFile(page: Page, name: string, mimeType: string, text: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import contacts…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType, buffer: Buffer.from(text) });
}

/** Two threads among persons 0, 1 and 2 (so one tie), one with 3, and bulk mail. */
function mailbox(): string {
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toUTCString();
  const m = (id: string, from: string, to: string, d: number, extra = {}) =>
    message({ From: from, To: to, Date: day(d), 'Message-ID': `<${id}@x>`, Subject: id, ...extra });
  return mbox(
    m('a', personEmail(0), `me@owner.example, ${personEmail(1)}`, 20),
    m('b', personEmail(1), `me@owner.example, ${personEmail(0)}`, 10),
    m('c', 'me@owner.example', personEmail(3), 5),
    m('d', 'news@shop.example', 'me@owner.example', 3, { 'List-Id': '<news.shop.example>' }),
    m('e', 'no-reply@shop.example', 'me@owner.example', 2),
    // a padding body, so the file is larger than the 64 kB the page reads
    m('f', personEmail(2), 'me@owner.example', 1).replace(
      'Hello.\n',
      'x'.repeat(76) + '\n'.repeat(1) + ('y'.repeat(76) + '\n').repeat(1500),
    ),
  );
}

describe('mail import in the app', () => {
  it('previews and imports an mbox streamed by the worker', async () => {
    const profile = await newProfile(browser, { viewport: { width: 1280, height: 800 } });
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    await pickFile(page, 'Connections.csv', 'text/csv', connectionsCsv());
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => visiblePeople(page)).toBe(61);

    const box = mailbox();
    expect(box.length).toBeGreaterThan(65536);
    await pickFile(page, 'All mail.mbox', 'application/mbox', box);
    const counts = async () =>
      ((await page.getByTestId('import-counts').textContent({ timeout: 60_000 })) ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    await expect
      .poll(counts, { timeout: 60_000 })
      .toMatch(
        /^4 new touches 4 people matched 1 tie inferred 0 next meetings 4 of 6 messages counted$/,
      );
    expect(page.workers().some((w) => /import\.worker/.test(w.url()))).toBe(true);
    expect(await dialog.getByRole('combobox', { name: 'Read as' }).inputValue()).toBe('mbox');
    await dialog.getByText(/Messages left out \(2\)/).click();
    await expect.poll(() => dialog.getByText(/1 message: from a no-reply address/).count()).toBe(1);
    const shots = process.env.VITRINE_SHOTS;
    if (shots) {
      await page.screenshot({ path: `${shots}/mail-preview-1280.png` });
      await page.setViewportSize({ width: 375, height: 812 });
      await page.screenshot({ path: `${shots}/mail-preview-375.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 })
      .toMatch(/Imported All mail\.mbox: 4 touches, 1 tie inferred/);
    await profile.close();
  });
});
