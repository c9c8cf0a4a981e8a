/**
 * The page is locked down: the built index.html carries the Content-Security-Policy as a
 * `<meta>` (static hosting), the server sends it as a header with `frame-ancestors 'none'`
 * (as `npm start` does), an injected inline script does not run, another site cannot frame
 * the app, and a sync server the policy does not list gets a sentence in the sync settings
 * instead of a silent failure. (Every other e2e test fails on any CSP violation: browser.ts.)
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newProfile, openApp, startNotebook } from './browser.ts';

const url = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** `directive → sources` of a policy text. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('Content-Security-Policy', () => {
  test('the built page has the policy as a meta, the server as a header with frame-ancestors', async () => {
    const res = await fetch(url);
    const header = directives(res.headers.get('content-security-policy') ?? '');
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
    const html = await res.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'a CSP <meta> in index.html').toBeDefined();
    const policy = directives(meta!.replaceAll('&#39;', "'"));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.has('frame-ancestors')).toBe(false);
    expect(policy.get('connect-src')).toEqual(
      expect.arrayContaining(["'self'", 'ws://127.0.0.1:4444', 'ws://127.0.0.1:4445']),
    );
    // No inline script anywhere in the page: everything runs from files.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // The meta comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  test('the app runs under the policy; an injected inline script does not', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'sample');
    profile.csp.expect(/^script-src-elem blocked inline/);
    profile.csp.expect(/^console: .*inline script/);
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      const seen = new Promise((resolve) =>
        document.addEventListener('securitypolicyviolation', resolve, { once: true }),
      );
      document.body.append(script);
      return seen.then(() => (window as unknown as { __injected?: boolean }).__injected);
    });
    expect(ran).toBeUndefined();
    // The one injected script, reported by the page (and by Chromium once per policy:
    // the header and the <meta>); nothing else in loading and drawing the sample network.
    expect(profile.csp.violations.filter((v) => !v.startsWith('console:'))).toEqual([
      expect.stringMatching(/^script-src-elem blocked inline/),
    ]);
    expect(profile.csp.violations.every((v) => /inline/.test(v))).toBe(true);
    profile.expectNoErrors([/inline script/]);
    await profile.close();
  });

  test('another site cannot show the app in a frame', async () => {
    const profile = await newProfile(browser);
    profile.csp.expect(/frame-ancestors/);
    const page = await profile.newPage();
    // A page of another origin (about:blank's opaque one) frames the app.
    await page.setContent(`<iframe src="${url}"></iframe>`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(await frame?.locator('vt-app, vt-welcome').count()).toBe(0);
    expect(profile.csp.violations).toEqual([expect.stringMatching(/frame-ancestors 'none'/)]);
    await profile.close();
  });

  test('a sync server the policy does not list is named in the sync settings', async () => {
    const profile = await newProfile(browser);
    const page = await profile.newPage();
    await openApp(page, url);
    await startNotebook(page, 'empty');
    // 192.0.2.1 is a documentation address (RFC 5737): never a real server.
    const server = 'ws://192.0.2.1:4444';
    profile.csp.expect(/connect-src blocked ws:\/\/192\.0\.2\.1:4444/);
    profile.csp.expect(/^console: .*192\.0\.2\.1/);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Signalling server').fill(server);
    await page.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByText('Sync settings saved.').waitFor();
    // Pairing starts sync, which tries the server.
    await page.getByRole('button', { name: 'Pair a device' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `not allowed to contact ${server}` })
      .waitFor();
    expect(profile.csp.violations.length).toBeGreaterThan(0);
    profile.expectNoErrors([/192\.0\.2\.1/]);
    await profile.close();
  });
});
