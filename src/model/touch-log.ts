/**
 * The light touch log (docs/decisions/0012-light-touch-log.md): imported touches stored
 * compactly, beside the `touches` map of touches entered by hand.
 *
 * - `touchLog` (`Y.Map`): chunk key `<import id>.<n>` → a JSON text of up to
 *   {@link CHUNK_ROWS} touches in columns (see {@link Chunk}). One import writes all its
 *   chunks in one transaction (one undo step); a chunk is never edited afterwards.
 * - `touchEdits` (`Y.Map`): flat keys `<touch id>:<field>` → value, the owner's later edits
 *   of imported touches (`null` clears a field), `removedAt` (the tombstone) and `deleted`
 *   (a purge left nobody on it). Flat keys, never a nested map per touch: two devices
 *   editing the same touch for the first time would each create one and one would win.
 * - A touch's id is derived from its source key ({@link touchIdForSource}), so the same
 *   meeting imported on two devices at once has one id: readers list it once and an edit
 *   or a removal made on either device applies to both copies.
 *
 * Readers merge the chunks (the smallest chunk key wins when two hold the same id) and the
 * edits into the same `Touch` objects a touch map reads as; `read.ts` lists both layouts
 * side by side. Nothing here throws on what a peer stored: a chunk that does not decode is
 * skipped and listed in `diagnostics`.
 */
import type * as Y from 'yjs';
import type { Notebook } from './notebook.ts';
import { TOUCH_CHANNELS, type Touch, type TouchChannel } from './schema.ts';
import { isCadence, isIsoDate } from '../time/dates.ts';

/** Touches per chunk: an import of 200,000 mails is 40 values of about 600 KB each. */
export const CHUNK_ROWS = 5_000;
/** Version of the chunk encoding this code writes and reads. */
export const CHUNK_VERSION = 1;

/**
 * One chunk, stored as JSON text: parallel columns, row `i` of each is touch `i`.
 * `note` and `n` (attendees) hold `''` and `0` for none.
 */
export interface Chunk {
  v: number;
  id: string[];
  src: string[];
  at: string[];
  ch: string[];
  p: string[][];
  n: number[];
  note: string[];
}

