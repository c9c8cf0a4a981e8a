/**
 * Sealing Yjs updates for the relay: AES-GCM-256 (WebCrypto) with a fresh random 96-bit IV
 * per entry and additional authenticated data binding the entry to its notebook (room id),
 * the device that wrote it, its sequence number and its kind. Moving an entry to another
 * notebook, relabelling its device or flipping one bit of it makes {@link openSealed} fail.
 *
 * Random 96-bit IVs are safe for about 2^32 entries per key (NIST SP 800-38D §8.3); a
 * notebook rotates its key long before that (every "Remove a device" makes a new one).
 */
import { SealError } from './errors.ts';
import { own, utf8 } from './bytes.ts';

/** What an entry holds: one incremental update, a compacted snapshot, or device info. */
export type EntryKind = 'update' | 'snapshot' | 'device' | 'rekey';

/** The public context an entry is bound to (sent in the clear, authenticated by AES-GCM). */
export interface SealContext {
  /** The notebook's room id (from `deriveKeys`). */
  readonly roomId: string;
  /** The writing device's id. */
  readonly device: string;
  /** The writing device's sequence number for this entry. */
  readonly seq: number;
  /** What the plaintext is. */
  readonly kind: EntryKind;
}

/** A sealed payload: IV and ciphertext (which ends with the 16-byte GCM tag). */
export interface Sealed {
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

let lastSeq = 0;

/**
 * The next sequence number for something this device writes (an entry, a re-key): above
 * every number this page handed out before, and above the clock in milliseconds × 1024,
 * so a device that restarts keeps counting upwards without storing a counter (it would
 * have to write more than 1024 entries per millisecond to overtake the clock). Other
 * devices remember the highest number they saw from each device and refuse replays of
 * older re-keys and device entries (see rekey-guard.ts and relay-client.ts). Devices of an
 * older Vitrine started each session at a random base; theirs stay below the clock's.
 */
export function nextSeq(nowMs: number = Date.now()): number {
  lastSeq = Math.max(Math.floor(nowMs) * 1024, lastSeq + 1);
  return lastSeq;
}

/** IV length in bytes (96 bits, the GCM default). */
export const IV_BYTES = 12;

function additionalData(ctx: SealContext): Uint8Array<ArrayBuffer> {
  // NUL-separated: none of the fields can contain NUL (ids are base64url/base-62).
  return own(
    utf8(`vitrine/v1/entry\u0000${ctx.roomId}\u0000${ctx.device}\u0000${ctx.seq}\u0000${ctx.kind}`),
  );
}

/** Seal `plaintext` (a Yjs update, or JSON bytes for device info) under `key`. */
export async function seal(
  key: CryptoKey,
  plaintext: Uint8Array,
  ctx: SealContext,
): Promise<Sealed> {
  const iv = new Uint8Array(IV_BYTES);
  globalThis.crypto.getRandomValues(iv);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: additionalData(ctx), tagLength: 128 },
    key,
    own(plaintext),
  );
  return { iv, ciphertext: new Uint8Array(ciphertext) };
}

/**
 * Open a sealed entry. Throws {@link SealError} when the entry was changed after sealing,
 * claims another device, sequence or notebook, or was sealed with another key — AES-GCM
 * cannot tell these apart, so the sentence names them all.
 */
export async function openSealed(
  key: CryptoKey,
  sealed: Sealed,
  ctx: SealContext,
): Promise<Uint8Array> {
  if (!(sealed.iv instanceof Uint8Array) || sealed.iv.length !== IV_BYTES) {
    throw new SealError(
      `An entry from device ${ctx.device} is malformed (its IV is not ${IV_BYTES} bytes); it was not applied.`,
    );
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: own(sealed.iv), additionalData: additionalData(ctx), tagLength: 128 },
      key,
      own(sealed.ciphertext),
    );
    return new Uint8Array(plain);
  } catch {
    throw new SealError(
      `An entry from device ${ctx.device} (#${ctx.seq}) failed its integrity check: it was changed after it was sealed, or sealed with another notebook's key. It was not applied.`,
    );
  }
}
