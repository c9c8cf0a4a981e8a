/**
 * The app in headless Chromium, driven by accessible names as a person (or a screen
 * reader) would: add, persist, delete and undo, the graph matching the list, the sample.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

describe('the notebook in the browser', () => {
  it('keeps a person added through the form after a reload', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await addPersonByUi(page, 'Ada Lovelace', 'Analytical Engines');

    await page.reload();
    await page.getByRole('button', { name: 'Add person' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill('analytical');
    await page.getByRole('button', { name: /Ada Lovelace/ }).click();
    await expect
      .poll(() => page.getByLabel('Organisation', { exact: true }).inputValue())
      .toBe('Analytical Engines');
    profile.expectNoErrors();
    await profile.close();
  });

  it('brings a deleted person back with their ties on Ctrl+Z, and the graph follows', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await addPersonByUi(page, 'Grace Hopper');
    await addPersonByUi(page, 'Alan Turing');

    // Tie Alan to Grace through the picker.
    await page.getByRole('combobox', { name: 'Add a tie to' }).fill('grace');
    await page.getByRole('option', { name: /Grace Hopper/ }).click();
    await page.getByRole('button', { name: 'Add tie' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Remove tie to Grace Hopper' }).count())
      .toBe(1);

    // Log a touch in two keystrokes: t, then Enter.
    await page.getByRole('heading', { name: 'Alan Turing' }).click();
    await page.keyboard.press('t');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('list', { name: 'Touch timeline' }).getByRole('listitem').count())
      .toBe(1);

    await expect.poll(() => graphNodes(page)).toBe(3);
    expect(await visiblePeople(page)).toBe(3);

    await page.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => graphNodes(page)).toBe(2);
    await expect.poll(() => page.getByRole('button', { name: /Alan Turing/ }).count()).toBe(0);

    // Focus is not in a text field, so Ctrl+Z is the notebook's undo.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => graphNodes(page)).toBe(3);
    await page.getByRole('button', { name: /Alan Turing/ }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Remove tie to Grace Hopper' }).count())
      .toBe(1);
    expect(await visiblePeople(page)).toBe(3);

    // The trash restores too.
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('button', { name: 'Trash' }).click();
    await page.getByRole('button', { name: 'Restore Alan Turing' }).click();
    await expect.poll(() => graphNodes(page)).toBe(3);
    profile.expectNoErrors();
    await profile.close();
  });

  it('loads the sample network and draws every person in it', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const people = await visiblePeople(page);
    expect(people).toBeGreaterThanOrEqual(60);
    expect(people).toBeLessThanOrEqual(150);
    await expect.poll(() => graphNodes(page), { timeout: 30_000 }).toBe(people);
    await page.locator('vt-graph[data-ready]').waitFor({ timeout: 60_000 });
    expect(await page.locator('vt-people-list').getByText(`${people} people`).count()).toBe(1);
    // The selection is shared: a tap on a node opens that person, and the graph marks
    // whoever is opened from the list.
    const tapped = await page.evaluate(() => {
      type Cy = {
        nodes(): { id(): string; data(k: string): string; emit(e: string): void }[];
        getElementById(id: string): { hasClass(c: string): boolean };
      };
      const graph = document
        .querySelector('vt-app')!
        .shadowRoot!.querySelector('vt-graph') as unknown as {
        graphView: { cy: Cy };
      };
      const node = graph.graphView.cy.nodes()[5]!;
      node.emit('tap');
      return node.data('label');
    });
    await page.getByRole('heading', { name: tapped, level: 2 }).waitFor();
    await page
      .locator('vt-people-list')
      .getByRole('button', { name: /Amara|Ben|Chlo/ })
      .first()
      .click();
    const opened = (await page.getByRole('heading', { level: 2 }).first().textContent())!.trim();
    expect(
      await page.evaluate((name) => {
        const graph = document
          .querySelector('vt-app')!
          .shadowRoot!.querySelector('vt-graph') as unknown as {
          graphView: {
            cy: { nodes(): { data(k: string): string; hasClass(c: string): boolean }[] };
          };
        };
        return (
          graph.graphView.cy
            .nodes()
            .filter((n) => n.hasClass('vt-selected'))
            .map((n) => n.data('label'))[0] === name
        );
      }, opened),
    ).toBe(true);
    // Searching narrows the list.
    await page.getByLabel('Search', { exact: true }).fill('investors');
    const shown = await page.getByText(/of \d+ people/).textContent();
    expect(shown).toMatch(new RegExp(`^\\s*\\d+ of ${people} people`));
    profile.expectNoErrors();
    await profile.close();
  });

  it('walks the graph by keyboard: arrows move between people, Escape clears', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ timeout: 60_000 });
    const graph = page.getByRole('application', { name: 'People in the network' });
    await graph.focus();
    const heading = page.getByRole('heading', { level: 2 }).first();
    // Nothing selected yet: the first arrow starts at the owner.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('vt-graph').getAttribute('data-selected')).toBeTruthy();
    const names: string[] = [(await heading.textContent())!.trim()];
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft']) {
      const before = await page.locator('vt-graph').getAttribute('data-selected');
      await page.keyboard.press(key);
      await expect
        .poll(() => page.locator('vt-graph').getAttribute('data-selected'))
        .not.toBe(before);
      names.push((await heading.textContent())!.trim());
    }
    // Each step opened someone else, and the graph kept the keyboard focus.
    expect(new Set(names).size).toBeGreaterThan(1);
    expect(await graph.evaluate((el) => el.matches(':focus'))).toBe(true);
    const live = page.locator('vt-graph p[aria-live]');
    await expect.poll(() => live.textContent()).toMatch(/: \d+ ties?\.$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => live.textContent()).toBe('Nobody selected.');
    await expect.poll(() => page.locator('vt-graph').getAttribute('data-selected')).toBeNull();
    profile.expectNoErrors();
    await profile.close();
  });

  it('works one column at a time on a 375 px wide phone, by keyboard too', async () => {
    const profile = await newProfile(browser, { viewport: { width: 375, height: 812 } });
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    // Keyboard only: Tab reaches "Add person", Enter opens the form with Name focused.
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page
        .getByRole('button', { name: 'Add person' })
        .evaluate((el) => el.matches(':focus'));
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Hedy Lamarr');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Hedy Lamarr' }).waitFor();

    // Nothing is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);

    await page.getByRole('tab', { name: 'People' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /Hedy Lamarr/ }).isVisible())
      .toBe(true);
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Network graph' }).isVisible())
      .toBe(true);
    const box = await page.getByRole('region', { name: 'Network graph' }).boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(400);
    await expect.poll(() => graphNodes(page)).toBe(2);
    profile.expectNoErrors();
    await profile.close();
  });
});
