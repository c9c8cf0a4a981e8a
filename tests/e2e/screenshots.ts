/**
 * Headless screenshots of the sample network for the README:
 * `npx tsx tests/e2e/screenshots.ts [outDir]` → docs/screenshot.png (1280×800) and
 * docs/screenshot-phone.png (375×812). Builds the app into a temp folder and serves it on
 * a free loopback port; light colour scheme; the sample's fixed seed keeps it stable. Shot
 * once the cluster-aware layout (the second, after the clusters land) has settled.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './global-setup.ts';
import { serveStatic } from '../../scripts/serve.js';
import type { Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const outDir = process.argv[2] ?? 'docs';

/**
 * The graph at rest: its layout done (and moved there), the pan towards the opened person
 * finished, and the names chosen again for the zoom (shortly after it settles).
 */
async function settled(page: Page): Promise<void> {
  await page.locator('vt-graph').evaluate(async (el) => {
    const view = (
      el as unknown as {
        graphView: { whenLayoutDone(): Promise<void>; cy?: { animated(): boolean } };
      }
    ).graphView;
    // (No named functions in here: tsx would wrap them in a helper the page lacks.)
    await view.whenLayoutDone();
    while (view.cy?.animated()) await new Promise((ok) => requestAnimationFrame(ok));
    await new Promise((ok) => setTimeout(ok, 400));
    for (let i = 0; i < 2; i++) await new Promise((ok) => requestAnimationFrame(ok));
  });
}
const dist = await mkdtemp(join(tmpdir(), 'vitrine-shots-'));
await buildApp(dist);
const app = await serveStatic({ root: dist, port: 0 });
const browser = await launchBrowser();
try {
  for (const [name, viewport, tab] of [
    ['screenshot.png', { width: 1280, height: 800 }, undefined],
    ['screenshot-phone.png', { width: 375, height: 812 }, 'Graph'],
  ] as const) {
    const profile = await newProfile(browser, { viewport });
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, app.url);
    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });
    // The first layout runs before the clusters are known; once they land the graph is laid
    // out again by cluster (animated). Shoot the second picture, not the first.
    await page.waitForFunction(
      () => {
        const g = document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph') as
          (HTMLElement & { graphView?: { stats: { layouts: number } } }) | null;
        return (g?.graphView?.stats.layouts ?? 0) >= 2;
      },
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    await settled(page);
    // Open a well-connected person so the panel and the graph selection show.
    const who = await page.evaluate(() => {
      const v = (
        window as unknown as {
          __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
        }
      ).__vitrine;
      const people = v.model.listPeople(v.nb) as { id: string }[];
      const owner = (v.nb as { ownerId: string }).ownerId;
      let best = '';
      let most = -1;
      for (const p of people as { id: string; name: string }[]) {
        const n = (v.model.tiesOf(v.nb, p.id) as unknown[]).length;
        if (p.id !== owner && n > most) [best, most] = [p.name, n];
      }
      return best;
    });
    await page.getByLabel('Search', { exact: true }).fill(who);
    await page
      .getByRole('button', { name: new RegExp(who) })
      .first()
      .click();
    await page.getByLabel('Search', { exact: true }).fill('');
    // No focus ring or hover left over from the clicks above.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page
      .locator('vt-app')
      .evaluate((app) => (app.shadowRoot?.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(viewport.width / 2, 30);
    if (!tab) await page.getByText('Legend', { exact: true }).click();
    if (tab) await page.getByRole('tab', { name: tab }).click();
    await settled(page);
    await page.screenshot({ path: join(outDir, name) });
    console.log(`wrote ${join(outDir, name)}`);
    if (profile.errors.length) throw new Error(profile.errors.join('\n'));
    await profile.close();
  }
} finally {
  await browser.close();
  await app.close();
  await rm(dist, { recursive: true, force: true });
}
