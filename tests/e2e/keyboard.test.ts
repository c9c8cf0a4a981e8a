/**
 * Every screen by keyboard (issue 14 points 13, 15, 16): search lights up its matches in the
 * graph, Enter opens the top hit and the arrows walk into the results; the people list is one
 * tab stop walked with the arrows, Home and End; a skip link comes first; focus stays where
 * the user was after saving a person, an introduction step and pairing; Escape closes the
 * person panel, forms and other panels; the sync indicator is a button that opens the sync
 * settings at "Pair a device".
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Core } from 'cytoscape';
import type { Browser, Page } from 'playwright-core';
import { freshNotebook, launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The element that has the keyboard, through shadow roots. */
function focused(page: Page): Promise<{
  tag: string;
  id: string;
  text: string;
  label: string;
  inside: string[];
}> {
  return page.evaluate(() => {
    let el = document.activeElement;
    const inside: string[] = [];
    while (el?.shadowRoot?.activeElement) {
      inside.push(el.tagName.toLowerCase());
      el = el.shadowRoot.activeElement;
    }
    const h = el as HTMLElement | null;
    return {
      tag: h?.tagName.toLowerCase() ?? '',
      id: h?.dataset.id ?? h?.id ?? '',
      text: (h?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: h?.getAttribute('aria-label') ?? '',
      inside,
    };
  });
}

/** What the graph shows as search matches and as dimmed (through its test hook). */
function graphMarks(page: Page): Promise<{ match: number; dim: number; nodes: number }> {
  return page.locator('vt-graph').evaluate((el) => {
    const cy = (el as unknown as { graphView: { cy: Core } }).graphView.cy;
    return {
      match: cy.nodes('.vt-match').length,
      dim: cy.nodes('.vt-dim').length,
      nodes: cy.nodes().length,
    };
  });
}

/** Names of the list's rows as shown, in order (only rendered rows). */
function listNames(page: Page): Promise<string[]> {
  return page
    .locator('vt-people-list .row .name')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
}

async function sampleReady(page: Page): Promise<void> {
  await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });
}

describe('search (point 13)', () => {
  it('highlights matches in the graph and dims the rest; Enter opens the top hit; arrows walk into the results', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await sampleReady(page);
    const search = page.getByLabel('Search', { exact: true });
    await search.fill('designer');
    const count = page.locator('vt-people-list .count');
    await expect.poll(() => count.textContent()).toMatch(/^\s*\d+ of 95 people/);
    const shown = Number(/(\d+) of/.exec((await count.textContent())!)![1]);
    expect(shown).toBeGreaterThan(1);
    await expect.poll(() => graphMarks(page)).toEqual({ match: shown, dim: 95 - shown, nodes: 95 });
    await search.fill('');
    await expect.poll(() => graphMarks(page)).toEqual({ match: 0, dim: 0, nodes: 95 });

    // Enter opens the top hit.
    await search.fill('designer');
    const top = (await listNames(page))[0]!;
    await search.press('Enter');
    await page.getByRole('heading', { name: top, level: 2 }).waitFor();

    // The arrows go from the search box into the results and back.
    await search.focus();
    await search.press('ArrowDown');
    await expect.poll(async () => (await focused(page)).text).toContain(top);
    await page.keyboard.press('ArrowDown');
    const second = (await listNames(page))[1]!;
    await expect.poll(async () => (await focused(page)).text).toContain(second);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await focused(page)).id).toBe('search');
    profile.expectNoErrors();
    await profile.close();
  });
});

