/** Touch commands: log, edit, remove. "Last touched" is derived from these, never typed. */
import * as Y from 'yjs';
import { ValidationError, VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { checkExtra } from '../fields.ts';
import { TOUCH_FIELDS, type InputOf } from '../records.ts';
import { isLogTouch, rawGet } from '../read.ts';
import { setLogField } from '../touch-log.ts';
import { checkFields, requirePerson, setField } from './write.ts';

/**
 * What a touch form or an importer may set: the fields of `TOUCH_FIELDS` that are not the
 * model's own (`records.ts`); `at` (ISO date or date-time) defaults to now.
 */
export type TouchInput = InputOf<typeof TOUCH_FIELDS> & { extra?: Record<string, unknown> };

/** Check and normalise a touch input into storage keys without writing. */
function checkTouch(nb: Notebook, input: TouchInput): Map<string, unknown> {
  const f = new Map<string, unknown>();
  if (input.personIds !== undefined) {
    const ids = [...new Set(input.personIds.map((id) => requirePerson(nb, id)))];
    if (!ids.length) throw new VitrineError('A touch needs at least one person.');
    f.set('personIds', ids);
  }
  for (const [key, value] of checkFields(TOUCH_FIELDS, input, 'touch', ['personIds']))
    f.set(key, value);
  const extra = checkExtra(input.extra, 'This touch');
  if (extra) f.set('extra', extra);
  return f;
}

function writeFields(map: EntityMap, fields: Map<string, unknown>): void {
  for (const [key, value] of fields) setField(map, key, value);
}

/**
 * Where a touch's fields are written: its map (entered by hand, or imported by an older
 * version), or the edits of an imported touch in the light log (`touch-log.ts`). Throws
 * the usual sentence when there is no such touch.
 */
function touchTarget(nb: Notebook, id: string): EntityMap | string {
  if (isLogTouch(nb, id)) return id;
  return nb.entity('touches', id);
}

/** Write checked fields to either kind of touch (inside a transaction). */
function writeTouch(nb: Notebook, target: EntityMap | string, fields: Map<string, unknown>): void {
  if (typeof target !== 'string') return writeFields(target, fields);
  const now = rawGet(nb, 'touches', target) as Record<string, unknown> | undefined;
  for (const [key, value] of fields) {
    const have = now?.[key];
    const same =
      value === have ||
      ((value === undefined || value === '') && have === undefined) ||
      (typeof value === 'object' && JSON.stringify(value) === JSON.stringify(have));
    if (!same) setLogField(nb, target, key, value);
  }
}

/** The `removedAt` of either kind of touch, if it was removed. */
function removedAt(nb: Notebook, target: EntityMap | string): unknown {
  return typeof target === 'string'
    ? rawGet(nb, 'touches', target)?.removedAt
    : target.get('removedAt');
}

/** Log a touch with one or more people; returns its id. Resets their cadence. */
export function logTouch(
  nb: Notebook,
  input: TouchInput & { personIds: readonly string[] },
): string {
  if (!input.personIds?.length) throw new VitrineError('A touch needs at least one person.');
  const stamp = nb.stamp();
  const fields = checkTouch(nb, { channel: 'other', at: stamp, ...input });
  return nb.write(() => {
    const id = nb.newId();
    const map = new Y.Map<unknown>();
    nb.touches.set(id, map);
    map.set('createdAt', stamp);
    writeFields(map, fields);
    return id;
  });
}

/** Change a touch's date, people, channel or note. */
export function editTouch(nb: Notebook, id: string, patch: TouchInput): void {
  const target = touchTarget(nb, id);
  const fields = checkTouch(nb, patch);
  nb.write(() => writeTouch(nb, target, fields));
}

/**
 * Edit a touch from the timeline's form: its date, channel, note and everyone who was there.
 * Stricter than {@link editTouch}: the date cannot be cleared (an empty or impossible date
 * is refused with the strict date rules of `time/dates.ts`), the people cannot be emptied,
 * and a removed touch cannot be edited. Checks everything first, then writes in one
 * transaction with `LOCAL_ORIGIN` (one undo step); nothing is written when a value is refused.
 */
export function updateTouch(nb: Notebook, id: string, patch: TouchInput): void {
  const target = touchTarget(nb, id);
  if (typeof removedAt(nb, target) === 'string') {
    throw new VitrineError('This touch was removed; undo the removal to edit it.');
  }
  if ('at' in patch && (patch.at === undefined || patch.at.trim() === '')) {
    throw new ValidationError('at', 'A touch needs a date (YYYY-MM-DD).');
  }
  if (patch.personIds !== undefined && !patch.personIds.length) {
    throw new VitrineError('A touch needs at least one person.');
  }
  const fields = checkTouch(nb, patch);
  nb.write(() => writeTouch(nb, target, fields));
}

/**
 * Remove a touch (undo brings it back). An imported touch (one with a source key) is kept
 * as a tombstone marked `removedAt`, so importing the same file again does not bring it back.
 */
export function removeTouch(nb: Notebook, id: string): void {
  const target = touchTarget(nb, id);
  if (typeof target === 'string') {
    // Imported into the light log: always a tombstone (its source key stays seen).
    nb.write(() => setLogField(nb, target, 'removedAt', nb.stamp()));
    return;
  }
  const map = target;
  if (typeof map.get('source') === 'string') nb.write(() => map.set('removedAt', nb.stamp()));
  else nb.write(() => nb.touches.delete(id));
}
