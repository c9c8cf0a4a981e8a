/**
 * Person commands: add, update, notes, vetting, under glass, soft delete, restore, purge,
 * plus the notebook-level owner and tag cadence. Each is one local transaction.
 */
import * as Y from 'yjs';
import { VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { getPerson, rawGet, repointImportedTouches, TAG_CADENCE_PREFIX } from '../read.ts';
import { checkExtra, isPlainObject } from '../fields.ts';
import { VETTING_PARTS, VETTING_STATUSES, type VettingEntry, type VettingPart } from '../schema.ts';
import { PERSON_FIELDS, type InputOf } from '../records.ts';
import { checkFields, optDays, optString, requirePerson, setField, setText } from './write.ts';
import { linkPeople } from './ties.ts';

/**
 * What a person form or an importer may set: every field of `PERSON_FIELDS` that is not
 * the model's own (`records.ts`), each optional; vetting by part; `extra` for the fields
 * the model has no place for, kept as they came (from a file or a newer peer).
 */
export type PersonInput = InputOf<typeof PERSON_FIELDS> & {
  vetting?: Partial<Record<VettingPart, VettingEntry>>;
  extra?: Record<string, unknown>;
};

function checkVetting(part: string, entry: VettingEntry): VettingEntry {
  if (!(VETTING_PARTS as readonly string[]).includes(part)) {
    throw new VitrineError(
      `"${part}" is not a vetting part; use one of ${VETTING_PARTS.join(', ')}.`,
    );
  }
  if (!entry || !(VETTING_STATUSES as readonly string[]).includes(entry.status)) {
    throw new VitrineError(`Vetting status must be one of ${VETTING_STATUSES.join(', ')}.`);
  }
  const out: { status: VettingEntry['status']; vouchedBy?: string; note?: string } = {
    status: entry.status,
  };
  const vouchedBy = optString(entry.vouchedBy, 'Who vouched');
  const note = optString(entry.note, 'A vetting note');
  if (vouchedBy && entry.status === 'heard') out.vouchedBy = vouchedBy;
  if (note) out.note = note;
  return out;
}

/** A person input checked and normalised into storage keys (`undefined` = delete the key). */
export interface PersonPatch {
  readonly fields: ReadonlyMap<string, unknown>;
  readonly notes?: string;
  readonly extra?: Record<string, unknown>;
}

/**
 * Check and normalise a person input without writing anything, so a bad field is refused
 * before a transaction starts (a throw inside one would leave half a person behind).
 */
export function checkPerson(input: PersonInput): PersonPatch {
  const fields = checkFields(PERSON_FIELDS, input, 'person');
  if (input.notes !== undefined && typeof input.notes !== 'string') {
    throw new VitrineError('Notes must be text.');
  }
  for (const [part, entry] of Object.entries(input.vetting ?? {})) {
    const checked = checkVetting(part, entry);
    fields.set(`v:${part}`, checked.status === 'unknown' && !checked.note ? undefined : checked);
  }
  const extra = checkExtra(input.extra, 'This person');
  return { fields, notes: input.notes as string | undefined, extra };
}

/** Write a checked patch to a person's map. Never throws. */
export function applyPerson(map: EntityMap, patch: PersonPatch): void {
  for (const [key, value] of patch.fields) setField(map, key, value);
  if (patch.notes !== undefined) setText(map, 'notes', patch.notes);
  if (patch.extra) {
    const prev = map.get('extra');
    // Only a plain object is merged into: a peer may have stored anything here (a Yjs type
    // spread would copy its internals, `doc` included).
    const base = isPlainObject(prev) ? prev : {};
    const merged: Record<string, unknown> = { ...base, ...patch.extra };
    // Only crafted bytes could store this key (Yjs refuses to set such an object).
    if (Object.hasOwn(merged, 'constructor')) Reflect.deleteProperty(merged, 'constructor');
    setField(map, 'extra', merged);
  }
}

/** Check a person input and write it to a person's map (throws before writing). */
export function writePerson(map: EntityMap, input: PersonInput): void {
  applyPerson(map, checkPerson(input));
}

/** Options of {@link addPerson}. */
export interface AddPersonOptions {
  /**
   * Tie the new person to the owner, with their "how we met" as the tie's note, so someone
   * added by hand is part of the owner's network (and of Needs attention) like an imported
   * contact. The person form passes `true` (its default, issue 14). Off here so callers
   * that build a network themselves (the sample, tests, `initNotebook`) add no tie they did
   * not ask for; importers create their own owner ties (`io/plan.ts`, `applyActivity`) and
   * do not go through here, so an import never doubles one.
   */
  readonly tieToOwner?: boolean;
}

/**
 * Add a person, in one transaction with their tie to the owner (see
 * {@link AddPersonOptions.tieToOwner}); returns the new id.
 */
export function addPerson(
  nb: Notebook,
  input: PersonInput & { name: string },
  options: AddPersonOptions = {},
): string {
  if (typeof input.name !== 'string' || !input.name.trim()) {
    throw new VitrineError('A person needs a name.');
  }
  const patch = checkPerson(input);
  const owner = options.tieToOwner ? nb.ownerId : undefined;
  const tieOwner = owner && getPerson(nb, owner) ? owner : undefined;
  const howWeMet = patch.fields.get('howWeMet') as string | undefined;
  return nb.write(() => {
    const id = createPerson(nb, patch, nb.stamp());
    if (tieOwner) linkPeople(nb, tieOwner, id, howWeMet ? { note: howWeMet } : {});
    return id;
  });
}

/**
 * Create a person's map from a checked patch, inside a running transaction; returns the id
 * (drawn from `newId`, the notebook's generator unless an import brings a faster one).
 * The notes text exists from the start, so two devices never both create it.
 */
export function createPerson(
  nb: Notebook,
  patch: PersonPatch,
  stamp: string,
  newId: () => string = nb.newId,
): string {
  const id = newId();
  const map = new Y.Map<unknown>();
  nb.people.set(id, map);
  map.set('createdAt', stamp);
  map.set('notes', new Y.Text());
  applyPerson(map, patch);
  return id;
}

/** Change some of a person's fields; fields not in `patch` are left alone. */
export function updatePerson(nb: Notebook, id: string, patch: PersonInput): void {
  requirePerson(nb, id);
  const checked = checkPerson(patch);
  nb.write(() => applyPerson(nb.entity('people', id), checked));
}

/** Replace a person's notes, editing only the part that changed. */
export function setNotes(nb: Notebook, id: string, notes: string): void {
  updatePerson(nb, id, { notes });
}

/** Set one part of a person's vetting record. */
export function setVetting(nb: Notebook, id: string, part: VettingPart, entry: VettingEntry): void {
  if (entry.vouchedBy) requirePerson(nb, entry.vouchedBy, 'The person who vouched');
  updatePerson(nb, id, { vetting: { [part]: entry } });
}

/** Mark a person as under glass (protected) or not. */
export function setUnderGlass(nb: Notebook, id: string, underGlass: boolean): void {
  updatePerson(nb, id, { underGlass });
}

/** Move a person to the trash. Their ties and touches are hidden, not removed. */
export function deletePerson(nb: Notebook, id: string): void {
  const live = requirePerson(nb, id);
  if (live === nb.ownerId) throw new VitrineError('You cannot move yourself to the trash.');
  nb.write(() => nb.entity('people', live).set('deletedAt', nb.stamp()));
}

/** Bring a person back from the trash, with their ties and touches. */
export function restorePerson(nb: Notebook, id: string): void {
  const p = rawGet(nb, 'people', id);
  if (!p) throw new VitrineError(`No person with id "${id}" in this notebook.`);
  if (!p.deletedAt) return;
  nb.write(() => {
    const map = nb.entity('people', id);
    map.delete('deletedAt');
    map.delete('mergedInto');
  });
}

/**
 * Remove a person for good (from the trash): their entity, their ties and introductions,
 * and their id from touches (a touch left with nobody is removed).
 */
export function purgePerson(nb: Notebook, id: string): void {
  const p = rawGet(nb, 'people', id);
  if (!p) throw new VitrineError(`No person with id "${id}" in this notebook.`);
  if (!p.deletedAt) {
    throw new VitrineError(`${p.name} is not in the trash; move them to the trash first.`);
  }
  nb.write(() => {
    nb.people.delete(id);
    for (const [tid, tie] of nb.ties.entries()) {
      if (tie instanceof Y.Map && (tie.get('from') === id || tie.get('to') === id)) {
        nb.ties.delete(tid);
      }
    }
    for (const [iid, intro] of nb.intros.entries()) {
      if (intro instanceof Y.Map && (intro.get('a') === id || intro.get('b') === id)) {
        nb.intros.delete(iid);
      }
    }
    for (const [tid, touch] of nb.touches.entries()) {
      if (!(touch instanceof Y.Map)) continue;
      const ids = touch.get('personIds');
      if (!Array.isArray(ids) || !ids.includes(id)) continue;
      const rest = ids.filter((x) => x !== id);
      if (rest.length) touch.set('personIds', rest);
      else nb.touches.delete(tid);
    }
    repointImportedTouches(nb, id, (ids) => ids.filter((x) => x !== id));
  });
}

/** Empty the trash: purge everyone in it. */
export function emptyTrash(nb: Notebook): number {
  const ids: string[] = [];
  for (const [id, map] of nb.people.entries()) {
    if (map instanceof Y.Map && map.get('deletedAt') && !map.get('mergedInto')) ids.push(id);
  }
  nb.write(() => ids.forEach((id) => purgePerson(nb, id)));
  return ids.length;
}

/** Set who the owner ("me") is. */
export function setOwner(nb: Notebook, personId: string): void {
  const id = requirePerson(nb, personId, 'The owner');
  nb.write(() => nb.meta.set('owner', id));
}

/**
 * Start a fresh notebook: the schema version and the owner's own person ("me").
 * Does nothing if the notebook already has an owner. Returns the owner's id.
 */
export function initNotebook(nb: Notebook, ownerName = 'Me'): string {
  nb.migrate();
  const existing = nb.ownerId;
  if (existing && rawGet(nb, 'people', existing)) return existing;
  return nb.write(() => {
    const id = addPerson(nb, { name: ownerName });
    nb.meta.set('owner', id);
    return id;
  });
}

/** Keep-in-touch cadence for everyone with a tag; `undefined` clears it. */
export function setTagCadence(nb: Notebook, tag: string, days: number | undefined): void {
  const t = optString(tag, 'Tag');
  if (!t) throw new VitrineError('A tag cadence needs a tag.');
  const d = optDays(days, 'Cadence');
  // One flat meta key per tag: a nested map created lazily on two devices at once would
  // make one device's map replace the other's.
  nb.write(() => setField(nb.meta, `${TAG_CADENCE_PREFIX}${t}`, d));
}
