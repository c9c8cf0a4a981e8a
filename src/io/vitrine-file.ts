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

/** The whole notebook as `.vitrine` bytes. */
export function saveNotebookFile(nb: Notebook): Uint8Array {
  return encodeVitrineFile(Y.encodeStateAsUpdate(nb.doc));
}

/**
 * Check a `.vitrine` file and return its Yjs update. Throws a {@link VitrineError} that says
 * what is wrong (not a notebook, newer format, truncated, damaged) and changes nothing.
 */
export function decodeVitrineFile(bytes: Uint8Array, name = 'This file'): Uint8Array {
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
  checkUpdate(update, name);
  return update;
}

/** The top-level types of a notebook (see `src/model/README.md`). */
const NOTEBOOK_ROOTS = ['meta', 'people', 'ties', 'touches', 'intros'] as const;

/**
 * Apply an update to a scratch document first, so a bad one never reaches a notebook:
 * it must read to its last byte, leave nothing pending, and hold a notebook.
 */
function checkUpdate(update: Uint8Array, name: string): void {
  const scratch = new Y.Doc();
  try {
    const decoder = decoding.createDecoder(update);
    try {
      Y.readUpdate(decoder, scratch, null);
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
    if (scratch.store.pendingStructs || scratch.store.pendingDs) {
      throw new VitrineError(
        `${name} is incomplete: parts of its notebook data are missing. Use another copy or a backup.`,
      );
    }
    const schema = scratch.share.has('meta')
      ? scratch.getMap('meta').get('schemaVersion')
      : undefined;
    const collections = NOTEBOOK_ROOTS.filter((root) => root !== 'meta' && scratch.share.has(root));
    if (typeof schema !== 'number' && !collections.length) {
      throw new VitrineError(
        `${name} holds data but not a Vitrine notebook (no people, ties, touches, introductions or notebook settings in it). Use another copy or a backup.`,
      );
    }
  } finally {
    scratch.destroy();
  }
}

/** Open a `.vitrine` file as a notebook (migrated if older; read-only if newer). */
export function openNotebookFile(
  bytes: Uint8Array,
  name?: string,
  options?: NotebookOptions,
): Notebook {
  const update = decodeVitrineFile(bytes, name);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update, FILE_ORIGIN);
  const nb = new Notebook(doc, options);
  nb.migrate();
  return nb;
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
): void {
  const update = decodeVitrineFile(bytes, name);
  Y.applyUpdate(nb.doc, update, origin);
  nb.migrate();
}
