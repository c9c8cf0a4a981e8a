/**
 * The app's sync session and what it keeps on the device: status before and after pairing,
 * two devices syncing through the real relay, one relay client per browser profile (Web
 * Locks), "Remove a device" handing the new secret to the device that stays and not to the
 * removed one, and the settings/pairing-link helpers. Live WebRTC needs a browser: see
 * tests/e2e/sync-app.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import {
  DEFAULT_SYNC_SETTINGS,
  IdentityStore,
  checkSettings,
  defaultDeviceName,
  formatIceServers,
  memoryKeyValue,
  pairingBase,
  parseIceServers,
  settingsFromLink,
  withoutPairing,
  type SyncSettings,
} from '../../src/sync/identity-store.ts';
import { createIdentity, formatPairingLink, parsePairingLink } from '../../src/sync/pairing.ts';
import { SyncSession, type LockManagerLike } from '../../src/sync/session.ts';
import { createDeviceKeys } from '../../src/sync/rekey.ts';
import { removeDir, tempDir, until } from './sync-helpers.ts';

let dir: string;
let relay: RelayServer;
const sessions: SyncSession[] = [];

beforeAll(async () => {
  dir = await tempDir('vitrine-session-');
  relay = await startRelay({ dataDir: dir, port: 0 });
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});
afterAll(async () => {
  await relay?.destroy();
  await removeDir(dir);
});

/** A device: its own notebook, memory store, relay only (no WebRTC in Node). */
async function device(name: string, locks: LockManagerLike | null = null) {
  const store = new IdentityStore(memoryKeyValue(), 'nb');
  const record = await store.loadDevice('node');
  const renamed = await store.saveDeviceName(record, name);
  const nb = new Notebook();
  nb.migrate();
  const settings: SyncSettings = { ...DEFAULT_SYNC_SETTINGS, signaling: '', relay: relay.url };
  const session = new SyncSession({
    doc: nb.doc,
    device: renamed,
    settings,
    store,
    WebSocketPolyfill: WebSocket,
    locks,
    handoverMs: 2000,
  });
  sessions.push(session);
  return { nb, store, session, id: renamed.id };
}

const names = (nb: Notebook) =>
  listPeople(nb)
    .map((p) => p.name)
    .sort();

/** A Web Locks stand-in: one holder per name, waiters in order, abortable. */
function fakeLocks(): LockManagerLike {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const next = (name: string) => {
    const q = queues.get(name) ?? [];
    const run = q.shift();
    if (run) run();
    else held.delete(name);
  };
  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const run = () => {
          held.add(name);
          void callback().finally(() => {
            resolve(undefined);
            next(name);
          });
        };
        if (!held.has(name)) return run();
        const q = queues.get(name) ?? [];
        q.push(run);
        queues.set(name, q);
        options.signal?.addEventListener('abort', () => {
          const i = q.indexOf(run);
          if (i !== -1) q.splice(i, 1);
          reject(new Error('aborted'));
        });
      });
    },
  };
}

