/**
 * The app and the command line as two devices of one notebook (issue 16), through two
 * relays sharing real PostgreSQL and Redis servers (the app on relay 1, the CLI on relay 2):
 *
 * 1. The app pairs ("Pair a device"); `vitrine sync --link` joins into a new file and gets
 *    the app's people; a person added to the file and synced appears in the app live; the
 *    app lists the CLI as a device.
 * 2. The reverse: `vitrine pair` prints a link; a new browser profile opens it, joins, and
 *    shows the file's people; its edit reaches the file with the next `vitrine sync`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSignaling, type SignalingServer } from '../../src/server/signaling.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { main } from '../../src/cli/main.ts';
import { loadNotebook, saveNotebook } from '../../src/cli/files.ts';
import { Notebook, addPerson, initNotebook, listPeople } from '../../src/model/index.ts';
import { startPostgres, startRedis, type Postgres, type RedisServer } from '../helpers/services.ts';
import { capture } from '../helpers/cli.ts';
import { removeDir, tempDir } from '../unit/sync-helpers.ts';
import { addPersonByUi, launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;
let pg: Postgres;
let redis: RedisServer;
let signaling: SignalingServer;
let one: RelayServer;
let two: RelayServer;
let dir: string;

beforeAll(async () => {
  [pg, redis, browser, dir] = await Promise.all([
    startPostgres(),
    startRedis(),
    launchBrowser(),
    tempDir('vitrine-sync-cli-'),
  ]);
  const db = await pg.createDatabase();
  const allowedOrigins = [new URL(url).origin];
  signaling = await startSignaling({ port: 0, allowedOrigins });
  one = await startRelay({ port: 0, postgres: db, redis: redis.url, allowedOrigins });
  two = await startRelay({ port: 0, postgres: db, redis: redis.url, allowedOrigins });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([signaling?.destroy(), one?.destroy(), two?.destroy()]);
  await Promise.all([pg?.destroy(), redis?.destroy()]);
  if (dir) await removeDir(dir);
});

async function cli(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`vitrine ${argv[0]} failed (${code}): ${io.stderr}`);
  return io;
}

const indicator = (page: Page) => page.locator('vt-sync-indicator [role="status"]');

/** Wait until the notebook on `page` holds every name in `wanted` (event-driven poll). */
function hasPeople(page: Page, wanted: string[]) {
  return page.waitForFunction(
    (wanted) => {
      const v = (
        window as unknown as {
          __vitrine?: { nb: unknown; model: { listPeople(nb: unknown): { name: string }[] } };
        }
      ).__vitrine;
      if (!v) return false;
      const have = new Set(v.model.listPeople(v.nb).map((p) => p.name));
      return wanted.every((n) => have.has(n));
    },
    wanted,
    { timeout: 60_000 },
  );
}

async function setServers(page: Page, relay: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Signalling server').fill(signaling.url);
  await page.getByLabel('Relay', { exact: true }).fill(relay);
  await page.getByLabel('Sync through the relay').setChecked(true);
  await page.getByRole('button', { name: 'Save sync settings' }).click();
  await page.getByText('Sync settings saved.').waitFor();
}

function fileNames(nb: Notebook): string[] {
  return listPeople(nb).map((p) => p.name);
}

// A device without our signalling server in its settings (the one that joins by a link
// from the CLI) tries the default one; the browser reports each refused attempt.
const REFUSED = /WebSocket connection to 'ws:\/\/127\.0\.0\.1/;

describe('the app and the command line sync through the relay', () => {
  test('a link made in the app works in the CLI, both ways live', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await addPersonByUi(page, 'Theodora Makinwa-Ellery', 'Lanternwick Press');
    await setServers(page, one.url);

    await page.getByRole('button', { name: 'Pair a device' }).click();
    const linkField = page.getByRole('textbox', { name: 'Pairing link' });
    await expect.poll(() => linkField.inputValue()).toMatch(/#pair=[A-Za-z0-9_-]{50}$/);
    const link = await linkField.inputValue();

    const file = join(dir, 'from-app.vitrine');
    const joined = await cli('sync', '--notebook', file, '--link', link, '--relay', two.url);
    expect(joined.stdout).toMatch(/saved the changes; 1 other device/);
    expect(fileNames(await loadNotebook(file))).toContain('Theodora Makinwa-Ellery');

    // The command line's edit reaches the app live.
    const nb = await loadNotebook(file);
    addPerson(nb, { name: 'Added By A Cron Job' });
    await saveNotebook(nb, file);
    await cli('sync', '--notebook', file);
    await hasPeople(page, ['Added By A Cron Job']);
    // The app lists the command line as the other device.
    await expect
      .poll(() => indicator(page).textContent(), { timeout: 30_000 })
      .toMatch(/^Up to date with 1 device/);

    // And the app's next edit reaches the file.
    await addPersonByUi(page, 'Added In The App Afterwards');
    await page.evaluate(() =>
      (
        window as unknown as { __vitrine: { sync: { session: { flush(): Promise<void> } } } }
      ).__vitrine.sync.session.flush(),
    );
    await cli('sync', '--notebook', file);
    expect(fileNames(await loadNotebook(file))).toContain('Added In The App Afterwards');
    profile.expectNoErrors();
    await profile.close();
  }, 180_000);

  test('a link made by the CLI works in the app', async () => {
    const file = join(dir, 'from-cli.vitrine');
    // As `vitrine import` makes a notebook: its owner first.
    const nb = new Notebook();
    initNotebook(nb, 'Ignatius Oduya-Farrant');
    addPerson(nb, { name: 'Known From The Command Line' });
    await saveNotebook(nb, file);
    const link = (
      await cli('pair', '--notebook', file, '--relay', two.url, '--app', url)
    ).stdout.trim();
    expect(new URL(link).origin).toBe(new URL(url).origin);
    await cli('sync', '--notebook', file);

    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await page.goto(link);
    const ask = page.getByRole('dialog', { name: 'Join this notebook?' });
    await ask.getByRole('button', { name: 'Join' }).click();
    await ask.waitFor({ state: 'hidden' });
    await hasPeople(page, ['Ignatius Oduya-Farrant', 'Known From The Command Line']);
    await page.getByRole('button', { name: 'Add person' }).waitFor();
    await addPersonByUi(page, 'Joined From The Cli Link');
    await page.evaluate(() =>
      (
        window as unknown as { __vitrine: { sync: { session: { flush(): Promise<void> } } } }
      ).__vitrine.sync.session.flush(),
    );
    await cli('sync', '--notebook', file);
    const back = fileNames(await loadNotebook(file));
    expect(back).toContain('Joined From The Cli Link');
    // One owner, not two: the file's notebook was not set up again by the joining app.
    expect(back.filter((n) => n === 'Ignatius Oduya-Farrant')).toHaveLength(1);
    profile.expectNoErrors([REFUSED]);
    await profile.close();
  }, 180_000);
});
