/**
 * Self-sustaining score: how well a cluster holds together with the owner removed.
 */
import type { ClusterLike } from './clusters.ts';
import { peopleGraph, type PeopleGraph } from './graph.ts';
import { Lowpoint } from './lowpoint.ts';
import type { GraphSnapshot } from './snapshot.ts';
import { nameList, people, round } from './util.ts';

/** How one cluster holds together without the owner; plain data. */
export interface SelfSustaining {
  readonly id: string;
  /** Members found in the snapshot, the owner not counted. */
  readonly size: number;
  /** Members in the largest group that still know each other (a connected component). */
  readonly largestComponent: number;
  /** `largestComponent / size`. */
  readonly share: number;
  /** Internal ties over possible ones, n(n−1)/2 (parallel ties count once). */
  readonly density: number;
  /** Average acquaintances inside the cluster per member, capped at 4 and scaled to 0..1. */
  readonly cohesion: number;
  /**
   * 1 − (most people one member's loss would cut off from the largest group) / (its size −
   * 1): 1 when losing anyone leaves the rest together, 0 when one loss scatters everyone.
   */
  readonly robustness: number;
  /** True when no single member's loss would split the largest group. */
  readonly survivesAnyLoss: boolean;
  /** Members whose loss would split the largest group (articulation points), worst first. */
  readonly holders: string[];
  /** Members with no tie to anyone else in the cluster: only you hold them here. */
  readonly heldOnlyByOwner: string[];
  /** 0..1, see {@link selfSustaining}. */
  readonly score: number;
  /** One sentence, e.g. "Without you, 7 of 9 still know each other; Ana holds them together." */
  readonly explanation: string;
}

/**
 * Self-sustaining score of each cluster, computed on the cluster's own ties with the owner
 * removed (the owner is dropped from `members` if present). For a cluster of n members
 * whose largest connected component has L members:
 *
 * - share = L / n, taken as 0 when L < 2 (nobody who still knows somebody);
 * - robustness = 1 − max_v stranded(v) / (L − 1), where stranded(v) is how many people the
 *   loss of v cuts off from the largest remaining part — non-zero exactly for articulation
 *   points (Tarjan 1972; Hopcroft & Tarjan 1973, Comm. ACM 16(6)); it is the
 *   one-member-loss case of structural cohesion (Moody & White 2003, "Structural cohesion
 *   and embeddedness", Am. Sociol. Rev. 68(1));
 * - cohesion = min(1, mean internal degree / min(n − 1, 4)): equal to density for clusters
 *   of up to five, and saturating at four acquaintances each for larger ones, whose
 *   density is low at any healthy size;
 * - score = share × (0.4 + 0.3 × robustness + 0.3 × cohesion).
 *
 * So a clique scores 1, a group held together only by the owner scores 0, and a group
 * held together by one member (a star) scores about 0.6. Clusters are expected to be
 * disjoint; members who are not in the snapshot are ignored. O(members + their ties).
 */
export function selfSustaining(
  snapshot: GraphSnapshot,
  clusters: readonly ClusterLike[],
): SelfSustaining[] {
  return selfSustainingOf(peopleGraph(snapshot), clusters);
}

/** {@link selfSustaining} on an already built {@link PeopleGraph}. */
export function selfSustainingOf(
  g: PeopleGraph,
  clusters: readonly ClusterLike[],
): SelfSustaining[] {
  const seen = new Int32Array(g.ids.length).fill(-1);
  const nodes = clusters.map((cluster, stamp) => {
    const list: number[] = [];
    for (const id of cluster.members) {
      const v = g.index.get(id);
      if (v === undefined || v === g.owner || seen[v] === stamp) continue;
      seen[v] = stamp;
      list.push(v);
    }
    return list.sort((a, b) => a - b);
  });
  return selfSustainingOfNodes(
    g,
    clusters.map((c) => c.id),
    nodes,
  );
}

