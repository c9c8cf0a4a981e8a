/**
 * The whole analysis in one call, as `vitrine analyze --json` prints it and as the app's
 * worker posts it back: plain data (no NaN, no class instances) that a structured clone
 * copies and {@link analysisJson} prints.
 */
import { bridgesOf, tieTablesOf, type Bridge, type TieEmbeddedness } from './bridges.ts';
import { detectClusters, type ClusterOptions } from './clusters.ts';
import { feeding, type Feeding } from './feeding.ts';
import { peopleGraph } from './graph.ts';
import { egoStructuralHoles, trianglePass, type StructuralHoles } from './holes.ts';
import { suggestNameOf } from './naming.ts';
import { neglectedTies, type NeglectedTie } from './neglect.ts';
import { selfSustainingOfNodes } from './self-sustaining.ts';
import type { GraphSnapshot } from './snapshot.ts';
import { compareStrings, round } from './util.ts';

/** Options of {@link analyze}: the cluster options (the owner is always left out), and: */
export interface AnalyzeOptions extends Omit<ClusterOptions, 'includeOwner'> {
  /** How many brokers to list; default 20. */
  readonly brokerLimit?: number;
  /** How many neglected ties to list; default all. */
  readonly neglectLimit?: number;
  /** Cadence for ties and people that have none; default: they are never overdue. */
  readonly defaultCadenceDays?: number;
}

/** A cluster with everything the Clusters panel shows. */
export interface AnalyzedCluster {
  readonly id: string;
  /** Suggested name: the organisation or tag most members share, if any. */
  readonly name?: string;
  readonly nameSource?: 'org' | 'tag';
  /** Person ids, sorted. */
  readonly members: string[];
  readonly size: number;
  /** Self-sustaining score, 0..1 (see `selfSustaining`). */
  readonly selfSustaining: number;
  /** The score in words: "Without you, 7 of 9 still know each other; Ana holds them together." */
  readonly explanation: string;
  /** Members whose loss would split the cluster, worst first. */
  readonly holders: string[];
  /** Members with no tie to anyone else in the cluster. */
  readonly heldOnlyByOwner: string[];
  readonly largestComponent: number;
  readonly density: number;
  readonly survivesAnyLoss: boolean;
}

/** A person who links parts of the network that are not otherwise linked. */
export interface Broker extends StructuralHoles {
  readonly personId: string;
  readonly name: string;
  /** Clusters among the person's own and their contacts', largest first. */
  readonly clusters: string[];
  /** In words: "Ana spans 3 clusters; 7.2 of their 9 contacts are non-redundant (constraint 0.18)." */
  readonly explanation: string;
}

/** Everything {@link analyze} finds. */
export interface Analysis {
  readonly owner: string;
  readonly now: string;
  /** Largest first. */
  readonly clusters: AnalyzedCluster[];
  readonly modularity: number;
  /** Person id → cluster id. */
  readonly assignment: Record<string, string>;
  /** People tied to no one but the owner. */
  readonly unclustered: string[];
  /** Most urgent first. */
  readonly neglected: NeglectedTie[];
  /** Largest effective size first. */
  readonly brokers: Broker[];
  /** The owner's own effective size and constraint, in the whole network. */
  readonly you: StructuralHoles | null;
  /** Every other person's effective size and constraint, without the owner. */
  readonly structuralHoles: Record<string, StructuralHoles>;
  /** Without the owner; most people cut off first. */
  readonly bridges: Bridge[];
  /**
   * Ids of the ties that are local bridges (their two people have no one in common, i.e.
   * embeddedness 0), without the owner, in pair order; `bridges` says which also split the
   * network. One id per tie, so a person pair with two ties appears twice.
   */
  readonly localBridges: string[];
  /**
   * Common neighbours of every tie, without the owner (the owner's ties are absent), in
   * columns (see {@link TieEmbeddedness}); {@link analysisJson} writes it as an object
   * keyed by tie id.
   */
  readonly embeddedness: TieEmbeddedness;
  readonly feeding: Feeding;
}

/**
 * Run every analysis on one snapshot, sharing one people graph (typed arrays) between them.
 *
 * It looks at the network the way the product asks "what holds without you": clusters,
 * self-sustaining scores, brokers (Burt's measures), bridges, local bridges and
 * embeddedness are all computed with the owner removed — with the owner in, every person
 * is one step from everyone through the owner, which hides exactly the structure the
 * owner wants to see. The owner's own effective size and constraint (`you`) are computed
 * in the whole network, where the owner's ego network is. Neglect ranks the owner's ties.
 *
 * Deterministic: the same snapshot (in any order) and options give the same result.
 */
