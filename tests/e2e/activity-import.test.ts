/**
 * Activity in the app: a LinkedIn-only notebook of 60 people (a star around the owner, no
 * clusters) gets a year of calendar through "Import contacts…": the preview (touches,
 * matched people, inferred ties, the suggested owner address), then Import. After it, the
 * Clusters panel finds the three groups that meet together, "Needs attention" ranks people
 * by their real last meeting, and nothing left the device while importing. Saves
 * docs/screenshot-activity-before.png and docs/screenshot-activity-after.png (1280×800) when
 * VITRINE_SCREENSHOTS=1.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook, visiblePeople } from './browser.ts';
import { connectionsCsv, personEmail, yearOfCalendar } from '../helpers/ics.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const email = personEmail;

async function pickFile(page: Page, name: string, mimeType: string, text: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import contacts…' }).click(),
  ]);
  await chooser.setFiles({ name, mimeType, buffer: Buffer.from(text) });
}

async function counts(page: Page): Promise<string> {
  const text = await page.getByTestId('import-counts').textContent({ timeout: 60_000 });
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** Names in "Needs attention", in order. */
function neglectedNames(page: Page): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Neglected ties' })
    .locator(':scope > li .who')
    .allTextContents()
    .then((l) => l.map((s) => s.trim()));
}

describe('activity import in the app', () => {
  it('a year of calendar gives a LinkedIn-only notebook its clusters and real last meetings, offline', async () => {
    const profile = await newProfile(browser, { viewport: { width: 1280, height: 800 } });
    const requests: { url: string; method: string }[] = [];
    profile.context.on('request', (r) => requests.push({ url: r.url(), method: r.method() }));
    const page = await profile.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, url);
    await startNotebook(page, 'empty');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Import contacts' });

    // The LinkedIn-only notebook: everyone tied to the owner only.
    await pickFile(page, 'Connections.csv', 'text/csv', connectionsCsv());
    expect(await counts(page)).toMatch(/^60 new/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => visiblePeople(page)).toBe(61);
    // A cadence of 30 days on the three met alone, so that they are due.
    await page.evaluate((emails) => {
      const v = (
        window as unknown as {
          __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
        }
      ).__vitrine;
      const people = v.model.listPeople(v.nb) as { id: string; emails: string[] }[];
      for (const e of emails)
        v.model.updatePerson(v.nb, people.find((p) => p.emails.includes(e))!.id, {
          cadenceDays: 30,
        });
    }, [36, 37, 38].map(email));

    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    await expect.poll(() => page.getByText(/No clusters yet/).count(), { timeout: 60_000 }).toBe(1);
    await page.locator('vt-graph[data-ready]').waitFor({ state: 'attached', timeout: 60_000 });
    // VITRINE_SCREENSHOTS=1 refreshes the README's pictures; a test run leaves docs/ alone.
    if (process.env.VITRINE_SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshot-activity-before.png' });
    }

    // The calendar, through the same button: detected, planned in the worker, previewed.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const sent = requests.length;
    // The page never freezes while the calendar is planned: no task over 100 ms.
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    await pickFile(page, 'work.ics', 'text/calendar', yearOfCalendar());
    expect(await counts(page)).toMatch(/^153 new touches 39 people matched \d+ ties inferred/);
    const longTasks = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    );
    expect(longTasks.filter((ms) => ms > 100)).toEqual([]);
    expect(page.workers().some((w) => /import\.worker/.test(w.url()))).toBe(true);
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Read as' }).inputValue())
      .toBe('calendar');
    // The organizer is offered as the owner's own address; taking it re-plans.
    const mine = dialog.getByRole('checkbox', { name: /me@owner\.example is my address/ });
    await mine.check();
    await expect.poll(() => mine.isChecked()).toBe(true);
    expect(await counts(page)).toMatch(/^153 new touches 39 people matched/);
    expect(await dialog.getByRole('checkbox', { name: 'Keep event titles' }).isChecked()).toBe(
      false,
    );
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 })
      .toMatch(/Imported work\.ics: 153 touches, \d+ ties inferred/);
    // Nothing left the device: no request to anywhere but the app's own files.
    const origin = new URL(url).origin;
    expect(
      requests.slice(sent).filter((r) => !r.url.startsWith(origin) || r.method !== 'GET'),
    ).toEqual([]);
    expect(
      await page.evaluate(() => {
        const v = (
          window as unknown as {
            __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
          }
        ).__vitrine;
        return v.model.ownerAddresses(v.nb);
      }),
    ).toContain('me@owner.example');

    // Settings lists the address, editable; a line that is no address is refused.
    const addresses = page.getByRole('textbox', { name: 'Your own addresses' });
    await expect.poll(() => addresses.inputValue()).toBe('me@owner.example');
    await addresses.fill('me@owner.example\nnot an address');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'not an address' }).count()).toBe(1);
    await addresses.fill('me@owner.example\nme@home.example');
    await page.getByRole('button', { name: 'Save addresses' }).click();
    await expect
      .poll(() =>
        page.evaluate(() => {
          const v = (
            window as unknown as {
              __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
            }
          ).__vitrine;
          return v.model.ownerAddresses(v.nb);
        }),
      )
      .toEqual(['me@owner.example', 'me@home.example']);

    // After: the three groups are clusters.
    await page.getByRole('button', { name: 'Clusters', exact: true }).click();
    const list = page.getByRole('list', { name: 'Clusters' });
    await expect
      .poll(() => list.locator(':scope > li').count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(3);

    // Needs attention ranks by the real last meeting: 200, then 100, then 45 days ago.
    await page.getByRole('tab', { name: /^Needs attention/ }).click();
    await expect
      .poll(async () => (await neglectedNames(page)).slice(0, 3), { timeout: 30_000 })
      .toEqual(['Person Number36', 'Person Number37', 'Person Number38']);
    await page.getByRole('tab', { name: 'Clusters', exact: true }).click();
    await page.mouse.move(640, 30);
    if (process.env.VITRINE_SCREENSHOTS) {
      await page.screenshot({ path: 'docs/screenshot-activity-after.png' });
    }
    profile.expectNoErrors();
    await profile.close();
  });
});
