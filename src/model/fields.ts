/**
 * Field specs shared by readers and writers: which keys an entity map holds and what type
 * each must have. Readers use them to skip or repair what a peer or a file sent; writers
 * use them to refuse bad input before it reaches the document.
 */
import * as Y from 'yjs';
import { MAX_CADENCE_DAYS, isBirthday, isCadence, isIsoDate, isIsoDay } from '../time/dates.ts';
import { CONTACT_CHECKS } from './contact.ts';

export { isIsoDate };
import { VitrineError } from './errors.ts';

/** The kinds of value a stored field can hold, each with one rule in {@link fits}. */
export type FieldKind =
  | 'string'
  | 'strings'
  | 'number'
  | 'boolean'
  | 'text'
  | 'date'
  | 'birthday'
  | 'cadence'
  | 'links'
  | 'emails'
  | 'object'
  | 'steps';

/** How a stored field is read: its kind and whether a record without it is skipped. */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
}

/** A read spec: every field of one kind of record, by name (derived from `records.ts`). */
export type Spec = Readonly<Record<string, FieldSpec>>;

/** Does `value` fit a field of `kind`? */
export function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
      return value instanceof Y.Text || typeof value === 'string';
    case 'date':
      return isIsoDate(value);
    case 'birthday':
      return isBirthday(value);
    case 'cadence':
      return isCadence(value);
    case 'links':
    case 'emails':
      return fits('strings', value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'steps':
      return value instanceof Y.Array;
  }
}

/**
 * Bounds on the fields the model has no place for (kept as they came, under `extra`).
 *
 * Yjs encodes a value of any depth, but its decoder recurses and overflows the stack far
 * sooner (about 5,000 levels in Node): a 30 KB file with one deeply nested unknown field
 * imported "fine" and left a notebook that no command could open again. So unknown fields
 * are kept only when they are plain JSON (text, finite numbers, true/false, null, lists and
 * plain objects) within these bounds: `depth` levels of lists/objects inside one field,
 * `stringLength` characters in any one text or key, and, across all unknown fields of one
 * record, `values` values and about `size` characters of JSON.
 */
export const EXTRA_LIMITS = Object.freeze({
  depth: 32,
  stringLength: 65_536,
  values: 10_000,
  size: 262_144,
});

interface Budget {
  values: number;
  size: number;
}

const count = (n: number) => n.toLocaleString('en-US');

function where(path: readonly (string | number)[]): string {
  if (path.length < 2) return '';
  const parts = path
    .slice(0, 6)
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p));
  return ` (at ${parts.join('')}${path.length > 6 ? '…' : ''})`;
}

function notPlain(value: object): string {
  if (value instanceof Y.AbstractType) return 'a Yjs shared type';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return 'binary data';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? `a ${name} object` : 'an object that is not plain';
}

/**
 * What keeps `value` from being kept as plain JSON within {@link EXTRA_LIMITS}, in words
 * ("is nested more than 32 levels deep"), or `undefined` when it fits. Recursion stops at
 * the depth bound, so a hostile value cannot overflow the stack here either.
 */
