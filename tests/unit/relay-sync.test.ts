/**
 * The relay end to end in Node: a real Hocuspocus relay on 127.0.0.1 (port chosen by the
 * OS), real relay clients over WebSocket, notebooks written with the model's commands.
 */
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider } from '@hocuspocus/provider';
import {
  Notebook,
  addPerson,
  getPerson,
  listPeople,
  setNotes,
  updatePerson,
} from '../../src/model/index.ts';
import { createIdentity, deriveKeys, type SyncKeys } from '../../src/sync/pairing.ts';
import { envelopeEntries, type EnvelopeEntry } from '../../src/sync/envelope.ts';
import type { SyncError } from '../../src/sync/errors.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { allBytes, relayClient, removeDir, sameState, tempDir, until } from './sync-helpers.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function relayIn(dir?: string, port?: number): Promise<{ relay: RelayServer; dir: string }> {
  const d = dir ?? (await tempDir());
  if (!dir) cleanup.push(() => removeDir(d));
  const relay = await startRelay({ dataDir: d, port });
  cleanup.push(() => relay.destroy());
  return { relay, dir: d };
}

function notebook(): Notebook {
  const nb = new Notebook();
  nb.migrate();
  return nb;
}

function client(
  relay: RelayServer,
  nb: Notebook,
  keys: SyncKeys,
  device: string,
  extra = {},
): RelayClient {
  const c = relayClient(relay.url, nb.doc, keys, device, extra);
  cleanup.push(() => c.destroy());
  return c;
}

/** A raw Hocuspocus connection to a relay document (what an attacker with a token has). */
async function rawEnvelope(
  relay: RelayServer,
  name: string,
  token: string,
): Promise<{ doc: Y.Doc; provider: HocuspocusProvider; failed: Promise<string> }> {
  const doc = new Y.Doc();
  let fail!: (reason: string) => void;
  const failed = new Promise<string>((r) => (fail = r));
  const provider = new HocuspocusProvider({
    url: relay.url,
    name,
    token,
    document: doc,
    awareness: null,
    // @ts-expect-error -- accepted at run time by the provider's own socket (Node has no WebSocket)
    WebSocketPolyfill: WebSocket,
    onAuthenticationFailed: ({ reason }) => fail(reason),
  });
  cleanup.push(() => provider.destroy());
  return { doc, provider, failed };
}

