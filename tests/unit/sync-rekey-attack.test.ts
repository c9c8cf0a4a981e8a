/**
 * The re-key hijack (issue 11, point 1): a removed device still holds the old secret, so
 * it can post a "new secret" for a device that was offline during "Remove a device" in the
 * old envelope (or publish one live). The phone must never follow it into the attacker's
 * room: re-keys are signed with the sender's pinned device key, a device named as removed
 * cannot author the secret the phone adopts, conflicting re-keys go to the owner, and
 * replays of older re-keys or device entries are refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import { startSignaling, type SignalingServer } from '../../src/server/signaling.ts';
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
import {
  createDeviceKeys,
  createRekeyMessages,
  wrapIdentity,
  type RekeyMessage,
} from '../../src/sync/rekey.ts';
import { nextSeq, openSealed, seal } from '../../src/sync/crypto.ts';
import { envelopeDevices, envelopeEntries } from '../../src/sync/envelope.ts';
import { toBase64Url, utf8 } from '../../src/sync/bytes.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { relayClient, removeDir, tempDir, until } from './sync-helpers.ts';

let dir: string;
let relay: RelayServer;
let signaling: SignalingServer;
let cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  dir = await tempDir('vitrine-rekey-attack-');
  relay = await startRelay({ dataDir: dir, port: 0 });
  signaling = await startSignaling();
  // y-webrtc's signalling client uses the global WebSocket, which Node 20 lacks.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});
afterAll(async () => {
  await signaling?.destroy();
  await relay?.destroy();
  await removeDir(dir);
});

/**
 * A device. By default it syncs through the relay only; with `live` it also joins the
 * live room, sharing `live` as its presence so the test can play the other devices (two
 * y-webrtc providers cannot share a room in one process; the data channel itself is
 * covered in Chromium by tests/e2e/sync-webrtc.test.ts).
 */
async function device(
  name: string,
  { live = false, relayOn = true }: { live?: boolean; relayOn?: boolean } = {},
) {
  const store = new IdentityStore(memoryKeyValue(), 'nb');
  const record = await store.saveDeviceName(await store.loadDevice('node'), name);
  const nb = new Notebook();
  nb.migrate();
  // y-webrtc expects the awareness of the document it syncs.
  const awareness = new Awareness(nb.doc);
  cleanup.push(() => awareness.destroy());
  const settings: SyncSettings = {
    ...DEFAULT_SYNC_SETTINGS,
    signaling: live ? signaling.url : '',
    relay: relay.url,
    relayEnabled: relayOn,
  };
  const session = new SyncSession({
    doc: nb.doc,
    device: record,
    settings,
    store,
    WebSocketPolyfill: WebSocket,
    locks: null,
    handoverMs: 2000,
    ...(live ? { awareness } : {}),
  });
  cleanup.push(() => session.destroy());
  return { nb, store, session, awareness, id: record.id, name };
}

type Device = Awaited<ReturnType<typeof device>>;

const same = (a: SyncIdentity | undefined, b: SyncIdentity | undefined) =>
  !!a && !!b && Buffer.from(a.secret).equals(Buffer.from(b.secret));

/** The removed tablet, by hand: a raw client on the old envelope with its id. */
async function attackerClient(keys: SyncKeys, tabletId: string): Promise<RelayClient> {
  const c = relayClient(relay.url, new Notebook().doc, keys, tabletId, {
    compactAfter: 0,
    deviceName: 'Lost tablet',
  });
  cleanup.push(() => c.destroy());
  await c.whenSynced;
  return c;
}

/** A new secret wrapped for the phone the way an older Vitrine did it: no signature. */
async function unsignedRekey(
  roomId: string,
  phone: { id: string; publicKey: JsonWebKey },
  evil: SyncIdentity,
): Promise<RekeyMessage> {
  const wrapped = await wrapIdentity(phone.publicKey, evil, { roomId, recipient: phone.id });
  return {
    to: phone.id,
    epk: wrapped.epk,
    iv: toBase64Url(wrapped.iv),
    ciphertext: toBase64Url(wrapped.ciphertext),
  };
}

