/**
 * Typed selectors: plain, read-only objects out of the notebook, never Yjs types.
 *
 * Read-time invariants (STYLE.md "Model"):
 * - an entity with a wrong-typed or missing required field is skipped and listed in
 *   {@link diagnostics}; a wrong-typed optional field is dropped and listed;
 * - a person merged into another resolves to the survivor (`mergedInto` chain);
 * - a tie, touch or intro whose person is missing or deleted is invisible (never repaired);
 * - an entity stored under an empty id is skipped and listed;
 * - unknown fields are read back only when they are plain JSON within `EXTRA_LIMITS`
 *   (`fields.ts`); any other is left out and listed, so exports never meet it.
 *
 * Results are memoised per collection version, and entity parses per entity, so a
 * re-render after one edit re-reads one entity, not ten thousand.
 */
import * as Y from 'yjs';
import type { Notebook, Collection, EntityMap } from './notebook.ts';
import {
  INTRO_OUTCOMES,
  type Diagnostic,
  type Intro,
  type IntroOutcome,
  type Person,
  type Tie,
  type Touch,
} from './schema.ts';
import { compact, readFields, type Spec } from './fields.ts';
import {
  INTRO_FIELDS,
  PERSON_FIELDS,
  TIE_FIELDS,
  TOUCH_FIELDS,
  specOf,
  type Fields,
  type RecordOf,
} from './records.ts';
import { cadenceStatus } from '../analysis/neglect.ts';
import { logState, repointLogTouches } from './touch-log.ts';
import { formatDay, isCadence, MAX_CADENCE_DAYS, toTime } from '../time/dates.ts';

/** The read spec of a person (derived from `PERSON_FIELDS` in `records.ts`). */
export const PERSON_SPEC: Spec = specOf(PERSON_FIELDS);
/** The read spec of a tie (derived from `TIE_FIELDS`). */
export const TIE_SPEC: Spec = specOf(TIE_FIELDS);
/** The read spec of a touch (derived from `TOUCH_FIELDS`). */
export const TOUCH_SPEC: Spec = specOf(TOUCH_FIELDS);
/** The read spec of an introduction (derived from `INTRO_FIELDS`). */
export const INTRO_SPEC: Spec = specOf(INTRO_FIELDS);

/**
 * Read one stored record against its description, never throwing: each field as the
 * description says (its own `read`, then its allowed values, then its default); a value
 * that is empty or does not fit is left out (a required one skips the record, `undefined`).
 */
function parseRecord<D extends Fields>(
  fields: D,
  spec: Spec,
  id: string,
  map: Pick<EntityMap, 'entries'>,
  problems: string[],
): RecordOf<D> | undefined {
  const r = readFields(map, spec);
  problems.push(...r.problems);
  if (r.fatal) return undefined;
  const out: Record<string, unknown> = { id };
  for (const key in fields) {
    const d = fields[key]!;
    let v = d.read ? d.read(r.fields, problems) : r.fields[key];
    if (d.values && v !== undefined && !d.values.includes(v)) {
      if (d.required) {
        problems.push(`${key} "${String(v)}" is not one this version knows`);
        return undefined;
      }
      v = undefined;
    }
    if (v === undefined || v === '') v = d.default;
    if (v === undefined || (v === '' && !d.keepEmpty)) {
      if (d.required) {
        if (v === '') problems.push(`field "${key}" is empty`);
        return undefined;
      }
      continue;
    }
    out[key] = v;
  }
  if (Object.keys(r.unknown).length) out.extra = r.unknown;
  return out as RecordOf<D>;
}

const parsePerson = (id: string, map: EntityMap, problems: string[]): Person | undefined =>
  parseRecord(PERSON_FIELDS, PERSON_SPEC, id, map, problems);
const parseTie = (id: string, map: EntityMap, problems: string[]): Tie | undefined =>
  parseRecord(TIE_FIELDS, TIE_SPEC, id, map, problems);
const parseTouch = (
  id: string,
  map: Pick<EntityMap, 'entries'>,
  problems: string[],
): Touch | undefined => parseRecord(TOUCH_FIELDS, TOUCH_SPEC, id, map, problems);
const parseIntro = (id: string, map: EntityMap, problems: string[]): Intro | undefined =>
  parseRecord(INTRO_FIELDS, INTRO_SPEC, id, map, problems);

