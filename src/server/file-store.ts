/**
 * The relay's persistence on disk: per document `<name>.ydoc` (a Yjs state, written
 * atomically: temp file in the same folder, fsync, rename) plus `<name>.log` (updates
 * appended since, each record `length ‖ CRC-32 ‖ update`, fsynced). Reading merges both.
 *
 * Why a log: rewriting the whole document for each small change makes disk writes grow with
 * the number of messages times the document's size (issue 11: 10,000 updates of 150 bytes
 * wrote 8.7 GB). Appending writes what arrived; the owner of the document (see
 * `persistence.ts`) replaces log and state with one fresh state once the log outgrows the
 * state, so the total written stays within a small multiple of the bytes received.
 *
 * A crash leaves the old or the new state, and a log whose last record may be cut short:
 * records are read up to the first one whose length or checksum does not fit. Yjs updates
 * are idempotent, so a log that outlives a replacement (a crash between the rename and the
 * removal) only repeats what the state already holds. See
 * docs/decisions/0005-relay-engine-and-storage.md for why not SQLite or LevelDB.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import CRC32 from 'crc-32';
import * as Y from 'yjs';

/** Relay document names are SHA-256 digests in base64url (43 characters). */
export const DOCUMENT_NAME = /^[A-Za-z0-9_-]{43}$/;

/**
 * Where the relay keeps documents. `file-store.ts` is one; a database store (issue 16)
 * implements the same four calls.
 */
export interface DocumentStore {
  /** Create what the store needs (folder, tables). */
  init(): Promise<void>;
  /** Whether `name` was ever stored. */
  exists(name: string): Promise<boolean>;
  /** The stored state of `name` (state and appended updates merged), or `null`. */
  fetch(name: string): Promise<Uint8Array | null>;
  /** Add `update` to `name` durably; resolves with the bytes appended since the last replace. */
  append(name: string, update: Uint8Array): Promise<number>;
  /** Replace everything stored for `name` with `state`, atomically. */
  replace(name: string, state: Uint8Array): Promise<void>;
  /** Release connections, if the store holds any (called when the relay stops). */
  close?(): Promise<void>;
}

/** Options for {@link FileStore}. */
export interface FileStoreOptions {
  /** Called with the size of every write to a file (tests and the load test count bytes). */
  onWrite?: (bytes: number) => void;
}

const RECORD_HEAD = 8;

/** A folder of Yjs documents, a state file and an append log each. */
export class FileStore implements DocumentStore {
  readonly dir: string;
  private readonly onWrite: (bytes: number) => void;
  // Per-document write chain: two writes of one document never interleave.
  private readonly writing = new Map<string, Promise<unknown>>();
  // Bytes in each document's log, once known (read or written by this process).
  private readonly logBytes = new Map<string, number>();

  constructor(dir: string, options: FileStoreOptions = {}) {
    this.dir = dir;
    this.onWrite = options.onWrite ?? (() => undefined);
  }

  /** Create the folder if needed. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async exists(name: string): Promise<boolean> {
    for (const path of [this.path(name, 'ydoc'), this.path(name, 'log')]) {
      try {
        await stat(path);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return false;
  }

  async fetch(name: string): Promise<Uint8Array | null> {
    await this.writing.get(name);
    const state = await readOrNull(this.path(name, 'ydoc'));
    const log = await readOrNull(this.path(name, 'log'));
    const updates = log ? readRecords(log) : [];
    this.logBytes.set(name, log ? log.byteLength : 0);
    if (!state && updates.length === 0) return null;
    const parts = state ? [state, ...updates] : updates;
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  append(name: string, update: Uint8Array): Promise<number> {
    return this.chain(name, async () => {
      const path = this.path(name, 'log');
      const record = new Uint8Array(RECORD_HEAD + update.byteLength);
      const view = new DataView(record.buffer);
      view.setUint32(0, update.byteLength, true);
      view.setUint32(4, CRC32.buf(update) >>> 0, true);
      record.set(update, RECORD_HEAD);
      const handle = await open(path, 'a');
      try {
        await handle.write(record);
        this.onWrite(record.byteLength);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const known = this.logBytes.get(name) ?? (await stat(path)).size - record.byteLength;
      const total = known + record.byteLength;
      this.logBytes.set(name, total);
      return total;
    });
  }

  replace(name: string, state: Uint8Array): Promise<void> {
    return this.chain(name, async () => {
      const target = this.path(name, 'ydoc');
      const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const handle = await open(tmp, 'w');
        try {
          await handle.writeFile(state);
          this.onWrite(state.byteLength);
          // Durable before it becomes visible: rename alone may reorder with the data write.
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      // Only after the state holding them is in place.
      await rm(this.path(name, 'log'), { force: true });
      this.logBytes.set(name, 0);
    });
  }

  private chain<T>(name: string, step: () => Promise<T>): Promise<T> {
    const prev = this.writing.get(name) ?? Promise.resolve();
    const next = prev.then(step);
    const settled = next.catch(() => undefined);
    this.writing.set(name, settled);
    void settled.then(() => {
      if (this.writing.get(name) === settled) this.writing.delete(name);
    });
    return next;
  }

  private path(name: string, ext: 'ydoc' | 'log'): string {
    // The name is checked by the relay before any store call; check again: it is a path.
    if (!DOCUMENT_NAME.test(name)) throw new Error(`Refusing to store document "${name}".`);
    return join(this.dir, `${name}.${ext}`);
  }
}

async function readOrNull(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The log's updates, up to the first record cut short or damaged (a crash mid-append). */
function readRecords(log: Uint8Array): Uint8Array[] {
  const view = new DataView(log.buffer, log.byteOffset, log.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at + RECORD_HEAD <= log.byteLength) {
    const length = view.getUint32(at, true);
    const crc = view.getUint32(at + 4, true);
    if (at + RECORD_HEAD + length > log.byteLength) break;
    const update = log.subarray(at + RECORD_HEAD, at + RECORD_HEAD + length);
    if (CRC32.buf(update) >>> 0 !== crc) break;
    out.push(update);
    at += RECORD_HEAD + length;
  }
  return out;
}
