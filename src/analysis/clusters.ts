/**
 * Clusters: communities of the people graph, found by Louvain and given ids that stay put
 * across small edits so the graph's colours do not jump.
 */
import { peopleGraph, type PeopleGraph } from './graph.ts';
import { louvain, type CsrGraph } from './louvain.ts';
import type { GraphSnapshot } from './snapshot.ts';
import { compareStrings, fnv1a36, mulberry32 } from './util.ts';

/** A group of people, as {@link clusters} returns it and as it accepts it back. */
export interface ClusterLike {
  readonly id: string;
  readonly members: readonly string[];
}

/** One cluster: an id and its members (person ids, sorted). */
export interface Cluster extends ClusterLike {
  readonly members: string[];
}

/** The result of {@link clusters}; plain data, JSON-serialisable. */
export interface ClusterResult {
  /** Largest first, then by id. */
  readonly clusters: Cluster[];
  /** Newman–Girvan modularity of the partition, weighted by tie strength. */
  readonly modularity: number;
  /** Person id → cluster id, for every clustered person. */
  readonly assignment: Record<string, string>;
  /**
   * People (never the owner) with no tie to anyone but the owner: nothing but you holds
   * them, so they belong to no cluster. Sorted.
   */
  readonly unclustered: string[];
}

/** Options of {@link clusters}. */
export interface ClusterOptions {
  /**
   * The previous result (or the clusters of the previous `analyze`): new clusters take the
   * id of the old cluster they overlap most (Jaccard index), so colours stay put.
   */
  readonly previous?: readonly ClusterLike[];
  /** Smallest Jaccard overlap for a new cluster to inherit an old id; default 0.3. */
  readonly minOverlap?: number;
  /** Seed of Louvain's random node order; the same seed gives the same clusters. */
  readonly seed?: number;
  /** Louvain resolution; 1 (the default) optimises standard modularity. */
  readonly resolution?: number;
  /**
   * Detect communities with the owner in the graph, and give the owner a cluster.
   * Default false; see {@link clusters}.
   */
  readonly includeOwner?: boolean;
}

/** Default Louvain seed: any constant works, this one is what every device uses. */
export const DEFAULT_SEED = 0x5eed;

/**
 * Clusters of the people graph: Louvain community detection (Blondel, Guillaume, Lambiotte
 * & Lefebvre 2008, "Fast unfolding of communities in large networks", J. Stat. Mech.
 * P10008; see louvain.ts), with tie strength as edge weight and a
 * seeded random node order so the same notebook always gives the same clusters.
 *
 * **The owner is left out** of detection by default. In an ego network every person is
 * tied to the owner, so the owner's ties carry no information about who belongs with
 * whom and only blur the groups; this is the usual treatment of ego networks (McAuley &
 * Leskovec 2012, "Learning to discover social circles in ego networks", NIPS). The owner
 * gets no cluster, and people tied to no one but the owner are listed in `unclustered`
 * rather than as a crowd of one-person clusters. An owner id that is not a person in the
 * snapshot (e.g. `''`) is fine: then every person is clustered on their own ties.
 *
 * **Modularity** is Newman–Girvan's, Q = (1/2m) Σ_ij [A_ij − k_i k_j / 2m] δ(c_i, c_j)
 * (Newman & Girvan 2004, Phys. Rev. E 69, 026113; weighted form Newman 2004, Phys. Rev. E
 * 70, 056131), on the same graph Louvain ran on, at resolution 1 whatever resolution Louvain
 * optimised.
 *
 * **Ids**: with `previous`, each new cluster takes the id of the old cluster with the
 * greatest Jaccard overlap |A∩B| / |A∪B| (greedy, best pairs first, at least `minOverlap`).
 * Other clusters get `c-` + a hash of their smallest member id, which does not change as
 * long as that member stays, so even without `previous` a cluster keeps its id when an
 * edit elsewhere leaves it alone; a fresh id never reuses one of `previous`'s ids.
 */
export function clusters(snapshot: GraphSnapshot, opts: ClusterOptions = {}): ClusterResult {
  return clustersOf(peopleGraph(snapshot), opts);
}

/** {@link clusters} on an already built {@link PeopleGraph}. */
export function clustersOf(g: PeopleGraph, opts: ClusterOptions = {}): ClusterResult {
  return detectClusters(g, opts).result;
}

/**
 * {@link clustersOf}, also returning each cluster's members as person indices (aligned
 * with `result.clusters`, ascending) so callers on the same graph skip the id lookups.
 */
