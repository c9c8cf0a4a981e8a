/**
 * The people graph every metric reads, built once per snapshot: people sorted by id, ties
 * between the same two people merged into one weighted pair, and a compressed adjacency
 * (CSR) in typed arrays so the hand-written passes (Tarjan, Burt, triangles) stay fast at
 * 10,000 people.
 *
 * Sorting by id makes every result independent of the order a device happened to list
 * people and ties in (Yjs map iteration order differs between peers).
 */
import type { GraphSnapshot, SnapshotPerson } from './snapshot.ts';
import { compareStrings } from './util.ts';

/** Compressed, read-only view of a snapshot's people and ties. */
export interface PeopleGraph {
  readonly snapshot: GraphSnapshot;
  /** Person ids in code-unit order; a person's index is their position here. */
  readonly ids: readonly string[];
  readonly people: readonly SnapshotPerson[];
  readonly index: ReadonlyMap<string, number>;
  /** Index of the owner, or -1 when the owner is not a person in the snapshot. */
  readonly owner: number;
  /** Pairs of people with at least one tie, `pairA[k] < pairB[k]`, sorted. */
  readonly pairA: Int32Array;
  readonly pairB: Int32Array;
  /** Weight of a pair: the strongest of its ties. */
  readonly pairW: Float64Array;
  /**
   * Tie ids of all pairs, pair by pair, each pair's sorted: pair k's are
   * `tieIds[tieStart[k]] … tieIds[tieStart[k + 1] - 1]` (see {@link tiesOfPair}).
   */
  readonly tieIds: readonly string[];
  /** Index in `snapshot.ties` of each entry of `tieIds`. */
  readonly tieOf: Int32Array;
  readonly tieStart: Int32Array;
  /** CSR: the neighbours of `v` are `adj[offsets[v]] … adj[offsets[v + 1] - 1]`, ascending. */
  readonly offsets: Int32Array;
  readonly adj: Int32Array;
  /** Pair index of each adjacency entry. */
  readonly adjPair: Int32Array;
  readonly adjW: Float64Array;
}

/**
 * A tie's weight: its strength (1 faint … 5 very strong). Anything that is not a positive
 * number counts as 1 so that one bad value from a peer cannot poison the whole analysis.
 */
export function tieWeight(strength: number): number {
  return Number.isFinite(strength) && strength > 0 ? strength : 1;
}

const cache = new WeakMap<GraphSnapshot, PeopleGraph>();

/** The {@link PeopleGraph} of a snapshot, built on first use and cached per snapshot object. */
export function peopleGraph(snapshot: GraphSnapshot): PeopleGraph {
  let g = cache.get(snapshot);
  if (!g) {
    g = buildPeopleGraph(snapshot);
    cache.set(snapshot, g);
  }
  return g;
}

