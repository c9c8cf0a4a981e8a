/**
 * Low-level writing helpers shared by the commands and by importers. They only touch
 * fields that actually change, so an edit writes (and syncs) as little as possible and
 * concurrent edits of other fields survive.
 */
import * as Y from 'yjs';
import { VitrineError } from '../errors.ts';
import { isIsoDate } from '../fields.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { resolvePersonId } from '../read.ts';

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

/** A whole number of days > 0, or `undefined`. */
export function optDays(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new VitrineError(`${what} must be a number of days greater than zero.`);
  }
  return Math.round(n);
}

/** An ISO 8601 date or date-time, or `undefined`. */
export function optDate(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isIsoDate(value)) {
    throw new VitrineError(`${what} must be a date like 2025-12-07 (got "${String(value)}").`);
  }
  return value;
}

/** The live person `id`, or a sentence saying there is none. */
export function requirePerson(nb: Notebook, id: unknown, role = 'Person'): string {
  const live = typeof id === 'string' ? resolvePersonId(nb, id) : undefined;
  if (live === undefined) {
    throw new VitrineError(`${role} "${String(id)}" is not in this notebook (or is in the trash).`);
  }
  return live;
}
