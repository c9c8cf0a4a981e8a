import { describe, expect, test } from 'vitest';
import {
  PAIRING_CODE_LENGTH,
  createIdentity,
  deriveKeys,
  formatPairingCode,
  formatPairingLink,
  parsePairingLink,
  relayDocumentName,
  rotateIdentity,
  type SyncIdentity,
} from '../../src/sync/pairing.ts';
import { openSealed, seal } from '../../src/sync/crypto.ts';
import { SyncError } from '../../src/sync/errors.ts';

const fixed: SyncIdentity = { version: 1, secret: new Uint8Array(32).map((_, i) => i * 7 + 1) };

describe('sync identity', () => {
  test('derivation is deterministic: the same secret gives the same room, password and token', async () => {
    const a = await deriveKeys(fixed);
    const b = await deriveKeys({ version: 1, secret: fixed.secret.slice() });
    expect(a.roomId).toBe(b.roomId);
    expect(a.webrtcPassword).toBe(b.webrtcPassword);
    expect(a.relayToken).toBe(b.relayToken);
    expect(a.relayDocument).toBe(b.relayDocument);
    // Same key: what one device seals, the other opens.
    const ctx = { roomId: a.roomId, device: 'd1', seq: 1, kind: 'update' as const };
    const sealed = await seal(a.key, new Uint8Array([1, 2, 3]), ctx);
    expect([...(await openSealed(b.key, sealed, ctx))]).toEqual([1, 2, 3]);
  });

  test('each label gives a distinct value, none of them the secret', async () => {
    const k = await deriveKeys(fixed);
    const values = [k.roomId, k.webrtcPassword, k.relayToken, k.relayDocument];
    expect(new Set(values).size).toBe(values.length);
    const secretCode = formatPairingCode(fixed);
    for (const v of values) expect(secretCode.includes(v.slice(0, 20))).toBe(false);
    expect(k.relayDocument).toBe(await relayDocumentName(k.relayToken));
    expect(k.key.extractable).toBe(false);
  });

  test('two identities never share a room or token', async () => {
    const [a, b] = await Promise.all([deriveKeys(createIdentity()), deriveKeys(createIdentity())]);
    expect(a.roomId).not.toBe(b.roomId);
    expect(a.relayToken).not.toBe(b.relayToken);
  });

  test('rotation makes a new secret whose room, token and key differ; the old key cannot open new entries', async () => {
    const old = createIdentity();
    const next = rotateIdentity(old);
    expect(formatPairingCode(next)).not.toBe(formatPairingCode(old));
    const [ko, kn] = await Promise.all([deriveKeys(old), deriveKeys(next)]);
    expect(kn.roomId).not.toBe(ko.roomId);
    expect(kn.webrtcPassword).not.toBe(ko.webrtcPassword);
    expect(kn.relayToken).not.toBe(ko.relayToken);
    expect(kn.relayDocument).not.toBe(ko.relayDocument);
    const ctx = { roomId: kn.roomId, device: 'd1', seq: 1, kind: 'update' as const };
    const sealed = await seal(kn.key, new Uint8Array([9]), ctx);
    await expect(openSealed(ko.key, sealed, ctx)).rejects.toThrow(/another notebook's key/);
  });
});

describe('pairing link', () => {
  test('round trip through a link, a fragment and a bare code', () => {
    const id = createIdentity();
    const link = formatPairingLink('http://127.0.0.1:5173/app?x=1#old', id);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:5173\/app\?x=1#pair=[A-Za-z0-9_-]+$/);
    const code = link.split('#pair=')[1]!;
    expect(code).toHaveLength(PAIRING_CODE_LENGTH);
    for (const form of [link, `#pair=${code}`, code, `  ${link}\n`]) {
      const back = parsePairingLink(form);
      expect(back.version).toBe(1);
      expect([...back.secret]).toEqual([...id.secret]);
    }
  });

  test('the secret is only in the fragment, never in the part sent to a server', () => {
    const link = formatPairingLink('https://vitrine.example/', fixed);
    const url = new URL(link);
    expect(url.hash.startsWith('#pair=')).toBe(true);
    expect(url.pathname + url.search).toBe('/');
  });

  const code = formatPairingCode(fixed);
  const flip = (s: string, i: number) =>
    s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  test.each([
    ['no pairing code', 'https://vitrine.example/#settings', /has no pairing code/],
    ['a plain address', 'https://vitrine.example/', /has no pairing code/],
    ['an empty code', 'https://vitrine.example/#pair=', /empty/],
    ['a cut-short code', `#pair=${code.slice(0, 30)}`, /cut short \(30 characters instead of 50\)/],
    ['a too-long code', `#pair=${code}AAAA`, /too long/],
    ['a changed character', `#pair=${flip(code, 10)}`, /damaged \(its checksum does not match\)/],
    [
      'characters from elsewhere',
      `#pair=${code.slice(0, 49)}!`,
      /characters a pairing link never has/,
    ],
  ])('a link with %s is refused with a sentence', (_what, link, message) => {
    expect(() => parsePairingLink(link)).toThrow(SyncError);
    expect(() => parsePairingLink(link)).toThrow(message);
  });

  test('a link from a newer format asks to update', () => {
    const newer = formatPairingCode({ version: 2, secret: fixed.secret });
    expect(() => parsePairingLink(newer)).toThrow(/newer Vitrine \(format 2\)/);
  });
});
