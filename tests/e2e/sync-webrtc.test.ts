/**
 * Sync in the browser. Live sync over WebRTC between two separate headless Chromium
 * processes, through our own signalling server on 127.0.0.1 and no STUN/TURN server; and
 * the relay client in Chromium (WebCrypto, native WebSocket) against the real relay. The engine (pairing link, derived
 * room and password, PeerSync, the notebook model) runs in the pages as the app will run
 * it; the test carries the pairing link from one browser to the other as a person would.
 * The same flow through the app's own buttons ("Pair a device", "Join this notebook?") is
 * tests/e2e/sync-app.test.ts; this file keeps the engine-level checks the app does not
 * expose to a test (a live "Remove a device" hand-over, the relay client in Chromium).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.js';
import { startSignaling, type SignalingServer } from '../../src/server/signaling.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { CHROMIUM_ARGS } from './browser.ts';

let dir: string;
let site: { url: string; close(): Promise<void> };
let signaling: SignalingServer;
let relay: RelayServer;
const browsers: Browser[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-webrtc-'));
  const src = resolve('src');
  await writeFile(
    join(dir, 'entry.ts'),
    `import { Notebook, addPerson, listPeople } from ${JSON.stringify(join(src, 'model/index.ts'))};
import { createIdentity, deriveKeys, formatPairingLink, parsePairingLink } from ${JSON.stringify(join(src, 'sync/pairing.ts'))};
import { PeerSync } from ${JSON.stringify(join(src, 'sync/peer.ts'))};
import { createDeviceKeys } from ${JSON.stringify(join(src, 'sync/rekey.ts'))};
import { RelayClient } from ${JSON.stringify(join(src, 'sync/relay-client.ts'))};
Object.assign(window, { vt: { Notebook, addPerson, listPeople, createIdentity, deriveKeys, formatPairingLink, parsePairingLink, PeerSync, RelayClient, createDeviceKeys } });
`,
  );
  await build({
    configFile: false,
    root: dir,
    logLevel: 'warn',
    build: {
      outDir: join(dir, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: join(dir, 'entry.ts'), formats: ['es'], fileName: 'bundle' },
    },
  });
  await writeFile(
    join(dir, 'dist', 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>sync</title><script type="module" src="./bundle.mjs"></script>',
  );
  site = await serveStatic({ root: join(dir, 'dist'), port: 0 });
  // The test page is the only web page these servers accept (src/server/origin.ts).
  const allowedOrigins = [new URL(site.url).origin];
  signaling = await startSignaling({ allowedOrigins });
  relay = await startRelay({ dataDir: join(dir, 'relay'), allowedOrigins });
});

afterAll(async () => {
  for (const b of browsers) await b.close();
  await signaling?.destroy();
  await relay?.destroy();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One Chromium process (not a context: a separate browser, as on another device). */
