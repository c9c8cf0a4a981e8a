/**
 * axe-core on every screen (issue 14 point 17): welcome, main, a person, introductions (with
 * an introduction's drafts open), clusters, settings, the import dialog, and the phone layout
 * at 375×812. No violation of serious or critical impact; the welcome screen has its landmarks.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';
import { axeViolations, installAxe } from './axe.ts';

const url = inject('baseUrl');
const FIXTURES = new URL('../fixtures/io', import.meta.url).pathname;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Sample people (seeded): Dmitri Reyes is under glass. */
const UNDER_GLASS = 'Dmitri Reyes';

async function expectClean(page: Page, screen: string): Promise<void> {
  expect(await axeViolations(page), `axe on ${screen}`).toEqual([]);
}

async function openPerson(page: Page, name: string): Promise<void> {
  await page.getByLabel('Search', { exact: true }).fill(name);
  await page
    .locator('vt-people-list')
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

describe('axe on every screen', () => {
  it('finds nothing serious on a laptop: welcome, main, person, introductions, clusters, settings, import', async () => {
    const profile = await newProfile(browser);
    await installAxe(profile.context);
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);

    await expectClean(page, 'welcome');
    // Landmarks (a moderate finding, but part of point 17): everything inside one.
    const landmarks = (await axeViolations(page, ['minor', 'moderate'])).filter((f) =>
      ['region', 'landmark-one-main'].includes(f.rule),
    );
    expect(landmarks).toEqual([]);
    expect(await page.getByRole('main').count()).toBe(1);

    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });
    await expectClean(page, 'main');

    // Selected in the list (the soft accent row) and open: the "under glass" label shows.
    await openPerson(page, UNDER_GLASS);
    await expectClean(page, 'person under glass');

    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('heading', { name: 'Introductions' }).waitFor();
    await expectClean(page, 'introductions');
    // An introduction of the owner's with its drafts ("Open in mail").
    await page.getByRole('tab', { name: /^Done/ }).click();
    await page.getByRole('tabpanel').getByRole('button', { expanded: false }).first().click();
    await page
      .getByText(/^Draft: /)
      .first()
      .waitFor();
    await page
      .getByText(/^Draft: /)
      .first()
      .click();
    await expectClean(page, 'an introduction with its drafts');

    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    await page.getByRole('tab', { name: 'Clusters' }).waitFor();
    await expectClean(page, 'clusters');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    await expectClean(page, 'settings');

    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import contacts…' }).click(),
    ]);
    await chooser.setFiles({
      name: 'Connections.csv',
      mimeType: 'text/csv',
      buffer: await readFile(`${FIXTURES}/Connections.csv`),
    });
    await page.getByTestId('import-counts').waitFor({ timeout: 30_000 });
    await expectClean(page, 'import dialog');
    profile.expectNoErrors();
    await profile.close();
  });

  it('finds nothing serious on a 375×812 phone: welcome, people, graph, person, introductions', async () => {
    const profile = await newProfile(browser, { viewport: { width: 375, height: 812 } });
    await installAxe(profile.context);
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);
    await expectClean(page, 'phone welcome');
    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });
    await expectClean(page, 'phone people');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expectClean(page, 'phone graph');
    await page.getByRole('tab', { name: 'People' }).click();
    await openPerson(page, UNDER_GLASS);
    await expectClean(page, 'phone person');
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('heading', { name: 'Introductions' }).waitFor();
    await expectClean(page, 'phone introductions');
    profile.expectNoErrors();
    await profile.close();
  });
});
