/* eslint-disable @typescript-eslint/no-explicit-any -- Y.AbstractType is generic over its event type */
/**
 * The notebook: a `Y.Doc` with four entity collections and a `meta` map, wrapped with
 * its write discipline (origins, read-only guard) and cached typed readers.
 */
import * as Y from 'yjs';
import { formatInstant } from '../time/dates.ts';
import { SCHEMA_VERSION, type Diagnostic } from './schema.ts';
import { VitrineError, ReadOnlyError } from './errors.ts';
import { MIGRATIONS } from './migrations.ts';

/** Origin of every user edit. Undo tracks only this origin, so a sync is never undone. */
export const LOCAL_ORIGIN = Symbol.for('vitrine.local');
/** Origin of schema migrations run when a notebook opens. */
export const MIGRATION_ORIGIN = Symbol.for('vitrine.migration');

/** One stored record (a person, tie, touch entered by hand, introduction). Internal to the model. */
export type EntityMap = Y.Map<unknown>;
/** The record collections of a notebook. */
export type Collection = 'people' | 'ties' | 'touches' | 'intros';

/** What {@link Notebook.onChange} listeners are told about a change. */
export interface NotebookChange {
  /** The change was made on this device through {@link Notebook.write} (undoable). */
  readonly local: boolean;
  /** The transaction's origin: {@link LOCAL_ORIGIN}, a sync provider, a file merge… */
  readonly origin: unknown;
}

