/**
 * The phone layout (issue 14 point 18), at 375×812: every control on the main screens is a
 * touch target of at least 44×44 px with a name (shown or accessible); the third tab is named
 * after what it shows (Introductions, Settings, …, not always "Details"); the graph fills
 * its tab.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Core } from 'cytoscape';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Target {
  what: string;
  name: string;
  width: number;
  height: number;
}

/**
 * Every control a finger can reach on screen now (through shadow roots), with its size and
 * accessible name. `scope` limits it to elements inside the named hosts/selectors.
 */
function targets(page: Page, scopes: readonly string[]): Promise<Target[]> {
  return page.evaluate((scopes) => {
    const CONTROL =
      'button, a[href], input:not([type=hidden]), select, textarea, summary, [role=tab], [tabindex="0"]';
    const found: Element[] = [];
    const scope = scopes.join(', ');
    // Through shadow roots: `closest` looks within one tree, `inside` carries across.
    const walk = (root: Document | ShadowRoot, inScope: boolean) => {
      for (const el of root.querySelectorAll('*')) {
        const inside = inScope || !!el.closest(scope);
        if (inside && el.matches(CONTROL)) found.push(el);
        if (el.shadowRoot) walk(el.shadowRoot, inside);
      }
    };
    walk(document, false);
    const nameOf = (el: Element): string => {
      const byId = (ids: string) =>
        ids
          .split(/\s+/)
          .map((id) => (el.getRootNode() as ShadowRoot | Document).getElementById(id)?.textContent)
          .join(' ');
      const labelledby = el.getAttribute('aria-labelledby');
      if (labelledby) return byId(labelledby).trim();
      const label = el.getAttribute('aria-label');
      if (label) return label.trim();
      const labels = (el as HTMLInputElement).labels;
      if (labels?.length)
        return [...labels]
          .map((l) => l.textContent)
          .join(' ')
          .trim();
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      return text || (el.getAttribute('title') ?? '').trim();
    };
    const seen = new Set<Element>();
    const out: Target[] = [];
    for (const el of found) {
      if (seen.has(el)) continue;
      seen.add(el);
      // A checkbox's touch target is the label around it.
      const box =
        el.matches('input[type=checkbox], input[type=radio]') && el.parentElement?.matches('label')
          ? el.parentElement
          : el;
      const r = box.getBoundingClientRect();
      const visible =
        r.width > 0 &&
        r.height > 0 &&
        r.bottom > 0 &&
        r.top < innerHeight &&
        el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
      if (!visible) continue;
      const tag = el.tagName.toLowerCase();
      const name = nameOf(el);
      out.push({
        what: `${tag}${el.id ? `#${el.id}` : ''} "${name.slice(0, 40)}"`,
        name,
        width: Math.round(r.width),
        height: Math.round(r.height),
      });
    }
    return out;
  }, scopes);
}

function tooSmall(list: Target[]): string[] {
  return list
    .filter((t) => t.width < 44 || t.height < 44)
    .map((t) => `${t.what} ${t.width}×${t.height}`);
}

function nameless(list: Target[]): string[] {
  return list.filter((t) => !t.name).map((t) => t.what);
}

describe('on a 375×812 phone', () => {
  it('has 44 px touch targets with names, tabs named after what they show, and a graph that fills its tab', async () => {
    const profile = await newProfile(browser, { viewport: { width: 375, height: 812 } });
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);
    await startNotebook(page, 'sample');
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 120_000 });

    // The header (with the sync indicator) and the tabs.
    const header = await targets(page, ['header', 'nav[role=tablist]']);
    expect(header.length).toBeGreaterThanOrEqual(10);
    expect(tooSmall(header), 'header targets under 44 px').toEqual([]);
    expect(nameless(header), 'header controls without a name').toEqual([]);
    // People list rows (Today is the phone's first screen: open the People tab).
    await page.getByRole('tab', { name: 'People' }).click();
    await expect
      .poll(async () => (await targets(page, ['vt-people-list'])).length, { timeout: 60_000 })
      .toBeGreaterThan(5);
    const rows = await targets(page, ['vt-people-list']);
    expect(rows.length).toBeGreaterThan(5);
    expect(tooSmall(rows), 'list targets under 44 px').toEqual([]);

    // The graph tab: its buttons, and the drawing filling the pane.
    await page.getByRole('tab', { name: 'Graph' }).click();
    const graphControls = await targets(page, ['vt-graph']);
    expect(
      tooSmall(graphControls.filter((t) => !t.what.startsWith('div'))),
      'graph targets',
    ).toEqual([]);
    expect(nameless(graphControls), 'graph controls without a name').toEqual([]);
    const fill = await page.locator('vt-graph').evaluate(async (el) => {
      const view = (el as unknown as { graphView: { cy: Core } }).graphView;
      const cy = view.cy;
      await new Promise((ok) => requestAnimationFrame(ok));
      const box = cy.nodes(':visible').renderedBoundingBox({});
      const pane = { w: cy.width(), h: cy.height() };
      const host = el.getBoundingClientRect();
      const tabs = document.querySelector('vt-app')!.shadowRoot!.querySelector('nav')!;
      return {
        w: box.w / pane.w,
        h: box.h / pane.h,
        pane,
        top: host.top,
        bottom: host.bottom,
        below: tabs.getBoundingClientRect().bottom,
      };
    });
    // The pane is the whole space below the tabs...
    expect(fill.top).toBeLessThanOrEqual(fill.below + 1);
    expect(fill.bottom).toBeGreaterThanOrEqual(811);
    // ...and the drawing is fitted to it (edge to edge, less a margin, one way).
    expect(Math.max(fill.w, fill.h), `drawing fills ${JSON.stringify(fill)}`).toBeGreaterThan(0.8);
    console.log('phone graph fill', JSON.stringify(fill));

    // A person: the panel's controls.
    await page.getByRole('tab', { name: 'People' }).click();
    await page.locator('vt-people-list').getByRole('button').nth(2).click();
    await page.getByRole('button', { name: 'Log touch' }).waitFor();
    const selected = page
      .getByRole('tablist', { name: 'Views' })
      .getByRole('tab', { selected: true });
    expect((await selected.textContent())?.trim()).toBe('Person');
    const person = await targets(page, ['vt-person-panel']);
    expect(tooSmall(person.filter((t) => !t.what.startsWith('a '))), 'person targets').toEqual([]);
    expect(nameless(person), 'person controls without a name').toEqual([]);

    // Introductions opens under a tab named Introductions.
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('heading', { name: 'Introductions' }).waitFor();
    expect((await selected.textContent())?.trim()).toBe('Introductions');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    expect((await selected.textContent())?.trim()).toBe('Settings');
    profile.expectNoErrors();
    await profile.close();
  });
});