/** One touch as an import writes it (already checked by `applyActivity`). */
export interface LogRow {
  personIds: readonly string[];
  at: string;
  channel: TouchChannel;
  source: string;
  attendees?: number;
  note?: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE8 = 62 ** 8;

/** cyrb53 (a public-domain 53-bit string hash), one lane per seed. */
function hash53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * The id of an imported touch: 16 base-62 characters (about 95 bits, like `randomId`)
 * hashed from its source key, so every device importing the same meeting or thread names
 * it alike. Not a cryptographic hash (decision 0012 says why that is enough).
 */
export function touchIdForSource(source: string): string {
  return base62(hash53(source, 1) % BASE8, 8) + base62(hash53(source, 0x9e3779b9) % BASE8, 8);
}

/** Encode checked rows as chunks (JSON texts) of at most {@link CHUNK_ROWS}. */
export function encodeChunks(rows: readonly LogRow[]): string[] {
  const out: string[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const c: Chunk = { v: CHUNK_VERSION, id: [], src: [], at: [], ch: [], p: [], n: [], note: [] };
    for (const r of rows.slice(start, start + CHUNK_ROWS)) {
      c.id.push(touchIdForSource(r.source));
      c.src.push(r.source);
      c.at.push(r.at);
      c.ch.push(r.channel);
      c.p.push([...r.personIds]);
      c.n.push(r.attendees ?? 0);
      c.note.push(r.note ?? '');
    }
    out.push(JSON.stringify(c));
  }
  return out;
}

/** Write one import's rows as new chunks under a fresh import id (inside a transaction). */
export function writeLogRows(nb: Notebook, rows: readonly LogRow[]): void {
  if (!rows.length) return;
  const batch = nb.newId();
  encodeChunks(rows).forEach((text, k) => nb.touchLog.set(`${batch}.${k}`, text));
}

/** The key of one edited field of an imported touch in `touchEdits`. */
export const editKey = (id: string, field: string) => `${id}:${field}`;

/** Fields of an imported touch the owner may change (the rest is the source's word). */
export const EDITABLE = new Set(['personIds', 'at', 'channel', 'note', 'extra', 'removedAt']);

/** Set (or with `undefined`, clear) one field of an imported touch. Inside a transaction. */
export function setLogField(nb: Notebook, id: string, field: string, value: unknown): void {
  const key = editKey(id, field);
  const next = value === undefined || value === '' ? null : value;
  const have = nb.touchEdits.get(key);
  if (have === next) return;
  if (
    typeof next === 'object' &&
    next !== null &&
    JSON.stringify(have) === JSON.stringify(next) &&
    nb.touchEdits.has(key)
  )
    return;
  nb.touchEdits.set(key, next);
}

type FieldParser = (
  id: string,
  entries: { entries(): IterableIterator<[string, unknown]> },
  problems: string[],
) => Touch | undefined;

/** One stored chunk, decoded: its columns, as stored (row `i` of each is one touch). */
interface DecodedChunk {
  readonly raw: unknown;
  readonly key: string;
  readonly cols: Readonly<Record<'id' | 'src' | 'at' | 'ch' | 'p' | 'n' | 'note', unknown[]>>;
}

/** One imported touch: where its row is, and what readers get (computed lazily). */
interface Entry {
  readonly c: DecodedChunk;
  readonly i: number;
  /** `undefined`: not read yet; `null`: skipped or deleted. */
  t: Touch | null | undefined;
}

interface LogState {
  version: number;
  chunks: Map<string, DecodedChunk>;
  /** Touch id → its row (the smallest chunk key wins) and its reading. */
  base: Map<string, Entry>;
  /** Touch id → field → value from `touchEdits`. */
  edits: Map<string, Map<string, unknown>>;
  /** Source keys of touches deleted by a purge (still count as seen by imports). */
  gone: Set<string>;
  list: readonly Touch[];
}

const EMPTY: readonly Touch[] = Object.freeze([]);
const COLUMNS = ['id', 'src', 'at', 'ch', 'p', 'n', 'note'] as const;

/** Decode one stored chunk; junk becomes a diagnostic, never a throw. */
function decodeChunk(key: string, raw: unknown, problems: string[]): DecodedChunk | undefined {
  if (typeof raw !== 'string') {
    problems.push('is not a chunk of touches');
    return undefined;
  }
  let c: unknown;
  try {
    c = JSON.parse(raw);
  } catch {
    problems.push('is not readable JSON');
    return undefined;
  }
  if (!c || typeof c !== 'object' || Array.isArray(c)) {
    problems.push('is not a chunk of touches');
    return undefined;
  }
  const v = Object.hasOwn(c, 'v') ? (c as { v: unknown }).v : undefined;
  if (v !== CHUNK_VERSION) {
    problems.push(`has encoding version ${String(v).slice(0, 20)}, which this Vitrine cannot read`);
    return undefined;
  }
  const cols = {} as Record<(typeof COLUMNS)[number], unknown[]>;
  for (const k of COLUMNS) {
    const col = Object.hasOwn(c, k) ? (c as Record<string, unknown>)[k] : undefined;
    cols[k] = Array.isArray(col) ? col : [];
  }
  return { raw, key, cols };
}

/** A row's stored fields, as a touch map would hold them. */
function rowFields(e: Entry): Map<string, unknown> {
  const { cols } = e.c;
  const f = new Map<string, unknown>();
  const put = (k: string, v: unknown) => {
    if (v !== undefined) f.set(k, v);
  };
  put('personIds', cols.p[e.i]);
  put('at', cols.at[e.i]);
  put('channel', cols.ch[e.i]);
  if (cols.note[e.i] !== '') put('note', cols.note[e.i]);
  put('source', cols.src[e.i]);
  if (cols.n[e.i] !== 0) put('attendees', cols.n[e.i]);
  return f;
}

/**
 * The fast read of an unedited, well-formed row: the same object `parseTouch` makes of a
 * touch map with these fields, without building a map. `undefined` when anything is off
 * (then the generic parser reads it and says what).
 */
function fastTouch(id: string, e: Entry): Touch | undefined {
  const { cols } = e.c;
  const i = e.i;
  const personIds = cols.p[i];
  const at = cols.at[i];
  const source = cols.src[i];
  const note = cols.note[i];
  const n = cols.n[i];
  const channel = cols.ch[i];
  if (!Array.isArray(personIds) || !personIds.every((x) => typeof x === 'string')) return;
  if (!isIsoDate(at) || typeof source !== 'string' || typeof note !== 'string') return;
  if (n !== 0 && !isCadence(n)) return undefined;
  if (!(TOUCH_CHANNELS as readonly unknown[]).includes(channel)) return undefined;
  const t: Record<string, unknown> = { id, personIds, at, channel };
  if (note) t.note = note;
  if (source) t.source = source;
  if (n !== 0) t.attendees = n;
  return t as unknown as Touch;
}

function entriesOf(f: Map<string, unknown>): { entries(): IterableIterator<[string, unknown]> } {
  return { entries: () => f.entries() };
}

function problem(nb: Notebook, key: string, id: string, problems: string[], skipped: boolean) {
  if (!problems.length) return;
  nb.diagnostics.set(key, {
    collection: 'touches',
    id,
    problem: (skipped ? 'skipped: ' : 'repaired: ') + problems.join('; '),
  });
}

function parseEdits(nb: Notebook, into: Map<string, Map<string, unknown>>, only?: Set<string>) {
  if (only) for (const id of only) into.delete(id);
  for (const [key, value] of nb.touchEdits.entries()) {
    const at = key.lastIndexOf(':');
    if (at <= 0) continue;
    const id = key.slice(0, at);
    if (only && !only.has(id)) continue;
    const field = key.slice(at + 1);
    if (field !== 'deleted' && !EDITABLE.has(field)) continue;
    let m = into.get(id);
    if (!m) into.set(id, (m = new Map()));
    m.set(field, value);
  }
}

/**
 * Every imported touch in the log as readers see it, edits applied, deleted ones left out.
 * `parse` is `read.ts`'s touch parser (the same checks as a touch map gets).
 */
export function logState(nb: Notebook, parse: FieldParser): LogState {
  let s = nb.cache.get('touch-log') as LogState | undefined;
  const version = nb.versions.touches;
  // Only the log's own maps change what it reads as (touch maps are read in `read.ts`).
  if (s && !nb.touchLogDirty.chunks && !nb.touchLogDirty.edits.size) return s;
  const fresh = !s;
  s ??= {
    version: -1,
    chunks: new Map(),
    base: new Map(),
    edits: new Map(),
    gone: new Set(),
    list: EMPTY,
  };
  // Chunks: decode only the ones whose stored value changed.
  let baseChanged = fresh;
  if (fresh || nb.touchLogDirty.chunks) {
    const seen = new Set<string>();
    for (const [key, raw] of nb.touchLog.entries()) {
      seen.add(key);
      const have = s.chunks.get(key);
      if (have && have.raw === raw) continue;
      const problems: string[] = [];
      const c = decodeChunk(key, raw, problems);
      nb.diagnostics.delete(`touchLog/chunk/${key}`);
      problem(nb, `touchLog/chunk/${key}`, key, problems, true);
      if (c) s.chunks.set(key, c);
      else s.chunks.delete(key);
      baseChanged = true;
    }
    for (const key of [...s.chunks.keys()]) {
      if (!seen.has(key)) {
        s.chunks.delete(key);
        nb.diagnostics.delete(`touchLog/chunk/${key}`);
        baseChanged = true;
      }
    }
  }
  let dirtyIds: Set<string> | undefined;
  if (fresh) parseEdits(nb, s.edits);
  else if (nb.touchLogDirty.edits.size) {
    dirtyIds = new Set(nb.touchLogDirty.edits);
    parseEdits(nb, s.edits, dirtyIds);
  }
  nb.touchLogDirty.chunks = false;
  nb.touchLogDirty.edits.clear();
  if (baseChanged) {
    const base = new Map<string, Entry>();
    const keys = [...s.chunks.keys()].sort();
    let bad = 0;
    for (const key of keys) {
      const c = s.chunks.get(key)!;
      const ids = c.cols.id;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (typeof id !== 'string' || id === '') {
          bad++;
          continue;
        }
        if (base.has(id)) continue;
        // Keep the reading of a row that is the same row as before.
        const old = s.base.get(id);
        base.set(id, { c, i, t: old && old.c === c && old.i === i ? old.t : undefined });
      }
    }
    if (bad)
      problem(nb, 'touchLog/chunk/ids', 'touchLog', [`${bad} row(s) without an id skipped`], true);
    else nb.diagnostics.delete('touchLog/chunk/ids');
    s.base = base;
  }
  if (dirtyIds) {
    for (const id of dirtyIds) {
      const e = s.base.get(id);
      if (e) e.t = undefined;
    }
  }
  const list: Touch[] = [];
  const gone = new Set<string>();
  for (const [id, e] of s.base) {
    const edits = s.edits.get(id);
    if (e.t === undefined) e.t = readOne(nb, id, e, edits, parse);
    if (e.t) list.push(e.t);
    else if (edits?.get('deleted') === true) {
      const src = e.c.cols.src[e.i];
      if (typeof src === 'string') gone.add(src);
    }
  }
  s.gone = gone;
  s.list = Object.freeze(list);
  s.version = version;
  nb.cache.set('touch-log', s);
  return s;
}