describe('relay', () => {
  test('listens on 127.0.0.1 only unless told otherwise', async () => {
    const { relay } = await relayIn();
    expect(relay.address).toBe('127.0.0.1');
    expect(relay.url).toBe(`ws://127.0.0.1:${relay.port}`);
  });

  test('device A edits while B is closed; A syncs and closes; B later gets the edits from the relay alone', async () => {
    const { relay } = await relayIn();
    const keys = await deriveKeys(createIdentity());
    const a = notebook();
    const ana = addPerson(a, { name: 'Anastasia Quillfeather', org: 'Brindlewood Partners' });
    setNotes(a, ana, 'Prefers morning calls; sharp on pricing.');
    const ca = client(relay, a, keys, 'laptop');
    await ca.whenSynced;
    await ca.flush();
    expect(ca.status.upToDate).toBe(true);
    expect(ca.status.lastSyncedAt).toBeInstanceOf(Date);
    ca.destroy();

    const b = new Notebook();
    const cb = client(relay, b, keys, 'phone');
    await cb.whenSynced;
    await until(
      () => getPerson(b, ana)?.notes === 'Prefers morning calls; sharp on pricing.',
      'B to get A’s notes',
    );
    expect(getPerson(b, ana)?.org).toBe('Brindlewood Partners');
    // B learns A's device name from the sealed device entry.
    await until(() => cb.devices.some((d) => d.name === 'laptop'), 'the device list');
  });

  test("the relay's files contain none of the notebook's text", async () => {
    const { relay, dir } = await relayIn();
    const keys = await deriveKeys(createIdentity());
    const a = notebook();
    const id = addPerson(a, { name: 'Wilhelmina Ashcombe-Rayner', tags: ['zephyrine-circle'] });
    setNotes(a, id, 'Quietly brilliant at untangling procurement at Marrowgate Foundry');
    const ca = client(relay, a, keys, 'dev-7f3a', { deviceName: 'Ottoline laptop' });
    await ca.whenSynced;
    await ca.flush();
    ca.destroy();
    await relay.destroy();
    const bytes = await allBytes(dir);
    expect(bytes.length).toBeGreaterThan(200);
    for (const text of [
      'Wilhelmina',
      'Ashcombe',
      'zephyrine',
      'procurement',
      'Marrowgate',
      'Ottoline',
      keys.relayToken,
      keys.roomId,
    ]) {
      expect(bytes.includes(text), text).toBe(false);
    }
  });

  test('a client with the wrong secret can neither read nor write', async () => {
    const { relay } = await relayIn();
    const keys = await deriveKeys(createIdentity());
    const wrong = await deriveKeys(createIdentity());
    const a = notebook();
    addPerson(a, { name: 'Cordelia Finchley' });
    const ca = client(relay, a, keys, 'laptop');
    await ca.whenSynced;
    await ca.flush();

    // 1. Another secret derives another document: it syncs fine, with nothing of A's in it.
    const stranger = notebook();
    addPerson(stranger, { name: 'Mallory Intruder' });
    const cs = client(relay, stranger, wrong, 'stranger');
    await cs.whenSynced;
    await cs.flush();
    expect(listPeople(stranger).map((p) => p.name)).not.toContain('Cordelia Finchley');

    // 2. Asking for A's document with its own token is refused by the relay.
    const denied = client(
      relay,
      notebook(),
      { ...wrong, relayDocument: keys.relayDocument },
      'stranger2',
    );
    await expect(denied.whenSynced).rejects.toThrow(/relay refused this device/);
    expect(denied.status.connection).toBe('denied');
    const raw = await rawEnvelope(relay, keys.relayDocument, wrong.relayToken);
    expect(await raw.failed).toMatch(/permission|denied|token/i);

    // 3. Holding the token but not the key: its entries are refused by A, nothing applied,
    //    and it cannot open A's entries either.
    const errors: SyncError[] = [];
    ca.on('error', (e) => errors.push(e));
    const forger = notebook();
    addPerson(forger, { name: 'Forged Person' });
    const forgerErrors: SyncError[] = [];
    const cf = client(relay, forger, { ...keys, key: wrong.key }, 'forger');
    cf.on('error', (e) => forgerErrors.push(e));
    await cf.whenSynced;
    await cf.flush();
    await until(() => errors.length > 0, 'A to report the forged entry');
    expect(errors[0]!.message).toMatch(/failed its integrity check/);
    expect(ca.status.lastError).toMatch(/failed its integrity check/);
    expect(listPeople(a).map((p) => p.name)).not.toContain('Forged Person');
    expect(listPeople(a).map((p) => p.name)).not.toContain('Mallory Intruder');
    expect(forgerErrors.length).toBeGreaterThan(0);
    expect(listPeople(forger).map((p) => p.name)).not.toContain('Cordelia Finchley');
  });

  test('a tampered envelope entry is rejected with a visible error and nothing of it applied', async () => {
    const { relay } = await relayIn();
    const keys = await deriveKeys(createIdentity());
    const a = notebook();
    const id = addPerson(a, { name: 'Benedikt Osei' });
    const ca = client(relay, a, keys, 'laptop');
    await ca.whenSynced;
    await ca.flush();
    setNotes(a, id, 'Introduced me to the Lindqvist board');
    await ca.flush();
    ca.destroy();

    // The relay operator (or anyone with the token) flips one bit of the notes entry.
    const raw = await rawEnvelope(relay, keys.relayDocument, keys.relayToken);
    await until(() => raw.provider.isSynced, 'raw provider to sync');
    const entries = envelopeEntries(raw.doc);
    const all = entries.toArray();
    const last = all.length - 1;
    const target = all[last]!;
    const bad = target.ciphertext.slice();
    bad[3]! ^= 0x01;
    raw.doc.transact(() => {
      entries.delete(last, 1);
      entries.insert(last, [{ ...target, ciphertext: bad } satisfies EnvelopeEntry]);
    });
    await until(() => raw.provider.unsyncedChanges === 0, 'tampered entry to reach the relay');

    const b = new Notebook();
    const cb = client(relay, b, keys, 'phone');
    const errors: SyncError[] = [];
    cb.on('error', (e) => errors.push(e));
    await cb.whenSynced;
    await until(() => errors.length > 0, 'B to report the tampered entry');
    expect(errors[0]!.message).toMatch(/failed its integrity check.*not applied/);
    expect(cb.status.lastError).toMatch(/failed its integrity check/);
    // The untouched entry is applied, the tampered one is not.
    expect(getPerson(b, id)?.name).toBe('Benedikt Osei');
    expect(getPerson(b, id)?.notes ?? '').toBe('');
  });

  test('the relay restarts in the middle of syncing and nothing is lost', async () => {
    const dir = await tempDir();
    cleanup.push(() => removeDir(dir));
    let relay = await startRelay({ dataDir: dir });
    const port = relay.port;
    cleanup.push(() => relay.destroy());
    const keys = await deriveKeys(createIdentity());
    const a = notebook();
    const b = new Notebook();
    const ca = client(relay, a, keys, 'laptop');
    const cb = client(relay, b, keys, 'phone');
    await Promise.all([ca.whenSynced, cb.whenSynced]);
    for (let i = 0; i < 30; i++) {
      addPerson(a, { name: `Person ${i}` });
      if (i % 3 === 0) addPerson(b, { name: `Phone person ${i}` });
      if (i === 10) await relay.destroy(); // both keep editing while the relay is down
      if (i === 20) relay = await startRelay({ dataDir: dir, port });
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all([ca.flush(), cb.flush()]);
    await until(() => sameState(a.doc, b.doc), 'A and B to converge');
    expect(listPeople(b)).toHaveLength(listPeople(a).length);
    expect(listPeople(a).filter((p) => p.name.startsWith('Person '))).toHaveLength(30);
    expect(listPeople(a).filter((p) => p.name.startsWith('Phone person '))).toHaveLength(10);

    // And it is on disk: restart again, a new device gets everything from the relay alone.
    ca.destroy();
    cb.destroy();
    await relay.destroy();
    relay = await startRelay({ dataDir: dir, port });
    const c = new Notebook();
    const cc = client(relay, c, keys, 'tablet');
    await cc.whenSynced;
    await until(() => sameState(a.doc, c.doc), 'a new device to get everything');
  });

  test('compaction keeps every device’s edits, even when two devices compact at once', async () => {
    const { relay } = await relayIn();
    const keys = await deriveKeys(createIdentity());
    const a = notebook();
    const b = new Notebook();
    // Automatic compaction after 8 entries, on both devices.
    const ca = client(relay, a, keys, 'laptop', { compactAfter: 8 });
    const cb = client(relay, b, keys, 'phone', { compactAfter: 8 });
    await Promise.all([ca.whenSynced, cb.whenSynced]);
    for (let i = 0; i < 40; i++) {
      addPerson(a, { name: `Laptop ${i}` });
      addPerson(b, { name: `Phone ${i}` });
      await Promise.all([ca.flush(), cb.flush()]);
    }
    // Both offline edit more, come back, and compact at the same moment.
    ca.disconnect();
    cb.disconnect();
    const p = listPeople(a)[1]!;
    updatePerson(a, p.id, { org: 'Offline Laptop Org' });
    updatePerson(b, listPeople(b)[2]!.id, { role: 'Offline phone role' });
    ca.connect();
    cb.connect();
    await Promise.all([ca.flush(), cb.flush()]);
    await until(() => sameState(a.doc, b.doc), 'A and B to converge');
    await Promise.all([ca.compact(), cb.compact()]);
    await Promise.all([ca.flush(), cb.flush()]);
    await until(() => ca.status.entries === cb.status.entries, 'envelopes to agree');
    expect(ca.status.entries).toBeLessThan(8);

    // A fresh device, from the compacted relay alone, gets every edit of both.
    const c = new Notebook();
    const cc = client(relay, c, keys, 'tablet');
    await cc.whenSynced;
    await until(() => sameState(a.doc, c.doc), 'the new device to get everything');
    const names = listPeople(c).map((x) => x.name);
    for (let i = 0; i < 40; i++) {
      expect(names).toContain(`Laptop ${i}`);
      expect(names).toContain(`Phone ${i}`);
    }
    expect(getPerson(c, p.id)?.org).toBe('Offline Laptop Org');
    expect(listPeople(c).some((x) => x.role === 'Offline phone role')).toBe(true);
  });
});
