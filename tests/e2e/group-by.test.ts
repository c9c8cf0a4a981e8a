/**
 * A LinkedIn-only notebook is a star: everyone tied to the owner and to no one else, so
 * clusters show nothing (issue 12, point 7). After importing a `Connections.csv` with
 * companies, the Clusters panel says so and offers "group by organisation"; choosing it
 * lists the organisations (however their names are spelled) and colours the graph by
 * them, the legend, the nodes and the panel in one set of colours (issue 17, point 3:
 * ten organisations, more than the eight the legend used to disagree beyond). The choice
 * survives a reload. Screenshots before and after, at 1280×800 and 375×812, go to
 * `shots/` (not committed) when `VT_SHOTS` names a folder.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freshNotebook, graphNodes, launchBrowser, visiblePeople } from './browser.ts';

const url = inject('baseUrl');
const SHOTS = process.env.VT_SHOTS;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Colours of the drawn nodes, grouped by the group (cluster) id each node carries. */
function nodeColoursByGroup(page: Page): Promise<Record<string, string[]>> {
  return page.locator('vt-graph').evaluate((el) => {
    type Node = { data(k: string): string };
    const cy = (
      el as unknown as { graphView?: { cy?: { nodes(): { map<T>(f: (n: Node) => T): T[] } } } }
    ).graphView?.cy;
    const out: Record<string, string[]> = {};
    for (const [group, colour] of cy
      ? cy.nodes().map((n) => [n.data('cluster'), n.data('color')])
      : []) {
      if (!group) continue;
      const list = (out[group!] ??= []);
      if (!list.includes(colour!)) list.push(colour!);
    }
    return out;
  });
}

/** Legend entries of groups: id → swatch colour. */
function legendColours(page: Page): Promise<Record<string, string>> {
  return page.locator('vt-graph').evaluate((el) => {
    const out: Record<string, string> = {};
    for (const li of el.shadowRoot!.querySelectorAll<HTMLElement>('li[data-legend^="cluster:"]')) {
      const fill = li.querySelector('circle')?.getAttribute('fill') ?? '';
      out[li.dataset.legend!.slice('cluster:'.length)] = fill;
    }
    return out;
  });
}

