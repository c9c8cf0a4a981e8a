/** Tie commands: link two people, update a tie, unlink. Each is one local transaction. */
import * as Y from 'yjs';
import { VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { checkExtra } from '../fields.ts';
import { getTie } from '../read.ts';
import { TIE_FIELDS, type InputOf } from '../records.ts';
import { checkFields, requirePerson, setField } from './write.ts';

/**
 * What a tie form or an importer may set: the fields of `TIE_FIELDS` that are not the
 * model's own (`records.ts`); `strength` is 1 (faint) to 5 (very strong), 3 by default.
 */
export type TieInput = InputOf<typeof TIE_FIELDS> & { extra?: Record<string, unknown> };

/** Check and normalise a tie input into storage keys without writing (`undefined` = delete). */
export function checkTie(input: TieInput): Map<string, unknown> {
  const f = checkFields(TIE_FIELDS, input, 'tie');
  const extra = checkExtra(input.extra, 'This tie');
  if (extra) f.set('extra', extra);
  return f;
}

/** Check a tie input and write it to a tie's map (throws before writing). */
export function writeTie(map: EntityMap, input: TieInput): void {
  for (const [key, value] of checkTie(input)) setField(map, key, value);
}

/** Create a tie between two people (not only between the owner and someone). */
export function linkPeople(nb: Notebook, from: string, to: string, input: TieInput = {}): string {
  const a = requirePerson(nb, from);
  const b = requirePerson(nb, to);
  if (a === b) throw new VitrineError('A tie needs two different people.');
  checkTie(input);
  return nb.write(() => {
    const id = nb.newId();
    const map = new Y.Map<unknown>();
    nb.ties.set(id, map);
    map.set('from', a);
    map.set('to', b);
    map.set('createdAt', nb.stamp());
    writeTie(map, { kind: 'acquaintance', strength: 3, ...input });
    return id;
  });
}

/** Change some of a tie's fields. */
export function updateTie(nb: Notebook, id: string, patch: TieInput): void {
  if (!getTie(nb, id)) throw new VitrineError(`No tie with id "${id}" in this notebook.`);
  const fields = checkTie(patch);
  nb.write(() => {
    const map = nb.entity('ties', id);
    for (const [key, value] of fields) setField(map, key, value);
  });
}

/** Remove a tie (undo brings it back). */
export function unlinkTie(nb: Notebook, id: string): void {
  if (!nb.ties.has(id)) throw new VitrineError(`No tie with id "${id}" in this notebook.`);
  nb.write(() => nb.ties.delete(id));
}
