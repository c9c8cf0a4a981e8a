/**
 * Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by
 * playwright-core (nothing downloaded), one browser per test file, a fresh context (a new
 * empty profile: IndexedDB, service workers) per test, and every console error collected
 * so a test can fail on it. Every Content-Security-Policy violation in a watched context
 * fails the test that was running, whether or not it checks its errors.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Launch Chromium (path from `CHROMIUM_PATH`, else Debian's). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Content-Security-Policy violations seen in one browser context. */
export interface CspWatch {
  /** Each violation as `directive blocked URI (file:line)`. */
  readonly violations: string[];
  /** Violations matching `re` are expected by this test: they do not fail it. */
  expect(re: RegExp): void;
}

/**
 * Record every CSP violation in `context` (the page's `securitypolicyviolation` event, and
 * Chromium's own "Refused to …" console errors) and, when called inside a test, fail that
 * test at its end if any happened that it did not {@link CspWatch.expect}.
 */
export async function watchCsp(context: BrowserContext): Promise<CspWatch> {
  const violations: string[] = [];
  const expected: RegExp[] = [];
  await context.exposeBinding('__vtCspViolation', (_source, text: string) => {
    violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __vtCspViolation(t: string): void }).__vtCspViolation;
      void report(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  const watchPage = (page: Page) =>
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/.test(msg.text())) {
        violations.push(`console: ${msg.text()}`);
      }
    });
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  // Outside a test runner (the screenshot and benchmark scripts) there is no test to fail.
  if (process.env.VITEST) {
    onTestFinished(() => {
      const unexpected = violations.filter((v) => !expected.some((re) => re.test(v)));
      expect(unexpected, 'Content-Security-Policy violations').toEqual([]);
    });
  }
  return { violations, expect: (re) => expected.push(re) };
}

/** A fresh profile whose pages report console errors into `errors`. */
export interface Profile {
  readonly context: BrowserContext;
  readonly errors: string[];
  /** The profile's CSP violations (any unexpected one fails the test). */
  readonly csp: CspWatch;
  newPage(): Promise<Page>;
  /** Fail the test if any page logged an error not matching `allowed`. */
  expectNoErrors(allowed?: readonly RegExp[]): void;
  close(): Promise<void>;
}

export async function newProfile(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<Profile> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: options.acceptDownloads ?? true,
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  };
  context.on('page', watch);
  const csp = await watchCsp(context);
  return {
    context,
    errors,
    csp,
    newPage: () => context.newPage(),
    expectNoErrors(allowed = []) {
      expect(errors.filter((e) => !allowed.some((re) => re.test(e)))).toEqual([]);
    },
    close: () => context.close(),
  };
}

/** Open the app and wait until it is past "Opening your notebook…". */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('vt-welcome, vt-app header').first().waitFor();
}

/** From the first-run screen: start an empty notebook or load the sample network. */
export async function startNotebook(page: Page, how: 'empty' | 'sample'): Promise<void> {
  await page
    .getByRole('button', { name: how === 'empty' ? 'Start empty' : 'Load the sample network' })
    .click();
  await page.getByRole('button', { name: 'Add person' }).waitFor();
}

/** A new browser profile on a new notebook (empty or the sample network), its page open. */
export async function freshNotebook(
  browser: Browser,
  url: string,
  how: 'empty' | 'sample',
): Promise<{ profile: Profile; page: Page }> {
  const profile = await newProfile(browser);
  const page = await profile.newPage();
  await openApp(page, url);
  await startNotebook(page, how);
  return { profile, page };
}

/** Add a person through the UI, by accessible names only. */
export async function addPersonByUi(page: Page, name: string, org?: string): Promise<void> {
  await page.getByRole('button', { name: 'Add person' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  if (org) await page.getByLabel('Organisation', { exact: true }).fill(org);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** How many people the notebook shows (not in the trash), read through the app's hook. */
export function visiblePeople(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = (
      window as unknown as {
        __vitrine: { nb: unknown; model: { listPeople(nb: unknown): unknown[] } };
      }
    ).__vitrine;
    return v.model.listPeople(v.nb).length;
  });
}

/** Nodes drawn in the graph (its `data-node-count` test hook). */
export async function graphNodes(page: Page): Promise<number> {
  const count = await page.locator('vt-graph').getAttribute('data-node-count');
  return Number(count ?? -1);
}