export function analyze(snapshot: GraphSnapshot, opts: AnalyzeOptions = {}): Analysis {
  const g = peopleGraph(snapshot);
  const skip = g.owner;
  const { result: found, nodes } = detectClusters(g, { ...opts, includeOwner: false });
  const sustain = selfSustainingOfNodes(
    g,
    found.clusters.map((c) => c.id),
    nodes,
  );

  const clusters: AnalyzedCluster[] = found.clusters.map((c, i) => {
    const s = sustain[i]!;
    const named = suggestNameOf(g, nodes[i]!);
    return {
      id: c.id,
      ...(named ? { name: named.name, nameSource: named.source } : {}),
      members: c.members,
      size: c.members.length,
      selfSustaining: s.score,
      explanation: s.explanation,
      holders: s.holders,
      heldOnlyByOwner: s.heldOnlyByOwner,
      largestComponent: s.largestComponent,
      density: s.density,
      survivesAnyLoss: s.survivesAnyLoss,
    };
  });

  const pass = trianglePass(g, skip);
  // Prototype-free: ids are user text (a person may be called "__proto__" in a file).
  const structuralHoles = Object.create(null) as Record<string, StructuralHoles>;
  const candidates: number[] = [];
  for (let v = 0; v < g.ids.length; v++) {
    const degree = pass.degree[v]!;
    if (v === skip || degree === 0) continue;
    structuralHoles[g.ids[v]!] = {
      effectiveSize: round(pass.effectiveSize[v]!, 4),
      constraint: round(pass.constraint[v]!, 4),
      degree,
    };
    if (degree >= 2) candidates.push(v);
  }
  const ahead = (x: number, y: number) =>
    pass.effectiveSize[y]! - pass.effectiveSize[x]! ||
    pass.constraint[x]! - pass.constraint[y]! ||
    x - y;
  const clusterSize = new Map(found.clusters.map((c) => [c.id, c.members.length]));
  const brokers = topK(candidates, opts.brokerLimit ?? 20, ahead).map((v): Broker => {
    const id = g.ids[v]!;
    const spanned = new Set<string>();
    const own = found.assignment[id];
    if (own) spanned.add(own);
    for (let h = g.offsets[v]!, end = g.offsets[v + 1]!; h < end; h++) {
      const c = found.assignment[g.ids[g.adj[h]!]!];
      if (c) spanned.add(c);
    }
    const list = [...spanned].sort(
      (a, b) => clusterSize.get(b)! - clusterSize.get(a)! || compareStrings(a, b),
    );
    const holes = structuralHoles[id]!;
    const name = g.people[v]!.name || id;
    const reach =
      list.length > 1
        ? `${name} spans ${list.length} clusters`
        : `${name} stays within one cluster`;
    return {
      personId: id,
      name,
      ...holes,
      clusters: list,
      explanation:
        `${reach}; ${round(holes.effectiveSize, 1)} of their ${holes.degree} contacts ` +
        `are non-redundant (constraint ${round(holes.constraint, 2)}).`,
    };
  });

  const ownerHoles = skip >= 0 ? egoStructuralHoles(g, skip) : undefined;
  const bridges = bridgesOf(g, skip);
  const names = new Map(clusters.map((c) => [c.id, c]));
  const tables = tieTablesOf(g, skip);

  return {
    owner: snapshot.owner,
    now: snapshot.now,
    clusters,
    modularity: found.modularity,
    assignment: found.assignment,
    unclustered: found.unclustered,
    neglected: neglectedTies(snapshot, {
      clusters: found.clusters.map((c) => ({ ...c, name: names.get(c.id)?.name })),
      ...(opts.defaultCadenceDays !== undefined
        ? { defaultCadenceDays: opts.defaultCadenceDays }
        : {}),
      ...(opts.neglectLimit !== undefined ? { limit: opts.neglectLimit } : {}),
    }),
    brokers,
    you: ownerHoles
      ? {
          effectiveSize: round(ownerHoles.effectiveSize, 4),
          constraint: round(ownerHoles.constraint, 4),
          degree: ownerHoles.degree,
        }
      : null,
    structuralHoles,
    bridges,
    localBridges: tables.localBridges,
    embeddedness: tables.embeddedness,
    feeding: feeding(snapshot),
  };
}

/**
 * The first `k` of `items` in `compare` order, sorted — what `sort` then `slice` gives,
 * without sorting all 10,000 people to name twenty brokers.
 */
function topK(items: readonly number[], k: number, compare: (x: number, y: number) => number) {
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && (k === 0 || compare(item, best[k - 1]!) >= 0)) continue;
    let i = best.length === k ? k - 1 : best.length;
    while (i > 0 && compare(item, best[i - 1]!) < 0) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = item;
  }
  return best;
}

/** The analysis as JSON text (`vitrine analyze --json`); embeddedness keyed by tie id. */
export function analysisJson(analysis: Analysis, indent?: number): string {
  const { tieIds, counts } = analysis.embeddedness;
  // Prototype-free: ids are user text (a person may be called "__proto__" in a file).
  const embeddedness = Object.create(null) as Record<string, number>;
  tieIds.forEach((id, i) => (embeddedness[id] = counts[i]!));
  return JSON.stringify({ ...analysis, embeddedness }, null, indent);
}
