/**
 * Local storage of the notebook on this device: the Yjs document persisted in IndexedDB
 * through y-indexeddb, plus the browser's durable-storage request and usage estimate.
 *
 * Nothing should be drawn before {@link LocalStorage.whenSynced} resolves: until then the
 * document holds only part of the notebook (STYLE.md "Outside systems sit behind small
 * objects with a destroy()").
 */
import type * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';

/** Where local storage stands: loading from IndexedDB, ready, failed, or destroyed. */
export type StorageStatus = 'loading' | 'ready' | 'error' | 'destroyed';

/** What the browser says about this origin's storage. */
export interface StorageReport {
  /** Bytes used by this origin (all of it, not only the notebook), when the browser tells. */
  readonly usage?: number;
  /** Bytes this origin may use, when the browser tells. */
  readonly quota?: number;
  /**
   * Whether the browser promised not to evict this origin's data under storage pressure;
   * `undefined` when the browser has no Storage API.
   */
  readonly persisted?: boolean;
}

/** The notebook's IndexedDB persistence, behind a narrow interface. */
export interface LocalStorage {
  /** The IndexedDB database's name. */
  readonly name: string;
  /** Resolves once everything stored on this device has been applied to the document. */
  readonly whenSynced: Promise<void>;
  readonly status: StorageStatus;
  /** The last error, when `status` is `error`. */
  readonly error?: Error;
  /** The y-indexeddb provider: updates it applies carry it as their origin. */
  readonly origin: unknown;
  /**
   * Ask the browser to keep this origin's data under storage pressure. Chromium grants or
   * refuses silently by heuristics (installed app, engagement); Firefox may prompt.
   */
  requestPersistence(): Promise<boolean | undefined>;
  /** Usage, quota and whether storage is persistent. */
  report(): Promise<StorageReport>;
  /** Stop writing to IndexedDB (the data stays). */
  destroy(): Promise<void>;
}

/**
 * Open (or create) the IndexedDB database `name` for `doc` and start loading it.
 * Every later change of `doc`, whatever its origin, is written to IndexedDB except the
 * ones this provider applied itself.
 */
export function openLocalStorage(name: string, doc: Y.Doc): LocalStorage {
  const idb = new IndexeddbPersistence(name, doc);
  let status: StorageStatus = 'loading';
  let error: Error | undefined;
  // y-indexeddb never rejects whenSynced, and an open failure (private mode, quota) only
  // rejects a promise it keeps private; so open the same database ourselves and race that.
  const whenSynced = new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      if (status !== 'loading') return;
      status = 'error';
      error = e instanceof Error ? e : new Error(String(e));
      reject(error);
    };
    void idb.whenSynced.then(() => {
      if (status === 'loading') status = 'ready';
      resolve();
    });
    probeDatabase(name).catch(fail);
  });
  const storage = navigator.storage as StorageManager | undefined;
  return {
    name,
    whenSynced,
    get status() {
      return status;
    },
    get error() {
      return error;
    },
    origin: idb,
    async requestPersistence() {
      if (!storage?.persist) return undefined;
      try {
        if (await storage.persisted()) return true;
        return await storage.persist();
      } catch {
        return undefined;
      }
    },
    async report() {
      if (!storage) return {};
      const [estimate, persisted] = await Promise.all([
        storage.estimate ? storage.estimate().catch(() => undefined) : undefined,
        storage.persisted ? storage.persisted().catch(() => undefined) : undefined,
      ]);
      return {
        ...(estimate?.usage !== undefined ? { usage: estimate.usage } : {}),
        ...(estimate?.quota !== undefined ? { quota: estimate.quota } : {}),
        ...(persisted !== undefined ? { persisted } : {}),
      };
    },
    async destroy() {
      status = 'destroyed';
      await idb.destroy();
    },
  };
}

/**
 * Open IndexedDB database `name` and close it again: rejects where it cannot be opened.
 * Called after y-indexeddb's own open of the same name, which the browser serves first
 * (open requests on one database queue in order), so this never creates the database:
 * an upgrade here means y-indexeddb's open failed, and it is refused.
 */
function probeDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => {
      req.result.close();
      resolve();
    };
    req.onerror = () => reject(req.error ?? new Error(`IndexedDB could not open ${name}.`));
  });
}