function unfit(
  value: unknown,
  path: (string | number)[],
  depth: number,
  budget: Budget,
  reading = false,
): string | undefined {
  if (++budget.values > EXTRA_LIMITS.values) {
    return `makes the unknown fields of this record hold more than ${count(EXTRA_LIMITS.values)} values`;
  }
  switch (typeof value) {
    case 'string':
      if (value.length > EXTRA_LIMITS.stringLength) {
        return `holds a text of ${count(value.length)} characters${where(path)}, more than ${count(EXTRA_LIMITS.stringLength)}`;
      }
      budget.size += value.length + 2;
      break;
    case 'number':
      if (!Number.isFinite(value)) {
        return `holds ${String(value)}${where(path)}, a number JSON cannot hold`;
      }
      budget.size += 8;
      break;
    case 'boolean':
      budget.size += 5;
      break;
    case 'bigint':
      return `holds a number too large for JSON${where(path)}`;
    case 'object': {
      if (value === null) {
        budget.size += 4;
        break;
      }
      if (depth >= EXTRA_LIMITS.depth) {
        return `is nested more than ${EXTRA_LIMITS.depth} levels deep${where(path)}`;
      }
      budget.size += 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const problem = unfit(value[i], path, depth + 1, budget, reading);
          path.pop();
          if (problem) return problem;
          budget.size += 1;
        }
        break;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      // Read from a peer, an object may carry a prototype lib0 gave it (a "__proto__" key is
      // decoded as `obj.__proto__ = …`), and only on some devices: read it by its own keys,
      // as every device can, so all devices read the same.
      if (proto !== Object.prototype && proto !== null && (!reading || ArrayBuffer.isView(value))) {
        return `holds ${notPlain(value)}${where(path)}, not plain JSON`;
      }
      for (const key of Object.keys(value)) {
        path.push(key);
        const problem =
          unfitKey(key, path) ??
          unfit((value as Record<string, unknown>)[key], path, depth + 1, budget, reading);
        path.pop();
        if (problem) return problem;
        budget.size += key.length + 4;
      }
      break;
    }
    default:
      return `holds ${value === undefined ? 'an undefined value' : `a ${typeof value}`}${where(path)}, not JSON`;
  }
  if (budget.size > EXTRA_LIMITS.size) {
    return `makes the unknown fields of this record larger than ${count(EXTRA_LIMITS.size / 1024)} KiB`;
  }
  return undefined;
}

function unfitKey(key: string, path: (string | number)[]): string | undefined {
  // A Yjs decoder rebuilds objects with `obj[key] = …`, so this key would become a
  // prototype, not a field: it cannot be stored faithfully.
  if (key === '__proto__')
    return `has a key named "__proto__"${where(path)}, which cannot be stored`;
  if (key.length > EXTRA_LIMITS.stringLength) {
    return `has a key of ${count(key.length)} characters${where(path)}, more than ${count(EXTRA_LIMITS.stringLength)}`;
  }
  return undefined;
}

/** A plain (non-array, non-class) object, the only shape `extra` is stored as. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Check the fields a command or importer is about to keep in `extra`, before anything is
 * written: a plain copy of them (`undefined` when there are none), or a
 * {@link VitrineError} whose sentence names the record (`what`) and the field.
 */
export function checkExtra(extra: unknown, what: string): Record<string, unknown> | undefined {
  if (extra === undefined || extra === null) return undefined;
  if (!isPlainObject(extra))
    throw new VitrineError(
      `${what}: the fields Vitrine has no place for must be given as one plain object.`,
    );
  const kept: [string, unknown][] = [];
  const budget: Budget = { values: 0, size: 0 };
  for (const key of Object.keys(extra)) {
    const value = extra[key];
    if (value === undefined) continue;
    const problem =
      key === 'constructor'
        ? // Y.Map#set picks the content type by `value.constructor`, so an object with
          // its own "constructor" key cannot be stored (Yjs throws "Unexpected content type").
          'cannot be stored among the fields Vitrine has no place for (the name is taken by JavaScript)'
        : (unfitKey(key, [key]) ?? unfit(value, [key], 0, budget));
    if (problem) {
      throw new VitrineError(
        `${what}: the field "${key.length > 80 ? `${key.slice(0, 80)}…` : key}" ${problem}. Vitrine keeps fields it has no place for only as plain JSON (text, numbers, true/false, null, lists and objects), at most ${EXTRA_LIMITS.depth} levels deep and ${count(EXTRA_LIMITS.size / 1024)} KiB a record; remove or simplify that field and try again.`,
      );
    }
    kept.push([key, value]);
  }
  // A plain object (Yjs stores only those); no key here can set a prototype.
  return kept.length ? (Object.fromEntries(kept) as Record<string, unknown>) : undefined;
}

/**
 * The unknown fields of a stored record that can be read back: those that are plain JSON
 * within {@link EXTRA_LIMITS}, in a prototype-free record. Never throws (reads never do);
 * each field left out (a peer may have written anything) is described in `problems`.
 * Left out means not read: the stored value itself is not touched.
 */
