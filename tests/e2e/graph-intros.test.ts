/**
 * Introductions in the graph, in headless Chromium on the sample network (which has
 * introductions in every state): the open ones are drawn as dashed lines between their
 * two people, "People I could introduce" emphasises the suggested people, draws their
 * pairs, says why in words, and starts an introduction with both people chosen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

type Model = Record<string, (...args: unknown[]) => unknown>;

/** The notebook's open introductions (idea, asked A, asked B) as `a-b` pairs. */
function openIntroPairs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const v = (window as unknown as { __vitrine: { nb: unknown; model: Model } }).__vitrine;
    const intros = v.model.listIntros!(v.nb) as { a: string; b: string; state: string }[];
    return intros
      .filter((i) => ['idea', 'asked-a', 'asked-b'].includes(i.state))
      .map((i) => [i.a, i.b].sort().join('-'))
      .sort();
  });
}

/** What the graph draws: dashed (pending) and dotted (suggested) pairs, emphasised people. */
function drawn(page: Page) {
  return page.locator('vt-graph').evaluate((el) => {
    interface Ele {
      id(): string;
      source(): Ele;
      target(): Ele;
    }
    interface Coll {
      map<T>(f: (e: Ele) => T): T[];
    }
    const cy = (el as unknown as { graphView?: { cy?: { $(sel: string): Coll } } }).graphView?.cy;
    const pairs = (sel: string) =>
      cy
        ? cy
            .$(sel)
            .map((e) => [e.source().id(), e.target().id()].sort().join('-'))
            .sort()
        : [];
    return {
      pending: pairs('edge.vt-pending-intro'),
      suggested: pairs('edge.vt-suggested-intro'),
      emphasised: cy ? cy.$('node.vt-hl').map((n) => n.id()) : [],
    };
  });
}

describe('introductions in the graph', () => {
  it('draws open introductions and suggests people to introduce', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const graph = page.locator('vt-graph');
    await page.locator('vt-graph[data-ready]').waitFor({ timeout: 60_000 });

    // Every open introduction of the sample is a dashed line between its two people.
    const open = await openIntroPairs(page);
    expect(open.length).toBeGreaterThan(0);
    await expect.poll(async () => (await drawn(page)).pending).toEqual(open);
    expect(Number(await graph.getAttribute('data-pending-intros'))).toBe(open.length);
    expect(Number(await graph.getAttribute('data-suggested-pairs'))).toBe(0);
    // The legend says what the dashed violet line means.
    await graph.getByText('Legend').click();
    await graph.getByText('Introduction in progress').waitFor();
    await graph.getByText('Legend').click();

    // "People I could introduce": the suggested people ringed, their pairs dotted, and the
    // best pairs in words.
    const toggle = page.getByRole('button', { name: 'People I could introduce' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const box = graph.getByRole('region', { name: 'Suggested introductions' });
    await expect.poll(() => box.getByRole('listitem').count()).toBeGreaterThan(0);
    const sentences = await box.getByRole('listitem').allTextContents();
    for (const s of sentences) {
      expect(s).toMatch(/^\s*\S.* and \S.*: (both )?.+, both tagged \S+/);
    }
    const suggestions = await page.evaluate(() => {
      const v = (window as unknown as { __vitrine: { nb: unknown; model: Model } }).__vitrine;
      return v.model.introSuggestions!(v.nb, { limit: 50 }) as { a: string; b: string }[];
    });
    const g = await drawn(page);
    // A suggested pair is never one already under way (the pairs are disjoint).
    expect(g.suggested).toEqual(suggestions.map((s) => [s.a, s.b].sort().join('-')).sort());
    expect(g.suggested.filter((p) => open.includes(p))).toEqual([]);
    expect(new Set(g.emphasised)).toEqual(new Set(suggestions.flatMap((s) => [s.a, s.b])));
    expect(Number(await graph.getAttribute('data-suggested-pairs'))).toBe(suggestions.length);
    expect(await box.getByRole('status').textContent()).toContain(
      `${suggestions.length} pairs could meet`,
    );

    // "Introduce…" on the best pair opens the introduction form with both people chosen.
    const first = box.getByRole('button', { name: /^Introduce / }).first();
    const label = (await first.getAttribute('aria-label'))!;
    const [, nameA, nameB] = /^Introduce (.+) and (.+)$/.exec(label)!;
    await first.click();
    const form = page.getByRole('form', { name: 'Start an introduction' });
    await form.waitFor();
    await form.getByRole('group', { name: `Referral reputation of ${nameA}` }).waitFor();
    await form.getByRole('group', { name: `Referral reputation of ${nameB}` }).waitFor();

    // Off again: the dotted lines and the rings go, the dashed lines stay.
    await toggle.click();
    await expect.poll(async () => (await drawn(page)).suggested).toEqual([]);
    const after = await drawn(page);
    expect(after.emphasised).toEqual([]);
    expect(after.pending).toEqual(open);
    expect(await box.count()).toBe(0);

    profile.expectNoErrors();
    await profile.close();
  });
});
