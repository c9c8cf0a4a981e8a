/**
 * Merge two records of the same person (duplicates) into one, losing nothing:
 *
 * before: keep {name, emails:[a]}, drop {emails:[b], notes:"met at X"}, ties and touches on both
 * after:  keep {emails:[a,b], notes:"…\n\nmet at X"}, every tie/touch/intro now on keep,
 *         drop in the trash with `mergedInto: keep` (so a peer's concurrent edit that still
 *         names drop resolves to keep when read)
 */
import * as Y from 'yjs';
import { VitrineError } from '../errors.ts';
import type { EntityMap, Notebook } from '../notebook.ts';
import { getPerson, listTies, repointImportedTouches } from '../read.ts';
import { VETTING_PARTS, type Person, type VettingEntry } from '../schema.ts';
import { keepExtra } from '../fields.ts';
import { PERSON_FIELDS, fieldsOf } from '../records.ts';
import { applyPerson, checkPerson, type PersonInput } from './people.ts';
import { requirePerson, setField } from './write.ts';

const RANK = { unknown: 0, heard: 1, 'first-hand': 2 } as const;

function betterVetting(a: VettingEntry, b: VettingEntry): VettingEntry {
  const best = RANK[b.status] > RANK[a.status] ? b : a;
  const notes = [a.note, b.note].filter((n, i, all): n is string => !!n && all.indexOf(n) === i);
  return { ...best, ...(notes.length ? { note: notes.join(' / ') } : {}) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * What merging `drop` into `keep` sets on `keep`: each person field as its description's
 * merge rule says (`records.ts`: lists united, empty fields filled, flags kept, notes
 * appended, the better-known vetting), then as many of drop's unknown fields as fit.
 */
function mergedFields(keep: Person, drop: Person): PersonInput {
  const patch: Record<string, unknown> = {};
  for (const [key, d] of fieldsOf(PERSON_FIELDS)) {
    const mine = keep[key];
    const theirs = drop[key];
    switch (d.merge) {
      case 'union':
        patch[key] = union(mine as readonly string[], theirs as readonly string[]);
        break;
      case 'fill':
        if (!mine && theirs) patch[key] = theirs;
        break;
      case 'either':
        patch[key] = Boolean(mine) || Boolean(theirs);
        break;
      case 'append':
        patch[key] =
          theirs && !(mine as string).includes(theirs as string)
            ? mine
              ? `${mine as string}\n\n${theirs as string}`
              : theirs
            : mine;
        break;
      case 'best':
        patch[key] = Object.fromEntries(
          VETTING_PARTS.map((p) => [p, betterVetting(keep.vetting[p], drop.vetting[p])]),
        );
        break;
    }
  }
  if (drop.extra) {
    // Each side is within the bounds on unknown fields; together they may not be. Keep's
    // fields come first, then as many of drop's as fit (drop keeps all of its own in the
    // trash).
    const keepKeys = new Set(Object.keys(keep.extra ?? {}));
    patch.extra = keepExtra(
      [
        ...Object.entries(keep.extra ?? {}),
        ...Object.entries(drop.extra).filter(([k]) => !keepKeys.has(k)),
      ],
      [],
    );
  }
  return patch as PersonInput;
}

function repoint(map: EntityMap, key: string, from: string, to: string): void {
  if (map.get(key) === from) map.set(key, to);
}

/**
 * Merge `dropId` into `keepId`: fields combined, ties, touches and introductions moved,
 * a tie between the two removed, a duplicate tie to the same third person folded into
 * the stronger one. `dropId` goes to the trash marked as merged.
 */
export function mergePeople(nb: Notebook, keepId: string, dropId: string): void {
  const keepLive = requirePerson(nb, keepId, 'The person to keep');
  const dropLive = requirePerson(nb, dropId, 'The duplicate');
  if (keepLive === dropLive) throw new VitrineError('Pick two different people to merge.');
  const keep = getPerson(nb, keepLive)!;
  const drop = getPerson(nb, dropLive)!;
  const ties = listTies(nb);
  // Checked before the transaction: a throw inside one would leave half a merge behind.
  const patch = checkPerson(mergedFields(keep, drop));
  nb.write(() => {
    applyPerson(nb.entity('people', keep.id), patch);
    // Ties: the tie between the two disappears; a tie both had to the same person folds.
    const keepTieTo = new Map<string, EntityMap>();
    for (const t of ties) {
      if ((t.from === keep.id) !== (t.to === keep.id)) {
        keepTieTo.set(t.from === keep.id ? t.to : t.from, nb.entity('ties', t.id));
      }
    }
    for (const t of ties) {
      const touchesDrop = t.from === drop.id || t.to === drop.id;
      if (!touchesDrop) continue;
      const other = t.from === drop.id ? t.to : t.from;
      if (other === keep.id) {
        nb.ties.delete(t.id);
        continue;
      }
      const map = nb.entity('ties', t.id);
      const existing = keepTieTo.get(other);
      if (existing) {
        const s = Math.max(Number(existing.get('strength') ?? 3), t.strength);
        setField(existing, 'strength', s);
        const since = [existing.get('since') as string | undefined, t.since]
          .filter(Boolean)
          .sort()[0];
        setField(existing, 'since', since);
        if (!existing.get('introId') && t.introId) existing.set('introId', t.introId);
        nb.ties.delete(t.id);
        continue;
      }
      repoint(map, 'from', drop.id, keep.id);
      repoint(map, 'to', drop.id, keep.id);
    }
    for (const map of nb.touches.values()) {
      if (!(map instanceof Y.Map)) continue;
      const ids = map.get('personIds');
      if (!Array.isArray(ids) || !ids.includes(drop.id)) continue;
      map.set('personIds', [...new Set(ids.map((id) => (id === drop.id ? keep.id : id)))]);
    }
    repointImportedTouches(nb, drop.id, (ids) => [
      ...new Set(ids.map((id) => (id === drop.id ? keep.id : id))),
    ]);
    for (const map of nb.intros.values()) {
      if (!(map instanceof Y.Map)) continue;
      for (const key of ['a', 'b', 'by', 'declinedBy']) repoint(map, key, drop.id, keep.id);
    }
    for (const map of nb.people.values()) {
      if (!(map instanceof Y.Map)) continue;
      for (const part of VETTING_PARTS) {
        const v = map.get(`v:${part}`) as { vouchedBy?: string } | undefined;
        if (v && v.vouchedBy === drop.id) map.set(`v:${part}`, { ...v, vouchedBy: keep.id });
      }
    }
    if (nb.ownerId === drop.id) nb.meta.set('owner', keep.id);
    const dropMap = nb.entity('people', drop.id);
    dropMap.set('deletedAt', nb.stamp());
    dropMap.set('mergedInto', keep.id);
  });
}