/**
 * What a removed device can write with the old room key: a re-key message sealed like any
 * entry, under any device id, put at the front of the old envelope (or at its end).
 */
async function postAtFront(
  attacker: RelayClient,
  keys: SyncKeys,
  device: string,
  message: RekeyMessage,
  where: 'front' | 'end' = 'front',
): Promise<void> {
  const seq = nextSeq();
  const sealed = await seal(keys.key, utf8(JSON.stringify(message)), {
    roomId: keys.roomId,
    device,
    seq,
    kind: 'rekey',
  });
  attacker.envelope.transact(() =>
    envelopeEntries(attacker.envelope).insert(
      where === 'front' ? 0 : envelopeEntries(attacker.envelope).length,
      [{ device, seq, kind: 'rekey', ...sealed }],
    ),
  );
  await attacker.flush();
}

/** The laptop's genuine re-key message for the phone, read from the old envelope. */
async function laptopMessage(
  attacker: RelayClient,
  keys: SyncKeys,
  laptopId: string,
): Promise<RekeyMessage> {
  const entry = envelopeEntries(attacker.envelope)
    .toArray()
    .find((e) => e.kind === 'rekey' && e.device === laptopId)!;
  const plain = await openSealed(keys.key, entry, {
    roomId: keys.roomId,
    device: entry.device,
    seq: entry.seq,
    kind: 'rekey',
  });
  return JSON.parse(new TextDecoder().decode(plain)) as RekeyMessage;
}

/**
 * Laptop, phone and tablet share a notebook; the phone and the tablet go offline; the
 * laptop removes the tablet (the phone is addressed through the old envelope) and moves
 * on. Returns what an attack needs, with the tablet's raw client on the old envelope.
 */
async function removalWhilePhoneAway(opts: { phoneLive?: boolean } = {}) {
  const laptop = await device('Laptop');
  const phone = await device('Phone', { live: opts.phoneLive ?? false });
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
  phone.session.stop();
  tablet.session.stop();
  const result = await laptop.session.removeDevice(tablet.id);
  expect(result.addressed).toEqual([phone.id]);
  const next = laptop.session.identity!;
  expect(same(next, identity)).toBe(false);
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
  return {
    laptop,
    phone,
    tablet,
    identity,
    oldKeys,
    next,
    attacker,
    phoneKey: { id: phone.id, publicKey: phoneKey! },
  };
}

/** The tablet's counter-move: its own signed re-key for the phone, removing the laptop. */
async function tabletRemovesLaptop(
  s: Awaited<ReturnType<typeof removalWhilePhoneAway>>,
): Promise<void> {
  const [counter] = await createRekeyMessages({
    keys: s.tablet.session.device.keys,
    sender: s.tablet.id,
    oldRoom: s.oldKeys.roomId,
    next: createIdentity(),
    removed: [s.laptop.id],
    recipients: [s.phoneKey],
    seq: nextSeq(),
    at: new Date(),
  });
  await postAtFront(s.attacker, s.oldKeys, s.tablet.id, counter!);
}

/** Resolves with the identity `d` moves to next. */
const nextMove = (d: Device) =>
  new Promise<SyncIdentity>((resolve) => d.session.on('identity', resolve));

/** The laptop's next edit reaches the phone: both are in the same (new) room. */
async function phoneFollowsLaptop(laptop: Device, phone: Device, label: string): Promise<void> {
  addPerson(laptop.nb, { name: label });
  await until(
    () => listPeople(phone.nb).some((p) => p.name === label),
    'phone gets the laptop edit in the new room',
    15_000,
  );
}

