/**
 * Today in the app, in headless Chromium on the sample network: it is the home, lists the
 * notebook's due items with a header badge of their count, a snooze made in one tab is in
 * a second tab at once and survives a reload, "Log touch" (the L key) updates every view,
 * and the daily digest notifies a due item once and not again the same day.
 */
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { icsUid } from '../../src/io/ics-export.ts';
import type { Browser, Page } from 'playwright-core';
import { newProfile, launchBrowser, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Hook {
  nb: { ownerId: string; now(): Date };
  model: Record<string, (...args: unknown[]) => unknown>;
  analysis: { latest?: { clusters: unknown[] } };
}

/** Today's item keys as the model computes them (with the analysis' clusters, as the app). */
function modelKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const v = (window as unknown as { __vitrine: Hook }).__vitrine;
    const r = v.model.today(v.nb, v.nb.now(), { clusters: v.analysis.latest?.clusters }) as {
      items: { key: string }[];
    };
    return r.items.map((i) => i.key);
  });
}

/** The keys Today shows, in order. */
function shownKeys(page: Page): Promise<string[]> {
  return page
    .locator('vt-today li[data-key]')
    .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.key!));
}

/** The count in the header's Today button ("Today 5 due"), once it has one. */
async function badge(page: Page): Promise<number> {
  const button = page.getByRole('button', { name: /^Today \d+ due$/ });
  await button.waitFor({ timeout: 120_000 });
  return Number(/(\d+)/.exec((await button.getAttribute('aria-label'))!)![1]);
}

async function waitForKeyGone(page: Page, key: string): Promise<void> {
  await page.waitForFunction(
    (k) =>
      ![
        ...(document
          .querySelector('vt-app')
          ?.shadowRoot?.querySelector('vt-today')
          ?.shadowRoot?.querySelectorAll('li[data-key]') ?? []),
      ].some((li) => (li as HTMLElement).dataset.key === k),
    key,
    { timeout: 60_000 },
  );
}