type Parser<T> = (id: string, map: EntityMap, problems: string[]) => T | undefined;

const PARSERS = {
  people: parsePerson,
  ties: parseTie,
  touches: parseTouch,
  intros: parseIntro,
} as const satisfies Record<Collection, Parser<unknown>>;

type EntityOf<C extends Collection> = NonNullable<ReturnType<(typeof PARSERS)[C]>>;

interface RawCache<T> {
  readonly byId: Map<string, T | null>;
  list?: readonly T[];
  listVersion: number;
}

function rawCache<C extends Collection>(nb: Notebook, c: C): RawCache<EntityOf<C>> {
  let cache = nb.cache.get(`raw:${c}`) as RawCache<EntityOf<C>> | undefined;
  if (!cache) {
    cache = { byId: new Map(), listVersion: -1 };
    nb.cache.set(`raw:${c}`, cache);
  }
  const dirty = nb.dirty[c];
  if (dirty === 'all') {
    cache.byId.clear();
    for (const key of nb.diagnostics.keys())
      if (key.startsWith(`${c}/`)) nb.diagnostics.delete(key);
  } else {
    for (const id of dirty) {
      cache.byId.delete(id);
      nb.diagnostics.delete(`${c}/${id}`);
    }
  }
  nb.dirty[c] = new Set();
  return cache;
}

function parseOne<C extends Collection>(
  nb: Notebook,
  c: C,
  cache: RawCache<EntityOf<C>>,
  id: string,
  value: unknown,
): EntityOf<C> | null {
  const hit = cache.byId.get(id);
  if (hit !== undefined) return hit;
  const problems: string[] = [];
  let parsed: EntityOf<C> | null = null;
  if (id === '') {
    // No command makes one, and every format and the graph need an id to name it by.
    problems.push('is stored under an empty id');
  } else if (value instanceof Y.Map) {
    parsed = ((PARSERS[c] as Parser<EntityOf<C>>)(id, value, problems) ??
      null) as EntityOf<C> | null;
  } else if (value !== undefined) {
    problems.push('is not a record');
  }
  if (problems.length) {
    const skipped = parsed === null ? 'skipped: ' : 'repaired: ';
    nb.diagnostics.set(`${c}/${id}`, { collection: c, id, problem: skipped + problems.join('; ') });
  }
  cache.byId.set(id, parsed);
  return parsed;
}

/** Every well-formed entity of a collection, including deleted people (raw, unresolved). */
export function rawList<C extends Collection>(nb: Notebook, c: C): readonly EntityOf<C>[] {
  const cache = rawCache(nb, c);
  if (cache.list && cache.listVersion === nb.versions[c]) return cache.list;
  const out: EntityOf<C>[] = [];
  for (const [id, value] of nb[c].entries()) {
    const parsed = parseOne(nb, c, cache, id, value);
    if (parsed) out.push(parsed);
  }
  // Imported touches in the light log, beside the touch maps (a map wins an id).
  if (c === 'touches') {
    for (const t of logState(nb, parseTouch).list)
      if (!nb.touches.has(t.id)) out.push(t as unknown as EntityOf<C>);
  }
  cache.list = Object.freeze(out);
  cache.listVersion = nb.versions[c];
  return cache.list;
}

/** One well-formed entity by id (deleted people included), or `undefined`. */
export function rawGet<C extends Collection>(
  nb: Notebook,
  c: C,
  id: string,
): EntityOf<C> | undefined {
  const cache = rawCache(nb, c);
  const value = nb[c].get(id);
  if (c === 'touches' && value === undefined) {
    return (logState(nb, parseTouch).base.get(id)?.t ?? undefined) as EntityOf<C> | undefined;
  }
  return parseOne(nb, c, cache, id, value) ?? undefined;
}

/**
 * Is `id` an imported touch held in the light touch log (`touch-log.ts`) rather than a
 * touch map? Its edits go to `touchEdits`; see {@link rawGet} for what it reads as.
 */
export function isLogTouch(nb: Notebook, id: string): boolean {
  return !nb.touches.has(id) && logState(nb, parseTouch).base.has(id);
}

/**
 * Change the people of the imported touches in the light log that name `personId` (purge,
 * merge): see `repointLogTouches` in `touch-log.ts`.
 */