function buildPeopleGraph(snapshot: GraphSnapshot): PeopleGraph {
  const byId = new Map<string, SnapshotPerson>();
  for (const p of snapshot.people) if (!byId.has(p.id)) byId.set(p.id, p);
  // The default sort compares UTF-16 code units, the same order as compareStrings.
  const ids = [...byId.keys()].sort();
  const people: SnapshotPerson[] = new Array(ids.length);
  const index = new Map<string, number>();
  for (let v = 0; v < ids.length; v++) {
    index.set(ids[v]!, v);
    people[v] = byId.get(ids[v]!)!;
  }
  const n = ids.length;

  // Ends of every usable tie as (smaller, larger) person index.
  const ties = snapshot.ties;
  const lo = new Int32Array(ties.length);
  const hi = new Int32Array(ties.length);
  const kept = new Int32Array(ties.length);
  // Read each tie object once, in snapshot order; the sorted pass below touches only these.
  const weightOf = new Float64Array(ties.length);
  const idOf: string[] = new Array<string>(ties.length);
  let m = 0;
  for (let t = 0; t < ties.length; t++) {
    const tie = ties[t]!;
    const a = index.get(tie.from);
    const b = index.get(tie.to);
    if (a === undefined || b === undefined || a === b) continue;
    lo[m] = a < b ? a : b;
    hi[m] = a < b ? b : a;
    weightOf[t] = tieWeight(tie.strength);
    idOf[t] = tie.id;
    kept[m++] = t;
  }
  // Sort by (lo, hi) with two stable counting sorts, O(ties + people): parallel ties
  // end up next to each other and every run is independent of the snapshot's order.
  const byHi = countingSort(kept, hi, m, n);
  const order = countingSort(byHi.order, byHi.keys(lo), m, n).order;

  const pairA = new Int32Array(m);
  const pairB = new Int32Array(m);
  const pairW = new Float64Array(m);
  const tieIds: string[] = new Array(m);
  const tieOf = new Int32Array(m);
  const tieStart = new Int32Array(m + 1);
  const loOf = new Int32Array(ties.length);
  const hiOf = new Int32Array(ties.length);
  for (let i = 0; i < m; i++) {
    loOf[kept[i]!] = lo[i]!;
    hiOf[kept[i]!] = hi[i]!;
  }
  let p = 0;
  for (let i = 0; i < m; i++) {
    const t = order[i]!;
    const id = idOf[t]!;
    const a = loOf[t]!;
    const b = hiOf[t]!;
    const w = weightOf[t]!;
    if (p > 0 && pairA[p - 1] === a && pairB[p - 1] === b) {
      if (w > pairW[p - 1]!) pairW[p - 1] = w;
      // Parallel ties are rare; insert to keep this pair's ids sorted.
      let j = i;
      while (j > tieStart[p - 1]! && compareStrings(tieIds[j - 1]!, id) > 0) {
        tieIds[j] = tieIds[j - 1]!;
        tieOf[j] = tieOf[j - 1]!;
        j--;
      }
      tieIds[j] = id;
      tieOf[j] = t;
      continue;
    }
    pairA[p] = a;
    pairB[p] = b;
    pairW[p] = w;
    tieStart[p] = i;
    tieIds[i] = id;
    tieOf[i] = t;
    p++;
  }
  tieStart[p] = m;

  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < p; k++) {
    offsets[pairA[k]! + 1]!++;
    offsets[pairB[k]! + 1]!++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, n);
  const adj = new Int32Array(2 * p);
  const adjPair = new Int32Array(2 * p);
  const adjW = new Float64Array(2 * p);
  // Pairs are sorted by (a, b), so every list comes out ascending: for v, first the
  // pairs (x, v) with x < v in x order, then the pairs (v, y) with y > v in y order.
  for (let k = 0; k < p; k++) {
    const a = pairA[k]!;
    const b = pairB[k]!;
    const w = pairW[k]!;
    let h = fill[a]!++;
    adj[h] = b;
    adjPair[h] = k;
    adjW[h] = w;
    h = fill[b]!++;
    adj[h] = a;
    adjPair[h] = k;
    adjW[h] = w;
  }

  return {
    snapshot,
    ids,
    people,
    index,
    owner: index.get(snapshot.owner) ?? -1,
    pairA: pairA.slice(0, p),
    pairB: pairB.slice(0, p),
    pairW: pairW.slice(0, p),
    tieIds,
    tieOf,
    tieStart: tieStart.slice(0, p + 1),
    offsets,
    adj,
    adjPair,
    adjW,
  };
}

/** Tie ids between the two people of pair `k`, sorted. */
export function tiesOfPair(g: PeopleGraph, k: number): string[] {
  return g.tieIds.slice(g.tieStart[k]!, g.tieStart[k + 1]!) as string[];
}

/**
 * Stable counting sort of `items[0..count)` by `key[i]` (the key of `items[i]`), keys in
 * `[0, range)`. Returns the sorted items and a way to carry another key array along.
 */
function countingSort(
  items: Int32Array,
  key: Int32Array,
  count: number,
  range: number,
): { order: Int32Array; keys: (other: Int32Array) => Int32Array } {
  const starts = new Int32Array(range + 1);
  for (let i = 0; i < count; i++) starts[key[i]! + 1]!++;
  for (let k = 0; k < range; k++) starts[k + 1]! += starts[k]!;
  const position = new Int32Array(count);
  for (let i = 0; i < count; i++) position[i] = starts[key[i]!]!++;
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[position[i]!] = items[i]!;
  return {
    order,
    keys: (other) => {
      const moved = new Int32Array(count);
      for (let i = 0; i < count; i++) moved[position[i]!] = other[i]!;
      return moved;
    },
  };
}

/**
 * Weighted degree, plain degree and strongest tie of every person, ignoring `skip` (a person
 * index, or -1) as if they were not in the graph.
 */
export function degrees(
  g: PeopleGraph,
  skip: number,
): { deg: Int32Array; total: Float64Array; max: Float64Array } {
  const n = g.ids.length;
  const deg = new Int32Array(n);
  const total = new Float64Array(n);
  const max = new Float64Array(n);
  const { offsets, adj, adjW } = g;
  for (let v = 0; v < n; v++) {
    if (v === skip) continue;
    for (let h = offsets[v]!, end = offsets[v + 1]!; h < end; h++) {
      if (adj[h] === skip) continue;
      const w = adjW[h]!;
      deg[v]!++;
      total[v]! += w;
      if (w > max[v]!) max[v] = w;
    }
  }
  return { deg, total, max };
}
