/**
 * Issue 14 ("Edits you can trust"), points 5, 6 and 9 on screen: a flaked outcome asks who
 * flaked and only they are flagged; drafts quote private fields only when ticked in; each
 * introduction is listed under one heading; narrowing a scrolled people list by a search
 * does not break the page.
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

type Model = Record<string, (...args: unknown[]) => unknown>;

/** Run `fn(model, nb)` in the page through the app's own model hook. */
function inApp<T, A>(page: Page, fn: (m: Model, nb: { ownerId: string }, arg: A) => T, arg: A) {
  return page.evaluate(
    ([src, a]) => {
      const v = (window as unknown as { __vitrine: { nb: { ownerId: string }; model: Model } })
        .__vitrine;
      return (new Function(`return (${src})`)() as typeof fn)(v.model, v.nb, a as A);
    },
    [fn.toString(), arg] as const,
  ) as Promise<T>;
}

describe('edits you can trust: introductions and the people list', () => {
  it('a flaked outcome asks who flaked, and only that person is flagged', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    // A fresh introduction between two sample people, made through the model, then
    // opened in the app.
    const ids = await inApp(
      page,
      (m, nb) => {
        const people = (m.listPeople!(nb) as { id: string; name: string; underGlass?: boolean }[])
          .filter((p) => p.id !== nb.ownerId && !p.underGlass)
          .slice(0, 2);
        const id = m.createIntro!(nb, { a: people[0]!.id, b: people[1]!.id }) as string;
        m.advanceIntro!(nb, id, 'asked-a');
        m.advanceIntro!(nb, id, 'asked-b');
        m.advanceIntro!(nb, id, 'introduced');
        return { id, a: people[0]!, b: people[1]! };
      },
      null,
    );
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('tab', { name: /Done/ }).click();
    await page
      .getByRole('region', { name: 'Made' })
      .getByRole('button', { name: new RegExp(`${ids.a.name}.*${ids.b.name}`) })
      .first()
      .click();
    const outcome = page.getByRole('group', { name: 'Outcome' });
    await outcome.getByRole('button', { name: 'Flaked' }).click();
    // Nothing is recorded until the owner says who.
    const who = page.getByRole('group', { name: 'Who flaked?' });
    await who.waitFor();
    expect(
      await inApp(page, (m, nb, id: string) => m.getIntro!(nb, id), ids.id),
    ).not.toHaveProperty('outcome');
    await who.getByRole('button', { name: ids.b.name, exact: true }).click();
    await expect
      .poll(() =>
        inApp(
          page,
          (m, nb, id: string) => (m.getIntro!(nb, id) as { blame?: string }).blame,
          ids.id,
        ),
      )
      .toBe('b');
    const lastBad = (id: string) =>
      inApp(
        page,
        (m, nb, pid: string) =>
          (m.refereeRecord!(nb, pid) as { lastBad?: unknown }).lastBad ?? null,
        id,
      );
    expect(await lastBad(ids.a.id)).toBeNull();
    expect(await lastBad(ids.b.id)).toEqual({ introId: ids.id, outcome: 'flaked' });
    expect(
      await who.getByRole('button', { name: ids.b.name, exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    profile.expectNoErrors();
    await profile.close();
  });

  it('drafts leave how we met out unless ticked in, and keep the purpose as written', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    const ids = await inApp(
      page,
      (m, nb) => {
        const people = (m.listPeople!(nb) as { id: string; name: string; underGlass?: boolean }[])
          .filter((p) => p.id !== nb.ownerId && !p.underGlass)
          .slice(2, 4);
        m.updatePerson!(nb, people[1]!.id, { howWeMet: 'Secret supper club' });
        const id = m.createIntro!(nb, {
          a: people[0]!.id,
          b: people[1]!.id,
          purpose: 'Alice is hiring',
        }) as string;
        return { id, a: people[0]!, b: people[1]! };
      },
      null,
    );
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page
      .getByRole('region', { name: 'Ideas' })
      .getByRole('button', { name: new RegExp(`${ids.a.name}.*${ids.b.name}`) })
      .first()
      .click();
    const ask = page.getByLabel('Ask the first: message');
    await ask.waitFor();
    expect(await ask.inputValue()).toContain('Why I think you two should talk: Alice is hiring.');
    expect(await ask.inputValue()).not.toContain('Secret supper club');
    await page.getByRole('checkbox', { name: 'How we met' }).check();
    await expect.poll(() => ask.inputValue()).toContain('Secret supper club');
    profile.expectNoErrors();
    await profile.close();
  });

  it('each open introduction is listed under one heading only', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('region', { name: 'Due' }).waitFor();
    const rows = await page
      .locator('vt-intros-view')
      .getByRole('tabpanel')
      .getByRole('listitem')
      .evaluateAll((items) => items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
    const open = await inApp(
      page,
      (m, nb) =>
        (m.listIntros!(nb) as { state: string }[]).filter((i) =>
          ['idea', 'asked-a', 'asked-b'].includes(i.state),
        ).length,
      null,
    );
    const due = await page.getByRole('region', { name: 'Due' }).getByRole('listitem').count();
    const suggested = await page
      .getByRole('region', { name: 'People you could introduce' })
      .getByRole('listitem')
      .count();
    // Every open introduction once, plus due follow-ups of made ones, plus suggestions.
    const dueMade = await inApp(
      page,
      (m, nb) =>
        (m.introsDue!(nb) as { intro: { state: string } }[]).filter(
          (d) => d.intro.state === 'introduced',
        ).length,
      null,
    );
    expect(due).toBeGreaterThan(0);
    expect(rows.length).toBe(open + dueMade + suggested);
    profile.expectNoErrors();
    await profile.close();
  });

  it('a search that narrows a scrolled people list does not break the page', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    const list = page.locator('vt-people-list lit-virtualizer');
    await list.waitFor();
    // Scroll to the end of the list, then narrow it to a handful.
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator('vt-people-list').getByRole('listitem').last();
    await last.waitFor();
    await page.getByLabel('Search', { exact: true }).fill('a');
    await page.getByLabel('Search', { exact: true }).fill('an');
    await page.getByLabel('Search', { exact: true }).fill('ana');
    await expect
      .poll(() => page.locator('vt-people-list').getByRole('listitem').count())
      .toBeGreaterThan(0);
    // Give the virtualizer the frames it renders in before checking for errors.
    await page.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
    );
    profile.expectNoErrors();
    await profile.close();
  });

  it('Settings removes the sample network, then deletes the notebook after a typed confirmation', async () => {
    const { profile, page } = await freshNotebook(browser, url, 'sample');
    await addPersonByUi(page, 'Zoë Real');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Remove the sample network' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm remove sample' });
    expect(await confirm.getByRole('button', { name: 'Save a backup first' }).count()).toBe(1);
    await confirm.getByRole('button', { name: 'Remove the sample' }).click();
    // The owner and the person added by hand stay.
    await expect.poll(() => visiblePeople(page)).toBe(2);
    expect(await page.getByRole('button', { name: 'Remove the sample network' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Delete this notebook' }).click();
    const del = page.getByRole('group', { name: 'Confirm delete' });
    const go = del.getByRole('button', { name: 'Delete this notebook for good' });
    expect(await go.isDisabled()).toBe(true);
    await del.getByLabel('Type delete to confirm').fill('delete');
    await go.click();
    // After the reload the first-run screen is back: nothing is stored any more.
    await page.getByRole('button', { name: 'Load the sample network' }).waitFor();
    profile.expectNoErrors();
    await profile.close();
  });
});