export function keepExtra(
  entries: Iterable<readonly [string, unknown]>,
  problems: string[],
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  const budget: Budget = { values: 0, size: 0 };
  for (const [key, value] of entries) {
    const before = { ...budget };
    const problem = unfitKey(key, [key]) ?? unfit(value, [key], 0, budget, true);
    if (problem) {
      problems.push(
        `field "${key.length > 80 ? `${key.slice(0, 80)}…` : key}" was left out: it ${problem}`,
      );
      budget.values = before.values;
      budget.size = before.size;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** One stored record read by a spec: what fits, what is unknown but kept, and what was dropped. */
export interface ParsedFields {
  /** Known fields that fit, as plain values (`Y.Text` as its string). */
  readonly fields: Record<string, unknown>;
  /** Keys the spec does not know that are plain JSON within bounds (see {@link keepExtra}). */
  readonly unknown: Record<string, unknown>;
  /** Problems found, in words; a problem with a required field means "skip this entity". */
  readonly problems: string[];
  readonly fatal: boolean;
}

/** Read an entity map against its spec, never throwing. */
export function readFields(map: Pick<Y.Map<unknown>, 'entries'>, spec: Spec): ParsedFields {
  const fields: Record<string, unknown> = {};
  const unknown: [string, unknown][] = [];
  const problems: string[] = [];
  let fatal = false;
  for (const [key, value] of map.entries()) {
    const field = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (!field) {
      if (key === 'extra' && isPlainObject(value)) unknown.push(...Object.entries(value));
      // A shared type under an unknown key is a newer version's rich field: left in place.
      else if (!(value instanceof Y.AbstractType)) unknown.push([key, value]);
      continue;
    }
    if (!fits(field.kind, value)) {
      const day = field.kind === 'date' ? zonelessDay(value) : undefined;
      if (day !== undefined) {
        // Older versions accepted a date-time without a zone, which engines read as local
        // time or UTC as they please; its day is the part every engine agrees on.
        problems.push(`field "${key}" has a time but no time zone; read as ${day}`);
        fields[key] = day;
        continue;
      }
      problems.push(`field "${key}" ${wrongValue(field.kind, value)}`);
      if (field.required) fatal = true;
      continue;
    }
    if (field.kind === 'links' || field.kind === 'emails') {
      // What older versions stored (a bare `example.com`, a `mailto:` prefix) is read in
      // today's form; what no check would let through (`javascript:`) is dropped.
      const check = CONTACT_CHECKS[field.kind];
      const good: string[] = [];
      const bad: string[] = [];
      for (const v of value as string[]) {
        const ok = check.normalise(v);
        if (ok === undefined) bad.push(JSON.stringify(v.slice(0, 40)));
        else if (!good.includes(ok)) good.push(ok);
      }
      if (bad.length) {
        const what = field.kind === 'links' ? 'not a web link' : 'not an e-mail address';
        problems.push(`field "${key}": ignored ${bad.join(', ')} (${what})`);
      }
      fields[key] = good;
      continue;
    }
    fields[key] = value instanceof Y.Text ? value.toString() : value;
  }
  for (const [key, field] of Object.entries(spec)) {
    if (field.required && !(key in fields) && !problems.some((p) => p.includes(`"${key}"`))) {
      problems.push(`field "${key}" is missing`);
      fatal = true;
    }
  }
  return { fields, unknown: keepExtra(unknown, problems), problems, fatal };
}

/** The day of a zoneless date-time an older version wrote (`2025-12-07T09:30`), if real. */
function zonelessDay(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
  ) {
    return undefined;
  }
  const day = value.slice(0, 10);
  return isIsoDay(day) ? day : undefined;
}

function wrongValue(kind: FieldKind, value: unknown): string {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  switch (kind) {
    case 'date':
    case 'birthday':
      return `is not a real date (${shown})`;
    case 'cadence':
      return `is not a cadence of 1 to ${MAX_CADENCE_DAYS} days (${shown}); ignored`;
    default:
      return 'has the wrong type';
  }
}

/** Drop `undefined`/empty-string values so plain objects stay small and comparable. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '') continue;
    out[k] = v;
  }
  return out as T;
}
