/**
 * Opening a person in a large graph (issue 14 point 14): the selection is drawn over the
 * graph (src/graph/selection-overlay.ts) and changes no element's style, so Cytoscape keeps
 * its cached drawing instead of drawing every element again on each click. Clicking a
 * person in the graph and in the list rings them and their neighbours on the overlay, in
 * the place Cytoscape draws them; clearing the selection clears it. Never asserts times.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { launchBrowser, newProfile } from './browser.ts';
import { generateNotebook } from '../bench/gen-notebook.ts';
import { listPeople } from '../../src/model/index.ts';
import { LARGE_GRAPH } from '../../src/graph/style.ts';

const url = inject('baseUrl');
/** Just above the large-graph threshold: the large settings, a short first draw. */
const PEOPLE = LARGE_GRAPH + 100;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Cy {
  on(events: string, fn: (e: { target: { id(): string } }) => void): void;
  getElementById(id: string): {
    renderedPosition(): { x: number; y: number };
    neighborhood(): { nodes(): { map<T>(f: (n: { id(): string }) => T): T[] } };
    classes(): string[];
  };
  nodes(): { toArray(): { id(): string; renderedPosition(): { x: number; y: number } }[] };
  width(): number;
  height(): number;
}
interface GraphEl extends HTMLElement {
  graphView: {
    cy: Cy;
    stats: { fastPath: boolean };
    selectionOverlay(): { selected: string | null; nodes: string[]; edges: string[] } | undefined;
    whenSettled(): Promise<void>;
    whenLayoutDone(): Promise<void>;
  };
}
type Win = Window & {
  __vitrine: { nb: { doc: Y.Doc }; Y: typeof Y; model: { listPeople(nb: unknown): unknown[] } };
  __styleEvents: string[];
};

/** Open the app on a generated notebook of `PEOPLE` people at cached positions. */
async function openLargeNotebook(page: Page): Promise<void> {
  const { nb } = generateNotebook(PEOPLE, 2);
  const bytes = Buffer.from(Y.encodeStateAsUpdate(nb.doc));
  const positions: Record<string, [number, number]> = {};
  listPeople(nb).forEach((p, i) => {
    positions[p.id] = [(i % 50) * 60, Math.floor(i / 50) * 60];
  });
  await page.route('**/__seed.bin', (route) =>
    route.fulfill({ body: bytes, contentType: 'application/octet-stream' }),
  );
  await page.goto(url);
  await page.waitForFunction(() => '__vitrine' in window);
  // Cached positions first, so the first draw needs no layout.
  await page.evaluate((p) => {
    localStorage.setItem('vitrine-notebook', JSON.stringify({ v: 1, p }));
  }, positions);
  await page.evaluate(async () => {
    const v = (window as unknown as Win).__vitrine;
    const seed = new Uint8Array(await (await fetch('/__seed.bin')).arrayBuffer());
    v.Y.applyUpdate(v.nb.doc, seed, 'seed');
  });
  await page.waitForFunction(
    () => {
      const g = document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph') as
        HTMLElement | null | undefined;
      const v = (window as unknown as Win).__vitrine;
      return (
        g?.dataset.ready === 'true' &&
        Number(g.dataset.nodeCount) === v.model.listPeople(v.nb).length
      );
    },
    undefined,
    { timeout: 120_000, polling: 200 },
  );
  await page.evaluate(async () => {
    const g = document.querySelector('vt-app')!.shadowRoot!.querySelector('vt-graph');
    await (g as unknown as GraphEl).graphView.whenLayoutDone();
  });
}

/** The overlay's state, the style events seen, and what its canvas shows at a node. */
async function seen(page: Page, id: string | null) {
  return page.evaluate((id) => {
    const g = document
      .querySelector('vt-app')!
      .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl;
    const view = g.graphView;
    const canvas = g.shadowRoot!.querySelector('canvas.vt-selection-overlay') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const ratio = canvas.width / view.cy.width();
    // Any painted pixel in the box around the node (its ring), or anywhere at all.
    const paintedAt = (x: number, y: number, r: number) => {
      const data = ctx.getImageData(
        Math.max(0, Math.round((x - r) * ratio)),
        Math.max(0, Math.round((y - r) * ratio)),
        Math.round(2 * r * ratio),
        Math.round(2 * r * ratio),
      ).data;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) return true;
      return false;
    };
    const p = id ? view.cy.getElementById(id).renderedPosition() : undefined;
    const all = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let any = false;
    for (let i = 3; i < all.length && !any; i += 4) any = all[i]! > 0;
    return {
      overlay: view.selectionOverlay(),
      near: id
        ? view.cy
            .getElementById(id)
            .neighborhood()
            .nodes()
            .map((n) => n.id())
            .sort()
        : [],
      classes: id ? view.cy.getElementById(id).classes() : [],
      styleEvents: [...new Set((window as unknown as Win).__styleEvents)],
      ringed: p ? paintedAt(p.x, p.y, 14) : false,
      painted: any,
      selectedAttr: g.dataset.selected ?? null,
    };
  }, id);
}

