/**
 * The model's entry points for imports (issue 17: `src/io` plans, the model writes; `io`
 * never builds Yjs types):
 *
 * - {@link readRecords} reads whole records from a file (Vitrine JSON) by their
 *   descriptions (`records.ts`), once, without a notebook; {@link restoreRecords} writes
 *   them by id as one undoable step.
 * - {@link applyImportBatch} writes a planned contacts import (new people, merges, ties)
 *   as one undoable step.
 */
import * as Y from 'yjs';
import {
  birthdayProblem,
  cadenceProblem,
  dateProblem,
  isBirthday,
  isIsoDate,
} from '../../time/dates.ts';
import { CONTACT_CHECKS } from '../contact.ts';
import { VitrineError } from '../errors.ts';
import { checkExtra } from '../fields.ts';
import { randomId, type EntityMap, type Notebook } from '../notebook.ts';
import { getPerson, listTies } from '../read.ts';
import { fieldsOf, RECORDS, type FieldDesc, type Fields } from '../records.ts';
import { VETTING_PARTS } from '../schema.ts';
import {
  applyPerson,
  checkPerson,
  createPerson,
  type PersonInput,
  type PersonPatch,
} from './people.ts';
import { checkTie } from './ties.ts';
import { setField } from './write.ts';

/** What an import did, for the CLI summary and the app's preview. */
export interface ImportSummary {
  added: number;
  merged: number;
  unchanged: number;
  skipped: { ref: string; reason: string }[];
  ties: number;
  touches: number;
  intros: number;
  /** Records read with a caveat (a date not understood, a relation not made). */
  warnings?: { ref: string; reason: string }[];
}

/** A summary of an import that did nothing yet. */
export function emptySummary(): ImportSummary {
  return { added: 0, merged: 0, unchanged: 0, skipped: [], ties: 0, touches: 0, intros: 0 };
}

/** The collections a file of whole records holds, in the order they are restored. */
export const RECORD_COLLECTIONS = ['people', 'ties', 'touches', 'intros'] as const;
/** One of {@link RECORD_COLLECTIONS}. */
export type RecordCollection = (typeof RECORD_COLLECTIONS)[number];

/** Each collection's record in words, for references ("person \"p1\"", "tie #3"). */
const ENTITY: Readonly<Record<RecordCollection, string>> = {
  people: 'person',
  ties: 'tie',
  touches: 'touch',
  intros: 'introduction',
};

/** Whole records as a file holds them (Vitrine JSON), not yet read. */
export type RecordSet = { readonly owner?: string } & {
  readonly [C in RecordCollection]: readonly unknown[];
};

/**
 * One record of a file as {@link readRecords} read it: plain data (it travels from the
 * import worker inside the plan).
 */
export interface ReadRecord {
  /** The record in words ("person \"p1\"", "touch #4"). */
  ref: string;
  /** Its id; absent when it has none (then `skip` says so). */
  id?: string;
  /** Why it is not restored, as far as the file alone tells (people are resolved later). */
  skip?: string;
  /** Its known fields, read by their descriptions; person ids as the file has them. */
  fields: Record<string, unknown>;
  /** Its fields the model has no place for, checked against `EXTRA_LIMITS`. */
  extra?: Record<string, unknown>;
  /** What was left out, in sentences. */
  warnings: string[];
}

