/**
 * Structural holes: Burt's effective size and constraint for every person, and the
 * embeddedness of every tie, from one pass over the graph's triangles.
 */
import { degrees, peopleGraph, type PeopleGraph } from './graph.ts';
import type { GraphSnapshot } from './snapshot.ts';

/** Burt's measures for one person; plain data. */
export interface StructuralHoles {
  /** Non-redundant contacts: from 1 (all contacts know each other) up to `degree`. */
  readonly effectiveSize: number;
  /** From about 1/degree (contacts unconnected) up to 1 and a little above (one cluster). */
  readonly constraint: number;
  /** Number of contacts (people tied to this person). */
  readonly degree: number;
}

/** Options shared by the structural measures. */
export interface StructureOptions {
  /**
   * Measure the network as it would stand without the owner: the owner's ties are left
   * out, so the owner is neither a contact nor a common neighbour. Default false.
   */
  readonly withoutOwner?: boolean;
}

/**
 * Burt's effective size and constraint of every person who has at least one tie (people
 * without ties are absent). Weighted by tie strength; with all strengths equal it is the
 * unweighted measure.
 *
 * With w_ij the tie weight (strength), p_ij = w_ij / Σ_k w_ik the share of i's ties spent
 * on j, and m_jq = w_jq / max_k w_jk (Burt 1992, *Structural Holes: The Social Structure of
 * Competition*, Harvard UP, ch. 2):
 *
 * - effective size  ES_i = Σ_{j∈N(i)} [1 − Σ_{q∈N(i), q≠j} p_iq m_jq]
 * - constraint       C_i = Σ_{j∈N(i)} (p_ij + Σ_{q≠i,j} p_iq p_qj)²
 *
 * Unweighted, ES_i = n − 2t/n for n contacts with t ties among them (Borgatti 1997,
 * "Structural holes: unpacking Burt's redundancy measures", Connections 20(1): 35–38).
 * Normalisations (p, m) use each person's ties across the whole graph, as NetworkX and
 * UCINET do. A person scores as a broker with a large effective size and a low constraint.
 *
 * Only triangles contribute to the sums, so they are found once each by the degree-ordered
 * method (each edge scanned from its lower-degree end, Chiba & Nishizeki 1985): O(m^1.5)
 * in the worst case, and independent of how many people the owner knows.
 */
export function structuralHoles(
  snapshot: GraphSnapshot,
  opts: StructureOptions = {},
): Record<string, StructuralHoles> {
  const g = peopleGraph(snapshot);
  const pass = trianglePass(g, opts.withoutOwner ? g.owner : -1);
  // Prototype-free: ids are user text (a person may be called "__proto__" in a file).
  const out = Object.create(null) as Record<string, StructuralHoles>;
  for (let v = 0; v < g.ids.length; v++) {
    if (pass.degree[v]! === 0) continue;
    out[g.ids[v]!] = {
      effectiveSize: pass.effectiveSize[v]!,
      constraint: pass.constraint[v]!,
      degree: pass.degree[v]!,
    };
  }
  return out;
}

/** Per-person and per-pair results of one triangle pass. */
export interface TrianglePass {
  readonly degree: Int32Array;
  readonly effectiveSize: Float64Array;
  readonly constraint: Float64Array;
  /** Common neighbours of each pair's two ends (0 for pairs touching the skipped person). */
  readonly embeddedness: Int32Array;
}

const passes = new WeakMap<PeopleGraph, Map<number, TrianglePass>>();

/** The triangle pass over `g` without person `skip` (-1 for none), cached. */
export function trianglePass(g: PeopleGraph, skip: number): TrianglePass {
  let bySkip = passes.get(g);
  if (!bySkip) passes.set(g, (bySkip = new Map()));
  let pass = bySkip.get(skip);
  if (!pass) bySkip.set(skip, (pass = computePass(g, skip)));
  return pass;
}