describe('the re-key hijack through the relay', () => {
  test.each([
    ['unsigned, as an older Vitrine wrote re-keys', 'unsigned'],
    ['signed by the tablet as itself', 'own'],
    ["signed by the tablet in the laptop's name", 'impersonate'],
    ["the laptop's signed statement around the tablet's own secret, after the laptop's", 'splice'],
  ] as const)(
    'a removed tablet puts a new secret for the offline phone in the old envelope (%s): the phone follows the laptop',
    async (_label, kind) => {
      const { laptop, phone, tablet, identity, oldKeys, next, attacker, phoneKey } =
        await removalWhilePhoneAway();
      const evil = createIdentity();
      const signedBy = async (sender: string) =>
        (
          await createRekeyMessages({
            keys: tablet.session.device.keys,
            sender,
            oldRoom: oldKeys.roomId,
            next: evil,
            removed: [],
            recipients: [phoneKey],
            seq: nextSeq(),
            at: new Date(),
          })
        )[0]!;
      let message: RekeyMessage;
      let author = tablet.id;
      if (kind === 'unsigned') {
        message = await unsignedRekey(oldKeys.roomId, phoneKey, evil);
      } else if (kind === 'own') {
        message = await signedBy(tablet.id);
      } else if (kind === 'impersonate') {
        message = await signedBy(laptop.id);
        author = laptop.id;
      } else {
        const genuine = await laptopMessage(attacker, oldKeys, laptop.id);
        message = {
          ...(await unsignedRekey(oldKeys.roomId, phoneKey, evil)),
          statement: genuine.statement!,
          sig: genuine.sig!,
        };
        author = laptop.id;
      }
      // Put first, so it is read first; the splice goes last, after the genuine copy.
      const where = kind === 'splice' ? 'end' : 'front';
      await postAtFront(attacker, oldKeys, author, message, where);
      const entries = envelopeEntries(attacker.envelope);
      expect(entries.get(where === 'front' ? 0 : entries.length - 1).device).toBe(author);

      const moved = nextMove(phone);
      await phone.session.start(identity);
      const adopted = await moved;
      expect(same(adopted, evil)).toBe(false);
      expect(same(adopted, next)).toBe(true);
      expect(same(await phone.store.loadIdentity(), next)).toBe(true);
      await phoneFollowsLaptop(laptop, phone, `After the removal (${kind})`);
      expect(same(phone.session.identity, next)).toBe(true);
    },
  );

  test('when the tablet names the laptop as removed in turn, the phone asks its owner, naming both, and follows the device chosen', async () => {
    const setup = await removalWhilePhoneAway();
    const { laptop, phone, identity, next } = setup;
    await tabletRemovesLaptop(setup);
    let moves = 0;
    phone.session.on('identity', () => moves++);
    await phone.session.start(identity);
    await until(() => phone.session.rekeyChoice !== undefined, 'the phone to ask its owner');
    const summary = phone.session.summary;
    expect(summary.text).toMatch(/"Laptop" and "Lost tablet" sent different new sync secrets/);
    expect(summary.choice?.options.map((o) => [o.senderName, o.removedNames])).toEqual(
      expect.arrayContaining([
        ['Laptop', ['Lost tablet']],
        ['Lost tablet', ['Laptop']],
      ]),
    );
    // Nothing was chosen silently: the phone is still in the old room.
    expect(moves).toBe(0);
    expect(same(phone.session.identity, identity)).toBe(true);
    await expect(phone.session.chooseRekey('someone-else')).rejects.toThrow(/choose one listed/);
    const moved = nextMove(phone);
    await phone.session.chooseRekey(laptop.id);
    expect(same(await moved, next)).toBe(true);
    expect(phone.session.rekeyChoice).toBeUndefined();
    await phoneFollowsLaptop(laptop, phone, 'After the owner chose the laptop');
  });

  test('an older re-key from the laptop, never seen here, sent again after the phone decided, is refused', async () => {
    const setup = await removalWhilePhoneAway();
    const { laptop, phone, tablet, identity, oldKeys, attacker, phoneKey } = setup;
    // A conflict the owner answers with "stay": both re-keys are decided on.
    await tabletRemovesLaptop(setup);
    await phone.session.start(identity);
    await until(() => phone.session.rekeyChoice !== undefined, 'the phone to ask its owner');
    await phone.session.chooseRekey(null);
    expect(phone.session.summary.lastError).toMatch(/keeps its current sync secret/);
    const decided = (await phone.store.loadRekeyMemory()).statements[laptop.id];
    expect(decided).toBeGreaterThan(0);

    // Starting again over the same envelope asks nothing: those re-keys were seen.
    phone.session.stop();
    await phone.session.start(identity);
    await until(() => phone.session.summary.state === 'up-to-date', 'phone up to date again');
    expect(phone.session.rekeyChoice).toBeUndefined();

    // The relay brings back an older re-key the laptop once signed (withheld until now).
    const [replayed] = await createRekeyMessages({
      keys: laptop.session.device.keys,
      sender: laptop.id,
      oldRoom: oldKeys.roomId,
      next: createIdentity(),
      removed: [tablet.id],
      recipients: [phoneKey],
      seq: decided! - 1000,
      at: new Date(),
    });
    await postAtFront(attacker, oldKeys, laptop.id, replayed!);
    await until(
      () =>
        /An older key change from "Laptop" was sent again/.test(
          phone.session.summary.lastError ?? '',
        ),
      'the replay to be refused',
    );
    expect(same(phone.session.identity, identity)).toBe(true);
    expect(same(await phone.store.loadIdentity(), identity)).toBe(true);
  });
});

