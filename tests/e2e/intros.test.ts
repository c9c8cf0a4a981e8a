/**
 * One introduction walked through the UI from idea to a "great" outcome, in the sample
 * network: the under-glass guard asks for an override with a reason, the drafts name both
 * people, each lifecycle step is a button, and the finished introduction leaves a tie with
 * its provenance, in the person panel and in the notebook.
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

/** Sample people (seeded, so always present): Dmitri is under glass, Amara not vetted. */
const GUARDED = 'Dmitri Reyes';
const UNVETTED = 'Amara Moreau';

interface IntroRecord {
  state: string;
  outcome?: string;
  overrideReason?: string;
  purpose?: string;
  stakes: string;
  tie?: { introId?: string; introducedBy?: string; isOwner: boolean };
}

/** The introduction between the two, read through the app's own model hook. */
function readIntro(page: Page): Promise<IntroRecord | undefined> {
  return page.evaluate(
    ([a, b]) => {
      type Model = Record<string, (...args: unknown[]) => unknown>;
      const v = (window as unknown as { __vitrine: { nb: { ownerId: string }; model: Model } })
        .__vitrine;
      const people = v.model.listPeople!(v.nb) as { id: string; name: string }[];
      const ida = people.find((p) => p.name === a)!.id;
      const idb = people.find((p) => p.name === b)!.id;
      const intros = v.model.listIntros!(v.nb) as (IntroRecord & {
        a: string;
        b: string;
        tieId?: string;
      })[];
      const intro = intros.find((i) => i.a === ida && i.b === idb);
      if (!intro) return undefined;
      const tie = intro.tieId
        ? (v.model.getTie!(v.nb, intro.tieId) as { introId?: string; introducedBy?: string })
        : undefined;
      return {
        state: intro.state,
        outcome: intro.outcome,
        overrideReason: intro.overrideReason,
        purpose: intro.purpose,
        stakes: intro.stakes,
        tie: tie && {
          introId: tie.introId === (intro as unknown as { id: string }).id ? 'this' : tie.introId,
          introducedBy: tie.introducedBy,
          isOwner: tie.introducedBy === v.nb.ownerId,
        },
      };
    },
    [GUARDED, UNVETTED] as const,
  );
}