function computePass(g: PeopleGraph, skip: number): TrianglePass {
  const n = g.ids.length;
  const pairs = g.pairA.length;
  const { offsets, adj, adjPair, adjW, pairA } = g;
  const { deg, total, max } = degrees(g, skip);
  // Per (ego, alter) accumulators; slot 2k is pair k seen from pairA[k], 2k+1 from pairB[k].
  const redundancy = new Float64Array(2 * pairs);
  const indirect = new Float64Array(2 * pairs);
  const embeddedness = new Int32Array(pairs);
  const mark = new Int32Array(n).fill(-1);
  const pos = new Int32Array(n);

  for (let i = 0; i < n; i++) {
    if (i === skip || deg[i] === 0) continue;
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    for (let h = start; h < end; h++) {
      mark[adj[h]!] = i;
      pos[adj[h]!] = h;
    }
    const Wi = total[i]!;
    const Mi = max[i]!;
    for (let h = start; h < end; h++) {
      const j = adj[h]!;
      if (j === skip || !(deg[j]! < deg[i]! || (deg[j] === deg[i] && j < i))) continue;
      // Every triangle {x, y, z} is met three times, once per edge, each time through
      // that edge's lower end j and with the third person q; each meeting credits the
      // two directed (ego, alter) views of edge (i, j) and its embeddedness once.
      const pair = adjPair[h]!;
      const slotI = 2 * pair + (pairA[pair] === i ? 0 : 1);
      const slotJ = slotI ^ 1;
      const Wj = total[j]!;
      const Mj = max[j]!;
      for (let h2 = offsets[j]!, end2 = offsets[j + 1]!; h2 < end2; h2++) {
        const q = adj[h2]!;
        if (mark[q] !== i || q === skip) continue;
        const wjq = adjW[h2]!;
        const wiq = adjW[pos[q]!]!;
        const Wq = total[q]!;
        embeddedness[pair]!++;
        redundancy[slotI]! += (wiq / Wi) * (wjq / Mj);
        indirect[slotI]! += (wiq / Wi) * (wjq / Wq);
        redundancy[slotJ]! += (wjq / Wj) * (wiq / Mi);
        indirect[slotJ]! += (wjq / Wj) * (wiq / Wq);
      }
    }
  }

  const effectiveSize = new Float64Array(n);
  const constraint = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    if (e === skip || deg[e] === 0) continue;
    const We = total[e]!;
    let es = 0;
    let c = 0;
    for (let h = offsets[e]!, end = offsets[e + 1]!; h < end; h++) {
      if (adj[h] === skip) continue;
      const pair = adjPair[h]!;
      const slot = 2 * pair + (pairA[pair] === e ? 0 : 1);
      es += 1 - redundancy[slot]!;
      const local = adjW[h]! / We + indirect[slot]!;
      c += local * local;
    }
    effectiveSize[e] = es;
    constraint[e] = c;
  }
  return { degree: deg, effectiveSize, constraint, embeddedness };
}

/**
 * Burt's measures for one ego in the whole graph (nobody skipped), in O(Σ degree of ego's
 * contacts): used for the owner, whose own ego network is the whole point.
 */
export function egoStructuralHoles(g: PeopleGraph, ego: number): StructuralHoles | undefined {
  const { offsets, adj, adjW } = g;
  const start = offsets[ego]!;
  const end = offsets[ego + 1]!;
  if (start === end) return undefined;
  const contactWeight = new Map<number, number>();
  let We = 0;
  for (let h = start; h < end; h++) {
    contactWeight.set(adj[h]!, adjW[h]!);
    We += adjW[h]!;
  }
  const totals = (v: number) => {
    let t = 0;
    let m = 0;
    for (let h = offsets[v]!, e2 = offsets[v + 1]!; h < e2; h++) {
      t += adjW[h]!;
      if (adjW[h]! > m) m = adjW[h]!;
    }
    return { t, m };
  };
  const totalOf = new Map<number, number>();
  for (const q of contactWeight.keys()) totalOf.set(q, totals(q).t);

  let es = 0;
  let c = 0;
  for (let h = start; h < end; h++) {
    const j = adj[h]!;
    const Mj = totals(j).m;
    let redundancy = 0;
    let indirect = 0;
    for (let h2 = offsets[j]!, e2 = offsets[j + 1]!; h2 < e2; h2++) {
      const q = adj[h2]!;
      const wiq = contactWeight.get(q);
      if (wiq === undefined) continue;
      const wjq = adjW[h2]!;
      redundancy += (wiq / We) * (wjq / Mj);
      indirect += (wiq / We) * (wjq / totalOf.get(q)!);
    }
    es += 1 - redundancy;
    const local = adjW[h]! / We + indirect;
    c += local * local;
  }
  return { effectiveSize: es, constraint: c, degree: end - start };
}
