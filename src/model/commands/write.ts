/**
 * Low-level writing helpers shared by the commands and by importers. They only touch
 * fields that actually change, so an edit writes (and syncs) as little as possible and
 * concurrent edits of other fields survive.
 */
import * as Y from 'yjs';
import { birthdayProblem, cadenceProblem, dateProblem } from '../../time/dates.ts';
import { CONTACT_CHECKS } from '../contact.ts';
import { ValidationError, VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { resolvePersonId } from '../read.ts';
import type { FieldDesc, Fields } from '../records.ts';

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    // A stored value JSON cannot hold (a peer's BigInt): not the same, so write ours.
    return false;
  }
}

/** Set `key` to `value`, or delete it for `undefined`, `''` and `[]`. No-op when unchanged. */
export function setField(map: EntityMap, key: string, value: unknown): void {
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) {
    if (map.has(key)) map.delete(key);
    return;
  }
  if (!same(map.get(key), value)) map.set(key, value);
}

/**
 * Replace a `Y.Text`'s content by editing only the span that differs (common prefix and
 * suffix kept), so another device's concurrent edit elsewhere in the text survives.
 *
 * The kept prefix and suffix end on word boundaries: a change inside a word rewrites that
 * word, rather than splicing characters between two devices' letters. Without this,
 * "#c1" edited to "#c3 #c1" is stored as an insert of "3 #c" after "#c", and a concurrent
 * edit or an undo on another device can leave letter salad (found by the convergence fuzz).
 */
export function setText(map: EntityMap, key: string, next: string): void {
  let text = map.get(key);
  if (!(text instanceof Y.Text)) {
    if (!next) {
      if (map.has(key)) map.delete(key);
      return;
    }
    text = new Y.Text();
    map.set(key, text);
  }
  const t = text as Y.Text;
  const prev = t.toString();
  if (prev === next) return;
  const space = (c: string | undefined) => c === undefined || /\s/.test(c);
  let start = 0;
  while (start < prev.length && start < next.length && prev[start] === next[start]) start++;
  while (start > 0 && !space(prev[start - 1])) start--;
  let endPrev = prev.length;
  let endNext = next.length;
  while (endPrev > start && endNext > start && prev[endPrev - 1] === next[endNext - 1]) {
    endPrev--;
    endNext--;
  }
  while (endPrev < prev.length && !space(prev[endPrev - 1]) && !space(prev[endPrev])) {
    endPrev++;
    endNext++;
  }
  if (endPrev > start) t.delete(start, endPrev - start);
  if (endNext > start) t.insert(start, next.slice(start, endNext));
}

/** Trimmed non-empty string or `undefined`; refuses non-strings with a sentence. */
export function optString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new VitrineError(`${what} must be text.`);
  const v = value.trim();
  return v || undefined;
}

/** A list of trimmed, distinct, non-empty strings. */
export function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new VitrineError(`${what} must be a list of text values.`);
  }
  return [...new Set(value.map((v: string) => v.trim()).filter(Boolean))];
}

/**
 * A cadence: a whole number of days from 1 to `MAX_CADENCE_DAYS`, or `undefined`. A huge,
 * infinite or non-numeric one is refused with a {@link ValidationError} on `field`.
 */
export function optDays(value: unknown, what: string, field = 'cadenceDays'): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  const days = typeof n === 'number' ? Math.round(n) : n;
  const problem = cadenceProblem(days, what);
  if (problem) throw new ValidationError(field, problem);
  return days as number;
}

/**
 * A real date (`YYYY-MM-DD`) or date-time with a zone, or `undefined`. An impossible one
 * (30 February, month 13, no zone) is refused with a {@link ValidationError} on `field`.
 */
export function optDate(value: unknown, what: string, field = 'date'): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const problem = dateProblem(value, what);
  if (problem) throw new ValidationError(field, problem);
  return value as string;
}

/** A birthday (`YYYY-MM-DD` or `--MM-DD`), or `undefined`; refuses anything else. */
export function optBirthday(value: unknown): string | undefined {
  const v = optString(value, 'A birthday');
  if (v === undefined) return undefined;
  const problem = birthdayProblem(v);
  if (problem) throw new ValidationError('birthday', problem);
  return v;
}

/**
 * The links (http/https; a bare `example.com` gets `https://`) or e-mail addresses (a
 * `mailto:` prefix dropped) of a person, normalised and distinct; the first value that is
 * not one is refused with a {@link ValidationError} on `field`.
 */
export function contactList(value: unknown, field: 'emails' | 'links'): string[] {
  const check = CONTACT_CHECKS[field];
  const out = stringList(value, field).map((v) => {
    const ok = check.normalise(v);
    if (ok === undefined) throw new ValidationError(field, check.problem(v)!);
    return ok;
  });
  return [...new Set(out)];
}

/** The live person `id`, or a sentence saying there is none. */
export function requirePerson(nb: Notebook, id: unknown, role = 'Person'): string {
  const live = typeof id === 'string' ? resolvePersonId(nb, id) : undefined;
  if (live === undefined) {
    throw new VitrineError(`${role} "${String(id)}" is not in this notebook (or is in the trash).`);
  }
  return live;
}

/**
 * Check one input value as its description says (`records.ts`): the field's own `check`,
 * else its kind's. Returns the value as stored (`undefined` = delete the key) or throws a
 * sentence naming the field.
 */
export function checkValue(key: string, d: FieldDesc, value: unknown): unknown {
  if (d.check) return d.check(value);
  const what = d.what ?? key;
  switch (d.kind) {
    case 'string':
      return optString(value, what);
    case 'strings':
      return stringList(value, what);
    case 'emails':
    case 'links':
      return contactList(value, d.kind);
    case 'birthday':
      return optBirthday(value);
    case 'cadence':
      return optDays(value, what, key);
    case 'date':
      return optDate(value, what, key);
    case 'boolean':
      return value ? true : undefined;
    default:
      throw new VitrineError(`${what} cannot be set here.`);
  }
}

/**
 * Check the fields of `input` that a command may set (those not `system`, not the notes
 * text or vetting, which have their own paths, and not in `skip`), as their descriptions
 * say, into storage keys (`undefined` = delete the key). A field absent from `input` is
 * left out; so is an `undefined` one that is required, defaulted or a flag. A required
 * field given empty is refused (`A person needs a name.`). Throws before anything is
 * written.
 */
export function checkFields(
  fields: Fields,
  input: object,
  entity: string,
  skip: readonly string[] = [],
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const given = input as Record<string, unknown>;
  for (const key in fields) {
    const d = fields[key]!;
    if (d.system || d.kind === 'text' || d.kind === 'vetting' || skip.includes(key)) continue;
    if (!(key in given)) continue;
    const value = given[key];
    if (value === undefined && (d.required || d.default !== undefined || d.kind === 'boolean'))
      continue;
    const checked = checkValue(key, d, value);
    if (d.required && checked === undefined) {
      throw new VitrineError(`A ${entity} needs a ${d.label}.`);
    }
    out.set(key, checked);
  }
  return out;
}
