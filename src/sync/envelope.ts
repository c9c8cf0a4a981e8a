/**
 * The envelope: the only document the relay stores for a notebook. It holds opaque sealed
 * entries and nothing else, so the relay (a plain Yjs server) can merge and persist it
 * without being able to read it.
 *
 * - `entries` (`Y.Array<EnvelopeEntry>`): sealed notebook updates and compacted snapshots,
 *   appended by devices. A Y.Array rather than a Y.Map keyed by device+seq because its
 *   deleted runs collapse into a few bytes of tombstone after compaction, where a map keeps
 *   one tombstone per deleted key; entry identity is the random IV (see {@link entryKey}).
 * - `devices` (`Y.Map<EnvelopeEntry>`): one sealed "device" entry per device id (name,
 *   last seen), overwritten by its own device only.
 *
 * What the relay can see: entry count and sizes, device ids (random), sequence numbers and
 * kinds, and when entries arrive. Not the notebook, names, notes or device names.
 */
import * as Y from 'yjs';
import CRC32 from 'crc-32';
import type { EntryKind, Sealed } from './crypto.ts';
import { toBase64Url } from './bytes.ts';

/** One sealed entry as stored in the envelope (all fields visible to the relay). */
export interface EnvelopeEntry extends Sealed {
  readonly device: string;
  readonly seq: number;
  readonly kind: EntryKind;
}

/** The envelope's entry list. */
export function envelopeEntries(doc: Y.Doc): Y.Array<EnvelopeEntry> {
  return doc.getArray<EnvelopeEntry>('entries');
}

/** The envelope's per-device info map. */
export function envelopeDevices(doc: Y.Doc): Y.Map<EnvelopeEntry> {
  return doc.getMap<EnvelopeEntry>('devices');
}

/**
 * An entry's identity: its IV (random, 96 bits) plus a CRC-32 of its ciphertext, so a
 * changed copy that reuses an IV does not hide the genuine entry from a client.
 */
export function entryKey(entry: Pick<EnvelopeEntry, 'iv' | 'ciphertext'>): string {
  return `${toBase64Url(entry.iv)}.${(CRC32.buf(entry.ciphertext) >>> 0).toString(36)}`;
}

/**
 * Is `value` shaped like an entry? The envelope is written by anyone holding the relay
 * token, so every value read from it is checked before use.
 */
export function isEnvelopeEntry(value: unknown): value is EnvelopeEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.device === 'string' &&
    typeof v.seq === 'number' &&
    Number.isSafeInteger(v.seq) &&
    (v.kind === 'update' || v.kind === 'snapshot' || v.kind === 'device' || v.kind === 'rekey') &&
    v.iv instanceof Uint8Array &&
    v.ciphertext instanceof Uint8Array
  );
}

/** Bytes the envelope takes when stored or sent whole (what the relay keeps on disk). */
export function envelopeSize(doc: Y.Doc): number {
  return Y.encodeStateAsUpdate(doc).byteLength;
}