/** Panel dots: group id → colour (as the browser computed it, rgb()). */
function panelColours(page: Page): Promise<Record<string, string>> {
  return page.locator('vt-clusters-panel').evaluate((el) => {
    const out: Record<string, string> = {};
    for (const li of el.shadowRoot!.querySelectorAll<HTMLElement>('li[data-group]')) {
      const dot = li.querySelector<HTMLElement>('.dot')!;
      out[li.dataset.group!] = getComputedStyle(dot).backgroundColor;
    }
    return out;
  });
}

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Wait until the graph's current view has no layout running. */
function layoutDone(page: Page): Promise<void> {
  return page.locator('vt-graph').evaluate(async (el) => {
    await (
      el as unknown as { graphView?: { whenLayoutDone(): Promise<void> } }
    ).graphView?.whenLayoutDone();
    await new Promise((ok) => requestAnimationFrame(ok));
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.mouse.move(5, 400);
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

describe('group by organisation in a LinkedIn-only notebook', () => {
  it('offers it, lists the organisations and colours the graph and legend by them', async () => {
    const csv = await readFile('tests/fixtures/io/Connections-orgs.csv');
    const { profile, page } = await freshNotebook(browser, url, 'empty');
    await page.emulateMedia({ colorScheme: 'light' });

    // Import through the app, as an owner would.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import contacts…' }).click(),
    ]);
    await chooser.setFiles({ name: 'Connections.csv', mimeType: 'text/csv', buffer: csv });
    await expect
      .poll(() => page.getByTestId('import-counts').textContent({ timeout: 30_000 }))
      .toMatch(/^\s*60 new/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => visiblePeople(page)).toBe(61);
    await expect.poll(() => graphNodes(page), { timeout: 30_000 }).toBe(61);

    // The Clusters panel sees a star and says so in words, with the offer.
    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    const offer = page.getByTestId('group-offer');
    await expect
      .poll(() => offer.textContent({ timeout: 60_000 }))
      .toMatch(/Most ties run through you\s*— group by\s+organisation to see structure/);
    const org = page.getByRole('radio', { name: 'Organisation' });
    expect(await page.getByRole('radio', { name: 'Clusters' }).isChecked()).toBe(true);
    await layoutDone(page);
    await page.getByText('Legend', { exact: true }).click();
    await shoot(page, 'group-by-before-1280');

    await offer.getByRole('button', { name: 'Group by organisation' }).click();
    expect(await org.isChecked()).toBe(true);
    await expect.poll(() => offer.count()).toBe(0);

    // The organisations, however spelled ("Acme Inc.", "ACME", "acme inc."), largest first,
    // then the catch-alls.
    const list = page.getByRole('list', { name: 'Organisations' });
    const rows = async () =>
      (await list.getByRole('listitem').allTextContents()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      );
    await expect
      .poll(rows)
      .toEqual([
        'Acme Inc. 8 people',
        'Globex Corporation 7 people',
        'Initech 6 people',
        'Umbrella Health 6 people',
        'Quartzo Labs 5 people',
        'Studio Lantern 5 people',
        'Northwind Traders 4 people',
        'Hooli 3 people',
        'Müller & Söhne GmbH 2 people',
        'Tyrell 2 people',
        'Other organisations 7 people',
        'No organisation 5 people',
      ]);

    // Graph, legend and panel in one set of colours: ten organisations and the two
    // catch-alls, each one colour, the same in all three places.
    const vtGraph = page.locator('vt-graph');
    await expect.poll(() => vtGraph.getAttribute('data-group-by')).toBe('org');
    await layoutDone(page);
    await expect.poll(async () => Object.keys(await legendColours(page)).length).toBe(12);
    const legend = await legendColours(page);
    const nodes = await nodeColoursByGroup(page);
    const panel = await panelColours(page);
    expect(Object.keys(panel).sort()).toEqual(Object.keys(legend).sort());
    for (const [id, colour] of Object.entries(legend)) {
      expect({ id, nodes: nodes[id], panel: panel[id] }).toEqual({
        id,
        nodes: [colour],
        panel: rgb(colour),
      });
    }
    expect(new Set(Object.values(legend)).size).toBe(12);
    await expect
      .poll(() => page.locator('vt-graph li[data-legend="cluster:org:acme"]').textContent())
      .toMatch(/Acme Inc\./);
    await shoot(page, 'group-by-after-1280');

    // Picking an organisation shows only its people (and the owner) in the graph.
    await list.getByRole('button', { name: /^Globex/ }).click();
    await expect.poll(() => graphNodes(page)).toBe(8);
    await page.getByRole('button', { name: 'Show everyone' }).click();
    await expect.poll(() => graphNodes(page)).toBe(61);

    // Phone size: the same panel, and the graph makes the same offer.
    await page.getByText('Legend', { exact: true }).click();
    await page.setViewportSize({ width: 375, height: 812 });
    const graphTab = async () => {
      await page.getByRole('tab', { name: 'Graph' }).click();
      await layoutDone(page);
      // Fit the graph to the phone's screen ("0" on the graph).
      await page.getByRole('application', { name: 'People in the network' }).press('0');
    };
    await page.getByRole('radio', { name: 'Clusters' }).check();
    await expect.poll(() => offer.count()).toBe(1);
    await shoot(page, 'group-by-before-375-panel');
    await graphTab();
    const graphOffer = page.getByTestId('graph-group-offer');
    expect(await graphOffer.textContent()).toMatch(/Most ties run through you/);
    await shoot(page, 'group-by-before-375-graph');
    await graphOffer.getByRole('button', { name: 'Group by organisation' }).click();
    await expect.poll(() => vtGraph.getAttribute('data-group-by')).toBe('org');
    await expect.poll(() => graphOffer.count()).toBe(0);
    await graphTab();
    expect(await vtGraph.getByText('Grouped by organisation.').count()).toBe(1);
    await shoot(page, 'group-by-after-375-graph');
    await page.getByRole('tab', { name: 'Clusters' }).click();
    await expect.poll(rows).toHaveLength(12);
    expect(await org.isChecked()).toBe(true);
    await shoot(page, 'group-by-after-375-panel');

    // The choice is kept on the device: after a reload the graph is still by organisation.
    await page.reload();
    await expect.poll(() => vtGraph.getAttribute('data-group-by'), { timeout: 60_000 }).toBe('org');
    profile.expectNoErrors();
  });
});
