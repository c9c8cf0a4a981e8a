/**
 * "Remove a device": rotate the secret, hand it to the devices that stay through the old
 * envelope, and leave the removed device unable to follow.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { Notebook, addPerson, listPeople } from '../../src/model/index.ts';
import {
  createIdentity,
  deriveKeys,
  formatPairingCode,
  rotateIdentity,
  type SyncIdentity,
} from '../../src/sync/pairing.ts';
import { createDeviceKeys, unwrapIdentity, wrapIdentity } from '../../src/sync/rekey.ts';
import { openSealed } from '../../src/sync/crypto.ts';
import { envelopeEntries } from '../../src/sync/envelope.ts';
import { fromBase64Url } from '../../src/sync/bytes.ts';
import { startRelay, type RelayServer } from '../../src/server/relay.ts';
import type { RelayClient } from '../../src/sync/relay-client.ts';
import { relayClient, removeDir, sameState, tempDir, until } from './sync-helpers.ts';

describe('wrapping a new secret for one device', () => {
  test('only the addressed device opens it, only for that room', async () => {
    const [phone, tablet] = await Promise.all([createDeviceKeys(), createDeviceKeys()]);
    expect(phone.privateKey.extractable).toBe(false);
    const next = createIdentity();
    const ctx = { roomId: 'old-room', recipient: 'phone' };
    const wrapped = await wrapIdentity(phone.publicKey, next, ctx);
    expect(Buffer.from(wrapped.ciphertext).includes(formatPairingCode(next))).toBe(false);
    const opened = await unwrapIdentity(phone.privateKey, wrapped, ctx);
    expect(formatPairingCode(opened)).toBe(formatPairingCode(next));
    await expect(unwrapIdentity(tablet.privateKey, wrapped, ctx)).rejects.toThrow(
      /meant for another device/,
    );
    await expect(
      unwrapIdentity(phone.privateKey, wrapped, { ...ctx, recipient: 'tablet' }),
    ).rejects.toThrow(/meant for another device/);
    await expect(
      unwrapIdentity(phone.privateKey, wrapped, { ...ctx, roomId: 'other' }),
    ).rejects.toThrow(/meant for another device/);
  });
});

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

test('removing a device: the others get the new secret through the relay, the removed one cannot follow', async () => {
  const dir = await tempDir();
  cleanup.push(() => removeDir(dir));
  const relay: RelayServer = await startRelay({ dataDir: dir });
  cleanup.push(() => relay.destroy());
  const old = createIdentity();
  const oldKeys = await deriveKeys(old);
  const names = ['laptop', 'phone', 'lost-tablet'] as const;
  const deviceKeys = await Promise.all(names.map(() => createDeviceKeys()));
  const books = names.map(() => new Notebook());
  books[0]!.migrate();
  addPerson(books[0]!, { name: 'Before rotation' });
  const clients = names.map((name, i) => {
    const c = relayClient(relay.url, books[i]!.doc, oldKeys, name, { deviceKeys: deviceKeys[i] });
    cleanup.push(() => c.destroy());
    return c;
  });
  const received = new Map<string, SyncIdentity>();
  clients.forEach((c, i) => c.on('rekey', (id) => received.set(names[i]!, id)));
  await Promise.all(clients.map((c) => c.whenSynced));
  await until(() => clients[0]!.devices.filter((d) => d.publicKey).length === 3, 'all keys known');

  const next = rotateIdentity(old);
  const result = await clients[0]!.rotate(next, ['lost-tablet']);
  expect(result).toEqual({ addressed: ['phone'], unreachable: [] });
  await until(() => received.has('phone'), 'the phone to receive the new secret');
  expect(formatPairingCode(received.get('phone')!)).toBe(formatPairingCode(next));

  // The lost tablet saw the rekey entry (it still has the old room key) but cannot open it.
  const tablet = clients[2]!;
  await until(
    () =>
      envelopeEntries(tablet.envelope)
        .toArray()
        .some((e) => e.kind === 'rekey'),
    'tablet sees it',
  );
  expect(received.has('lost-tablet')).toBe(false);
  for (const entry of envelopeEntries(tablet.envelope)
    .toArray()
    .filter((e) => e.kind === 'rekey')) {
    const plain = await openSealed(oldKeys.key, entry, {
      roomId: oldKeys.roomId,
      device: entry.device,
      seq: entry.seq,
      kind: 'rekey',
    });
    const msg = JSON.parse(new TextDecoder().decode(plain)) as {
      epk: JsonWebKey;
      iv: string;
      ciphertext: string;
    };
    await expect(
      unwrapIdentity(
        deviceKeys[2]!.privateKey,
        { epk: msg.epk, iv: fromBase64Url(msg.iv)!, ciphertext: fromBase64Url(msg.ciphertext)! },
        { roomId: oldKeys.roomId, recipient: 'lost-tablet' },
      ),
    ).rejects.toThrow();
  }

  // Laptop and phone move to the new identity; the notebook carries over, the tablet is left out.
  const newKeys = await deriveKeys(received.get('phone')!);
  expect(newKeys.relayDocument).not.toBe(oldKeys.relayDocument);
  clients[0]!.destroy();
  clients[1]!.destroy();
  const moved: RelayClient[] = [0, 1].map((i) => {
    const c = relayClient(relay.url, books[i]!.doc, newKeys, names[i]!, {
      deviceKeys: deviceKeys[i],
    });
    cleanup.push(() => c.destroy());
    return c;
  });
  await Promise.all(moved.map((c) => c.whenSynced));
  addPerson(books[1]!, { name: 'After rotation' });
  await moved[1]!.flush();
  await until(
    () => listPeople(books[0]!).some((p) => p.name === 'After rotation'),
    'laptop gets the new edit',
  );
  await until(() => sameState(books[0]!.doc, books[1]!.doc), 'laptop and phone identical');
  // The tablet, still on the old room, never sees it.
  await new Promise((r) => setTimeout(r, 100));
  expect(listPeople(books[2]!).some((p) => p.name === 'After rotation')).toBe(false);
  expect(Y.encodeStateVector(books[2]!.doc)).not.toEqual(Y.encodeStateVector(books[1]!.doc));
});
