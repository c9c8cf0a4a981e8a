/**
 * Debounced, batched persistence for the relay, as a Hocuspocus extension over any
 * {@link DocumentStore}.
 *
 * Hocuspocus's own store path writes the whole document (`encodeStateAsUpdate`) from a
 * debouncer that, once `maxDebounce` has passed during a stream of changes, runs the store
 * for every further message (`util/debounce.ts` in @hocuspocus/server 3.4: the timer entry
 * is only removed when a run starts, so each call sees the old start time and runs at
 * once). A burst of tiny updates then rewrites the whole document once per update
 * (issue 11). Instead, this extension collects the updates themselves (`onChange`), appends
 * them as one merged update after `debounceMs` of quiet or at most every `maxDebounceMs`,
 * and replaces the stored state with the live document only once the appended bytes
 * outgrow the last state written: bytes written stay within about twice the bytes received
 * plus the document's size, however the bytes are split into messages.
 *
 * Loading and the store at the end of a session go through Hocuspocus's database extension
 * ({@link BatchedPersistence.database}, listed before this one); the appends between are
 * this extension's `onChange`.
 *
 * Several relays (scale-out.ts): a change that came from another relay through Redis
 * (`remoteOrigin`) is not appended here, since the relay that received it from a device
 * appends it. It only marks the document: the whole state is written (merged, see
 * pg-store.ts) when this relay unloads the document or stops, so what this relay holds
 * reaches the store even if the relay that received it died before its debounce.
 */
import * as Y from 'yjs';
import { Database } from '@hocuspocus/extension-database';
import type {
  Extension,
  afterUnloadDocumentPayload,
  beforeUnloadDocumentPayload,
  onChangePayload,
} from '@hocuspocus/server';
import type { DocumentStore } from './file-store.ts';

/** Options for {@link BatchedPersistence}. */
export interface PersistenceOptions {
  /** Append pending updates after this many ms without a change (default 250). */
  debounceMs?: number;
  /** …and at least this often while changes keep coming (default 2000). */
  maxDebounceMs?: number;
  /** Never replace the state for a log smaller than this (default 1 MiB). */
  minCompactBytes?: number;
  /**
   * The transaction origin of changes another relay passed on (Hocuspocus's Redis
   * extension): those are stored by that relay, here only at the end of the session.
   */
  remoteOrigin?: unknown;
}

interface Pending {
  updates: Uint8Array[];
  since: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** See the module comment. Call {@link flushAll} before stopping the server. */
export class BatchedPersistence implements Extension {
  readonly extensionName = 'vitrine-batched-persistence';
  private readonly store: DocumentStore;
  private readonly debounceMs: number;
  private readonly maxDebounceMs: number;
  private readonly minCompactBytes: number;
  private readonly pending = new Map<string, Pending>();
  private readonly flushing = new Map<string, Promise<void>>();
  // Size of the state last written or read per document: the log may grow to this before
  // a replacement, which keeps replacements from costing more than the appends they follow.
  private readonly stateBytes = new Map<string, number>();
  private readonly docs = new Map<string, Y.Doc>();
  // Bytes in each document's log as the store last reported them.
  private readonly logged = new Map<string, number>();
  // Documents holding changes from other relays not yet in a state this relay wrote.
  private readonly remote = new Set<string>();
  private readonly remoteOrigin: unknown;

  constructor(store: DocumentStore, options: PersistenceOptions = {}) {
    this.store = store;
    this.debounceMs = options.debounceMs ?? 250;
    this.maxDebounceMs = options.maxDebounceMs ?? 2000;
    this.minCompactBytes = options.minCompactBytes ?? 1024 * 1024;
    // A unique value when not given: no origin equals it.
    this.remoteOrigin = 'remoteOrigin' in options ? options.remoteOrigin : Symbol('none');
  }

  /**
   * Hocuspocus's database extension over this store: it loads a document (applying what
   * {@link load} returns) and, when the last client leaves, hands over the whole state
   * ({@link storeState}). Put it in the server's extensions together with this one.
   */
  readonly database = new Database({
    fetch: ({ documentName, document }) => this.load(documentName, document),
    store: ({ documentName, state }) => this.storeState(documentName, state),
  });