/** A file's records as read by {@link readRecords}. */
export type ReadRecords = { owner?: string } & { [C in RecordCollection]: ReadRecord[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A record's reference in words: by its id when it has one, else by its place. */
function refOf(entity: string, rec: unknown, index: number): string {
  const id = isRecord(rec) ? rec.id : undefined;
  return `${entity} ${typeof id === 'string' ? `"${id}"` : `#${index + 1}`}`;
}

/** The vetting parts of a plain record (checked by `checkPerson` when restored). */
function plainVetting(v: unknown): PersonInput['vetting'] {
  if (!isRecord(v)) return undefined;
  const out: NonNullable<PersonInput['vetting']> = {};
  for (const part of VETTING_PARTS) {
    const e = Object.hasOwn(v, part) ? v[part] : undefined;
    if (isRecord(e) && typeof e.status === 'string') {
      out[part] = { status: e.status as never, vouchedBy: str(e.vouchedBy), note: str(e.note) };
    }
  }
  return out;
}

const SKIP = Symbol('skip');

/**
 * One field of a plain record, read by its description: the value to restore,
 * `undefined` to clear it, or {@link SKIP} (with the reason in `why`) when a required
 * field does not fit. A bad optional value is left out with a sentence in `warnings`.
 */
function plainValue(
  key: string,
  d: FieldDesc,
  raw: unknown,
  known: Readonly<Record<string, unknown>>,
  warnings: string[],
  why: string[],
): unknown {
  if (d.kind === 'vetting') return plainVetting(raw);
  if (d.values) {
    const v = d.values.includes(raw) ? raw : d.default;
    if (v === undefined && d.required) {
      why.push(`its ${key} "${String(raw)}" is not one of ${d.values.join(', ')}`);
      return SKIP;
    }
    return v;
  }
  const leftOut = (problem: string | undefined) => {
    if (problem) warnings.push(`${problem} It was left out.`);
    return undefined;
  };
  switch (d.kind) {
    case 'string': {
      const v = str(raw);
      if (v === undefined && d.required && !d.ref) {
        why.push(`it has no ${d.label}`);
        return SKIP;
      }
      return v ?? d.default;
    }
    case 'strings':
      return d.ref ? (Array.isArray(raw) ? raw : []) : list(raw);
    case 'emails':
    case 'links': {
      const check = CONTACT_CHECKS[d.kind];
      const good: string[] = [];
      for (const v of list(raw)) {
        const ok = check.normalise(v);
        if (ok === undefined) leftOut(check.problem(v));
        else if (!good.includes(ok)) good.push(ok);
      }
      return good;
    }
    case 'birthday': {
      const v = str(raw)?.trim();
      return v === undefined || isBirthday(v) ? v : leftOut(birthdayProblem(v));
    }
    case 'cadence':
      if (raw === undefined || raw === null) return undefined;
      return cadenceProblem(raw) ? leftOut(cadenceProblem(raw)) : raw;
    case 'date':
      if (key === 'createdAt') return isIsoDate(raw) ? raw : undefined;
      if (d.required && !isIsoDate(raw)) {
        why.push(
          `its ${d.label} "${String(raw)}" is not an ISO 8601 date that exists (write it like 2025-12-07, or a date-time with a time zone)`,
        );
        return SKIP;
      }
      if (raw === undefined || raw === null || raw === '') return undefined;
      return isIsoDate(raw) ? raw : leftOut(dateProblem(raw, d.what ?? `The ${d.label}`));
    case 'boolean':
      return raw === true;
    case 'text':
      return typeof raw === 'string' ? raw : (d.default ?? '');
    case 'number':
      if (d.check) {
        try {
          return d.check(raw) ?? d.default;
        } catch {
          return d.default;
        }
      }
      return d.read ? d.read(known, []) : typeof raw === 'number' ? raw : undefined;
    default:
      return d.read ? d.read(known, []) : undefined;
  }
}

/** Read one record of collection `c` (see {@link readRecords}). */
function readRecord(c: RecordCollection, rec: unknown, index: number, name: string): ReadRecord {
  const entity = ENTITY[c];
  const ref = refOf(entity, rec, index);
  if (!isRecord(rec)) {
    return {
      ref,
      skip: c === 'people' ? 'not a record' : 'it has no id',
      fields: {},
      warnings: [],
    };
  }
  const desc: Fields = RECORDS[c];
  // Prototype-free: a field named "__proto__" must be refused by name, not become a prototype.
  const known = Object.create(null) as Record<string, unknown>;
  const unknown = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'id') continue;
    if (Object.hasOwn(desc, k)) known[k] = v;
    else if (v !== undefined) unknown[k] = v;
  }
  const extra = checkExtra(unknown, `${name}: ${ref}`);
  const out: ReadRecord = { ref, fields: {}, warnings: [], ...(extra ? { extra } : {}) };
  const id = str(rec.id);
  if (!id) return { ...out, skip: 'it has no id' };
  out.id = id;
  const why: string[] = [];
  for (const [key, d] of fieldsOf(desc)) {
    const v = plainValue(key, d, known[key], known, out.warnings, why);
    if (v === SKIP) continue;
    if (v !== undefined) out.fields[key] = v;
  }
  if (why.length) out.skip = why[0];
  return out;
}

