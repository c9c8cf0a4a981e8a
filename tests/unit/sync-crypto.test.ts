import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createIdentity, deriveKeys } from '../../src/sync/pairing.ts';
import { IV_BYTES, openSealed, seal, type SealContext } from '../../src/sync/crypto.ts';
import { SealError } from '../../src/sync/errors.ts';

async function update(): Promise<Uint8Array> {
  const doc = new Y.Doc();
  doc.getMap('people').set('p1', 'Ingrid Vasquez-Oduya, works at Fenwick Labs');
  return Y.encodeStateAsUpdate(doc);
}

describe('sealing updates', async () => {
  const keys = await deriveKeys(createIdentity());
  const ctx: SealContext = { roomId: keys.roomId, device: 'laptop', seq: 7, kind: 'update' };

  test('seal then open gives back the update, and the ciphertext hides it', async () => {
    const plain = await update();
    const sealed = await seal(keys.key, plain, ctx);
    expect(sealed.iv).toHaveLength(IV_BYTES);
    expect(sealed.ciphertext.length).toBe(plain.length + 16);
    expect(Buffer.from(sealed.ciphertext).includes('Ingrid')).toBe(false);
    const back = await openSealed(keys.key, sealed, ctx);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, back);
    expect(doc.getMap('people').get('p1')).toBe('Ingrid Vasquez-Oduya, works at Fenwick Labs');
  });

  test('every seal uses a fresh IV', async () => {
    const plain = await update();
    const a = await seal(keys.key, plain, ctx);
    const b = await seal(keys.key, plain, ctx);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  test('one flipped bit anywhere is refused with a clear error', async () => {
    const sealed = await seal(keys.key, await update(), ctx);
    for (const at of [0, 5, sealed.ciphertext.length - 1]) {
      const bad = sealed.ciphertext.slice();
      bad[at]! ^= 1;
      await expect(openSealed(keys.key, { iv: sealed.iv, ciphertext: bad }, ctx)).rejects.toThrow(
        /changed after it was sealed/,
      );
    }
    const badIv = sealed.iv.slice();
    badIv[0]! ^= 0x80;
    await expect(
      openSealed(keys.key, { iv: badIv, ciphertext: sealed.ciphertext }, ctx),
    ).rejects.toThrow(SealError);
  });

  test('the wrong key is refused', async () => {
    const other = await deriveKeys(createIdentity());
    const sealed = await seal(keys.key, await update(), ctx);
    await expect(openSealed(other.key, sealed, ctx)).rejects.toThrow(/another notebook's key/);
  });

  test('an entry moved to another notebook, device, seq or kind is refused', async () => {
    const sealed = await seal(keys.key, await update(), ctx);
    for (const moved of [
      { ...ctx, roomId: 'another-room' },
      { ...ctx, device: 'phone' },
      { ...ctx, seq: 8 },
      { ...ctx, kind: 'snapshot' as const },
    ]) {
      await expect(openSealed(keys.key, sealed, moved)).rejects.toThrow(SealError);
    }
  });

  test('a malformed IV is refused before decrypting', async () => {
    const sealed = await seal(keys.key, await update(), ctx);
    await expect(
      openSealed(keys.key, { iv: sealed.iv.slice(0, 8), ciphertext: sealed.ciphertext }, ctx),
    ).rejects.toThrow(/malformed/);
  });
});