export function detectClusters(
  g: PeopleGraph,
  opts: ClusterOptions = {},
): { result: ClusterResult; nodes: number[][] } {
  const skip = opts.includeOwner ? -1 : g.owner;
  const found = louvain(withoutNode(g, skip), {
    resolution: opts.resolution ?? 1,
    rng: mulberry32(opts.seed ?? DEFAULT_SEED),
  });
  const modularity = found.modularity;
  const groups: number[][] = Array.from({ length: found.count }, () => []);
  for (let v = 0; v < g.ids.length; v++) {
    const c = found.community[v]!;
    if (c >= 0) groups[c]!.push(v);
  }

  const nodeLists = groups; // ascending: filled in index order
  const memberLists = nodeLists.map((list) => list.map((v) => g.ids[v]!));
  const ids = assignIds(memberLists, opts.previous, opts.minOverlap ?? 0.3);
  const order = memberLists.map((_list, i) => i);
  order.sort(
    (x, y) => memberLists[y]!.length - memberLists[x]!.length || compareStrings(ids[x]!, ids[y]!),
  );
  const result: Cluster[] = order.map((i) => ({ id: ids[i]!, members: memberLists[i]! }));

  // Prototype-free: ids are user text (a person may be called "__proto__" in a file).
  const assignment = Object.create(null) as Record<string, string>;
  for (const c of result) for (const m of c.members) assignment[m] = c.id;
  // Unclustered: no tie to anyone but the skipped owner.
  const { offsets, adj } = g;
  const unclustered: string[] = [];
  for (let v = 0; v < g.ids.length; v++) {
    if (v === skip) continue;
    let tied = false;
    for (let h = offsets[v]!, end = offsets[v + 1]!; h < end && !tied; h++) tied = adj[h] !== skip;
    if (!tied) unclustered.push(g.ids[v]!);
  }
  return {
    result: { clusters: result, modularity, assignment, unclustered },
    nodes: order.map((i) => nodeLists[i]!),
  };
}

/**
 * Ids for freshly detected clusters (`members` sorted): inherited from `previous` by
 * greatest Jaccard overlap, else `c-` + hash of the smallest member id, de-duplicated with
 * a numeric suffix. Deterministic: every tie in the greedy order is broken by ids.
 */
function assignIds(
  members: readonly (readonly string[])[],
  previous: readonly ClusterLike[] | undefined,
  minOverlap: number,
): string[] {
  const ids: (string | undefined)[] = new Array(members.length).fill(undefined);
  // Old ids mean "that group": a fresh cluster never takes one it did not inherit.
  const used = new Set<string>(previous?.map((c) => c.id));

  if (previous && previous.length > 0) {
    const oldOf = new Map<string, number>();
    const oldSize: number[] = [];
    previous.forEach((c, k) => {
      let size = 0;
      for (const m of c.members) {
        if (oldOf.has(m)) continue;
        oldOf.set(m, k);
        size++;
      }
      oldSize.push(size);
    });
    const candidates: { jaccard: number; fresh: number; old: number }[] = [];
    members.forEach((list, i) => {
      const overlap = new Map<number, number>();
      for (const m of list) {
        const k = oldOf.get(m);
        if (k !== undefined) overlap.set(k, (overlap.get(k) ?? 0) + 1);
      }
      for (const [k, inter] of overlap) {
        const jaccard = inter / (list.length + oldSize[k]! - inter);
        if (jaccard >= minOverlap) candidates.push({ jaccard, fresh: i, old: k });
      }
    });
    candidates.sort(
      (x, y) =>
        y.jaccard - x.jaccard ||
        compareStrings(previous[x.old]!.id, previous[y.old]!.id) ||
        compareStrings(members[x.fresh]![0]!, members[y.fresh]![0]!),
    );
    const taken = new Set<number>();
    const given = new Set<string>();
    for (const { fresh, old } of candidates) {
      const id = previous[old]!.id;
      if (ids[fresh] !== undefined || taken.has(old) || given.has(id)) continue;
      ids[fresh] = id;
      taken.add(old);
      given.add(id);
    }
  }

  // Fresh ids in order of smallest member, so suffixes are deterministic.
  const rest = members
    .map((_list, i) => i)
    .filter((i) => ids[i] === undefined)
    .sort((x, y) => compareStrings(members[x]![0]!, members[y]![0]!));
  for (const i of rest) {
    const base = `c-${fnv1a36(members[i]![0]!)}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    ids[i] = id;
    used.add(id);
  }
  return ids as string[];
}

/** The people graph's adjacency without `skip` (a person index, or -1), for {@link louvain}. */
function withoutNode(g: PeopleGraph, skip: number): CsrGraph {
  if (skip < 0) return { offsets: g.offsets, adj: g.adj, weights: g.adjW };
  const n = g.ids.length;
  const offsets = new Int32Array(n + 1);
  const adj = new Int32Array(g.adj.length);
  const weights = new Float64Array(g.adj.length);
  let out = 0;
  for (let v = 0; v < n; v++) {
    if (v !== skip) {
      for (let h = g.offsets[v]!, end = g.offsets[v + 1]!; h < end; h++) {
        if (g.adj[h] === skip) continue;
        adj[out] = g.adj[h]!;
        weights[out++] = g.adjW[h]!;
      }
    }
    offsets[v + 1] = out;
  }
  return { offsets, adj: adj.subarray(0, out), weights: weights.subarray(0, out) };
}
