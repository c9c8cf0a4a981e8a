/**
 * The graph on a phone (issue 14 point 18), at 375×812 on the sample network: the graph
 * fills its tab. The tab is the space below the Views tabs; the drawing — every person's
 * box, as Cytoscape draws them once the cluster-aware layout has settled — must span most
 * of its height as well as its width, not a landscape strip across the middle of a
 * portrait pane (it was 37–44% of the height).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Core } from 'cytoscape';
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

/** The least share of the tab's height and of its width the drawing must span. */
const MIN_SHARE = 0.75;

describe('the graph on a 375×812 phone', () => {
  it('fills its tab, in height as well as width', async () => {
    const profile = await newProfile(browser, { viewport: { width: 375, height: 812 } });
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);
    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });
    await page.getByRole('tab', { name: 'Graph' }).click();
    // The clusters arrive after the first layout; the graph is laid out again by them.
    const layouts = () =>
      page
        .locator('vt-graph')
        .evaluate(
          (el) => (el as unknown as { graphView: { stats: { layouts: number } } }).graphView.stats,
        );
    await expect
      .poll(async () => (await layouts()).layouts, { timeout: 120_000 })
      .toBeGreaterThanOrEqual(2);
    const fill = await page.locator('vt-graph').evaluate(async (el) => {
      const view = (el as unknown as { graphView: { cy: Core; whenLayoutDone(): Promise<void> } })
        .graphView;
      await view.whenLayoutDone();
      await new Promise((ok) => requestAnimationFrame(ok));
      const cy = view.cy;
      const canvas = el.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
      const box = cy.nodes(':visible').renderedBoundingBox({ includeLabels: false });
      const tabs = document.querySelector('vt-app')!.shadowRoot!.querySelector('nav')!;
      const below = tabs.getBoundingClientRect().bottom;
      const tab = { top: below, bottom: innerHeight, width: innerWidth };
      return {
        height: box.h / (tab.bottom - tab.top),
        width: box.w / tab.width,
        canvas: { top: canvas.top, bottom: canvas.bottom, width: canvas.width },
        tab,
      };
    });
    console.log('phone graph fill', JSON.stringify(fill));
    // The graph's pane is the whole tab...
    expect(fill.canvas.top).toBeLessThanOrEqual(fill.tab.top + 1);
    expect(fill.canvas.bottom).toBeGreaterThanOrEqual(fill.tab.bottom - 1);
    expect(fill.canvas.width).toBeGreaterThanOrEqual(fill.tab.width - 1);
    // ...and the drawing spans it both ways.
    expect(fill.height, 'share of the tab height').toBeGreaterThan(MIN_SHARE);
    expect(fill.width, 'share of the tab width').toBeGreaterThan(MIN_SHARE);
    profile.expectNoErrors();
    await profile.close();
  }, 300_000);
});
