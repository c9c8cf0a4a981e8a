/**
 * The `.vitrine` notebook file: a short header, then the notebook's Yjs state
 * (`Y.encodeStateAsUpdate`, v1 encoding).
 *
 * | bytes | content                                  |
 * | ----- | ---------------------------------------- |
 * | 0–7   | magic `VITRINE\0`                        |
 * | 8     | file format version (1)                  |
 * | 9–12  | payload length, unsigned 32-bit LE       |
 * | 13–16 | CRC-32 of the payload, unsigned 32-bit LE |
 * | 17–   | payload: the Yjs update                   |
 *
 * The length and checksum catch a truncated or damaged file before anything is applied.
 * Then the payload must be exactly one Yjs update (every byte read, nothing after it) that
 * holds a notebook (its `meta` map with a schema version, or one of its collections):
 * a valid checksum over a megabyte of zeros is not a notebook.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import CRC32 from 'crc-32';
import { Notebook, VitrineError, type NotebookOptions } from '../model/index.ts';

const MAGIC = new Uint8Array([0x56, 0x49, 0x54, 0x52, 0x49, 0x4e, 0x45, 0x00]);
const FORMAT_VERSION = 1;
const HEADER = MAGIC.length + 1 + 4 + 4;

/** Origin of updates applied from a `.vitrine` file. */
export const FILE_ORIGIN = Symbol.for('vitrine.file');