/**
 * Read a file's whole records by their descriptions, without a notebook: each known field
 * checked (a bad optional value left out with a warning, a bad required one marks the
 * record skipped), unknown fields kept when plain JSON within `EXTRA_LIMITS`. Throws a
 * {@link VitrineError} naming `name`, the record and the field when an unknown field is
 * not: such a file is refused whole (a field nested 5,000 deep once imported "fine" and
 * left a notebook no command could open). The one check of a file's records: restoring
 * them reads nothing again.
 */
export function readRecords(set: RecordSet, name: string): ReadRecords {
  const out = { ...(set.owner !== undefined ? { owner: set.owner } : {}) } as ReadRecords;
  for (const c of RECORD_COLLECTIONS) {
    out[c] = set[c].map((rec, i) => readRecord(c, rec, i, name));
  }
  return out;
}

/**
 * The stored state of an entity as text, for "did the import change it"; `undefined` when
 * a peer stored a value JSON cannot hold (a BigInt), which counts as changed. Never throws.
 */
function fingerprint(map: EntityMap): string | undefined {
  try {
    return JSON.stringify(map.toJSON());
  } catch {
    return undefined;
  }
}

function entityFor(nb: Notebook, c: RecordCollection, id: string, createdAt: unknown): EntityMap {
  const existing = nb[c].get(id);
  if (existing instanceof Y.Map) return existing;
  const map = new Y.Map<unknown>();
  nb[c].set(id, map);
  map.set('createdAt', isIsoDate(createdAt) ? createdAt : nb.stamp());
  return map;
}

/** The input a person command takes from a read record: every settable field, so absent ones clear. */
function personInput(r: ReadRecord): PersonInput {
  const input: Record<string, unknown> = {};
  for (const [key, d] of fieldsOf<Fields>(RECORDS.people)) {
    if (d.system || d.kind === 'vetting') continue;
    input[key] = r.fields[key] ?? (d.kind === 'cadence' ? null : undefined);
  }
  if (r.fields.vetting) input.vetting = r.fields.vetting;
  input.extra = r.extra;
  return input as PersonInput;
}

/**
 * Restore records read by {@link readRecords} into a notebook, by id, as one undoable
 * step. A record with the id of one already there updates it (so restoring the same file
 * twice changes nothing); a record whose people are in neither the file nor the notebook
 * is skipped with its reason; the file's owner maps to this notebook's owner. Every field
 * its description lists is restored; the fields the model has no place for stay in `extra`.
 */