/** Wait until two frames have been drawn (the overlay draws in the next one). */
const frames = (page: Page) =>
  page.evaluate(async () => {
    for (let i = 0; i < 2; i++) await new Promise((ok) => requestAnimationFrame(ok));
  });

describe('opening a person in a large graph', () => {
  it('draws the selection over the graph and restyles no element', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openLargeNotebook(page);
    expect(
      await page.evaluate(
        () =>
          (
            document
              .querySelector('vt-app')!
              .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
          ).graphView.stats.fastPath,
      ),
    ).toBe(true);
    // The analysis colours people by cluster when it lands (a data change, so a restyle):
    // wait for it, so that what follows sees the selection's own changes only.
    await page.waitForFunction(
      () =>
        !!(window as unknown as { __vitrine: { analysis?: { latest?: unknown } } }).__vitrine
          .analysis?.latest &&
        Number(
          (
            document
              .querySelector('vt-app')!
              .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
          ).dataset.clusters,
        ) > 0,
      undefined,
      { timeout: 120_000, polling: 200 },
    );
    await page.evaluate(() =>
      (
        document
          .querySelector('vt-app')!
          .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
      ).graphView.whenSettled(),
    );

    // Every style change of an element from here on (a class is one) is recorded.
    await page.evaluate(() => {
      const w = window as unknown as Win;
      w.__styleEvents = [];
      (
        document
          .querySelector('vt-app')!
          .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
      ).graphView.cy.on('style', (e) => w.__styleEvents.push(e.target.id()));
    });

    // A person clicked in the graph: the node on screen with the most room around it.
    const target = await page.evaluate(() => {
      const g = document
        .querySelector('vt-app')!
        .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl;
      const cy = g.graphView.cy;
      const box = g.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
      const nodes = cy.nodes().toArray();
      const pos = nodes.map((n) => n.renderedPosition());
      let best: { x: number; y: number; room: number } | undefined;
      for (let i = 0; i < nodes.length; i++) {
        const p = pos[i]!;
        if (p.x < 60 || p.y < 60 || p.x > cy.width() - 60 || p.y > cy.height() - 60) continue;
        let room = Infinity;
        for (let j = 0; j < pos.length; j++)
          if (j !== i) room = Math.min(room, Math.hypot(pos[j]!.x - p.x, pos[j]!.y - p.y));
        if (!best || room > best.room) best = { x: box.left + p.x, y: box.top + p.y, room };
      }
      return best;
    });
    expect(target).toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForFunction(
      () =>
        !!(
          document
            .querySelector('vt-app')!
            .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
        ).dataset.selected,
    );
    await frames(page);
    const id = await page.evaluate(
      () =>
        (
          document
            .querySelector('vt-app')!
            .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
        ).dataset.selected!,
    );
    const clicked = await seen(page, id);
    expect(clicked.overlay?.selected).toBe(id);
    expect([...(clicked.overlay?.nodes ?? [])].sort()).toEqual(clicked.near);
    expect(clicked.near.length).toBeGreaterThan(0);
    expect(clicked.ringed).toBe(true);
    expect(clicked.classes).toEqual([]);
    // Not even Cytoscape's press feedback (`:active`, `:grabbed`) on the node clicked: a
    // large graph's elements take no pointer events (src/graph/hit-test.ts).
    expect(clicked.styleEvents).toEqual([]);
    await page.evaluate(() => {
      (window as unknown as Win).__styleEvents = [];
    });
    await expect.poll(() => page.locator('vt-person-panel h2').first().textContent()).toBeTruthy();

    // Another person opened from the list: the overlay moves to them, still no restyle.
    const other = await page.evaluate((not) => {
      const list = document.querySelector('vt-app')!.shadowRoot!.querySelector('vt-people-list')!;
      const ids = [...list.shadowRoot!.querySelectorAll<HTMLElement>('button.row[data-id]')]
        .map((b) => b.dataset.id!)
        .filter((id) => id !== not);
      return ids[2]!;
    }, id);
    await page.locator(`vt-people-list button.row[data-id="${other}"]`).click();
    await page.waitForFunction(
      (id) =>
        (
          document
            .querySelector('vt-app')!
            .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
        ).dataset.selected === id,
      other,
    );
    await frames(page);
    const listed = await seen(page, other);
    expect(listed.overlay?.selected).toBe(other);
    expect([...(listed.overlay?.nodes ?? [])].sort()).toEqual(listed.near);
    expect(listed.styleEvents).toEqual([]);

    // Nobody selected (a click on the background): nothing drawn over the graph.
    await page.evaluate(() =>
      (document.querySelector('vt-app') as unknown as { select(id: null): void }).select(null),
    );
    await page.waitForFunction(
      () =>
        (
          document
            .querySelector('vt-app')!
            .shadowRoot!.querySelector('vt-graph') as unknown as GraphEl
        ).dataset.selected === undefined,
    );
    await frames(page);
    const cleared = await seen(page, null);
    expect(cleared.overlay).toEqual({ selected: null, nodes: [], edges: [] });
    expect(cleared.painted).toBe(false);
    expect(cleared.styleEvents).toEqual([]);

    profile.expectNoErrors();
    await profile.close();
    // 2,100 people drawn and analysed on a shared 2-core machine.
  }, 600_000);
});
