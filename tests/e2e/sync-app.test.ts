/**
 * Device sync in the app, driven as a person would: two separate headless Chromium
 * processes (each its own profile folder, as two devices), our own signalling server and
 * relay on free 127.0.0.1 ports, set in each device's sync settings.
 *
 * 1. The laptop shows "This device only", loads the sample network, presses "Pair a
 *    device" and reads the "Pairing link"; the phone opens a broken link (a sentence, no
 *    crash), then the real one, and joins. Edits cross both ways over WebRTC; both go
 *    offline, both edit, come back, and both end with both edits.
 * 2. The phone closes; the laptop edits and leaves the edit on the relay, closes; with the
 *    signalling server gone the phone reopens and gets the edit from the relay alone.
 * Throughout, every request and WebSocket each page opens is recorded: only the app's own
 * origin and the configured servers are ever contacted, and nothing but the app's origin
 * before pairing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startSignaling, type SignalingServer } from '../../src/server/signaling.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import {
  addPersonByUi,
  CHROMIUM_ARGS,
  openApp,
  startNotebook,
  visiblePeople,
  watchCsp,
} from './browser.ts';
import { allBytes } from '../unit/sync-helpers.ts';

const url = inject('baseUrl');
let dir: string;
let signaling: SignalingServer;
let relay: RelayServer;
const open = new Set<BrowserContext>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-sync-app-'));
  // The app's pages are the only web pages these servers accept (src/server/origin.ts).
  const allowedOrigins = [new URL(url).origin];
  signaling = await startSignaling({ port: 0, allowedOrigins });
  relay = await startRelay({ dataDir: join(dir, 'relay'), port: 0, allowedOrigins });
});

afterAll(async () => {
  for (const c of open) await c.close();
  await signaling?.destroy();
  await relay?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Device {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
  /** Every URL a page of this device requested or opened a WebSocket to. */
  readonly contacted: string[];
  close(): Promise<void>;
}

/** One device: a separate Chromium process with its own profile folder (kept for reopening). */
async function device(profile: string): Promise<Device> {
  const context = await chromium.launchPersistentContext(join(dir, profile), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Host candidates as plain IPs: mDNS-obfuscated ones need a multicast responder the
    // test machine may not have. No STUN/TURN server is configured (the app's default).
    args: [...CHROMIUM_ARGS, '--disable-features=WebRtcHideLocalIpsWithMdns'],
    viewport: { width: 1280, height: 800 },
  });
  open.add(context);
  await watchCsp(context);
  const errors: string[] = [];
  const contacted: string[] = [];
  context.on('request', (r) => contacted.push(r.url()));
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('websocket', (ws) => contacted.push(ws.url()));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    errors,
    contacted,
    async close() {
      open.delete(context);
      await context.close();
    },
  };
}

const indicator = (page: Page) => page.locator('vt-sync-indicator [role="status"]');

/** Open the settings panel and set the sync servers (relay on or off). */
async function setServers(page: Page, relayOn: boolean): Promise<void> {
  const settings = page.locator('vt-settings');
  if (!(await settings.isVisible())) {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
  }
  await page.getByLabel('Signalling server').fill(signaling.url);
  await page.getByLabel('Relay', { exact: true }).fill(relay.url);
  await page.getByLabel('Sync through the relay').setChecked(relayOn);
  await page.getByRole('button', { name: 'Save sync settings' }).click();
  await page.getByText('Sync settings saved.').waitFor();
}

/** Wait until the notebook on `page` holds every name in `wanted`. */
function hasPeople(page: Page, wanted: string[]) {
  return page.waitForFunction(
    (wanted) => {
      const v = (
        window as unknown as {
          __vitrine?: { nb: unknown; model: { listPeople(nb: unknown): { name: string }[] } };
        }
      ).__vitrine;
      if (!v) return false;
      const have = new Set(v.model.listPeople(v.nb).map((p) => p.name));
      return wanted.every((n) => have.has(n));
    },
    wanted,
    { timeout: 60_000 },
  );
}

/** The names in the notebook on `page`, through the app's test hook. */
function names(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const v = (
      window as unknown as {
        __vitrine: { nb: unknown; model: { listPeople(nb: unknown): { name: string }[] } };
      }
    ).__vitrine;
    return v.model.listPeople(v.nb).map((p) => p.name);
  });
}

/** Only the app's origin and the configured servers; `beforePairing`: the origin alone. */
function expectOnlyOwnHosts(contacted: readonly string[], beforePairing = false): void {
  const origin = new URL(url).origin;
  const allowed = beforePairing ? [origin] : [origin, signaling.url, relay.url];
  const stray = contacted.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    const o = new URL(u).origin;
    return !allowed.some((a) => new URL(a).origin === o);
  });
  expect(stray).toEqual([]);
  expect(contacted.length).toBeGreaterThan(0);
}

let laptop: Device;
let phone: Device;

