/**
 * Issue 11, point 3 in the app: the person form refuses a non-web link, a bad e-mail and a
 * huge cadence with the sentence next to the field (nothing saved), and a saved link is a
 * real link that opens in a new tab without the opener or the referrer.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook, visiblePeople } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The text of the element that describes the input labelled `label` (its error). */
function describedBy(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) => {
    const id = el.getAttribute('aria-describedby') ?? '';
    const root = el.getRootNode() as ShadowRoot | Document;
    return root.getElementById(id)?.textContent?.trim() ?? '';
  });
}

describe('the person form checks links, e-mails and cadences', () => {
  it('shows the sentence next to the refused field and saves nothing; saved links are real links', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    const before = await visiblePeople(page);

    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ana Lima');
    const links = 'Links (comma-separated)';
    await page.getByLabel(links, { exact: true }).fill('javascript:alert(document.cookie)');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => describedBy(page, links)).toMatch(/is not a web link/);
    expect(await page.getByLabel(links, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await visiblePeople(page)).toBe(before);

    await page.getByLabel(links, { exact: true }).fill('example.com/ana');
    const emails = 'Emails (comma-separated)';
    await page.getByLabel(emails, { exact: true }).fill('ana@');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => describedBy(page, emails)).toMatch(/not an e-mail address/);
    expect(await describedBy(page, links)).toBe('');
    expect(await visiblePeople(page)).toBe(before);

    await page.getByLabel(emails, { exact: true }).fill('ana@example.com');
    const cadence = 'Keep in touch every (days)';
    await page.getByLabel(cadence, { exact: true }).fill('100000000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => describedBy(page, cadence)).toMatch(/from 1 to 3650/);
    expect(await visiblePeople(page)).toBe(before);

    await page.getByLabel(cadence, { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Ana Lima' }).waitFor();
    expect(await visiblePeople(page)).toBe(before + 1);

    const link = page.getByRole('link', { name: 'https://example.com/ana' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://example.com/ana');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.getByRole('link', { name: 'ana@example.com' }).getAttribute('href')).toBe(
      'mailto:ana@example.com',
    );
    profile.expectNoErrors();
    await profile.close();
  });
});
