/**
 * The daily digest: an opt-in browser notification, at a time the owner chooses, of what
 * Today lists — while the app (or the installed app) runs, and from the service worker's
 * Periodic Background Sync where the browser has it (docs/decisions/0016).
 *
 * The rule: a due item is notified once a day at most. What was notified is remembered
 * per local day ({@link DigestRecord}) in a small IndexedDB database that the page and the
 * service worker share ({@link idbDigestStore}), and each check runs under a Web Lock, so
 * two tabs (or a tab and the worker) never notify the same item twice. Nothing about the
 * digest is in the notebook: it is this device's business, and no server sees it.
 *
 * Time is injected ({@link DigestClock}), so the unit tests drive days and hours.
 */
import { localDay } from '../time/dates.ts';

/** The owner's choice, per device. */
export interface DigestSettings {
  readonly enabled: boolean;
  /** Local wall-clock time, `HH:MM`. */
  readonly time: string;
}

/** Default: off, at 08:30. */
export const DEFAULT_DIGEST: DigestSettings = { enabled: false, time: '08:30' };

/** The keys of the items notified on one local day. */
export interface DigestRecord {
  /** Local `YYYY-MM-DD`. */
  readonly day: string;
  readonly keys: readonly string[];
}

/** What a digest may list: a Today item's key and text (plain, for the service worker too). */
export interface DigestItem {
  readonly key: string;
  readonly text: string;
}

/** Where the settings, the day's record and the plan for the service worker are kept. */
export interface DigestStore {
  get<T>(key: DigestStoreKey): Promise<T | undefined>;
  set(key: DigestStoreKey, value: unknown): Promise<void>;
}

/** Keys in {@link DigestStore}: settings, the day's record, and the due items for the worker. */
export type DigestStoreKey = 'digest-settings' | 'digest-record' | 'digest-plan';

/** Time for the scheduler: a clock and timers (the page's by default). */
export interface DigestClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Shows one notification. */
export type Notify = (title: string, body: string, tag: string) => Promise<void>;

/** `HH:MM` (00:00–23:59), or `undefined`. */
export function parseDigestTime(text: string): { h: number; m: number } | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? { h, m: min } : undefined;
}

/** The digest time on the local day of `now` (ms). */
function timeOn(now: number, time: string): number {
  const t = parseDigestTime(time) ?? parseDigestTime(DEFAULT_DIGEST.time)!;
  const d = new Date(now);
  d.setHours(t.h, t.m, 0, 0);
  return d.getTime();
}

/** Has today's digest time come (local time)? */
export function digestTimeReached(now: number, time: string): boolean {
  return now >= timeOn(now, time);
}

/** The next moment the digest time comes, strictly after `now`. */
export function nextDigestAt(now: number, time: string): number {
  const at = timeOn(now, time);
  if (at > now) return at;
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  return timeOn(d.getTime(), time);
}

/**
 * The items to notify at `now`: those not yet notified on this local day; and the record
 * once they are. A record of another day counts for nothing (each day starts afresh).
 */
export function pickDigest(
  items: readonly DigestItem[],
  record: DigestRecord | undefined,
  now: number,
): { items: DigestItem[]; record: DigestRecord } {
  const day = localDay(new Date(now));
  const done = new Set(record?.day === day ? record.keys : []);
  const fresh = items.filter((i) => !done.has(i.key));
  return { items: fresh, record: { day, keys: [...done, ...fresh.map((i) => i.key)] } };
}

/** The notification's title and body for these items. */
export function digestText(items: readonly DigestItem[]): { title: string; body: string } {
  const n = items.length;
  const title = `Vitrine: ${n} ${n === 1 ? 'thing needs' : 'things need'} you today`;
  const shown = items.slice(0, 3).map((i) => `• ${i.text}`);
  if (n > 3) shown.push(`and ${n - 3} more in Today.`);
  return { title, body: shown.join('\n') };
}

