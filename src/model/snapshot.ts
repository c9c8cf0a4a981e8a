/**
 * The plain graph the analysis reads ({@link GraphSnapshot}), projected from the notebook.
 * Only visible people and ties; derived values (last touched, effective cadence) filled in.
 */
import type {
  GraphSnapshot,
  SnapshotIntro,
  SnapshotPerson,
  SnapshotTie,
} from '../analysis/snapshot.ts';
import type { Intro, Person, Tie } from './schema.ts';
import type { Notebook } from './notebook.ts';
import {
  effectiveCadence,
  lastTouched,
  listIntros,
  listPeople,
  listTies,
  tieLastTouched,
} from './read.ts';
import { compact } from './fields.ts';
import { formatInstant } from '../time/dates.ts';

/** One person as the analysis sees them, with their derived values. */
export function snapshotPerson(
  p: Person,
  lastTouched: string | undefined,
  cadenceDays: number | undefined,
): SnapshotPerson {
  return compact({
    id: p.id,
    name: p.name,
    org: p.org,
    tags: p.tags,
    underGlass: p.underGlass || undefined,
    lastTouched,
    cadenceDays,
  });
}

/** One tie as the analysis sees it, with its derived values. */
export function snapshotTie(
  t: Tie,
  lastTouched: string | undefined,
  cadenceDays: number | undefined,
): SnapshotTie {
  return compact({
    id: t.id,
    from: t.from,
    to: t.to,
    kind: t.kind,
    strength: t.strength,
    since: t.since,
    createdAt: t.createdAt,
    introId: t.introId,
    introducedBy: t.introducedBy,
    provenance: t.provenance,
    lastTouched,
    cadenceDays,
  });
}

/** One introduction as the analysis sees it. */
export function snapshotIntro(i: Intro): SnapshotIntro {
  return compact({
    id: i.id,
    a: i.a,
    b: i.b,
    by: i.by,
    state: i.state,
    outcome: i.outcome,
    createdAt: i.createdAt,
    tieId: i.tieId,
  });
}

/** Project the notebook to the analysis snapshot at `now`. */
export function graphSnapshot(nb: Notebook, now = nb.now()): GraphSnapshot {
  const owner = nb.ownerId ?? '';
  const people = listPeople(nb);
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    owner,
    now: formatInstant(now),
    people: people.map((p) => snapshotPerson(p, lastTouched(nb, p.id), effectiveCadence(nb, p))),
    ties: listTies(nb).map((t) => {
      const other = t.from === owner ? t.to : t.to === owner ? t.from : undefined;
      const otherPerson = other === undefined ? undefined : byId.get(other);
      return snapshotTie(
        t,
        tieLastTouched(nb, t),
        t.cadenceDays ?? (otherPerson ? effectiveCadence(nb, otherPerson) : undefined),
      );
    }),
    intros: listIntros(nb).map(snapshotIntro),
  };
}
