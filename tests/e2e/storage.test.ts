/**
 * Local storage (src/sync/storage.ts) as the browser runs it: a notebook that loads from
 * IndexedDB, and a database that cannot be opened, which must end in a clear message
 * instead of "Opening your notebook…" for ever (y-indexeddb's own `whenSynced` never
 * rejects; the storage opens the database itself to notice).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('local storage', () => {
  it('says the storage could not be opened when IndexedDB refuses the notebook', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    // A database at version 2, so that opening it at version 1 fails (asynchronously,
    // with a VersionError), as a refused open does in private modes or when quota is gone.
    await page.evaluate(
      () =>
        new Promise<void>((ok, fail) => {
          const req = indexedDB.open('vt-refused', 2);
          req.onsuccess = () => (req.result.close(), ok());
          req.onerror = () => fail(req.error);
        }),
    );
    await page.addInitScript(() => {
      const open = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (name: string, version?: number) {
        return name === 'vitrine-notebook'
          ? open.call(this, 'vt-refused', 1)
          : open.call(this, name, version);
      };
    });
    await page.reload();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/could not open its storage/);
    await profile.close();
  });

  it('opens the notebook from IndexedDB after a reload', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    await page.reload();
    await page.getByRole('button', { name: 'Add person' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    profile.expectNoErrors();
    await profile.close();
  });
});