describe('introductions in the browser', () => {
  it('walks one introduction from idea to a great outcome, with the under-glass guard', async () => {
    const profile = await newProfile(browser);
    await profile.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');

    await page.getByRole('button', { name: 'Introductions', exact: true }).click();
    await page.getByRole('heading', { name: 'Introductions' }).waitFor();
    // The sample network has open introductions waiting on an answer.
    await expect
      .poll(() => page.getByRole('region', { name: 'Due' }).getByRole('listitem').count())
      .toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Start an introduction' }).click();
    await page.getByRole('combobox', { name: 'First person (asked first)' }).fill(GUARDED);
    await page.getByRole('option', { name: new RegExp(GUARDED) }).click();
    await page.getByRole('combobox', { name: 'Second person' }).fill(UNVETTED);
    await page.getByRole('option', { name: new RegExp(UNVETTED) }).click();

    // Under glass: what is missing is listed and the introduction cannot start as is.
    const missing = page.getByRole('list', { name: 'What is missing' }).getByRole('listitem');
    await expect.poll(() => missing.count()).toBe(4);
    expect(await missing.first().textContent()).toContain(
      `${UNVETTED}: intention not vetted first-hand`,
    );
    const start = page.getByRole('button', { name: 'Start introduction', exact: true });
    expect(await start.isDisabled()).toBe(true);
    // The reputation line is shown for both before referring them.
    expect(
      await page.getByRole('group', { name: `Referral reputation of ${GUARDED}` }).textContent(),
    ).toContain('under glass');

    // An override needs a reason.
    await page.getByRole('button', { name: 'Override…' }).click();
    await start.click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'needs a reason' }).count())
      .toBe(1);
    expect(await readIntro(page)).toBeUndefined();

    await page.getByLabel('Reason for the override').fill('Dmitri asked me for a data scientist');
    await page.getByLabel('Purpose').fill('Hiring a first data scientist');
    await page.getByLabel('Stakes').selectOption('high');
    await page.getByLabel('Expectations').fill('A 30-minute call next week');
    await start.click();

    // The new introduction opens as a card, with the override recorded on it.
    await expect
      .poll(() =>
        page.getByText('Under glass overridden: Dmitri asked me for a data scientist').count(),
      )
      .toBe(1);
    expect(await readIntro(page)).toMatchObject({
      state: 'idea',
      overrideReason: 'Dmitri asked me for a data scientist',
      purpose: 'Hiring a first data scientist',
      stakes: 'high',
    });

    // The drafts: the ask to Dmitri is open first and names Amara; the introduction names both.
    const ask = await page.getByLabel('Ask the first: message').inputValue();
    expect(ask).toMatch(/^Hi Dmitri,/);
    expect(ask).toContain(UNVETTED);
    // Issue 14: the purpose keeps the owner's casing (it was lower-cased).
    expect(ask).toContain('Hiring a first data scientist');
    await page.getByText('Draft: Introduction').click();
    const intro = await page.getByLabel('Introduction: message').inputValue();
    expect(intro).toContain(`Dmitri, meet ${UNVETTED}`);
    expect(intro).toContain(`Amara, meet ${GUARDED}`);
    const mailto = await page
      .getByRole('link', { name: 'Open introduction in mail' })
      .getAttribute('href');
    expect(mailto).toMatch(/^mailto:dmitri\.reyes@[^,]+,amara\.moreau@/);
    expect(decodeURIComponent(mailto!.split('subject=')[1]!.split('&')[0]!)).toBe(
      `Introduction: ${GUARDED} and ${UNVETTED}`,
    );
    await page.getByRole('button', { name: 'Copy introduction' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);

    // The double opt-in, one allowed step at a time.
    const steps = page.getByRole('group', { name: 'Next step' });
    expect(await steps.getByRole('button', { name: /declined/ }).count()).toBe(0);
    await steps.getByRole('button', { name: `Asked ${GUARDED}` }).click();
    await expect.poll(async () => (await readIntro(page))?.state).toBe('asked-a');
    // Only the one asked can decline so far.
    expect(await steps.getByRole('button', { name: /declined/ }).count()).toBe(1);
    await steps.getByRole('button', { name: `${GUARDED} said yes · asked ${UNVETTED}` }).click();
    await expect.poll(async () => (await readIntro(page))?.state).toBe('asked-b');
    await steps.getByRole('button', { name: `${UNVETTED} said yes · introduced` }).click();
    await expect.poll(async () => (await readIntro(page))?.state).toBe('introduced');
    expect(await steps.count()).toBe(0);
    await expect.poll(() => page.getByText(`Tie made: ${GUARDED} — ${UNVETTED}`).count()).toBe(1);

    await page
      .getByRole('group', { name: 'Outcome' })
      .getByRole('button', { name: 'Great' })
      .click();
    await expect.poll(async () => (await readIntro(page))?.outcome).toBe('great');
    expect(
      await page
        .getByRole('group', { name: 'Outcome' })
        .getByRole('button', { name: 'Great' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect((await readIntro(page))?.tie).toEqual({
      introId: 'this',
      introducedBy: expect.any(String),
      isOwner: true,
    });

    // The tie shows on the person, with where it came from.
    await page
      .locator('vt-intro-card')
      .getByRole('button', { name: UNVETTED, exact: true })
      .click();
    await page.getByRole('heading', { name: UNVETTED }).waitFor();
    const tie = page
      .getByRole('list', { name: 'Ties' })
      .getByRole('button', { name: new RegExp(`^${GUARDED}`) });
    expect(await tie.textContent()).toMatch(/introduced by/);
    // Her referral record now counts the great outcome, and "Introduce…" starts the next one.
    await expect.poll(() => page.getByText('Introduced 1 time: 1 went well').count()).toBe(1);
    await page.getByRole('button', { name: 'Introduce…' }).click();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'First person (asked first)' }).inputValue())
      .toBe(UNVETTED);

    profile.expectNoErrors();
    await profile.close();
  });
});