describe('sync session', () => {
  test('says "this device only" before pairing and sync is up to date after', async () => {
    const laptop = await device('Laptop');
    expect(laptop.session.summary.state).toBe('this-device');
    expect(laptop.session.summary.text).toMatch(/^This device only/);
    const identity = createIdentity();
    await laptop.session.start(identity);
    await until(() => laptop.session.summary.state === 'up-to-date', 'laptop up to date');
    expect(laptop.session.summary.text).toMatch(/^Up to date/);
    expect(laptop.session.relayRole).toBe('this-tab');
  });

  test('two devices paired by link share edits through the relay, both ways', async () => {
    const laptop = await device('Laptop');
    const phone = await device('Phone');
    addPerson(laptop.nb, { name: 'Ilse, from before pairing' });
    addPerson(phone.nb, { name: 'Jonas, on the phone before pairing' });
    const identity = createIdentity();
    await laptop.store.saveIdentity(identity);
    await laptop.session.start(identity);
    const link = formatPairingLink('http://127.0.0.1:5178/', identity);
    await phone.session.start(parsePairingLink(link));
    addPerson(laptop.nb, { name: 'Kasimir, after pairing' });
    const all = [
      'Ilse, from before pairing',
      'Jonas, on the phone before pairing',
      'Kasimir, after pairing',
    ];
    await until(() => names(phone.nb).length === 3, 'phone has all three', 15_000);
    await until(() => names(laptop.nb).length === 3, 'laptop has all three', 15_000);
    expect(names(laptop.nb)).toEqual(all);
    expect(names(phone.nb)).toEqual(all);
    // The phone lists the laptop by name once it has seen its device entry.
    await until(
      () => phone.session.summary.devices.some((d) => d.name === 'Laptop'),
      'laptop in the phone device list',
    );
    await until(() => phone.session.summary.state === 'up-to-date', 'phone up to date');
    expect(phone.session.summary.text).toMatch(/^Up to date with 1 device/);
  });

  test('stop() leaves the relay and says so; edits made while stopped arrive after start()', async () => {
    const laptop = await device('Laptop');
    const phone = await device('Phone');
    const identity = createIdentity();
    await laptop.session.start(identity);
    await phone.session.start(identity);
    await until(() => phone.session.summary.state === 'up-to-date', 'phone up to date');
    phone.session.stop();
    expect(phone.session.summary.text).toMatch(/^Sync is off/);
    addPerson(laptop.nb, { name: 'Lorelei, while the phone was off' });
    await laptop.session.flush();
    expect(names(phone.nb)).not.toContain('Lorelei, while the phone was off');
    await phone.session.start(identity);
    await until(
      () => names(phone.nb).includes('Lorelei, while the phone was off'),
      'edit made while stopped',
      15_000,
    );
  });

  test('only one tab of a profile runs the relay client; another takes over when it closes', async () => {
    const locks = fakeLocks();
    const identity = createIdentity();
    const tab1 = await device('Laptop', locks);
    const tab2 = await device('Laptop', locks);
    await tab1.session.start(identity);
    await tab2.session.start(identity);
    expect(tab1.session.relayRole).toBe('this-tab');
    expect(tab2.session.relayRole).toBe('other-tab');
    expect(tab2.session.summary.text).toMatch(/another tab/);
    tab1.session.destroy();
    await until(() => tab2.session.relayRole === 'this-tab', 'second tab takes the relay');
    await until(() => tab2.session.summary.state === 'up-to-date', 'second tab up to date');
  });

  test('"Remove a device" hands a new secret to the device that stays, not to the removed one', async () => {
    const laptop = await device('Laptop');
    const phone = await device('Phone');
    const lost = await device('Lost tablet');
    const identity = createIdentity();
    for (const d of [laptop, phone, lost]) {
      await d.store.saveIdentity(identity);
      await d.session.start(identity);
    }
    // Everyone has seen everyone's device entry (with its public key).
    for (const d of [laptop, phone, lost]) {
      await until(
        () => d.session.summary.devices.filter((x) => !x.self).length === 2,
        `${d.id} sees two other devices`,
        15_000,
      );
    }
    const moved = new Promise((resolve) => phone.session.on('identity', resolve));
    const result = await laptop.session.removeDevice(lost.id);
    expect(result.addressed).toEqual([phone.id]);
    expect(result.unreachable).toEqual([]);
    await moved;
    const phoneSecret = (await phone.store.loadIdentity())!.secret;
    const laptopSecret = (await laptop.store.loadIdentity())!.secret;
    expect(Buffer.from(phoneSecret).equals(Buffer.from(laptopSecret))).toBe(true);
    expect(Buffer.from(phoneSecret).equals(Buffer.from(identity.secret))).toBe(false);
    expect(Buffer.from((await lost.store.loadIdentity())!.secret)).toEqual(
      Buffer.from(identity.secret),
    );
    // The two that stay still sync; the removed device no longer receives.
    addPerson(laptop.nb, { name: 'Margarethe, after the removal' });
    await until(
      () => names(phone.nb).includes('Margarethe, after the removal'),
      'phone gets the edit in the new room',
      15_000,
    );
    await laptop.session.flush();
    expect(names(lost.nb)).not.toContain('Margarethe, after the removal');
    await expect(laptop.session.removeDevice(laptop.id)).rejects.toThrow(/cannot remove itself/);
  });

  test('a device key that changes after it was first seen is reported and never given a new secret', async () => {
    const laptop = await device('Laptop');
    const phone = await device('Phone');
    const identity = createIdentity();
    await laptop.session.start(identity);
    await phone.session.start(identity);
    await until(
      () => laptop.session.summary.devices.some((d) => d.name === 'Phone'),
      'laptop sees the phone',
    );
    await expect.poll(async () => Object.keys(await laptop.store.loadPins())).toContain(phone.id);
    phone.session.destroy();
    // Someone with the room key publishes another key under the phone's id.
    const forger = new SyncSession({
      doc: new Notebook().doc,
      device: { id: phone.id, name: 'Phone', keys: await createDeviceKeys() },
      settings: phone.session.settings,
      WebSocketPolyfill: WebSocket,
      locks: null,
    });
    sessions.push(forger);
    await forger.start(identity);
    await until(() => laptop.session.untrusted.includes(phone.id), 'changed key noticed', 15_000);
    expect(laptop.session.summary.lastError).toMatch(/"Phone" showed a different device key/);
    const result = await laptop.session.removeDevice('some-lost-device');
    expect(result.addressed).toEqual([]);
    expect(result.unreachable).toEqual([phone.id]);
  });

  test('a relay address that is not a WebSocket is refused with a sentence, nothing started', async () => {
    const laptop = await device('Laptop');
    await laptop.session.updateSettings({ ...laptop.session.settings, relay: 'http://x' });
    await laptop.session.start(createIdentity());
    expect(laptop.session.summary.lastError).toMatch(/not a WebSocket address|relay/i);
  });
});

