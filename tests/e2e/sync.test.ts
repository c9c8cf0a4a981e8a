/**
 * Data that outlives a tab: live sync between two tabs of one profile, an offline start
 * from the service worker, and a `.vitrine` backup carried from one profile to another.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  addPersonByUi,
  graphNodes,
  launchBrowser,
  newProfile,
  openApp,
  startNotebook,
  visiblePeople,
} from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function listed(page: Page, name: string) {
  return page.locator('vt-people-list').getByRole('button', { name: new RegExp(name) });
}

describe('keeping the notebook', () => {
  it('shows an edit made in one tab in a second tab without a reload', async () => {
    const profile = await newProfile(browser);
    const first = await profile.newPage();
    await openApp(first, url);
    await startNotebook(first, 'empty');
    const second = await profile.newPage();
    await openApp(second, url);
    await second.getByRole('button', { name: 'Add person' }).waitFor();

    await addPersonByUi(first, 'Katherine Johnson', 'NASA');
    await expect.poll(() => listed(second, 'Katherine Johnson').count()).toBe(1);
    await expect.poll(() => graphNodes(second)).toBe(2);

    // And back: an edit in the second tab reaches the first.
    await listed(second, 'Katherine Johnson').click();
    // An existing person's fields save as they are typed (no Save button).
    await second.getByLabel('Role', { exact: true }).fill('Mathematician');
    await expect
      .poll(() => listed(first, 'Katherine Johnson').textContent())
      .toContain('Mathematician');
    profile.expectNoErrors();
    await profile.close();
  });

  it('starts with the network cut after the first visit, and keeps an edit made offline', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    // The service worker has precached the app and controls the page.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), {
        timeout: 30_000,
      })
      .toBe('activated');

    await profile.context.setOffline(true);
    // The network really is gone for this page.
    const reachable = await page.evaluate(() =>
      fetch(`/not-cached-${Date.now()}.txt`).then(
        () => true,
        () => false,
      ),
    );
    expect(reachable).toBe(false);

    await page.reload();
    await page.getByRole('button', { name: 'Add person' }).waitFor();
    await addPersonByUi(page, 'Dorothy Vaughan');
    await page.reload();
    await expect.poll(() => listed(page, 'Dorothy Vaughan').count()).toBe(1);
    await expect.poll(() => graphNodes(page)).toBe(2);
    // The one failed fetch above is the only error allowed.
    profile.expectNoErrors([/ERR_INTERNET_DISCONNECTED/]);
    await profile.close();
  });

  it('merges a .vitrine backup saved in one profile into another, as one undoable step', async () => {
    const a = await newProfile(browser);
    const pageA = await a.newPage();
    await openApp(pageA, url);
    await startNotebook(pageA, 'empty');
    await addPersonByUi(pageA, 'Mary Jackson');
    await addPersonByUi(pageA, 'Annie Easley');
    await pageA.getByRole('combobox', { name: 'Add a tie to' }).fill('mary');
    await pageA.getByRole('option', { name: /Mary Jackson/ }).click();
    await pageA.getByRole('button', { name: 'Add tie' }).click();
    await pageA.getByRole('button', { name: 'Settings', exact: true }).click();
    // Settings report this device's storage (Chromium always knows usage and quota).
    await expect
      .poll(() => pageA.getByTestId('usage').textContent())
      .toMatch(/\d+(\.\d)? (B|KB|MB)/);
    await expect.poll(() => pageA.getByTestId('persisted').textContent()).toMatch(/yes|no/);
    const [download] = await Promise.all([
      pageA.waitForEvent('download'),
      pageA.getByRole('button', { name: 'Save backup' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.vitrine$/);
    const bytes = await readFile((await download.path())!);

    const b = await newProfile(browser);
    const pageB = await b.newPage();
    await openApp(pageB, url);
    await startNotebook(pageB, 'empty');
    await addPersonByUi(pageB, 'Christine Darden');
    expect(await visiblePeople(pageB)).toBe(2);
    await pageB.getByRole('button', { name: 'Settings', exact: true }).click();
    const [chooser] = await Promise.all([
      pageB.waitForEvent('filechooser'),
      pageB.getByRole('button', { name: 'Open a .vitrine file' }).click(),
    ]);
    await chooser.setFiles({
      name: 'from-a.vitrine',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    const summary = pageB.getByTestId('merge-summary');
    await expect
      .poll(() => summary.textContent())
      // People added by hand are tied to the owner (issue 14 point 8): B's Christine, and
      // from A two people tied to A's owner plus their tie to each other.
      .toMatch(/people 2 → 5 \(\+3\), ties 1 → 4 \(\+3\)/);
    await expect.poll(() => listed(pageB, 'Annie Easley').count()).toBe(1);
    await expect.poll(() => graphNodes(pageB)).toBe(5);

    // The whole merge is one step back.
    await pageB.locator('body').click({ position: { x: 5, y: 5 } });
    await pageB.keyboard.press('Control+z');
    await expect.poll(() => visiblePeople(pageB)).toBe(2);
    await expect.poll(() => graphNodes(pageB)).toBe(2);
    a.expectNoErrors();
    b.expectNoErrors();
    await a.close();
    await b.close();
  });
});