describe('keyboard and focus (point 15)', () => {
  it('makes the list one tab stop walked with arrows, Home and End, behind a skip link', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await sampleReady(page);
    await page.reload();
    await sampleReady(page);

    // The first Tab reaches the skip link; it takes the keyboard past the header.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toMatch(/^Skip to /);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const first = (await listNames(page))[0]!;
    expect((await focused(page)).text).toContain(first);

    // One tab stop for 95 people: the next Tab leaves the list for the graph.
    const stops = await page
      .locator('vt-people-list .row')
      .evaluateAll((els) => els.filter((e) => (e as HTMLElement).tabIndex === 0).length);
    expect(stops).toBe(1);
    await page.keyboard.press('Tab');
    expect((await focused(page)).label).not.toMatch(/^$/);
    expect((await focused(page)).inside).toContain('vt-graph');

    // Back into the list: the arrows, End and Home move the keyboard, scrolling as needed.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    const second = (await listNames(page))[1]!;
    await expect.poll(async () => (await focused(page)).text).toContain(second);
    const last = await page.evaluate(() => {
      const v = (
        window as unknown as {
          __vitrine: { nb: unknown; model: { listPeople(nb: unknown): { name: string }[] } };
        }
      ).__vitrine;
      const names = v.model.listPeople(v.nb).map((p) => p.name);
      return names
        .sort(new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare)
        .at(-1)!;
    });
    await page.keyboard.press('End');
    await expect.poll(async () => (await focused(page)).text).toContain(last);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await focused(page)).text).toContain(first);
    // Still one tab stop, and Enter opens the person with the keyboard.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: second, level: 2 }).waitFor();
    profile.expectNoErrors();
    await profile.close();
  });

  it('keeps focus where the user was after saving a person, an introduction step and pairing', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await sampleReady(page);
    // Saving a new person: the keyboard lands on them, not on the page.
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.keyboard.type('Rosalind Franklin');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Rosalind Franklin' }).waitFor();
    await expect.poll(async () => (await focused(page)).inside).toContain('vt-person-panel');

    // An introduction step: the next step's buttons have the keyboard.
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    const due = page.getByRole('region', { name: 'Due' }).getByRole('button').first();
    await due.click();
    const steps = page.getByRole('group', { name: 'Next step' });
    const step = steps.getByRole('button').first();
    await step.focus();
    const label = (await step.textContent())!.trim();
    await page.keyboard.press('Enter');
    // The button pressed is gone; the next step's first button has the keyboard.
    await expect
      .poll(async () => {
        const f = await focused(page);
        return f.inside.includes('vt-intro-card') && f.tag === 'button' && f.text !== label;
      })
      .toBe(true);

    // Pairing: the keyboard stays in the sync settings.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Pair a device' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Pairing link' }).waitFor();
    await expect.poll(async () => (await focused(page)).inside).toContain('vt-sync-settings');
    // Paired, the app tries the default sync servers, which this test does not run.
    profile.expectNoErrors([/WebSocket connection to 'ws:\/\/127\.0\.0\.1:444[45]\/' failed/]);
    await profile.close();
  });

  it('closes the person panel, forms and panels with Escape, giving the keyboard back', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await sampleReady(page);
    const row = page.locator('vt-people-list .row').nth(2);
    const name = (await row.locator('.name').textContent())!.trim();
    await row.click();
    await page.getByRole('heading', { name, level: 2 }).waitFor();

    // A form inside the panel first: Escape closes the touch form, not the panel.
    await page.getByRole('button', { name: 'Log touch' }).click();
    await page.getByRole('form', { name: 'Log touch' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('form', { name: 'Log touch' }).count()).toBe(0);
    await page.getByRole('heading', { name, level: 2 }).waitFor();

    // Then the panel: closed, and the keyboard is back on the person in the list.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('heading', { name, level: 2 }).count()).toBe(0);
    await expect.poll(async () => (await focused(page)).text).toContain(name);

    // The new-person form.
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByLabel('Name', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Name', { exact: true }).count()).toBe(0);
    await expect.poll(async () => (await focused(page)).text).toMatch(/^Add person/);

    // A panel opened from the header, and the introduction form in it.
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('button', { name: 'Start an introduction' }).click();
    await page.getByRole('form', { name: 'Start an introduction' }).waitFor();
    const first = page.getByRole('combobox', { name: 'First person (asked first)' });
    await first.fill('a');
    const suggestions = page.getByRole('listbox', { name: /suggestions/ });
    await suggestions.waitFor();
    // The innermost first: Escape closes the suggestions, then the form.
    await page.keyboard.press('Escape');
    await expect.poll(() => suggestions.count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Start an introduction' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.getByRole('form', { name: 'Start an introduction' }).count())
      .toBe(0);
    await page.getByRole('heading', { name: 'Introductions' }).waitFor();
    await page.getByRole('button', { name: 'Start an introduction' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('heading', { name: 'Introductions' }).count()).toBe(0);
    await expect.poll(async () => (await focused(page)).text).toBe('Introductions');
    profile.expectNoErrors();
    await profile.close();
  });
});

describe('sync indicator (point 16)', () => {
  it('is a button in the tab order that opens Settings at "Pair a device"', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    const indicator = page.getByRole('button', { name: /sync/i });
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await indicator.evaluate((el) => {
        let a = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        return a === el;
      });
    }
    expect(reached).toBe(true);
    expect(await indicator.textContent()).toMatch(/This device only/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    const pair = page.getByRole('button', { name: 'Pair a device' });
    await expect.poll(async () => (await focused(page)).text).toBe('Pair a device');
    const box = (await pair.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    profile.expectNoErrors();
    await profile.close();
  });
});