export function repointImportedTouches(
  nb: Notebook,
  personId: string,
  next: (ids: readonly string[]) => readonly string[],
): void {
  repointLogTouches(nb, parseTouch, personId, next);
}

/** What the readers skipped or repaired, for a diagnostics view. Reads everything first. */
export function diagnostics(nb: Notebook): Diagnostic[] {
  for (const c of ['people', 'ties', 'touches', 'intros'] as const) rawList(nb, c);
  tagCadences(nb);
  return [...nb.diagnostics.values()];
}

function memo<T>(nb: Notebook, key: string, deps: unknown[], compute: () => T): T {
  const hit = nb.cache.get(key) as { deps: unknown[]; value: T } | undefined;
  if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.value;
  const value = compute();
  nb.cache.set(key, { deps, value });
  return value;
}

/**
 * Where a person id resolves to now: itself when live, the survivor when it was merged
 * into someone (following the chain), `undefined` when missing or deleted.
 */
export function resolvePersonId(nb: Notebook, id: string): string | undefined {
  // Entity by entity (cached parses), not through the whole-notebook index: commands call
  // this on every write and must not rebuild a 10,000-person index each time.
  let cur = rawGet(nb, 'people', id);
  const seen = new Set<string>();
  while (cur && cur.deletedAt && cur.mergedInto && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = rawGet(nb, 'people', cur.mergedInto);
  }
  return cur && !cur.deletedAt ? cur.id : undefined;
}

interface LiveIndex {
  readonly people: readonly Person[];
  readonly byId: ReadonlyMap<string, Person>;
  readonly resolve: ReadonlyMap<string, string>;
}

function liveIndex(nb: Notebook): LiveIndex {
  return memo(nb, 'live-people', [nb.versions.people], () => {
    const all = rawList(nb, 'people');
    const people: Person[] = [];
    const byId = new Map<string, Person>();
    const resolve = new Map<string, string>();
    let merged: Person[] | undefined;
    for (const p of all) {
      if (!p.deletedAt) {
        people.push(p);
        byId.set(p.id, p);
        resolve.set(p.id, p.id);
      } else if (p.mergedInto) {
        (merged ??= []).push(p);
      }
    }
    for (const p of merged ?? []) {
      const to = resolvePersonId(nb, p.id);
      if (to !== undefined) resolve.set(p.id, to);
    }
    return { people: Object.freeze(people), byId, resolve };
  });
}

/** Everyone not in the trash, in storage order. */
export function listPeople(nb: Notebook): readonly Person[] {
  return liveIndex(nb).people;
}

/** A live person by id (a merged-away id resolves to the survivor). */
export function getPerson(nb: Notebook, id: string): Person | undefined {
  const resolved = resolvePersonId(nb, id);
  return resolved === undefined ? undefined : rawGet(nb, 'people', resolved);
}

/** People in the trash (soft-deleted, not merged into someone), newest first. */
export function listTrash(nb: Notebook): readonly Person[] {
  return memo(nb, 'trash', [nb.versions.people], () =>
    rawList(nb, 'people')
      .filter((p) => p.deletedAt && !p.mergedInto)
      .sort((a, b) => ((a.deletedAt ?? '') < (b.deletedAt ?? '') ? 1 : -1)),
  );
}

/** The owner's own person, if the notebook has one. */
export function getOwner(nb: Notebook): Person | undefined {
  const id = nb.ownerId;
  return id === undefined ? undefined : getPerson(nb, id);
}

/**
 * A memo for a list that depends on people only through id resolution (`resolve`: which
 * ids are live, merged into whom). When people changed but no id the list's entities name
 * resolves differently — the usual case: someone was added or edited — the old list is
 * kept, same object. Adding one person to a 10,000-person notebook used to re-derive all
 * 100,000 touches and 50,000 ties inside the "Save" (~250 ms in Chromium).
 */