/**
 * {@link selfSustaining} for clusters given as person indices (ascending, no duplicates,
 * owner already left out), aligned with `ids`.
 */
export function selfSustainingOfNodes(
  g: PeopleGraph,
  ids: readonly string[],
  clusters: readonly (readonly number[])[],
): SelfSustaining[] {
  const mark = new Int32Array(g.ids.length).fill(-1);
  const lowpoint = new Lowpoint(g);
  const { offsets, adj } = g;
  const nameOf = (v: number) => g.people[v]!.name || g.ids[v]!;

  return clusters.map((nodes, stamp) => {
    for (const v of nodes) mark[v] = stamp;
    const size = nodes.length;

    let internal = 0;
    const alone: number[] = [];
    for (const v of nodes) {
      let own = 0;
      for (let h = offsets[v]!, end = offsets[v + 1]!; h < end; h++) {
        if (mark[adj[h]!] !== stamp) continue;
        own++;
        if (adj[h]! > v) internal++;
      }
      if (own === 0) alone.push(v);
    }

    const run = lowpoint.run(nodes, mark, stamp);
    let largest = -1;
    run.componentSizes.forEach((s, c) => {
      if (largest === -1 || s > run.componentSizes[largest]!) largest = c;
    });
    const L = largest === -1 ? 0 : run.componentSizes[largest]!;
    const holders: { v: number; stranded: number }[] = [];
    for (let i = 0; i < run.order.length; i++) {
      if (run.componentOf[i] === largest && run.stranded[i]! > 0) {
        holders.push({ v: run.order[i]!, stranded: run.stranded[i]! });
      }
    }
    holders.sort((x, y) => y.stranded - x.stranded || x.v - y.v);

    const share = size === 0 ? 0 : L / size;
    const density = size < 2 ? 0 : internal / ((size * (size - 1)) / 2);
    const cohesion = size < 2 ? 0 : Math.min(1, (2 * internal) / size / Math.min(size - 1, 4));
    const robustness = L < 2 ? 0 : 1 - (holders[0]?.stranded ?? 0) / (L - 1);
    const score = (L < 2 ? 0 : share) * (0.4 + 0.3 * robustness + 0.3 * cohesion);

    return {
      id: ids[stamp]!,
      size,
      largestComponent: L,
      share: round(share, 3),
      density: round(density, 3),
      cohesion: round(cohesion, 3),
      robustness: round(robustness, 3),
      survivesAnyLoss: L >= 2 && holders.length === 0,
      holders: holders.map((h) => g.ids[h.v]!),
      heldOnlyByOwner: alone.map((v) => g.ids[v]!),
      score: round(score, 3),
      explanation: explain(
        size,
        L,
        holders.slice(0, 2).map((h) => nameOf(h.v)),
        holders.length,
        alone.length,
        size === 1 ? nameOf(nodes[0]!) : '',
      ),
    };
  });
}

function explain(
  size: number,
  largest: number,
  holderNames: readonly string[],
  holderCount: number,
  alone: number,
  single: string,
): string {
  if (size === 0) return 'No one in this cluster is in the notebook any more.';
  if (size === 1) return `${single} knows no one else in this cluster.`;
  if (largest < 2) {
    return size === 2
      ? 'Without you, these two do not know each other.'
      : `Without you, none of these ${size} know each other.`;
  }
  let text =
    largest === size
      ? size === 2
        ? 'Without you, both still know each other'
        : `Without you, all ${size} still know each other`
      : `Without you, ${largest} of ${size} still know each other`;
  if (holderCount > 0) {
    const names = nameList(holderNames, holderCount);
    text += `; ${names} ${holderCount === 1 ? 'holds' : 'hold'} them together`;
  } else if (largest >= 3) {
    text += ', and losing any one of them would not split them';
  }
  if (alone > 0) {
    text += `; ${people(alone)} ${alone === 1 ? 'knows' : 'know'} no one else here`;
  }
  return `${text}.`;
}