/**
 * Check once: if the digest is on and its time has come today, notify the due items not
 * yet notified today and remember them. Returns what was notified (empty: nothing).
 */
export async function runDigest(opts: {
  readonly store: DigestStore;
  readonly items: readonly DigestItem[];
  readonly now: number;
  readonly notify: Notify;
}): Promise<DigestItem[]> {
  const settings = (await opts.store.get<DigestSettings>('digest-settings')) ?? DEFAULT_DIGEST;
  if (!settings.enabled || !digestTimeReached(opts.now, settings.time)) return [];
  const record = await opts.store.get<DigestRecord>('digest-record');
  const picked = pickDigest(opts.items, record, opts.now);
  if (!picked.items.length) return [];
  const { title, body } = digestText(picked.items);
  // Remembered before showing: a failure to show must not become a second notification.
  await opts.store.set('digest-record', picked.record);
  await opts.notify(title, body, `vitrine-digest-${picked.record.day}`);
  return picked.items;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Run `fn` alone among this origin's tabs and workers (Web Locks), and in any case one
 * at a time on this thread (a timer's check and a start's check may overlap).
 */
export function exclusively<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const run = () => (locks ? (locks.request('vitrine-digest', fn) as Promise<T>) : fn());
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Keeps the digest going while the app runs: checks at the chosen time each day, when the
 * first Today result is ready (a digest missed while the app was closed comes then) and
 * when the settings change. `items()` is `undefined` until Today is ready.
 */
export class DigestScheduler {
  private timer: unknown;
  private destroyed = false;

  constructor(
    private readonly opts: {
      readonly store: DigestStore;
      readonly items: () => readonly DigestItem[] | undefined;
      readonly notify: Notify;
      readonly clock?: DigestClock;
      /** Whether notifications may be shown now (the permission). */
      readonly allowed?: () => boolean;
    },
  ) {}

  private get clock(): DigestClock {
    return (
      this.opts.clock ?? {
        now: () => Date.now(),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      }
    );
  }

  /** Check now and arm the timer for the next digest time. */
  async check(): Promise<DigestItem[]> {
    if (this.destroyed) return [];
    const clock = this.clock;
    const settings =
      (await this.opts.store.get<DigestSettings>('digest-settings')) ?? DEFAULT_DIGEST;
    this.arm(settings);
    const items = this.opts.items();
    if (!settings.enabled || !items || (this.opts.allowed && !this.opts.allowed())) return [];
    return exclusively(() =>
      runDigest({ store: this.opts.store, items, now: clock.now(), notify: this.opts.notify }),
    );
  }

  private arm(settings: DigestSettings): void {
    const clock = this.clock;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!settings.enabled || this.destroyed) return;
    const now = clock.now();
    // Timers drift and sleep with the machine: at most an hour, then look again.
    const wait = Math.min(nextDigestAt(now, settings.time) - now, 3_600_000);
    this.timer = clock.setTimeout(() => void this.check(), Math.max(1000, wait));
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Memory-only store (tests, and where IndexedDB is unavailable). */
export function memoryDigestStore(): DigestStore {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: DigestStoreKey) => map.get(key) as T | undefined,
    set: async (key, value) => void map.set(key, value),
  };
}

/** The database the page and the service worker share (public/reminders-sw.js reads it). */
export const DIGEST_DB = 'vitrine-reminders';

/** The store in IndexedDB `vitrine-reminders`, object store `kv`. */
export function idbDigestStore(): DigestStore {
  let opened: Promise<IDBDatabase> | undefined;
  const db = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DIGEST_DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('kv');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB refused to open.'));
    }));
  const run = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) => {
    const store = (await db()).transaction('kv', mode).objectStore('kv');
    return new Promise<T>((resolve, reject) => {
      const req = fn(store);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed.'));
    });
  };
  return {
    get: <T>(key: DigestStoreKey) => run<T | undefined>('readonly', (s) => s.get(key)),
    set: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
  };
}
