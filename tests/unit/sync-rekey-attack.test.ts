/**
 * The re-key hijack (issue 11, point 1): a removed device still holds the old secret, so
 * it can post a "new secret" for a device that was offline during "Remove a device" in the
 * old envelope (or publish one live). The phone must never follow it into the attacker's
 * room: re-keys are signed with the sender's pinned device key, a device named as removed
 * cannot author the secret the phone adopts, conflicting re-keys go to the owner.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import {
  DEFAULT_SYNC_SETTINGS,
  IdentityStore,
  memoryKeyValue,
  type SyncSettings,
} from '../../src/sync/identity-store.ts';
import {
  createIdentity,
  deriveKeys,
  type SyncIdentity,
  type SyncKeys,
} from '../../src/sync/pairing.ts';
import { SyncSession } from '../../src/sync/session.ts';
import { wrapIdentity } from '../../src/sync/rekey.ts';
import { seal } from '../../src/sync/crypto.ts';
import { envelopeEntries } from '../../src/sync/envelope.ts';
import { toBase64Url, utf8 } from '../../src/sync/bytes.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { relayClient, removeDir, tempDir, until } from './sync-helpers.ts';

let dir: string;
let relay: RelayServer;
let cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  dir = await tempDir('vitrine-rekey-attack-');
  relay = await startRelay({ dataDir: dir, port: 0 });
});
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});
afterAll(async () => {
  await relay?.stop();
  await removeDir(dir);
});

/** A device that syncs through the relay only (WebRTC needs a browser). */
async function device(name: string) {
  const store = new IdentityStore(memoryKeyValue(), 'nb');
  const record = await store.saveDeviceName(await store.loadDevice('node'), name);
  const nb = new Notebook();
  nb.migrate();
  const settings: SyncSettings = { ...DEFAULT_SYNC_SETTINGS, signaling: '', relay: relay.url };
  const session = new SyncSession({
    doc: nb.doc,
    device: record,
    settings,
    store,
    WebSocketPolyfill: WebSocket,
    locks: null,
    handoverMs: 2000,
  });
  cleanup.push(() => session.destroy());
  return { nb, store, session, id: record.id, name };
}

const same = (a: SyncIdentity | undefined, b: SyncIdentity | undefined) =>
  !!a && !!b && Buffer.from(a.secret).equals(Buffer.from(b.secret));

/** The removed tablet, by hand: a raw client on the old envelope with its id. */
async function attackerClient(keys: SyncKeys, tabletId: string): Promise<RelayClient> {
  const c = relayClient(relay.url, new Notebook().doc, keys, tabletId, { compactAfter: 0 });
  cleanup.push(() => c.destroy());
  await c.whenSynced;
  return c;
}

/**
 * What a removed device can write with the old room key: a new secret wrapped for the
 * phone, sealed like any entry, put at the front of the old envelope.
 */
async function postForgedRekey(
  attacker: RelayClient,
  keys: SyncKeys,
  tabletId: string,
  phone: { id: string; publicKey: JsonWebKey },
  evil: SyncIdentity,
): Promise<void> {
  const wrapped = await wrapIdentity(phone.publicKey, evil, {
    roomId: keys.roomId,
    recipient: phone.id,
  });
  const message = {
    to: phone.id,
    epk: wrapped.epk,
    iv: toBase64Url(wrapped.iv),
    ciphertext: toBase64Url(wrapped.ciphertext),
  };
  const seq = 1;
  const sealed = await seal(keys.key, utf8(JSON.stringify(message)), {
    roomId: keys.roomId,
    device: tabletId,
    seq,
    kind: 'rekey',
  });
  attacker.envelope.transact(() =>
    envelopeEntries(attacker.envelope).insert(0, [
      { device: tabletId, seq, kind: 'rekey', ...sealed },
    ]),
  );
  await attacker.flush();
}

describe('the re-key hijack through the relay', () => {
  test('a removed tablet posts a new secret for the offline phone at the front of the old envelope: the phone follows the laptop, not the tablet', async () => {
    const laptop = await device('Laptop');
    const phone = await device('Phone');
    const tablet = await device('Lost tablet');
    const identity = createIdentity();
    const oldKeys = await deriveKeys(identity);
    for (const d of [laptop, phone, tablet]) {
      await d.store.saveIdentity(identity);
      await d.session.start(identity);
    }
    for (const d of [laptop, phone, tablet]) {
      await until(
        () => d.session.summary.devices.filter((x) => !x.self).length === 2,
        `${d.name} sees the two others`,
        15_000,
      );
    }
    addPerson(laptop.nb, { name: 'Before the removal' });
    await laptop.session.flush();
    await until(
      () => listPeople(phone.nb).some((p) => p.name === 'Before the removal'),
      'phone has the first edit',
    );

    // The phone goes offline; the laptop removes the tablet (the phone is addressed through
    // the old envelope) and moves on.
    phone.session.stop();
    tablet.session.stop();
    const result = await laptop.session.removeDevice(tablet.id);
    expect(result.addressed).toEqual([phone.id]);
    const next = laptop.session.identity;
    expect(same(next, identity)).toBe(false);

    // The tablet, removed, still has the old room key: it writes its own "new secret" for
    // the phone and puts it first.
    const attacker = await attackerClient(oldKeys, tablet.id);
    await until(
      () =>
        envelopeEntries(attacker.envelope)
          .toArray()
          .some((e) => e.kind === 'rekey' && e.device === laptop.id),
      "the laptop's re-key on the relay",
    );
    const phoneKey = attacker.devices.find((d) => d.id === phone.id)?.publicKey;
    expect(phoneKey).toBeDefined();
    const evil = createIdentity();
    await postForgedRekey(
      attacker,
      oldKeys,
      tablet.id,
      { id: phone.id, publicKey: phoneKey! },
      evil,
    );
    expect(envelopeEntries(attacker.envelope).get(0).device).toBe(tablet.id);

    // The phone comes back.
    const moved = new Promise<SyncIdentity>((resolve) => phone.session.on('identity', resolve));
    await phone.session.start(identity);
    const adopted = await moved;
    expect(same(adopted, evil)).toBe(false);
    expect(same(adopted, next)).toBe(true);
    expect(same(await phone.store.loadIdentity(), next)).toBe(true);
    // And it stays there: laptop and phone share edits in the new room.
    addPerson(laptop.nb, { name: 'After the removal' });
    await until(
      () => listPeople(phone.nb).some((p) => p.name === 'After the removal'),
      'phone gets the laptop edit in the new room',
      15_000,
    );
    expect(same(phone.session.identity, next)).toBe(true);
  });
});