function memoResolved<C extends 'ties' | 'touches' | 'intros', T>(
  nb: Notebook,
  c: C,
  namesOf: (raw: EntityOf<C>) => readonly string[],
  compute: (resolve: ReadonlyMap<string, string>) => T,
): T {
  const { resolve } = liveIndex(nb);
  const version = nb.versions[c];
  const key = `resolved:${c}`;
  const hit = nb.cache.get(key) as
    { version: number; resolve: ReadonlyMap<string, string>; value: T } | undefined;
  if (hit && hit.version === version) {
    if (hit.resolve === resolve) return hit.value;
    const named = memo(nb, `named:${c}`, [version], () => {
      const ids = new Set<string>();
      for (const raw of rawList(nb, c)) for (const id of namesOf(raw)) ids.add(id);
      return ids;
    });
    let same = true;
    for (const id of named) {
      if (hit.resolve.get(id) !== resolve.get(id)) {
        same = false;
        break;
      }
    }
    if (same) {
      hit.resolve = resolve;
      return hit.value;
    }
  }
  const value = compute(resolve);
  nb.cache.set(key, { version, resolve, value });
  return value;
}

/** Visible ties: both ends live (after resolving merges) and distinct. */
export function listTies(nb: Notebook): readonly Tie[] {
  return memoResolved(
    nb,
    'ties',
    (t) => [t.from, t.to],
    (resolve) => {
      const out: Tie[] = [];
      // Inferred ties give way (see shownInferred); decided after every tie is seen.
      const inferred = new Map<string, Tie[]>();
      const owned = new Set<string>();
      for (const t of rawList(nb, 'ties')) {
        const from = resolve.get(t.from);
        const to = resolve.get(t.to);
        if (from === undefined || to === undefined || from === to) continue;
        const tie = from === t.from && to === t.to ? t : { ...t, from, to };
        if (t.provenance !== 'inferred') {
          if (t.dismissedAt) continue;
          owned.add(pairOf(from, to));
          out.push(tie);
          continue;
        }
        const key = pairOf(from, to);
        const list = inferred.get(key);
        if (list) list.push(tie);
        else inferred.set(key, [tie]);
      }
      for (const [key, list] of inferred) {
        const shown = shownInferred(list, owned.has(key));
        if (shown) out.push(shown);
      }
      return Object.freeze(out);
    },
  );
}

const pairOf = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Which of the inferred ties between one pair is listed, if any. The owner's word wins and
 * convergence needs a rule every device applies alike: none when the owner has a tie
 * between the two (set on any device) or dismissed any inferred tie between them (a
 * dismissal made while another device was inferring the pair again still holds); else
 * the one with the smallest id (two devices inferring the same pair at once).
 */
function shownInferred(list: readonly Tie[], owned: boolean): Tie | undefined {
  if (owned || list.some((t) => t.dismissedAt)) return undefined;
  let best = list[0];
  for (const t of list) if (best && t.id < best.id) best = t;
  return best;
}

/** A visible tie by id (an inferred tie only while it is the one listed for its pair). */
export function getTie(nb: Notebook, id: string): Tie | undefined {
  const t = rawGet(nb, 'ties', id);
  if (!t) return undefined;
  if (t.provenance === 'inferred' || t.dismissedAt) {
    return listTies(nb).find((x) => x.id === id);
  }
  const from = resolvePersonId(nb, t.from);
  const to = resolvePersonId(nb, t.to);
  if (from === undefined || to === undefined || from === to) return undefined;
  return from === t.from && to === t.to ? t : { ...t, from, to };
}

interface TieIndex {
  readonly byPerson: ReadonlyMap<string, readonly Tie[]>;
}

function tieIndex(nb: Notebook): TieIndex {
  const ties = listTies(nb);
  return memo(nb, 'tie-index', [ties], () => {
    const byPerson = new Map<string, Tie[]>();
    for (const t of ties) {
      for (const end of [t.from, t.to]) {
        let list = byPerson.get(end);
        if (!list) byPerson.set(end, (list = []));
        list.push(t);
      }
    }
    return { byPerson };
  });
}

/** A person's visible ties. */
export function tiesOf(nb: Notebook, personId: string): readonly Tie[] {
  return tieIndex(nb).byPerson.get(personId) ?? [];
}

/** The visible tie between two people, if any (the strongest when there are several). */
export function tieBetween(nb: Notebook, a: string, b: string): Tie | undefined {
  let best: Tie | undefined;
  for (const t of tiesOf(nb, a)) {
    if ((t.from === b || t.to === b) && (!best || t.strength > best.strength)) best = t;
  }
  return best;
}