describe('sync between two devices in the app', () => {
  test('paired by link, live both ways, and after both edited offline', async () => {
    laptop = await device('laptop');
    await openApp(laptop.page, url);
    await startNotebook(laptop.page, 'sample');
    await expect.poll(() => indicator(laptop.page).textContent()).toMatch(/^This device only/);
    await setServers(laptop.page, false);
    // First load, the sample network and settings: nothing but the app's own origin.
    expectOnlyOwnHosts(laptop.contacted, true);

    await laptop.page.getByRole('button', { name: 'Pair a device' }).click();
    const linkField = laptop.page.getByRole('textbox', { name: 'Pairing link' });
    await expect.poll(() => linkField.inputValue()).toMatch(/#pair=[A-Za-z0-9_-]{50}$/);
    const link = await linkField.inputValue();
    expect(new URL(link).origin).toBe(new URL(url).origin);
    // The QR code is drawn in the page (an SVG path), from the same link.
    const qr = laptop.page.getByRole('img', { name: 'QR code of the pairing link' });
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M/);

    phone = await device('phone');
    // A link cut short while copying: a sentence, and the app still opens.
    await openApp(phone.page, `${url}#pair=${new URL(link).hash.slice(6, 30)}`);
    const broken = phone.page.getByRole('dialog', { name: 'This pairing link does not work' });
    await expect
      .poll(() => broken.getByRole('alert').textContent())
      .toMatch(/cut short.*Copy the whole link again/);
    await broken.getByRole('button', { name: 'Close' }).click();
    expect(phone.page.url()).not.toContain('#pair=');

    await phone.page.goto(link);
    const ask = phone.page.getByRole('dialog', { name: 'Join this notebook?' });
    await ask.getByRole('button', { name: 'Join' }).click();
    await ask.waitFor({ state: 'hidden' });
    // The secret does not stay in the address bar.
    expect(phone.page.url()).not.toContain('#pair=');

    const sample = await visiblePeople(laptop.page);
    await expect.poll(() => visiblePeople(phone.page), { timeout: 60_000 }).toBe(sample);
    await phone.page.getByRole('button', { name: 'Add person' }).waitFor();
    await expect
      .poll(() => indicator(laptop.page).textContent(), { timeout: 30_000 })
      .toMatch(/^Up to date with 1 device/);
    await expect
      .poll(() => indicator(phone.page).textContent(), { timeout: 30_000 })
      .toMatch(/^Up to date with 1 device/);

    await addPersonByUi(laptop.page, 'Aurelia from the laptop');
    await addPersonByUi(phone.page, 'Bastian from the phone');
    await hasPeople(phone.page, ['Aurelia from the laptop']);
    await hasPeople(laptop.page, ['Bastian from the phone']);

    // Apart: both pause sync and edit.
    for (const d of [laptop, phone]) {
      await d.page.getByRole('button', { name: 'Settings', exact: true }).click();
      await d.page.getByRole('button', { name: 'Pause sync' }).click();
      await expect.poll(() => indicator(d.page).textContent()).toMatch(/^Sync is off/);
    }
    await addPersonByUi(laptop.page, 'Cordula, added offline on the laptop');
    await addPersonByUi(phone.page, 'Dmitri, added offline on the phone');
    expect(await names(phone.page)).not.toContain('Cordula, added offline on the laptop');

    // Back together: both end with both edits.
    for (const d of [laptop, phone]) {
      await d.page.getByRole('button', { name: 'Settings', exact: true }).click();
      await d.page.getByRole('button', { name: 'Resume sync' }).click();
    }
    const all = [
      'Aurelia from the laptop',
      'Bastian from the phone',
      'Cordula, added offline on the laptop',
      'Dmitri, added offline on the phone',
    ];
    await Promise.all([hasPeople(laptop.page, all), hasPeople(phone.page, all)]).catch(
      async (e: unknown) => {
        // Say where each device stood: a stuck WebRTC connection reads differently from a
        // device that never left "Sync is off".
        const where = await Promise.all(
          [laptop, phone].map((d) => indicator(d.page).textContent()),
        );
        throw new Error(`Not converged (laptop: ${where[0]}; phone: ${where[1]})`, { cause: e });
      },
    );
    expect(await visiblePeople(laptop.page)).toBe(sample + 4);
    expect(await visiblePeople(phone.page)).toBe(sample + 4);

    expectOnlyOwnHosts(laptop.contacted);
    expectOnlyOwnHosts(phone.contacted);
    // Both went through the configured signalling server, and neither used the relay (off).
    expect(laptop.contacted.some((u) => u.startsWith(signaling.url))).toBe(true);
    expect(phone.contacted.some((u) => u.startsWith(signaling.url))).toBe(true);
    expect(laptop.contacted.some((u) => u.startsWith(relay.url))).toBe(false);
    expect(laptop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  test("a device that was closed gets the other one's edits from the relay alone", async () => {
    // Both turn the relay on, then the phone closes.
    await setServers(phone.page, true);
    await setServers(laptop.page, true);
    await phone.close();

    await addPersonByUi(laptop.page, 'Esmeralda, while the phone was closed');
    await laptop.page.evaluate(() =>
      (
        window as unknown as { __vitrine: { sync: { session: { flush(): Promise<void> } } } }
      ).__vitrine.sync.session.flush(),
    );
    expectOnlyOwnHosts(laptop.contacted);
    expect(laptop.errors).toEqual([]);
    await laptop.close();
    await signaling.destroy();

    // The relay holds the edit only as ciphertext.
    expect((await allBytes(join(dir, 'relay'))).includes('Esmeralda')).toBe(false);

    phone = await device('phone');
    await openApp(phone.page, url);
    await hasPeople(phone.page, ['Esmeralda, while the phone was closed']);
    await expect
      .poll(() => indicator(phone.page).textContent(), { timeout: 30_000 })
      .toMatch(/^Up to date/);
    expectOnlyOwnHosts(phone.contacted);
    // The signalling server is gone: the browser reports each refused attempt; nothing else.
    expect(
      phone.errors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1/.test(e)),
    ).toEqual([]);
  });
});