describe('Today', () => {
  it('is the home: lists the sample network’s due items, with their count on the header button', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const n = await badge(page);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    const expected = await modelKeys(page);
    expect(expected.length).toBeGreaterThan(3);
    expect(n).toBe(expected.length);
    // Every kind's first items, in the model's order (long kinds show 10 before "Show more"),
    // drawn a screenful first and the rest just after.
    const kindOf = (key: string) => key.split('|')[0]!;
    const kinds = [...new Set(expected.map(kindOf))];
    const listed = kinds.reduce(
      (sum, kind) => sum + Math.min(10, expected.filter((k) => kindOf(k) === kind).length),
      0,
    );
    await expect.poll(async () => (await shownKeys(page)).length).toBe(listed);
    const shown = await shownKeys(page);
    expect([...new Set(shown.map(kindOf))]).toEqual(kinds);
    for (const kind of kinds) {
      const mine = shown.filter((k) => kindOf(k) === kind);
      expect(mine).toEqual(expected.filter((k) => kindOf(k) === kind).slice(0, mine.length));
      expect(mine.length).toBe(Math.min(10, expected.filter((k) => kindOf(k) === kind).length));
    }
    expect(new Set(shown).size).toBe(shown.length);
    // Each item says why, in words.
    const first = page.locator('vt-today li[data-key]').first();
    expect(await first.locator('.reason').textContent()).toMatch(/overdue: last touched/);
    expect(await page.getByRole('heading', { name: /^Overdue for a touch/ }).count()).toBe(1);
    profile.expectNoErrors();
    await profile.close();
  });

  it('downloads the calendar file made in a worker: an event with an alarm for every item listed', async () => {
    const profile = await newProfile(browser, { acceptDownloads: true });
    const page = await profile.newPage();
    const workers: string[] = [];
    const warnings: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await openApp(page, url);
    await startNotebook(page, 'sample');
    await badge(page);
    const keys = (await modelKeys(page)).filter((k) => !k.startsWith('meeting|'));
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.getByRole('button', { name: 'Download calendar (.ics)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    const uids = new Set(events.map((e) => String(e.getFirstPropertyValue('uid'))));
    expect(keys.length).toBeGreaterThan(3);
    for (const k of keys) expect(uids.has(icsUid(k)), k).toBe(true);
    expect(events.every((e) => e.getFirstSubcomponent('valarm'))).toBe(true);
    // Made off the page's thread, not by the fallback on it.
    expect(workers.some((w) => /reminders-ics/.test(w))).toBe(true);
    expect(warnings.filter((w) => /calendar file/.test(w))).toEqual([]);
    await page.getByText(/Calendar file saved/).waitFor();
    profile.expectNoErrors();
    await profile.close();
  });

  it('keeps a snooze in the notebook: a second tab has it at once, a reload keeps it', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const n = await badge(page);
    const other = await profile.newPage();
    await openApp(other, url);
    expect(await badge(other)).toBe(n);

    const item = page.locator('vt-today li[data-key]').first();
    const key = (await item.getAttribute('data-key'))!;
    const second = await page.locator('vt-today li[data-key]').nth(1).getAttribute('data-key');
    await item.getByRole('button', { name: /^Snooze / }).click();
    // Escape closes the choices and gives the keyboard back to "Snooze".
    await expect.poll(() => item.getByRole('group').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => item.getByRole('group').count()).toBe(0);
    expect(
      await item.getByRole('button', { name: /^Snooze / }).evaluate((el) => el.matches(':focus')),
    ).toBe(true);
    await page.keyboard.press('Enter');
    await item.getByRole('button', { name: /^A week/ }).click();
    await waitForKeyGone(page, key);
    // The keyboard moved on to the next item.
    expect(
      await page
        .locator('vt-today li:focus')
        .evaluate((el) => (el as HTMLElement).dataset.key)
        .catch(() => undefined),
    ).toBe(second);
    await expect.poll(() => badge(page)).toBe(n - 1);

    // The other tab, at once (BroadcastChannel), with no reload.
    await waitForKeyGone(other, key);
    await expect.poll(() => badge(other)).toBe(n - 1);

    await page.reload();
    await page.locator('vt-app header').waitFor();
    expect(await badge(page)).toBe(n - 1);
    await page.locator('vt-today li[data-key]').first().waitFor();
    expect(await shownKeys(page)).not.toContain(key);
    profile.expectNoErrors();
    await profile.close();
  });

  it('logs a touch with the L key, and every view has it: Today, the badge, Needs attention, the person', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const n = await badge(page);
    const item = page.locator('vt-today li[data-key]').first();
    const key = (await item.getAttribute('data-key'))!;
    const who = (await item.locator('.who').first().textContent())!.trim();
    const next = await page.locator('vt-today li[data-key]').nth(1).getAttribute('data-key');
    // Needs attention lists them before.
    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    await page.getByRole('tab', { name: /^Needs attention/ }).click();
    const neglected = page.getByRole('list', { name: 'Neglected ties' });
    await expect
      .poll(() => neglected.getByRole('button', { name: who, exact: true }).count())
      .toBe(1);
    await page.getByRole('button', { name: /^Today/ }).click();

    await item.focus();
    await page.keyboard.press('l');
    await waitForKeyGone(page, key);
    expect(
      await page.locator('vt-today li:focus').evaluate((el) => (el as HTMLElement).dataset.key),
    ).toBe(next);
    await expect.poll(() => badge(page), { timeout: 60_000 }).toBe(n - 1);
    await page
      .getByRole('status')
      .filter({ hasText: `Touch logged with ${who}` })
      .waitFor();

    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    await page.getByRole('tab', { name: /^Needs attention/ }).click();
    await expect
      .poll(() => neglected.getByRole('button', { name: who, exact: true }).count(), {
        timeout: 60_000,
      })
      .toBe(0);
    await page.getByRole('list', { name: 'Neglected ties' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill(who);
    await page
      .locator('vt-people-list')
      .getByRole('button', { name: new RegExp(who) })
      .first()
      .click();
    const day = await page.evaluate(() =>
      (window as unknown as { __vitrine: Hook }).__vitrine.nb.now().toISOString().slice(0, 10),
    );
    await page.getByText(`Last touched: ${day}`).waitFor();
    profile.expectNoErrors();
    await profile.close();
  });

  it('sends the daily digest once for a due item, and not again the same day', async () => {
    const profile = await newProfile(browser);
    await profile.context.grantPermissions(['notifications'], { origin: new URL(url).origin });
    // Record every notification, however the app shows it (page or service worker).
    await profile.context.addInitScript(() => {
      const w = window as unknown as { __notes: { title: string; body: string }[] };
      w.__notes = [];
      const Real = window.Notification;
      class Recorded {
        static get permission() {
          return Real.permission;
        }
        static requestPermission() {
          return Real.requestPermission();
        }
        onclick: unknown = null;
        constructor(title: string, opts: { body?: string } = {}) {
          w.__notes.push({ title, body: opts.body ?? '' });
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
      // Not in every frame (about:blank is no secure context).
      if (typeof ServiceWorkerRegistration === 'undefined') return;
      ServiceWorkerRegistration.prototype.showNotification = async function (
        title: string,
        opts?: { body?: string },
      ) {
        w.__notes.push({ title, body: opts?.body ?? '' });
      };
    });
    const page = await profile.newPage();
    // 10:00 local time: past the digest time chosen below.
    await page.clock.install({ time: new Date(2026, 11, 2, 10, 0, 0) });
    await openApp(page, url);
    await startNotebook(page, 'sample');
    const n = await badge(page);
    const notes = () =>
      page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes);

    await page.locator('vt-today summary', { hasText: 'Daily digest' }).click();
    await page.getByLabel('at', { exact: true }).fill('08:30');
    await page.getByLabel('Daily digest', { exact: true }).check();
    await page.getByRole('status').filter({ hasText: 'Daily digest on, at 08:30' }).waitFor();
    await expect.poll(async () => (await notes()).length).toBe(1);
    expect((await notes())[0]!.title).toBe(`Vitrine: ${n} things need you today`);

    // The same day: another check (a new time) and a reload notify nothing more.
    await page.getByLabel('at', { exact: true }).fill('09:00');
    await page.getByRole('status').filter({ hasText: 'Daily digest on, at 09:00' }).waitFor();
    await page.reload();
    await page.locator('vt-app header').waitFor();
    await badge(page);
    await page.clock.runFor(5_000);
    expect((await notes()).length).toBe(0);

    // The next day at the digest time: the items still due are notified again, once.
    await page.clock.fastForward('24:00:00');
    await expect.poll(async () => (await notes()).length, { timeout: 30_000 }).toBe(1);
    expect((await notes())[0]!.title).toMatch(/^Vitrine: \d+ things? needs? you today$/);
    profile.expectNoErrors();
    await profile.close();
  });
});