/**
 * Visible touches: person ids resolved through merges, deleted people dropped, and a
 * touch with nobody left hidden. Newest first.
 */
export function listTouches(nb: Notebook): readonly Touch[] {
  return memoResolved(
    nb,
    'touches',
    (t) => t.personIds,
    (resolve) => {
      const out: Touch[] = [];
      const sources = sourceWinners(nb);
      for (const t of rawList(nb, 'touches')) {
        if (t.source !== undefined && sources.get(t.source) !== t.id) continue;
        if (t.removedAt) continue;
        const ids = [...new Set(t.personIds.map((id) => resolve.get(id)))].filter(
          (id): id is string => id !== undefined,
        );
        if (!ids.length) continue;
        const same =
          ids.length === t.personIds.length && ids.every((id, i) => id === t.personIds[i]);
        out.push(same ? t : { ...t, personIds: ids });
      }
      return Object.freeze(out.sort(byAtDesc));
    },
  );
}

/**
 * For each import source key, the id of the one touch listed for it: none (`''`) when the
 * owner removed any touch with that key (a removal stays a removal even if another device
 * imported the same meeting meanwhile), else the smallest id (the same meeting imported on
 * two devices at once is listed once, the same one everywhere).
 */
function sourceWinners(nb: Notebook): ReadonlyMap<string, string> {
  return memo(nb, 'touch-sources', [nb.versions.touches], () => {
    const out = new Map<string, string>();
    for (const t of rawList(nb, 'touches')) {
      if (t.source === undefined) continue;
      const have = out.get(t.source);
      if (t.removedAt) out.set(t.source, '');
      else if (have === undefined || (have !== '' && t.id < have)) out.set(t.source, t.id);
    }
    // An imported touch a purge left without people is gone, but its key stays seen.
    for (const source of logState(nb, parseTouch).gone) out.set(source, '');
    return out;
  });
}

/**
 * Has the notebook seen this import source key (listed or removed)? An import skips such
 * keys, so re-importing a file adds nothing and a touch the owner removed stays removed.
 */
export function hasTouchSource(nb: Notebook, source: string): boolean {
  return sourceWinners(nb).has(source);
}

function byAtDesc(a: Touch, b: Touch): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1;
}

interface TouchIndex {
  readonly byPerson: ReadonlyMap<string, readonly Touch[]>;
}

function touchIndex(nb: Notebook): TouchIndex {
  const touches = listTouches(nb);
  return memo(nb, 'touch-index', [touches], () => {
    const byPerson = new Map<string, Touch[]>();
    for (const t of touches) {
      for (const id of t.personIds) {
        let list = byPerson.get(id);
        if (!list) byPerson.set(id, (list = []));
        list.push(t);
      }
    }
    return { byPerson };
  });
}

/** A person's touches, newest first. */
export function touchesOf(nb: Notebook, personId: string): readonly Touch[] {
  return touchIndex(nb).byPerson.get(personId) ?? [];
}

/** A visible touch by id. */
export function getTouch(nb: Notebook, id: string): Touch | undefined {
  const t = rawGet(nb, 'touches', id);
  if (!t || t.removedAt) return undefined;
  if (t.source !== undefined && sourceWinners(nb).get(t.source) !== id) return undefined;
  const ids = [...new Set(t.personIds.map((p) => resolvePersonId(nb, p)))].filter(
    (p): p is string => p !== undefined,
  );
  if (!ids.length) return undefined;
  const same = ids.length === t.personIds.length && ids.every((p, i) => p === t.personIds[i]);
  return same ? t : { ...t, personIds: ids };
}

/** Derived, never typed by hand: the date of the newest touch with this person. */
export function lastTouched(nb: Notebook, personId: string): string | undefined {
  return touchesOf(nb, personId)[0]?.at;
}

/**
 * The newest touch that reached a tie: for a tie to the owner, the newest touch with the
 * other person; otherwise the newest touch with both ends.
 */
export function tieLastTouched(nb: Notebook, tie: Tie): string | undefined {
  const owner = nb.ownerId;
  if (tie.from === owner) return lastTouched(nb, tie.to);
  if (tie.to === owner) return lastTouched(nb, tie.from);
  return touchesOf(nb, tie.from).find((t) => t.personIds.includes(tie.to))?.at;
}