describe('what sync keeps on the device', () => {
  test('the device id, name and key pair are made once and kept', async () => {
    const kv = memoryKeyValue();
    const first = await new IdentityStore(kv, 'nb').loadDevice(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    );
    expect(first.name).toBe('Safari on iPhone');
    const again = await new IdentityStore(kv, 'nb').loadDevice('something else');
    expect(again.id).toBe(first.id);
    expect(again.keys.publicKey).toEqual(first.keys.publicKey);
    const store = new IdentityStore(kv, 'nb');
    expect(await store.loadIdentity()).toBeUndefined();
    const identity = createIdentity();
    await store.saveIdentity(identity);
    expect((await store.loadIdentity())?.secret).toEqual(identity.secret);
    // Another notebook of the same profile has its own identity.
    expect(await new IdentityStore(kv, 'other').loadIdentity()).toBeUndefined();
    await expect(store.saveDeviceName(first, '  ')).rejects.toThrow(/needs a name/);
  });

  test('device names from common user agents', () => {
    expect(
      defaultDeviceName(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome on Android');
    expect(
      defaultDeviceName(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
      ),
    ).toBe('Firefox on Windows');
    expect(
      defaultDeviceName(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
      ),
    ).toBe('Edge on Mac');
    expect(defaultDeviceName('')).toBe('This device');
  });

  test('settings: defaults are the local helpers only; addresses and ICE servers are checked', () => {
    expect(DEFAULT_SYNC_SETTINGS).toEqual({
      signaling: 'ws://127.0.0.1:4444',
      relay: 'ws://127.0.0.1:4445',
      relayEnabled: true,
      iceServers: [],
    });
    expect(() => checkSettings({ ...DEFAULT_SYNC_SETTINGS, signaling: 'https://x.org' })).toThrow(
      /not a WebSocket address/,
    );
    expect(() => checkSettings({ ...DEFAULT_SYNC_SETTINGS, relay: 'relay here' })).toThrow(
      /not a relay address/,
    );
    const ice = parseIceServers('stun:stun.example.org:3478\n\nturn:turn.example.org:3478 me pw');
    expect(ice).toEqual([
      { urls: 'stun:stun.example.org:3478' },
      { urls: 'turn:turn.example.org:3478', username: 'me', credential: 'pw' },
    ]);
    expect(parseIceServers(formatIceServers(ice))).toEqual(ice);
    expect(() => parseIceServers('turn:turn.example.org:3478')).toThrow(/needs a user name/);
    expect(() => parseIceServers('https://stun.example.org')).toThrow(/Line 1/);
  });

  test('a pairing link carries non-default server addresses in its query, never the secret there', () => {
    const settings = {
      ...DEFAULT_SYNC_SETTINGS,
      signaling: 'wss://sig.example.org',
      relay: 'wss://relay.example.org',
    };
    const identity = createIdentity();
    const link = formatPairingLink(
      pairingBase('http://127.0.0.1:5178/?x=1#old', settings),
      identity,
    );
    const url = new URL(link);
    expect(url.hash).toMatch(/^#pair=/);
    expect(url.search).not.toContain(url.hash.slice(6));
    expect(settingsFromLink(link)).toEqual({
      signaling: 'wss://sig.example.org',
      relay: 'wss://relay.example.org',
      relayEnabled: true,
    });
    expect(withoutPairing(link)).toBe('http://127.0.0.1:5178/');
    // With the defaults the link is just the app's address and the code.
    const plain = formatPairingLink(
      pairingBase('http://127.0.0.1:5178/', DEFAULT_SYNC_SETTINGS),
      identity,
    );
    expect(plain).toMatch(/^http:\/\/127\.0\.0\.1:5178\/#pair=/);
    expect(settingsFromLink(plain)).toEqual({});
    expect(
      settingsFromLink(
        formatPairingLink(
          pairingBase('http://h/', { ...DEFAULT_SYNC_SETTINGS, relayEnabled: false }),
          identity,
        ),
      ),
    ).toEqual({ relayEnabled: false });
    expect(() => settingsFromLink('http://h/?relay=http://evil.example#pair=x')).toThrow(
      /not a WebSocket address/,
    );
  });
});
