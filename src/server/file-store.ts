/**
 * The relay's persistence: one file per document (`<name>.ydoc`, the Yjs state of the
 * envelope), written atomically (temp file in the same folder, fsync, rename), so a crash or
 * power cut leaves either the old or the new state, never half of one. See
 * docs/decisions/0005-relay-engine-and-storage.md for why not SQLite or LevelDB.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Relay document names are SHA-256 digests in base64url (43 characters). */
export const DOCUMENT_NAME = /^[A-Za-z0-9_-]{43}$/;

/** A folder of Yjs documents, one file each. */
export class FileStore {
  readonly dir: string;
  // Per-document write chain: two stores of one document never race on the rename.
  private readonly writing = new Map<string, Promise<void>>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Create the folder if needed. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** The stored state of `name`, or `null` for a document never stored. */
  async fetch(name: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(name)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Replace the stored state of `name` atomically. */
  store(name: string, state: Uint8Array): Promise<void> {
    const prev = this.writing.get(name) ?? Promise.resolve();
    const next = prev.then(() => this.write(name, state));
    const settled = next.catch(() => undefined);
    this.writing.set(name, settled);
    void settled.then(() => {
      if (this.writing.get(name) === settled) this.writing.delete(name);
    });
    return next;
  }

  private async write(name: string, state: Uint8Array): Promise<void> {
    const target = this.path(name);
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(state);
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
  }

  private path(name: string): string {
    // The name is checked by the relay before any store call; check again: it is a path.
    if (!DOCUMENT_NAME.test(name)) throw new Error(`Refusing to store document "${name}".`);
    return join(this.dir, `${name}.ydoc`);
  }
}
