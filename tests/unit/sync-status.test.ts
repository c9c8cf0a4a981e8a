import { afterEach, describe, expect, test } from 'vitest';
import { Notebook, addPerson } from '../../src/model/index.ts';
import { formatSince, summarizeSync, SyncStatus, type SyncInputs } from '../../src/sync/status.ts';
import type { PeerStatus } from '../../src/sync/peer.ts';
import type { RelayStatus } from '../../src/sync/relay-client.ts';
import { createIdentity, deriveKeys } from '../../src/sync/pairing.ts';
import { startRelay } from '../../src/server/relay.ts';
import { relayClient, removeDir, tempDir, until } from './sync-helpers.ts';

const now = new Date('2026-05-01T12:00:00Z');
const relayOk: RelayStatus = {
  connection: 'online',
  upToDate: true,
  lastSyncedAt: new Date('2026-05-01T11:57:00Z'),
  lastError: undefined,
  entries: 3,
};
const peerIdle: PeerStatus = {
  connection: 'online',
  peers: 0,
  synced: false,
  lastSyncedAt: undefined,
  lastError: undefined,
};
const base: SyncInputs = { paired: true, networkOnline: true, selfId: 'me', now };

describe('sync summary', () => {
  test('not paired: this device only', () => {
    const s = summarizeSync({ ...base, paired: false });
    expect(s.state).toBe('this-device');
    expect(s.text).toBe('This device only — pair a device to sync');
  });

  test('no network: offline, saying edits stay on this device', () => {
    const s = summarizeSync({ ...base, networkOnline: false, relay: relayOk });
    expect(s.state).toBe('offline');
    expect(s.text).toBe('Offline — changes are kept on this device · last synced 3 min ago');
  });

  test('relay refused the device: offline, and why', () => {
    const s = summarizeSync({
      ...base,
      relay: {
        ...relayOk,
        connection: 'denied',
        upToDate: false,
        lastError: 'The relay refused this device (wrong relay token).',
      },
    });
    expect(s.state).toBe('offline');
    expect(s.text).toMatch(/^Offline — the relay refused this device/);
    expect(s.lastError).toMatch(/refused/);
  });

  test('connecting while the relay catches up', () => {
    const s = summarizeSync({ ...base, relay: { ...relayOk, upToDate: false }, peer: peerIdle });
    expect(s.state).toBe('connecting');
    expect(s.text).toMatch(/^Connecting…/);
  });

  test('up to date with N devices: live peers and relay devices counted once each', () => {
    const s = summarizeSync({
      ...base,
      relay: relayOk,
      peer: { ...peerIdle, peers: 1, synced: true, lastSyncedAt: new Date('2026-05-01T11:59:50Z') },
      liveDevices: [{ id: 'phone', name: 'Phone', lastSeen: '2026-05-01T11:59:59Z' }],
      relayDevices: [
        { id: 'phone', name: 'Phone', lastSeen: '2026-04-30T08:00:00Z' },
        { id: 'tablet', name: 'Tablet', lastSeen: '2026-04-29T08:00:00Z' },
        { id: 'me', name: 'Laptop', lastSeen: '2026-05-01T11:00:00Z' },
      ],
    });
    expect(s.state).toBe('up-to-date');
    expect(s.text).toBe('Up to date with 2 devices · last synced just now');
    expect(s.devices.map((d) => [d.name, d.live, d.self])).toEqual([
      ['Laptop', true, true],
      ['Phone', true, false],
      ['Tablet', false, false],
    ]);
    expect(s.devices[1]!.lastSeen).toBe('2026-05-01T11:59:59Z');
  });

  test('errors are kept in words, storage first', () => {
    const s = summarizeSync({
      ...base,
      relay: { ...relayOk, lastError: 'An entry from device x failed its integrity check.' },
      storageError: 'This browser refused to store the notebook (private window?).',
    });
    expect(s.lastError).toBe('This browser refused to store the notebook (private window?).');
  });

  test('time since in words', () => {
    expect(formatSince(new Date('2026-05-01T09:00:00Z'), now)).toBe('3 h ago');
    expect(formatSince(new Date('2026-04-01T09:00:00Z'), now)).toBe('on 2026-04-01');
  });
});

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

test('through a real relay, the status reads "up to date with 1 device" and lists it by name', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const relay = await startRelay({ dataDir: dir });
  cleanup.push(() => relay.destroy());
  const keys = await deriveKeys(createIdentity());
  const a = new Notebook();
  a.migrate();
  addPerson(a, { name: 'Someone' });
  const ca = relayClient(relay.url, a.doc, keys, 'laptop-id', { deviceName: 'Laptop' });
  cleanup.push(() => ca.destroy());
  await ca.whenSynced;
  const b = new Notebook();
  const cb = relayClient(relay.url, b.doc, keys, 'phone-id', { deviceName: 'Phone' });
  cleanup.push(() => cb.destroy());
  const status = new SyncStatus({
    selfId: 'phone-id',
    selfName: 'Phone',
    paired: true,
    relay: cb,
    isOnline: () => true,
  });
  cleanup.push(() => status.destroy());
  const seen: string[] = [];
  status.on('change', (s) => seen.push(s.text));
  await cb.whenSynced;
  await cb.flush();
  await until(
    () => status.summary.state === 'up-to-date' && status.summary.deviceCount === 1,
    'up to date with 1 device',
  );
  expect(status.summary.text).toBe('Up to date with 1 device · last synced just now');
  expect(status.summary.devices.map((d) => d.name)).toEqual(['Phone', 'Laptop']);
  expect(seen.some((t) => t.startsWith('Connecting'))).toBe(true);
  cb.disconnect();
  await until(() => status.summary.state === 'offline', 'offline after disconnect');
});
