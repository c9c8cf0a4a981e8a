/**
 * Issue 14, "Edits you can trust", in headless Chromium: the open person's header follows
 * every touch at once, details save as they are typed (one undo step per field), touches
 * can be edited, and every removal offers Undo and says what it undid.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addPersonByUi, freshNotebook, launchBrowser, visiblePeople } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Add a person through the new-person form with a cadence, and leave them open. */
async function addWithCadence(page: Page, name: string, days: number): Promise<void> {
  await page.getByRole('button', { name: 'Add person' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Keep in touch every (days)', { exact: true }).fill(String(days));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** Open someone from the people list. */
async function open(page: Page, name: string): Promise<void> {
  await page.getByLabel('Search', { exact: true }).fill(name);
  await page
    .getByRole('button', { name: new RegExp(name) })
    .first()
    .click();
  await page.getByLabel('Search', { exact: true }).fill('');
  await page.getByRole('heading', { name }).waitFor();
}

async function logTouchOn(page: Page, date: string, note: string): Promise<void> {
  await page.getByRole('button', { name: 'Log touch' }).click();
  await page.getByLabel('Date', { exact: true }).fill(date);
  await page.getByLabel('What about (optional)', { exact: true }).fill(note);
  await page.getByRole('button', { name: 'Save touch' }).click();
  await page.getByRole('button', { name: 'Log touch' }).waitFor();
}

/** A stored field of the person called `name`, read through the app's hook. */
function stored(page: Page, name: string, field: string): Promise<unknown> {
  return page.evaluate(
    ([name, field]) => {
      const v = (
        window as unknown as {
          __vitrine: { nb: unknown; model: { listPeople(nb: unknown): Record<string, unknown>[] } };
        }
      ).__vitrine;
      return v.model.listPeople(v.nb).find((p) => p.name === name)?.[field] ?? null;
    },
    [name, field],
  );
}

function toast(page: Page) {
  return page.locator('vt-toast').getByRole('status');
}

describe('edits you can trust', () => {
  it('updates the header in the same frame as a touch is logged or removed', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'empty');
    await addWithCadence(page, 'Ana Lima', 30);
    await page.getByText('Last touched: never').waitFor();

    await logTouchOn(page, '2020-03-02', 'First coffee');
    await page.getByText('Last touched: 2020-03-02').waitFor();
    await page.getByText(/^Overdue by \d+ days$/).waitFor();

    await page.getByRole('button', { name: 'Remove touch of 2020-03-02' }).click();
    await page.getByText('Last touched: never').waitFor();
    profile.expectNoErrors();
    await profile.close();
  });

  it('saves details as they are typed, on switching person too, one undo step per field edit', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'empty');
    await addPersonByUi(page, 'Bo Chen');
    await addPersonByUi(page, 'Ana Lima');
    // An existing person has no Save button: fields save as they are edited.
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);

    const role = page.getByLabel('Role', { exact: true });
    await role.fill('Mathematician');
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    expect(await stored(page, 'Ana Lima', 'role')).toBe('Mathematician');

    // Switching person straight after typing keeps what was typed.
    await page.getByLabel('Organisation', { exact: true }).fill('NASA');
    await open(page, 'Bo Chen');
    await expect.poll(() => stored(page, 'Ana Lima', 'org')).toBe('NASA');

    // One edit of a field, saved several times while typing, is one undo step.
    await open(page, 'Ana Lima');
    await role.fill('Math');
    await expect.poll(() => stored(page, 'Ana Lima', 'role')).toBe('Math');
    await role.fill('Mathematics');
    await expect.poll(() => stored(page, 'Ana Lima', 'role')).toBe('Mathematics');
    await role.press('Tab');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => stored(page, 'Ana Lima', 'role')).toBe('Mathematician');
    await expect.poll(() => role.inputValue()).toBe('Mathematician');
    expect(await stored(page, 'Ana Lima', 'org')).toBe('NASA');

    // A refused value is marked next to its field and nothing is stored.
    await page.getByLabel('Emails (comma-separated)', { exact: true }).fill('ana@');
    await page
      .getByRole('alert')
      .filter({ hasText: /not an e-mail address/ })
      .waitFor();
    await page.getByText('Not saved: fix the field marked above.').waitFor();
    expect(await stored(page, 'Ana Lima', 'emails')).toEqual([]);
    profile.expectNoErrors();
    await profile.close();
  });

  it('edits a touch: date, channel, note and who else was there (also when logging)', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'empty');
    await addPersonByUi(page, 'Bo Chen');
    await addWithCadence(page, 'Ana Lima', 30);

    // The log form has the "with …" field too.
    await page.getByRole('button', { name: 'Log touch' }).click();
    await page.getByLabel('Date', { exact: true }).fill('2020-03-02');
    await page.getByRole('combobox', { name: 'With (someone else who was there)' }).fill('bo');
    await page.getByRole('option', { name: /Bo Chen/ }).click();
    await page.getByRole('button', { name: 'Remove Bo Chen from this touch' }).waitFor();
    await page.getByRole('button', { name: 'Save touch' }).click();
    await page.getByText('with Bo Chen').waitFor();

    // Clicking the touch edits it.
    await page.getByRole('button', { name: /Coffee/ }).click();
    await page.getByLabel('Date', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save touch' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /needs a date/ })
      .waitFor();
    await page.getByText('Last touched: 2020-03-02').waitFor();

    await page.getByLabel('Date', { exact: true }).fill('2020-03-05');
    await page.getByLabel('Channel', { exact: true }).selectOption('call');
    await page.getByLabel('What about (optional)', { exact: true }).fill('Catch-up');
    await page.getByRole('button', { name: 'Remove Bo Chen from this touch' }).click();
    await page.getByRole('button', { name: 'Save touch' }).click();
    await page.getByRole('button', { name: /Call — Catch-up/ }).waitFor();
    await page.getByText('Last touched: 2020-03-05').waitFor();
    expect(await page.getByText('with Bo Chen').count()).toBe(0);
    const stored = await page.evaluate(() => {
      const v = (
        window as unknown as {
          __vitrine: { nb: unknown; model: { listTouches(nb: unknown): unknown[] } };
        }
      ).__vitrine;
      return v.model.listTouches(v.nb);
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ at: '2020-03-05', channel: 'call', note: 'Catch-up' });
    expect((stored[0] as { personIds: string[] }).personIds).toHaveLength(1);
    profile.expectNoErrors();
    await profile.close();
  });

  it('offers Undo for a removed touch, tie and person, and says what it undid', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'empty');
    await addPersonByUi(page, 'Bo Chen');
    await addWithCadence(page, 'Ana Lima', 30);
    await logTouchOn(page, '2020-03-02', 'First coffee');

    await page.getByRole('button', { name: 'Remove touch of 2020-03-02' }).click();
    await expect
      .poll(() => toast(page).textContent())
      .toMatch(/Removed touch with Ana Lima on 2 March 2020/);
    await page.getByRole('button', { name: 'Undo removal' }).click();
    await expect
      .poll(() => toast(page).textContent())
      .toMatch(/Undid: removed touch with Ana Lima on 2 March 2020/);
    await page.getByText('Last touched: 2020-03-02').waitFor();

    await page.getByRole('combobox', { name: 'Add a tie to' }).fill('bo');
    await page.getByRole('option', { name: /Bo Chen/ }).click();
    await page.getByRole('button', { name: 'Add tie' }).click();
    await page.getByRole('button', { name: 'Remove tie to Bo Chen' }).click();
    await expect.poll(() => toast(page).textContent()).toMatch(/Removed tie to Bo Chen/);
    await page.getByRole('button', { name: 'Undo removal' }).click();
    await page.getByRole('button', { name: 'Remove tie to Bo Chen' }).waitFor();
    await expect.poll(() => toast(page).textContent()).toMatch(/Undid: removed tie to Bo Chen/);

    const before = await visiblePeople(page);
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => toast(page).textContent()).toMatch(/Moved Ana Lima to the trash/);
    expect(await visiblePeople(page)).toBe(before - 1);
    await page.getByRole('button', { name: 'Undo removal' }).click();
    await expect.poll(() => visiblePeople(page)).toBe(before);
    await expect
      .poll(() => toast(page).textContent())
      .toMatch(/Undid: moved Ana Lima to the trash/);
    profile.expectNoErrors();
    await profile.close();
  });
});
