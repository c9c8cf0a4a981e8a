/**
 * Bridges, local bridges and embeddedness: the ties that are the only link between groups.
 *
 * Ties between the same two people are one link here (removing one of two parallel ties
 * splits nothing), so each entry carries every tie id between its two people.
 */
import { peopleGraph, tiesOfPair, type PeopleGraph } from './graph.ts';
import { trianglePass, type StructureOptions } from './holes.ts';
import { Lowpoint } from './lowpoint.ts';
import type { GraphSnapshot } from './snapshot.ts';

/** A link whose loss would split its part of the network in two; plain data. */
export interface Bridge {
  /** Every tie between `a` and `b`, sorted. */
  readonly tieIds: string[];
  /** The two people, `a < b`. */
  readonly a: string;
  readonly b: string;
  /** People on the smaller side: how many would be cut off without this link. */
  readonly splitsOff: number;
}

/** A link whose two people have no one in common; plain data. */
export interface LocalBridge {
  readonly tieIds: string[];
  readonly a: string;
  readonly b: string;
  /** Also a bridge (its loss splits the network, not just lengthens paths). */
  readonly bridge: boolean;
}

/**
 * Bridges: ties whose removal disconnects their connected component (Tarjan 1974, "A note
 * on finding the bridges of a graph", Inf. Process. Lett. 2(6)), found in O(people + ties)
 * by one depth-first search with low-points. Sorted by how many people they would cut off
 * (largest first), so a pendant tie to one person comes after a tie between two groups.
 */
export function bridges(snapshot: GraphSnapshot, opts: StructureOptions = {}): Bridge[] {
  const g = peopleGraph(snapshot);
  return bridgesOf(g, opts.withoutOwner ? g.owner : -1);
}

/** {@link bridges} on an already built graph, without person `skip` (-1 for none). */
export function bridgesOf(g: PeopleGraph, skip: number): Bridge[] {
  const n = g.ids.length;
  const mark = new Int32Array(n);
  const nodes: number[] = [];
  for (let v = 0; v < n; v++) {
    if (v === skip) mark[v] = -1;
    else nodes.push(v);
  }
  const run = new Lowpoint(g).run(nodes, mark, 0);
  const out = run.bridges.map((b) => ({
    tieIds: tiesOfPair(g, b.pair),
    a: g.ids[g.pairA[b.pair]!]!,
    b: g.ids[g.pairB[b.pair]!]!,
    splitsOff: Math.min(b.side, b.component - b.side),
    pair: b.pair,
  }));
  out.sort((x, y) => y.splitsOff - x.splitsOff || x.pair - y.pair);
  return out.map(({ tieIds, a, b, splitsOff }) => ({ tieIds, a, b, splitsOff }));
}

/**
 * Local bridges: ties whose two people share no neighbour, so that without the tie they
 * would be at distance three or more (Granovetter 1973, "The strength of weak ties", Am. J.
 * Sociol. 78(6); Easley & Kleinberg 2010, *Networks, Crowds, and Markets*, §3.2). Every
 * bridge is also a local bridge; `bridge` says which. In pair order.
 */
export function localBridges(snapshot: GraphSnapshot, opts: StructureOptions = {}): LocalBridge[] {
  const g = peopleGraph(snapshot);
  const skip = opts.withoutOwner ? g.owner : -1;
  return localBridgesOf(g, skip, bridgesOf(g, skip));
}

/** {@link localBridges} on an already built graph, given its bridges. */
export function localBridgesOf(
  g: PeopleGraph,
  skip: number,
  known: readonly Bridge[],
): LocalBridge[] {
  const { embeddedness } = trianglePass(g, skip);
  const isBridge = new Set(known.map((b) => b.tieIds[0]!));
  const out: LocalBridge[] = [];
  for (let k = 0; k < g.pairA.length; k++) {
    if (embeddedness[k] !== 0 || g.pairA[k] === skip || g.pairB[k] === skip) continue;
    const tieIds = tiesOfPair(g, k);
    out.push({
      tieIds,
      a: g.ids[g.pairA[k]!]!,
      b: g.ids[g.pairB[k]!]!,
      bridge: isBridge.has(tieIds[0]!),
    });
  }
  return out;
}

/**
 * Embeddedness of every tie: the number of people both its ends are tied to (Easley &
 * Kleinberg 2010, §3.3; Granovetter 1985, "Economic action and social structure: the
 * problem of embeddedness", Am. J. Sociol. 91(3)). 0 marks a local bridge; a high value a
 * tie the group would keep alive anyway. Keyed by tie id; parallel ties share their value.
 * With `withoutOwner`, the owner's ties are absent and the owner is not counted as a
 * common neighbour.
 */
export function embeddedness(
  snapshot: GraphSnapshot,
  opts: StructureOptions = {},
): Map<string, number> {
  const g = peopleGraph(snapshot);
  return embeddednessOf(g, opts.withoutOwner ? g.owner : -1);
}

/** {@link embeddedness} on an already built graph, without person `skip` (-1 for none). */
export function embeddednessOf(g: PeopleGraph, skip: number): Map<string, number> {
  const { tieIds, counts } = tieTablesOf(g, skip).embeddedness;
  return new Map(tieIds.map((id, i) => [id, counts[i]!]));
}

/**
 * Embeddedness of every tie in columns: tie `tieIds[i]` has `counts[i]` common neighbours.
 * Columns rather than a keyed object because at 50,000 ties filling a Map or a Record
 * costs eight to twelve times as much as the two arrays (measured), and nothing in the
 * app looks a tie up; `analysisJson` writes it as an object keyed by tie id.
 */
export interface TieEmbeddedness {
  readonly tieIds: string[];
  readonly counts: Int32Array;
}

/**
 * The per-tie tables of `analyze` in one pass over the pairs: every tie's embeddedness and
 * the ids of the ties that are local bridges (embeddedness 0), both in pair order.
 */
export function tieTablesOf(
  g: PeopleGraph,
  skip: number,
): { embeddedness: TieEmbeddedness; localBridges: string[] } {
  const { embeddedness: perPair } = trianglePass(g, skip);
  const { pairA, pairB, tieStart, tieIds } = g;
  const ids: string[] = [];
  const counts = new Int32Array(tieIds.length);
  const localBridges: string[] = [];
  for (let k = 0; k < pairA.length; k++) {
    if (pairA[k] === skip || pairB[k] === skip) continue;
    const count = perPair[k]!;
    for (let t = tieStart[k]!, end = tieStart[k + 1]!; t < end; t++) {
      counts[ids.length] = count;
      ids.push(tieIds[t]!);
      if (count === 0) localBridges.push(tieIds[t]!);
    }
  }
  return { embeddedness: { tieIds: ids, counts: counts.slice(0, ids.length) }, localBridges };
}