function readOne(
  nb: Notebook,
  id: string,
  e: Entry,
  edits: Map<string, unknown> | undefined,
  parse: FieldParser,
): Touch | null {
  const key = `touchLog/${id}`;
  nb.diagnostics.delete(key);
  if (edits?.get('deleted') === true) return null;
  if (!edits) {
    const fast = fastTouch(id, e);
    if (fast) return fast;
  }
  const f = rowFields(e);
  for (const [k, v] of edits ?? []) {
    if (k === 'deleted') continue;
    if (v === null || v === undefined) f.delete(k);
    else f.set(k, v);
  }
  const problems: string[] = [];
  const t = parse(id, entriesOf(f), problems) ?? null;
  problem(nb, key, id, problems, t === null);
  return t;
}

/** Is `id` an imported touch held in the log (and not a touch map)? */
export function inLog(nb: Notebook, id: string, parse: FieldParser): boolean {
  return !nb.touches.has(id) && logState(nb, parse).base.has(id);
}

/** The log's chunk and edit maps, for undo and for code that lists the notebook's types. */
export function logMaps(nb: Notebook): Y.Map<unknown>[] {
  return [nb.touchLog, nb.touchEdits];
}

/**
 * Change the people of every imported touch in the log that names `personId` (a purge or
 * a merge; inside the caller's transaction). `next` gets the touch's people as they stand
 * (edits made earlier in the same transaction included) and returns the new list; an
 * empty list deletes the touch (its source key stays seen).
 */
export function repointLogTouches(
  nb: Notebook,
  parse: FieldParser,
  personId: string,
  next: (ids: readonly string[]) => readonly string[],
): void {
  for (const [id, b] of logState(nb, parse).base) {
    if (nb.touches.has(id)) continue;
    const edited = nb.touchEdits.get(editKey(id, 'personIds'));
    const ids = Array.isArray(edited) ? edited : b.c.cols.p[b.i];
    if (!Array.isArray(ids) || !ids.includes(personId)) continue;
    const rest = next(ids.filter((x): x is string => typeof x === 'string'));
    if (rest.length) setLogField(nb, id, 'personIds', [...rest]);
    else if (nb.touchEdits.get(editKey(id, 'deleted')) !== true)
      nb.touchEdits.set(editKey(id, 'deleted'), true);
  }
}
