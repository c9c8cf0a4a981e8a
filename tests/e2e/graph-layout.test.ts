/**
 * The sample network's graph in headless Chromium, as the reader sees it: clusters laid out
 * once they are known, names drawn by the canvas renderer without overlapping, the drawing
 * filling its pane, and "Without me" re-laying out (animated) and giving everyone back.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freshNotebook, launchBrowser } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Figures {
  layouts: number;
  relayouts: number;
  clusters: number;
  shown: number;
  overlaps: number;
  fill: number;
  positions: Record<string, [number, number]>;
}

/** Wait for the graph's layouts to settle, then measure what is drawn. */
function measure(page: Page): Promise<Figures> {
  return page.locator('vt-graph').evaluate(async (el) => {
    interface Node {
      id(): string;
      position(): { x: number; y: number };
      visible(): boolean;
      pstyle(k: string): { strValue?: string; pfValue?: number };
      renderedBoundingBox(o: object): {
        x1: number;
        x2: number;
        y1: number;
        y2: number;
        w: number;
        h: number;
      };
    }
    interface Cy {
      zoom(): number;
      nodes(): {
        forEach(f: (n: Node) => void): void;
        renderedBoundingBox(o: object): { w: number; h: number };
      };
      width(): number;
      height(): number;
    }
    const view = (
      el as unknown as {
        graphView: {
          cy: Cy;
          stats: { layouts: number; relayouts: number };
          whenLayoutDone(): Promise<void>;
        };
      }
    ).graphView;
    await view.whenLayoutDone();
    // Names are chosen again shortly after a zoom: wait two frames past that.
    await new Promise((ok) => setTimeout(ok, 300));
    const cy = view.cy;
    const boxes: { x1: number; x2: number; y1: number; y2: number }[] = [];
    const positions: Record<string, [number, number]> = {};
    cy.nodes().forEach((n) => {
      const p = n.position();
      positions[n.id()] = [p.x, p.y];
      if (!n.visible() || !n.pstyle('label').strValue) return;
      const font = n.pstyle('font-size').pfValue ?? 0;
      if (font * cy.zoom() < (n.pstyle('min-zoomed-font-size').pfValue ?? 0)) return;
      const b = n.renderedBoundingBox({
        includeNodes: false,
        includeEdges: false,
        includeLabels: true,
      });
      if (b.w > 0) boxes.push(b);
    });
    let overlaps = 0;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
      }
    }
    const bb = cy.nodes().renderedBoundingBox({ includeLabels: false });
    return {
      layouts: view.stats.layouts,
      relayouts: view.stats.relayouts,
      clusters: Number((el as HTMLElement).dataset.clusters ?? 0),
      shown: boxes.length,
      overlaps,
      fill: Math.max(bb.w / cy.width(), bb.h / cy.height()),
      positions,
    };
  });
}

describe('the sample network graph', () => {
  it('lays clusters out as regions, names without overlap, fills the pane; Without me re-lays out', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ timeout: 120_000 });
    // The clusters arrive after the first layout: the graph is laid out again by them.
    await expect
      .poll(async () => (await measure(page)).layouts, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);
    const first = await measure(page);
    expect(first.clusters).toBeGreaterThan(3);
    expect(first.overlaps).toBeLessThanOrEqual(1);
    expect(first.shown).toBeGreaterThanOrEqual(20);
    expect(first.fill).toBeGreaterThan(0.85);

    const owner = await page.evaluate(
      () => (window as unknown as { __vitrine: { nb: { ownerId: string } } }).__vitrine.nb.ownerId,
    );
    await page.getByRole('button', { name: 'Without me' }).click();
    await expect.poll(async () => (await measure(page)).relayouts, { timeout: 30_000 }).toBe(1);
    const without = await measure(page);
    expect(without.positions[owner]).toBeUndefined();
    let moved = 0;
    for (const [id, [x, y]] of Object.entries(without.positions)) {
      const [x0, y0] = first.positions[id]!;
      if (Math.hypot(x - x0, y - y0) > 10) moved++;
    }
    expect(moved).toBeGreaterThan(Object.keys(without.positions).length / 2);

    await page.getByRole('button', { name: 'Without me' }).click();
    await expect
      .poll(async () => Object.keys((await measure(page)).positions).length, { timeout: 30_000 })
      .toBe(95);
    const back = await measure(page);
    for (const [id, [x, y]] of Object.entries(back.positions)) {
      const [x0, y0] = first.positions[id]!;
      expect(Math.hypot(x - x0, y - y0)).toBeLessThan(2);
    }
    profile.expectNoErrors();
    await profile.close();
  });
});