/** What a {@link Notebook} can be given: an id generator and a clock (tests pass fixed ones). */
export interface NotebookOptions {
  /** Id generator; tests pass a seeded one. Defaults to 16 random base-62 characters. */
  newId?: () => string;
  /** Clock; tests pass a fixed one. */
  now?: () => Date;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let pool = new Uint8Array(0);
let poolAt = 0;

/**
 * A random id: 16 base-62 characters (about 95 bits), from the platform's CSPRNG. Random
 * bytes are drawn 4 KiB at a time: one `getRandomValues` call per id was the largest single
 * cost of a 10,000-row import.
 */
export function randomId(): string {
  if (poolAt + 16 > pool.length) {
    pool = new Uint8Array(4096);
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  let id = '';
  for (let i = 0; i < 16; i++) id += ALPHABET[pool[poolAt++]! % 62];
  return id;
}

/**
 * One notebook. Owns nothing outside its `Y.Doc`; storage and sync attach to `doc`.
 * Commands (in `commands/`) write through {@link Notebook.write}; selectors (in `read.ts`)
 * read through the caches here.
 */
export class Notebook {
  readonly doc: Y.Doc;
  readonly meta: Y.Map<unknown>;
  readonly people: Y.Map<EntityMap>;
  readonly ties: Y.Map<EntityMap>;
  readonly touches: Y.Map<EntityMap>;
  /** Imported touches in compact chunks, and the owner's edits of them (`touch-log.ts`). */
  readonly touchLog: Y.Map<unknown>;
  readonly touchEdits: Y.Map<unknown>;
  /** What changed in the touch log since it was last read (see `touch-log.ts`). */
  readonly touchLogDirty = { chunks: true, edits: new Set<string>() };
  readonly intros: Y.Map<EntityMap>;
  /** Today's snoozes and dismissals, by item key (see `today.ts`). */
  readonly reminders: Y.Map<unknown>;
  readonly newId: () => string;
  readonly now: () => Date;
  /** Non-empty when the notebook was written by a newer version: every command refuses. */
  readOnlyReason: string | undefined;
  /** Bumped after every transaction that changed the notebook; selectors memoise on it. */
  version = 0;
  /** Per-collection change counters, so a touch edit does not invalidate people caches. */
  readonly versions: Record<Collection | 'meta', number> = {
    people: 0,
    ties: 0,
    touches: 0,
    intros: 0,
    meta: 0,
  };
  /** Ids whose cached read is stale, per collection. */
  readonly dirty: Record<Collection, Set<string> | 'all'> = {
    people: 'all',
    ties: 'all',
    touches: 'all',
    intros: 'all',
  };
  /** Reader caches (see `read.ts`); keyed by collection then id. */
  readonly cache = new Map<string, unknown>();
  readonly diagnostics = new Map<string, Diagnostic>();
  private readonly onAfterTransaction: (tr: Y.Transaction) => void;
  private readonly listeners = new Set<(change: NotebookChange) => void>();

  constructor(doc: Y.Doc = new Y.Doc(), options: NotebookOptions = {}) {
    this.doc = doc;
    this.meta = doc.getMap('meta');
    this.people = doc.getMap('people');
    this.ties = doc.getMap('ties');
    this.touches = doc.getMap('touches');
    this.touchLog = doc.getMap('touchLog');
    this.touchEdits = doc.getMap('touchEdits');
    this.intros = doc.getMap('intros');
    this.reminders = doc.getMap('reminders');
    this.newId = options.newId ?? randomId;
    this.now = options.now ?? (() => new Date());
    this.onAfterTransaction = (tr) => this.noteChanges(tr);
    doc.on('afterTransaction', this.onAfterTransaction);
    this.checkVersion();
  }

  /** The owner's own person id (the "me" of the notebook), if set. */
  get ownerId(): string | undefined {
    const owner = this.meta.get('owner');
    return typeof owner === 'string' ? owner : undefined;
  }

  /** The schema version stored in the document (0 for a fresh, empty one). */
  get storedSchemaVersion(): number {
    const v = this.meta.get('schemaVersion');
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }

  /**
   * Run `fn` as one local transaction (one undo step). Throws {@link ReadOnlyError} when
   * the notebook is newer than this code.
   */
  write<T>(fn: (tr: Y.Transaction) => T): T {
    if (this.readOnlyReason) throw new ReadOnlyError(this.readOnlyReason);
    let result!: T;
    this.doc.transact((tr) => {
      result = fn(tr);
    }, LOCAL_ORIGIN);
    return result;
  }

  /** ISO timestamp from the notebook's clock. */
  stamp(): string {
    return formatInstant(this.now());
  }

  /** The entity map for `id` in `collection`, or a clear error. */
  entity(collection: Collection, id: string): EntityMap {
    const map = this[collection].get(id);
    if (!(map instanceof Y.Map)) {
      throw new VitrineError(`No ${singular(collection)} with id "${id}" in this notebook.`);
    }
    return map;
  }

  /**
   * Bring an older notebook up to date with additive, idempotent migrations. Runs with
   * {@link MIGRATION_ORIGIN} so undo never reverts it. Does nothing on a read-only notebook.
   */
  migrate(): void {
    this.checkVersion();
    if (this.readOnlyReason) return;
    const from = this.storedSchemaVersion;
    if (from >= SCHEMA_VERSION) return;
    this.doc.transact(() => {
      for (const m of MIGRATIONS) if (m.version > from) m.up(this.doc);
      this.meta.set('schemaVersion', SCHEMA_VERSION);
    }, MIGRATION_ORIGIN);
  }

  /**
   * Call `listener` after every transaction that changed the notebook — local, synced or
   * merged — once the selector caches know about it, so a listener that reads through
   * `read.ts` sees the new state. Returns the function that stops listening. A listener
   * that throws does not keep the others from running (its error is reported afterwards).
   */
  onChange(listener: (change: NotebookChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop listening to the document. The document itself is left to its owner. */
  destroy(): void {
    this.doc.off('afterTransaction', this.onAfterTransaction);
    this.listeners.clear();
  }

  private checkVersion(): void {
    const stored = this.storedSchemaVersion;
    this.readOnlyReason =
      stored > SCHEMA_VERSION
        ? `This notebook was written by a newer Vitrine (schema ${stored}; this version reads up to ${SCHEMA_VERSION}). It is open read-only: update Vitrine to edit it.`
        : undefined;
  }

  private noteChanges(tr: Y.Transaction): void {
    if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) return;
    let any = false;
    for (const [type, keys] of tr.changed) {
      any = true;
      const root = rootOf(type);
      if (!root) continue;
      const name = root.name;
      if (name === 'meta') {
        this.versions.meta++;
        this.checkVersion();
        continue;
      }
      if (name === 'touchLog' || name === 'touchEdits') {
        this.noteLogChange(name, type === root.type ? keys : [root.entityId ?? null]);
        continue;
      }
      if (!isCollection(name)) continue;
      this.versions[name]++;
      const dirty = this.dirty[name];
      if (dirty === 'all') continue;
      if (type === root.type) {
        for (const key of keys) if (key !== null) dirty.add(key);
      } else if (root.entityId !== undefined) {
        dirty.add(root.entityId);
      }
    }
    if (!any) return;
    this.version++;
    const change: NotebookChange = { local: tr.origin === LOCAL_ORIGIN, origin: tr.origin };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  /** A change to the touch log: chunks re-read, or the edited touches' ids. */
  private noteLogChange(name: string, keys: Iterable<string | null>): void {
    this.versions.touches++;
    if (name === 'touchLog') {
      this.touchLogDirty.chunks = true;
      return;
    }
    for (const key of keys) {
      if (key === null) continue;
      const at = key.lastIndexOf(':');
      if (at > 0) this.touchLogDirty.edits.add(key.slice(0, at));
    }
  }
}

function isCollection(name: string): name is Collection {
  return name === 'people' || name === 'ties' || name === 'touches' || name === 'intros';
}

function singular(collection: Collection): string {
  return { people: 'person', ties: 'tie', touches: 'touch', intros: 'introduction' }[collection];
}

/** Walk up from a changed type to its root map and the entity key under it. */
function rootOf(
  type: Y.AbstractType<any>,
): { name: string; type: Y.AbstractType<any>; entityId?: string } | undefined {
  let child: Y.AbstractType<any> | undefined;
  let cur: Y.AbstractType<any> = type;
  while (cur._item !== null) {
    child = cur;
    const parent = cur._item.parent;
    if (!(parent instanceof Y.AbstractType)) return undefined;
    cur = parent;
  }
  const doc = cur.doc;
  if (!doc) return undefined;
  for (const [name, t] of doc.share) {
    if (t === cur) {
      const entityId = child?._item?.parentSub ?? undefined;
      return { name, type: cur, entityId: entityId ?? undefined };
    }
  }
  return undefined;
}