export function restoreRecords(nb: Notebook, data: ReadRecords): ImportSummary {
  const summary = emptySummary();
  const skip = (ref: string, reason: string): void => {
    summary.skipped.push({ ref, reason });
  };
  const warn = (r: ReadRecord): void => {
    for (const reason of r.warnings) (summary.warnings ??= []).push({ ref: r.ref, reason });
  };
  const fileOwner = data.owner;
  const mapId = (id: string) => (fileOwner && id === fileOwner && nb.ownerId ? nb.ownerId : id);
  nb.migrate();
  nb.write(() => {
    const known = new Set<string>(nb.people.keys());
    const needOwner = !nb.ownerId;
    for (const r of data.people) {
      if (!r.id || r.skip) {
        skip(r.ref, r.skip ?? 'it has no id');
        continue;
      }
      if (mapId(r.id) !== r.id) continue; // the file's owner is this notebook's owner
      warn(r);
      let patch: PersonPatch;
      try {
        patch = checkPerson(personInput(r));
      } catch (e) {
        skip(r.ref, (e as Error).message);
        continue;
      }
      let map = nb.people.get(r.id);
      const exists = map instanceof Y.Map;
      if (!exists) {
        map = new Y.Map<unknown>();
        nb.people.set(r.id, map);
        map.set('createdAt', r.fields.createdAt ?? nb.stamp());
        map.set('notes', new Y.Text());
      }
      const before = exists ? fingerprint(map!) : '';
      applyPerson(map!, patch);
      for (const [key, d] of fieldsOf<Fields>(RECORDS.people)) {
        if (d.system && key !== 'createdAt') setField(map!, key, r.fields[key]);
      }
      known.add(r.id);
      if (!exists) summary.added++;
      else {
        const after = fingerprint(map!);
        if (after === undefined || after !== before) summary.merged++;
        else summary.unchanged++;
      }
    }
    if (needOwner && fileOwner && known.has(fileOwner)) nb.meta.set('owner', fileOwner);
    const person = (v: unknown) => {
      const id = str(v);
      if (!id) return undefined;
      const m = mapId(id);
      return known.has(m) ? m : undefined;
    };
    /** The record's fields with person ids resolved; a reason when a required one is not. */
    const resolved = (c: RecordCollection, r: ReadRecord): Record<string, unknown> | string => {
      const out = { ...r.fields };
      for (const [key, d] of fieldsOf<Fields>(RECORDS[c])) {
        if (!d.ref) continue;
        const v = r.fields[key];
        if (d.kind === 'strings') {
          const ids = (v as unknown[]).map(person);
          if (!ids.length || ids.some((x) => x === undefined))
            return 'its people are missing or not in the file';
          out[key] = [...new Set(ids as string[])];
        } else {
          out[key] = person(v) ?? (key === 'by' ? nb.ownerId : undefined);
          if (d.required && !out[key])
            return 'one of its people is not in the file or the notebook';
        }
      }
      return out;
    };
    for (const c of ['ties', 'touches', 'intros'] as const) {
      for (const r of data[c]) {
        if (!r.id) {
          skip(r.ref, r.skip ?? 'it has no id');
          continue;
        }
        const f = resolved(c, r);
        if (typeof f === 'string' || r.skip) {
          skip(r.ref, typeof f === 'string' ? f : r.skip!);
          continue;
        }
        if (c === 'ties' && f.from === f.to) {
          skip(r.ref, 'it ties a person to themselves');
          continue;
        }
        warn(r);
        let checked: Map<string, unknown> | undefined;
        if (c === 'ties') {
          const input: Record<string, unknown> = {};
          for (const [key, d] of fieldsOf<Fields>(RECORDS.ties)) if (!d.system) input[key] = f[key];
          try {
            checked = checkTie({ ...input, extra: r.extra });
          } catch (e) {
            skip(r.ref, (e as Error).message);
            continue;
          }
        }
        const map = entityFor(nb, c, r.id, f.createdAt);
        for (const [key, d] of fieldsOf<Fields>(RECORDS[c])) {
          if (key === 'createdAt' || checked?.has(key)) continue;
          if (key === 'history') addSteps(map, f.history as readonly object[]);
          else if (!(c === 'ties' && !d.system)) setField(map, key, f[key]);
        }
        if (checked) for (const [key, value] of checked) setField(map, key, value);
        else setField(map, 'extra', r.extra);
        summary[c]++;
      }
    }
  });
  return summary;
}

/** Add an introduction's steps that its history does not hold yet (histories are united). */
function addSteps(map: EntityMap, steps: readonly object[]): void {
  let history = map.get('history');
  if (!(history instanceof Y.Array)) {
    history = new Y.Array<unknown>();
    map.set('history', history);
  }
  const h = history as Y.Array<unknown>;
  const have = new Set(h.toArray().map((s) => JSON.stringify(s)));
  const add = steps.filter((s) => !have.has(JSON.stringify(s)));
  if (add.length) h.push([...add]);
}

/** Who a tie of an import batch joins: a person there, one the batch adds, or the owner. */
export type BatchRef =
  { readonly id: string } | { readonly added: number } | { readonly owner: true };

/** A planned contacts import, checked (`checkPerson`, `checkTie`) and ready to write. */
export interface ImportBatch {
  /** People to add, in order; `becomesOwner` makes the first such one the owner if there is none. */
  readonly people: readonly { readonly patch: PersonPatch; readonly becomesOwner?: boolean }[];
  /** Changes to people already there. */
  readonly merges: readonly { readonly id: string; readonly patch: PersonPatch }[];
  /**
   * Ties to make (unless the two are tied already), or with `existingId` a start date for
   * an existing tie that has none. An end that does not resolve drops the tie.
   */
  readonly ties: readonly {
    readonly a: BatchRef | undefined;
    readonly b: BatchRef | undefined;
    readonly fields: ReadonlyMap<string, unknown>;
    readonly existingId?: string;
  }[];
}

