/**
 * A seeded generator of realistic notebook snapshots for benchmarks: people in communities
 * of 10–200 (organisations), about five ties per person mostly inside their community, the
 * owner tied to about 30% of people, touches, cadences and a few introductions.
 *
 * Deterministic for a given `(people, seed)`: the bench compares runs, so the graph must not
 * change between them.
 */
import type {
  GraphSnapshot,
  SnapshotIntro,
  SnapshotPerson,
  SnapshotTie,
} from '../../src/analysis/snapshot.ts';
import { mulberry32 as rng } from '../../src/analysis/util.ts';

export interface GenOptions {
  /** Number of people besides the owner. */
  readonly people: number;
  /** Ties per person on average (each tie counted once), default 5. */
  readonly tiesPerPerson?: number;
  /** Share of people tied to the owner, default 0.3. */
  readonly ownerShare?: number;
  /** Share of a person's ties that leave their community, default 0.1. */
  readonly crossShare?: number;
  readonly seed?: number;
}

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

const iso = (ms: number) => new Date(ms).toISOString();

/** Generate a clustered snapshot; person ids are random-looking so sorting shuffles them. */
export function generateSnapshot(opts: GenOptions): GraphSnapshot {
  const n = opts.people;
  const perPerson = opts.tiesPerPerson ?? 5;
  const ownerShare = opts.ownerShare ?? 0.3;
  const crossShare = opts.crossShare ?? 0.1;
  const rand = rng(opts.seed ?? 1);
  const int = (k: number) => Math.floor(rand() * k);

  const ids: string[] = [];
  const community: number[] = [];
  const communities: number[][] = [];
  while (ids.length < n) {
    const size = Math.min(n - ids.length, 10 + int(190));
    const c = communities.length;
    const members: number[] = [];
    for (let i = 0; i < size; i++) {
      members.push(ids.length);
      community.push(c);
      ids.push(`p${(ids.length * 2654435761) % 4294967291}`.padEnd(10, 'x') + ids.length);
    }
    communities.push(members);
  }

  const owner = 'owner';
  const people: SnapshotPerson[] = [{ id: owner, name: 'You', tags: [] }];
  for (let i = 0; i < n; i++) {
    const touched = rand() < 0.6 ? iso(NOW - int(400) * DAY) : undefined;
    people.push({
      id: ids[i]!,
      name: `Person ${i}`,
      org: rand() < 0.7 ? `Org ${community[i]}` : undefined,
      tags: rand() < 0.5 ? [`tag${community[i]! % 40}`] : [],
      lastTouched: touched,
      cadenceDays: rand() < 0.5 ? [14, 30, 90, 180][int(4)] : undefined,
    });
  }

  const ties: SnapshotTie[] = [];
  const seen = new Set<string>();
  const addTie = (a: number, b: number, extra: Partial<SnapshotTie> = {}) => {
    if (a === b) return;
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (seen.has(key)) return;
    seen.add(key);
    const created = NOW - int(1000) * DAY;
    ties.push({
      id: `t${ties.length}`,
      from: a < 0 ? owner : ids[a]!,
      to: ids[b]!,
      kind: 'colleague',
      strength: 1 + int(5),
      createdAt: iso(created),
      ...extra,
    });
  };

  const total = Math.round(n * perPerson);
  for (let k = 0; k < total; k++) {
    const a = int(n);
    const members = communities[community[a]!]!;
    const b = rand() < crossShare || members.length < 2 ? int(n) : members[int(members.length)]!;
    addTie(a, b);
  }
  const intros: SnapshotIntro[] = [];
  for (let i = 0; i < n; i++) {
    if (rand() >= ownerShare) continue;
    const touched = rand() < 0.7 ? iso(NOW - int(300) * DAY) : undefined;
    addTie(-1, i, { lastTouched: touched, cadenceDays: [30, 60, 90][int(3)] });
  }
  // A few introductions by the owner, each with the tie it made.
  for (let k = 0; k < Math.ceil(n / 50); k++) {
    const a = int(n);
    const b = int(n);
    const id = `i${k}`;
    const created = NOW - int(500) * DAY;
    const before = ties.length;
    addTie(a, b, { introId: id, introducedBy: owner, createdAt: iso(created) });
    if (ties.length === before) continue;
    intros.push({
      id,
      a: ids[a]!,
      b: ids[b]!,
      by: owner,
      state: 'introduced',
      createdAt: iso(created - 7 * DAY),
      tieId: ties[ties.length - 1]!.id,
    });
  }
  return { owner, now: iso(NOW), people, ties, intros };
}