async function device(): Promise<{ page: Page; errors: string[] }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Host candidates as plain IPs: mDNS-obfuscated ones need a multicast responder the
    // test machine may not have. No STUN/TURN server is configured (PeerSync default).
    args: [...CHROMIUM_ARGS, '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  browsers.push(browser);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('index.html', site.url).href);
  await page.waitForFunction(() => 'vt' in window);
  return { page, errors };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- page-side code talks to window.vt */
async function join_(page: Page, link: string | null, name: string, sig: string): Promise<string> {
  return page.evaluate(
    async ({ link, name, sig }) => {
      const vt = (window as any).vt;
      const identity = link ? vt.parsePairingLink(link) : vt.createIdentity();
      const keys = await vt.deriveKeys(identity);
      const nb = new vt.Notebook();
      nb.migrate();
      const peer = new vt.PeerSync({
        doc: nb.doc,
        keys,
        signaling: [sig],
        deviceId: name,
        deviceName: name,
        deviceKeys: await vt.createDeviceKeys(),
      });
      const rekeys: string[] = [];
      peer.on('rekey', (identity: unknown) =>
        rekeys.push(vt.formatPairingLink(location.origin + '/', identity)),
      );
      Object.assign(window, { nb, peer, rekeys });
      return vt.formatPairingLink(location.origin + '/', identity) as string;
    },
    { link, name, sig },
  );
}

const add = (page: Page, name: string) =>
  page.evaluate((name) => (window as any).vt.addPerson((window as any).nb, { name }), name);
const names = (page: Page) =>
  page.evaluate(() =>
    ((window as any).vt.listPeople((window as any).nb) as { name: string }[])
      .map((p) => p.name)
      .sort(),
  );
const hasAll = (page: Page, wanted: string[]) =>
  page.waitForFunction(
    (wanted) => {
      const have = new Set(
        ((window as any).vt.listPeople((window as any).nb) as { name: string }[]).map(
          (p) => p.name,
        ),
      );
      return wanted.every((n) => have.has(n));
    },
    wanted,
    { timeout: 30_000 },
  );
/* eslint-enable @typescript-eslint/no-explicit-any */

test('two Chromium processes paired by link converge both ways, also after editing apart', async () => {
  const laptop = await device();
  const phone = await device();
  const link = await join_(laptop.page, null, 'Laptop', signaling.url);
  expect(link).toMatch(/#pair=[A-Za-z0-9_-]{50}$/);
  expect(await join_(phone.page, link, 'Phone', signaling.url)).toBe(link);

  await add(laptop.page, 'Aurelia from the laptop');
  await add(phone.page, 'Bastian from the phone');
  await hasAll(laptop.page, ['Aurelia from the laptop', 'Bastian from the phone']);
  await hasAll(phone.page, ['Aurelia from the laptop', 'Bastian from the phone']);
  // The phone shows the laptop as a live device, by name.
  await phone.page.waitForFunction(() =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ((window as any).peer.devices as { name: string }[]).some((d) => d.name === 'Laptop'),
  );

  // Apart: both leave the room and edit.
  for (const d of [laptop, phone]) {
    await d.page.evaluate(() =>
      (window as unknown as { peer: { disconnect(): void } }).peer.disconnect(),
    );
  }
  await add(laptop.page, 'Cordula, added offline on the laptop');
  await add(phone.page, 'Dmitri, added offline on the phone');
  expect(await names(laptop.page)).not.toContain('Dmitri, added offline on the phone');

  // Back together: both end with both edits.
  for (const d of [laptop, phone]) {
    await d.page.evaluate(() =>
      (window as unknown as { peer: { connect(): void } }).peer.connect(),
    );
  }
  const all = [
    'Aurelia from the laptop',
    'Bastian from the phone',
    'Cordula, added offline on the laptop',
    'Dmitri, added offline on the phone',
  ];
  await hasAll(laptop.page, all);
  await hasAll(phone.page, all);
  expect(await names(laptop.page)).toEqual(await names(phone.page));

  // "Remove a device", live: the laptop hands a new secret to the phone over the room.
  const next = await laptop.page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = window as any;
    const identity = w.vt.createIdentity();
    const { addressed } = await w.peer.rotate(identity, ['some-lost-device']);
    return { addressed, link: w.vt.formatPairingLink(location.origin + '/', identity) as string };
  });
  expect(next.addressed).toEqual(['Phone']);
  await phone.page.waitForFunction(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (link) => (window as any).rekeys.includes(link),
    next.link,
  );
  expect(laptop.errors).toEqual([]);
  expect(phone.errors).toEqual([]);
});

test('in Chromium, a device gets edits from the relay alone after the other closed', async () => {
  const laptop = await device();
  /* eslint-disable @typescript-eslint/no-explicit-any -- page-side code talks to window.vt */
  const link = await laptop.page.evaluate(async (url) => {
    const vt = (window as any).vt;
    const identity = vt.createIdentity();
    const nb = new vt.Notebook();
    nb.migrate();
    vt.addPerson(nb, { name: 'Esmeralda, written on the laptop' });
    const client = new vt.RelayClient({
      url,
      doc: nb.doc,
      keys: await vt.deriveKeys(identity),
      deviceId: 'laptop',
      deviceName: 'Laptop',
    });
    await client.whenSynced;
    await client.flush();
    client.destroy();
    return vt.formatPairingLink(location.origin + '/', identity) as string;
  }, relay.url);
  await browsers.pop()!.close(); // the laptop is closed

  const phone = await device();
  const got = await phone.page.evaluate(
    async ({ url, link }) => {
      const vt = (window as any).vt;
      const nb = new vt.Notebook();
      const client = new vt.RelayClient({
        url,
        doc: nb.doc,
        keys: await vt.deriveKeys(vt.parsePairingLink(link)),
        deviceId: 'phone',
        deviceName: 'Phone',
      });
      await client.whenSynced;
      const names = (vt.listPeople(nb) as { name: string }[]).map((p) => p.name);
      const devices = (client.devices as { name: string }[]).map((d) => d.name);
      client.destroy();
      return { names, devices };
    },
    { url: relay.url, link },
  );
  /* eslint-enable @typescript-eslint/no-explicit-any */
  expect(got.names).toContain('Esmeralda, written on the laptop');
  expect(got.devices).toContain('Laptop');
  expect(laptop.errors).toEqual([]);
  expect(phone.errors).toEqual([]);
});