/** What {@link applyImportBatch} wrote. */
export interface BatchResult {
  readonly added: number;
  readonly merged: number;
  readonly ties: number;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Ids for `n` new entities. With the notebook's default generator, draw all the random
 * bytes at once: `crypto.getRandomValues` per id was the single largest cost of a
 * 10,000-row import in Node. Same format and entropy as `randomId` (16 base-62
 * characters from the platform CSPRNG); a notebook with its own `newId` (tests) keeps it.
 */
function idSource(nb: Notebook, n: number): () => string {
  if (nb.newId !== randomId) return nb.newId;
  // getRandomValues fills at most 65,536 bytes per call.
  const perCall = 4096;
  let pool = new Uint8Array(0);
  let at = 0;
  let left = n;
  return () => {
    if (at >= pool.length) {
      const count = Math.max(1, Math.min(perCall, left));
      pool = new Uint8Array(16 * count);
      globalThis.crypto.getRandomValues(pool);
      at = 0;
    }
    let id = '';
    for (let i = 0; i < 16; i++) id += ALPHABET[pool[at + i]! % 62];
    at += 16;
    left--;
    return id;
  };
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Write a planned contacts import as one local transaction (one undo step): new people
 * (their notes text made at once, as `addPerson` does), merges, then ties, skipping a
 * pair already tied. Writes nothing when the batch is empty. Imported ties to "me" in a
 * notebook without an owner create one ("Me") in the same transaction.
 */
export function applyImportBatch(nb: Notebook, batch: ImportBatch): BatchResult {
  if (nb.readOnlyReason) throw new VitrineError(nb.readOnlyReason);
  const ties = listTies(nb);
  const tiePairs = new Set(ties.map((t) => pairKey(t.from, t.to)));
  const tiesSince = new Map(ties.map((t) => [t.id, t.since]));
  const live = new Map<string, string | undefined>();
  for (const t of batch.ties) {
    for (const r of [t.a, t.b]) {
      if (r && 'id' in r && !live.has(r.id)) live.set(r.id, getPerson(nb, r.id)?.id);
    }
  }
  let tiesMade = 0;
  if (!batch.people.length && !batch.merges.length && !batch.ties.length) {
    return { added: 0, merged: 0, ties: 0 };
  }
  const newId = idSource(nb, batch.people.length + batch.ties.length + 1);
  nb.write(() => {
    const stamp = nb.stamp();
    const made = (patch: PersonPatch) => createPerson(nb, patch, stamp, newId);
    const ids = batch.people.map((a) => {
      const id = made(a.patch);
      if (a.becomesOwner && !nb.ownerId) nb.meta.set('owner', id);
      return id;
    });
    for (const m of batch.merges) applyPerson(nb.entity('people', m.id), m.patch);
    const resolve = (r: BatchRef | undefined): string | undefined => {
      if (!r) return undefined;
      if ('id' in r) return live.get(r.id);
      if ('added' in r) return ids[r.added];
      if (!nb.ownerId) nb.meta.set('owner', made(checkPerson({ name: 'Me' })));
      return nb.ownerId;
    };
    for (const t of batch.ties) {
      const a = resolve(t.a);
      const b = resolve(t.b);
      if (!a || !b || a === b) continue;
      if (t.existingId) {
        if (nb.ties.has(t.existingId) && !tiesSince.get(t.existingId) && t.fields.get('since')) {
          setField(nb.entity('ties', t.existingId), 'since', t.fields.get('since'));
          tiesMade++;
        }
        continue;
      }
      const key = pairKey(a, b);
      if (tiePairs.has(key)) continue;
      tiePairs.add(key);
      const map = new Y.Map<unknown>();
      nb.ties.set(newId(), map);
      map.set('from', a);
      map.set('to', b);
      map.set('createdAt', stamp);
      for (const [k, v] of t.fields) setField(map, k, v);
      tiesMade++;
    }
  });
  return { added: batch.people.length, merged: batch.merges.length, ties: tiesMade };
}