/** Presence of another device, as y-webrtc would deliver it to the phone. */
function presence(
  into: Awareness,
  device: { id: string; name: string; publicKey: JsonWebKey; verifyKey?: JsonWebKey },
  rekey?: readonly RekeyMessage[],
): void {
  const other = new Awareness(new Y.Doc());
  other.setLocalState({ device, ...(rekey ? { rekey } : {}) });
  applyAwarenessUpdate(into, encodeAwarenessUpdate(other, [other.clientID]), 'remote');
  other.destroy();
}

describe('the re-key hijack on the live path', () => {
  test('the removed tablet offers the returning phone a new secret live; the phone waits for the relay, sees the laptop removed the tablet, and follows the laptop', async () => {
    const { laptop, phone, tablet, identity, oldKeys, next, phoneKey } =
      await removalWhilePhoneAway({ phoneLive: true });
    const live = phone.awareness;
    const evil = createIdentity();
    const tabletKeys = tablet.session.device.keys;
    const messages = await createRekeyMessages({
      keys: tabletKeys,
      sender: tablet.id,
      oldRoom: oldKeys.roomId,
      next: evil,
      removed: [],
      recipients: [phoneKey],
      seq: nextSeq(),
      at: new Date(),
    });
    const moved = nextMove(phone);
    await phone.session.start(identity);
    // The tablet is in the old room when the phone comes back, before the relay answers.
    presence(
      live,
      {
        id: tablet.id,
        name: 'Lost tablet',
        publicKey: tabletKeys.publicKey,
        verifyKey: tabletKeys.verifyKey!,
      },
      messages,
    );
    const adopted = await moved;
    expect(same(adopted, evil)).toBe(false);
    expect(same(adopted, next)).toBe(true);
    await phoneFollowsLaptop(laptop, phone, 'After the removal (live)');
  });

  test("live only: a re-key in the laptop's name that the laptop did not sign is refused; the laptop's own is followed", async () => {
    const phone = await device('Phone', { live: true, relayOn: false });
    const live = phone.awareness;
    const identity = createIdentity();
    const keys = await deriveKeys(identity);
    await phone.session.start(identity);
    const laptopKeys = await createDeviceKeys();
    const tabletKeys = await createDeviceKeys();
    const laptopInfo = {
      id: 'laptop-1',
      name: 'Laptop',
      publicKey: laptopKeys.publicKey,
      verifyKey: laptopKeys.verifyKey,
    };
    presence(live, laptopInfo);
    presence(live, {
      id: 'tablet-1',
      name: 'Lost tablet',
      publicKey: tabletKeys.publicKey,
      verifyKey: tabletKeys.verifyKey,
    });
    await until(() => phone.session.summary.devices.length === 3, 'phone sees both live');
    const draft = {
      sender: 'laptop-1',
      oldRoom: keys.roomId,
      removed: ['tablet-1'],
      recipients: [{ id: phone.id, publicKey: phone.session.device.keys.publicKey }],
      at: new Date(),
    };
    const evil = createIdentity();
    const forged = await createRekeyMessages({
      ...draft,
      keys: tabletKeys,
      next: evil,
      seq: nextSeq(),
    });
    const next = createIdentity();
    const genuine = await createRekeyMessages({
      ...draft,
      keys: laptopKeys,
      next,
      seq: nextSeq(),
    });
    const moved = nextMove(phone);
    // The tablet speaks first, in the laptop's name (it can: it has the room password).
    presence(live, laptopInfo, forged);
    await until(
      () => /does not carry that device's signature/.test(phone.session.summary.lastError ?? ''),
      'the forged re-key to be refused',
    );
    expect(same(phone.session.identity, identity)).toBe(true);
    presence(live, laptopInfo, genuine);
    const adopted = await moved;
    expect(same(adopted, evil)).toBe(false);
    expect(same(adopted, next)).toBe(true);
  });
});