/** Visible introductions: both sides live. Newest first. */
export function listIntros(nb: Notebook): readonly Intro[] {
  return memoResolved(
    nb,
    'intros',
    (i) => [i.a, i.b, i.by],
    (resolve) => {
      const out: Intro[] = [];
      for (const i of rawList(nb, 'intros')) {
        const a = resolve.get(i.a);
        const b = resolve.get(i.b);
        if (a === undefined || b === undefined) continue;
        const by = resolve.get(i.by) ?? i.by;
        out.push(a === i.a && b === i.b && by === i.by ? i : { ...i, a, b, by });
      }
      return Object.freeze(
        out.sort((x, y) => (x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : 0)),
      );
    },
  );
}

/** A visible introduction by id. */
export function getIntro(nb: Notebook, id: string): Intro | undefined {
  const i = rawGet(nb, 'intros', id);
  if (!i) return undefined;
  const a = resolvePersonId(nb, i.a);
  const b = resolvePersonId(nb, i.b);
  if (a === undefined || b === undefined) return undefined;
  const by = resolvePersonId(nb, i.by) ?? i.by;
  return a === i.a && b === i.b && by === i.by ? i : { ...i, a, b, by };
}

/** Meta key prefix of per-tag cadences (`tagCadence:<tag>` → days). */
export const TAG_CADENCE_PREFIX = 'tagCadence:';

/** Keep-in-touch cadence per tag (days), set in the notebook's meta. */
export function tagCadences(nb: Notebook): ReadonlyMap<string, number> {
  return memo(nb, 'tag-cadence', [nb.versions.meta], () => {
    const out = new Map<string, number>();
    for (const key of nb.diagnostics.keys())
      if (key.startsWith('meta/')) nb.diagnostics.delete(key);
    for (const [key, days] of nb.meta.entries()) {
      if (!key.startsWith(TAG_CADENCE_PREFIX)) continue;
      if (isCadence(days)) out.set(key.slice(TAG_CADENCE_PREFIX.length), days);
      else {
        // A peer or an old file may hold a cadence no command would write (1e8, Infinity).
        nb.diagnostics.set(`meta/${key}`, {
          collection: 'meta',
          id: key,
          problem: `ignored: ${String(days).slice(0, 40)} is not a cadence of 1 to ${MAX_CADENCE_DAYS} days`,
        });
      }
    }
    return out;
  });
}

/** The cadence that applies to a person: their own, else the tightest of their tags'. */
export function effectiveCadence(nb: Notebook, person: Person): number | undefined {
  if (person.cadenceDays) return person.cadenceDays;
  const byTag = tagCadences(nb);
  let best: number | undefined;
  for (const tag of person.tags) {
    const d = byTag.get(tag);
    if (d !== undefined && (best === undefined || d < best)) best = d;
  }
  return best;
}

/** When a person was last touched and when the next touch is due, from their cadence. */
export interface DueInfo {
  readonly lastTouched?: string;
  readonly cadenceDays?: number;
  /** When the next touch is due (ISO date), if a cadence applies. */
  readonly dueAt?: string;
  /** Whole days past due (0 or more) when overdue, negative days left otherwise. */
  readonly daysOverdue?: number;
}

/**
 * Cadence status for a person: last touched, when the next touch is due, and how overdue.
 * A person never touched counts from when they were added.
 */
export function dueInfo(nb: Notebook, personId: string, now = nb.now()): DueInfo {
  const person = getPerson(nb, personId);
  if (!person) return {};
  const last = lastTouched(nb, person.id);
  const cadence = effectiveCadence(nb, person);
  if (!cadence) return compact({ lastTouched: last });
  const from = toTime(last ?? person.createdAt);
  const status = from === undefined ? undefined : cadenceStatus(from, cadence, now.getTime());
  if (!status) return compact({ lastTouched: last, cadenceDays: cadence });
  return compact({
    lastTouched: last,
    cadenceDays: cadence,
    dueAt: formatDay(status.dueAt),
    daysOverdue: status.daysOverdue,
  });
}