/** Does `bytes` start with the `.vitrine` magic? (For format detection.) */
export function isVitrineFile(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

/** Wrap a Yjs update in the `.vitrine` header. */
export function encodeVitrineFile(update: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + update.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint8(MAGIC.length, FORMAT_VERSION);
  view.setUint32(MAGIC.length + 1, update.length, true);
  view.setUint32(MAGIC.length + 5, CRC32.buf(update) >>> 0, true);
  out.set(update, HEADER);
  return out;
}

/**
 * The whole notebook as `.vitrine` bytes: everything the document holds, including changes
 * that still wait for earlier ones (`Y.encodeStateAsUpdate` carries them), so a backup
 * loses nothing the device had received.
 */
export function saveNotebookFile(nb: Notebook): Uint8Array {
  return encodeVitrineFile(Y.encodeStateAsUpdate(nb.doc));
}

/**
 * Check a `.vitrine` file and return its Yjs update. Throws a {@link VitrineError} that says
 * what is wrong (not a notebook, newer format, truncated, damaged) and changes nothing.
 * Changes that wait for earlier ones are not an error (see {@link waitingChanges}).
 */
export function decodeVitrineFile(bytes: Uint8Array, name = 'This file'): Uint8Array {
  const { update, doc } = readVitrineFile(bytes, name);
  doc.destroy();
  return update;
}

/** {@link decodeVitrineFile}, also returning the document the update was checked in. */
function readVitrineFile(bytes: Uint8Array, name: string): { update: Uint8Array; doc: Y.Doc } {
  if (!isVitrineFile(bytes)) {
    throw new VitrineError(
      `${name} is not a Vitrine notebook (it does not start with the Vitrine header). To bring in contacts, use import instead.`,
    );
  }
  if (bytes.length < HEADER) {
    throw new VitrineError(
      `${name} is cut short (only ${bytes.length} bytes). Use a complete copy or a backup.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(MAGIC.length);
  if (version > FORMAT_VERSION) {
    throw new VitrineError(
      `${name} was saved by a newer Vitrine (file format ${version}). Update Vitrine to open it.`,
    );
  }
  if (version < 1) {
    throw new VitrineError(
      `${name} is damaged: it says file format ${version}, which no Vitrine ever wrote. Use another copy or a backup.`,
    );
  }
  const length = view.getUint32(MAGIC.length + 1, true);
  const crc = view.getUint32(MAGIC.length + 5, true);
  const payload = bytes.subarray(HEADER);
  if (payload.length < length) {
    throw new VitrineError(
      `${name} is cut short: it should hold ${length} bytes of notebook but has ${payload.length}. Use a complete copy or a backup.`,
    );
  }
  if (payload.length > length) {
    throw new VitrineError(
      `${name} is damaged: ${payload.length - length} unexpected bytes follow its ${length} bytes of notebook. Use another copy or a backup.`,
    );
  }
  const update = payload.subarray(0, length);
  if (CRC32.buf(update) >>> 0 !== crc) {
    throw new VitrineError(
      `${name} is damaged (its checksum does not match). Use another copy or a backup.`,
    );
  }
  return { update, doc: checkUpdate(update, name) };
}

/** The top-level types of a notebook (see `src/model/README.md`). */
const NOTEBOOK_ROOTS = ['meta', 'people', 'ties', 'touches', 'intros'] as const;

/**
 * Apply an update to a scratch document first, so a bad one never reaches a notebook: it
 * must read to its last byte and hold a notebook.
 *
 * An update that Yjs reads but cannot integrate yet (it builds on changes the file does not
 * hold) is accepted: a device saves such "waiting" changes when a peer's edit arrived before
 * the one it builds on, and Yjs keeps them until that one arrives. Refusing them made such a
 * backup impossible to restore (docs/decisions/0009-backups-with-pending-updates.md).
 */
function checkUpdate(update: Uint8Array, name: string): Y.Doc {
  const scratch = new Y.Doc();
  try {
    const decoder = decoding.createDecoder(update);
    try {
      Y.readUpdate(decoder, scratch, FILE_ORIGIN);
    } catch {
      throw new VitrineError(
        `${name} is damaged: its notebook data cannot be read. Use another copy or a backup.`,
      );
    }
    // Y.applyUpdate stops where the update ends and ignores the rest: zeros read as an
    // empty update, so a run of zeros with a matching checksum would "open" as nothing.
    if (decoding.hasContent(decoder)) {
      throw new VitrineError(
        `${name} is not a Vitrine notebook: only ${decoder.pos} of its ${update.length} bytes of data are notebook data. Use another copy or a backup.`,
      );
    }
    const schema = scratch.share.has('meta')
      ? scratch.getMap('meta').get('schemaVersion')
      : undefined;
    const collections = NOTEBOOK_ROOTS.filter((root) => root !== 'meta' && scratch.share.has(root));
    const waiting = scratch.store.pendingStructs || scratch.store.pendingDs;
    if (typeof schema !== 'number' && !collections.length && !waiting) {
      throw new VitrineError(
        `${name} holds data but not a Vitrine notebook (no people, ties, touches, introductions or notebook settings in it). Use another copy or a backup.`,
      );
    }
    return scratch;
  } catch (e) {
    scratch.destroy();
    throw e;
  }
}

/**
 * A sentence when `doc` holds changes that wait for earlier ones it has not received (Yjs's
 * pending structs or deletions), else `undefined`. They are kept, not shown, and appear by
 * themselves once the earlier changes arrive (a sync with the device that made them, or a
 * newer backup merged in).
 */
export function waitingChanges(doc: Y.Doc): string | undefined {
  if (!doc.store.pendingStructs && !doc.store.pendingDs) return undefined;
  return 'Some changes from another device wait for earlier changes that have not arrived yet. They are kept and will appear once that device syncs, or when you merge a newer backup.';
}

/** Open a `.vitrine` file as a notebook (migrated if older; read-only if newer). */
export function openNotebookFile(
  bytes: Uint8Array,
  name?: string,
  options?: NotebookOptions,
): Notebook {
  // The document the update was checked in becomes the notebook: applied once, not twice.
  const { doc } = readVitrineFile(bytes, name ?? 'This file');
  const nb = new Notebook(doc, options);
  nb.migrate();
  return nb;
}

/** What {@link mergeNotebookFile} reports. */
export interface FileMerge {
  /** Set when changes from the file (or already in the notebook) wait for earlier ones. */
  readonly waiting?: string;
}

/**
 * Merge a `.vitrine` file into a notebook (a CRDT merge: nothing from either side is lost).
 * Pass {@link LOCAL_ORIGIN} as `origin` to make the merge one undoable step.
 */
export function mergeNotebookFile(
  nb: Notebook,
  bytes: Uint8Array,
  name?: string,
  origin: unknown = FILE_ORIGIN,
): FileMerge {
  const update = decodeVitrineFile(bytes, name);
  Y.applyUpdate(nb.doc, update, origin);
  nb.migrate();
  const waiting = waitingChanges(nb.doc);
  return waiting ? { waiting } : {};
}