  private async load(documentName: string, document: Y.Doc): Promise<Uint8Array | null> {
    await this.flushing.get(documentName);
    const state = await this.store.fetch(documentName);
    this.stateBytes.set(documentName, state?.byteLength ?? 0);
    // Only appends of this session are folded in at its end (a session that only reads
    // writes nothing).
    this.logged.set(documentName, 0);
    this.docs.set(documentName, document);
    return state;
  }

  /**
   * The last client left (Hocuspocus's `executeNow`, before unloading the document): write
   * what is pending, and fold the log into one state if this session appended anything
   * (one write of the document per session, the same order as reading it at its start).
   */
  private async storeState(documentName: string, state: Uint8Array): Promise<void> {
    await this.flush(documentName);
    if ((this.logged.get(documentName) ?? 0) === 0 && !this.remote.has(documentName)) return;
    const remote = this.remote.delete(documentName);
    try {
      await this.store.replace(documentName, state);
    } catch (e) {
      if (remote) this.remote.add(documentName);
      throw e;
    }
    this.stateBytes.set(documentName, state.byteLength);
    this.logged.set(documentName, 0);
  }

  /**
   * Write the whole state of a document that holds changes from other relays. Hocuspocus
   * runs the database extension's store at the end of a session only when a device of
   * this relay changed the document; this covers the documents only other relays changed.
   */
  private async storeRemote(documentName: string): Promise<void> {
    const doc = this.docs.get(documentName);
    if (!doc || !this.remote.has(documentName)) return;
    await this.storeState(documentName, Y.encodeStateAsUpdate(doc));
  }

  async onChange({
    documentName,
    update,
    document,
    transactionOrigin,
  }: onChangePayload): Promise<void> {
    this.docs.set(documentName, document);
    if (transactionOrigin === this.remoteOrigin) {
      this.remote.add(documentName);
      return;
    }
    let p = this.pending.get(documentName);
    if (!p)
      this.pending.set(documentName, (p = { updates: [], since: Date.now(), timer: undefined }));
    p.updates.push(update);
    if (p.timer !== undefined) clearTimeout(p.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, p.since + this.maxDebounceMs - Date.now()));
    p.timer = setTimeout(
      () => void this.flush(documentName).catch(logStoreError(documentName)),
      wait,
    );
  }

  async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload): Promise<void> {
    // Never throws: a rejected hook would keep the document loaded for ever.
    await this.storeRemote(documentName).catch(logStoreError(documentName));
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    // A write still pending after the unload appends without replacing the state: the next
    // load (which waits for that write) starts from the merged result.
    this.docs.delete(documentName);
    this.remote.delete(documentName);
  }

  /**
   * Write every pending update of every document, and the state of every document holding
   * changes from other relays (before stopping).
   */
  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys(), ...this.flushing.keys()].map((n) => this.flush(n)));
    await Promise.all([...this.remote].map((n) => this.storeRemote(n)));
  }

  /** Write `name`'s pending updates now (after any write already under way). */
  flush(name: string): Promise<void> {
    const p = this.pending.get(name);
    const before = this.flushing.get(name) ?? Promise.resolve();
    if (!p) return before;
    this.pending.delete(name);
    if (p.timer !== undefined) clearTimeout(p.timer);
    const update = p.updates.length === 1 ? p.updates[0]! : Y.mergeUpdates(p.updates);
    const write = before.then(async () => {
      const logged = await this.store.append(name, update);
      this.logged.set(name, logged);
      const doc = this.docs.get(name);
      const state = this.stateBytes.get(name) ?? 0;
      if (doc && logged > Math.max(state, this.minCompactBytes)) {
        const fresh = Y.encodeStateAsUpdate(doc);
        await this.store.replace(name, fresh);
        this.stateBytes.set(name, fresh.byteLength);
        this.logged.set(name, 0);
      }
    });
    const settled = write.catch(() => undefined);
    this.flushing.set(name, settled);
    void settled.then(() => {
      if (this.flushing.get(name) === settled) this.flushing.delete(name);
    });
    return write;
  }
}

function logStoreError(name: string): (e: unknown) => void {
  return (e) =>
    console.error(`Relay: could not store document ${name.slice(0, 8)}…: ${(e as Error).message}`);
}