/** How a person's introductions turned out, as the one introduced and as the introducer. */
export interface RefereeRecord {
  /** Introductions with an outcome where this person was one of the two introduced. */
  readonly asIntroduced: Readonly<Record<IntroOutcome, number>>;
  /** Outcomes of introductions this person made to the owner or others. */
  readonly asIntroducer: Readonly<Record<IntroOutcome, number>>;
  readonly total: number;
  /** The most recent flaked or difficult outcome, if any: worth a warning. */
  readonly lastBad?: { readonly introId: string; readonly outcome: IntroOutcome };
}

function zeroOutcomes(): Record<IntroOutcome, number> {
  return Object.fromEntries(INTRO_OUTCOMES.map((o) => [o, 0])) as Record<IntroOutcome, number>;
}

/**
 * Does a flaked or difficult outcome count against this person? With `blame` recorded, only
 * the side(s) it names (`neither`: nobody, the introducer included). Without it (outcomes
 * recorded before blame existed) everyone involved, as it was always read.
 */
export function carriesBlame(intro: Intro, personId: string): boolean {
  switch (intro.blame) {
    case undefined:
      return true;
    case 'a':
      return intro.a === personId;
    case 'b':
      return intro.b === personId;
    case 'both':
      return intro.a === personId || intro.b === personId;
    case 'neither':
      return false;
  }
}

/**
 * A person's record as a referee: how introductions involving them turned out. A flaked or
 * difficult outcome counts against a person only when {@link carriesBlame} says so; for a
 * blameless side it is left out of their counts and warnings.
 */
export function refereeRecord(nb: Notebook, personId: string): RefereeRecord {
  const asIntroduced = zeroOutcomes();
  const asIntroducer = zeroOutcomes();
  let total = 0;
  let lastBad: RefereeRecord['lastBad'];
  let lastBadAt = '';
  const owner = nb.ownerId;
  for (const i of listIntros(nb)) {
    if (!i.outcome) continue;
    const introduced = i.a === personId || i.b === personId;
    const introducer = i.by === personId && i.by !== owner;
    if (!introduced && !introducer) continue;
    total++;
    const bad = i.outcome === 'flaked' || i.outcome === 'difficult';
    const blamed = !bad || carriesBlame(i, personId);
    if (introduced && blamed) asIntroduced[i.outcome]++;
    if (introducer) asIntroducer[i.outcome]++;
    const at = i.history.at(-1)?.at ?? i.createdAt;
    if (bad && blamed && at >= lastBadAt) {
      lastBad = { introId: i.id, outcome: i.outcome };
      lastBadAt = at;
    }
  }
  return compact({ asIntroduced, asIntroducer, total, lastBad });
}

/** Meta key of the owner's own addresses (emails, profile URLs), never matched as contacts. */
export const OWNER_ADDRESSES_KEY = 'ownerAddresses';
/** Meta key of the "keep event titles" setting (default off: titles are private). */
export const KEEP_EVENT_TITLES_KEY = 'keepEventTitles';

/**
 * The owner's own addresses: those set in Settings (`--me` in the CLI) plus the emails and
 * links on the owner's own person. Imports never match these as a contact.
 */
export function ownerAddresses(nb: Notebook): readonly string[] {
  const set = nb.meta.get(OWNER_ADDRESSES_KEY);
  const stored = Array.isArray(set) ? set.filter((a): a is string => typeof a === 'string') : [];
  const me = getOwner(nb);
  return [...new Set([...stored, ...(me?.emails ?? []), ...(me?.links ?? [])])];
}

/** Does the owner keep event titles as touch notes? (Off unless they ticked it.) */
export function keepEventTitles(nb: Notebook): boolean {
  return nb.meta.get(KEEP_EVENT_TITLES_KEY) === true;
}

/**
 * An inferred tie's evidence in words: "met together at 7 meetings, last 2026-10-02",
 * or "in 3 conversations together, last …", or both.
 */
export function inferredTieReason(tie: Tie): string | undefined {
  const e = tie.evidence;
  if (tie.provenance !== 'inferred' || !e) return undefined;
  const parts: string[] = [];
  if (e.meetings) parts.push(`met together at ${e.meetings} meeting${e.meetings === 1 ? '' : 's'}`);
  if (e.conversations)
    parts.push(
      `${parts.length ? 'wrote' : 'wrote together'} in ${e.conversations} conversation${e.conversations === 1 ? '' : 's'}`,
    );
  return `${parts.join(' and ')}, last ${e.last.slice(0, 10)}`;
}