describe('device signing keys and sequence numbers', () => {
  test('a device record from before signed re-keys keeps its id and receiving key and gains a signing key', async () => {
    const kv = memoryKeyValue();
    const { publicKey, privateKey } = await createDeviceKeys();
    await kv.set('device', { id: 'old-phone', name: 'Phone', keys: { publicKey, privateKey } });
    const upgraded = await new IdentityStore(kv, 'nb').loadDevice('node');
    expect(upgraded.id).toBe('old-phone');
    expect(upgraded.keys.publicKey).toEqual(publicKey);
    expect(upgraded.keys.verifyKey).toBeDefined();
    expect(upgraded.keys.signingKey?.extractable).toBe(false);
    // Kept: the next start signs with the same key.
    const again = await new IdentityStore(kv, 'nb').loadDevice('node');
    expect(again.keys.verifyKey).toEqual(upgraded.keys.verifyKey);
  });

  test('a relay that rolls a device entry back to an older one is refused; the newer name stays', async () => {
    const keys = await deriveKeys(createIdentity());
    const phoneKeys = await createDeviceKeys();
    const first = relayClient(relay.url, new Notebook().doc, keys, 'phone', {
      deviceKeys: phoneKeys,
      deviceName: 'Phone',
    });
    cleanup.push(() => first.destroy());
    await first.whenSynced;
    await until(() => envelopeDevices(first.envelope).has('phone'), 'first device entry');
    await first.flush();
    const old = envelopeDevices(first.envelope).get('phone')!;
    first.destroy();
    const second = relayClient(relay.url, new Notebook().doc, keys, 'phone', {
      deviceKeys: phoneKeys,
      deviceName: 'Phone, renamed',
    });
    cleanup.push(() => second.destroy());
    await second.whenSynced;
    await until(
      () => envelopeDevices(second.envelope).get('phone')?.seq !== old.seq,
      'the newer device entry',
    );
    await second.flush();
    const laptop = relayClient(relay.url, new Notebook().doc, keys, 'laptop');
    cleanup.push(() => laptop.destroy());
    const seqs: Record<string, number>[] = [];
    laptop.on('deviceSeqs', (s) => seqs.push({ ...s }));
    const errors: string[] = [];
    laptop.on('error', (e) => errors.push(e.message));
    await laptop.whenSynced;
    await until(
      () => laptop.devices.some((d) => d.name === 'Phone, renamed'),
      'laptop sees the renamed phone',
    );
    expect(seqs.at(-1)?.phone).toBeGreaterThan(old.seq);
    // The relay serves the older entry again.
    laptop.envelope.transact(() => envelopeDevices(laptop.envelope).set('phone', old));
    await until(() => errors.some((e) => /older entry of device "Phone"/.test(e)), 'refusal');
    expect(laptop.devices.find((d) => d.id === 'phone')?.name).toBe('Phone, renamed');
  });
});
