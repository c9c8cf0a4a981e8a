/**
 * Louvain community detection (Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast
 * unfolding of communities in large networks", J. Stat. Mech. P10008) on a weighted,
 * undirected graph in compressed form (CSR), with the fast local-move queue of Traag 2015
 * ("Faster unfolding of communities: speeding up the Louvain algorithm", Phys. Rev. E 92,
 * 032801) — the same algorithm and options graphology-communities-louvain runs by default.
 *
 * Why not graphology's: its Louvain needs a graphology graph, and building one from the
 * notebook (string keys, one `addEdge` per tie) costs twice as long as Louvain itself at
 * 10,000 people, which alone broke the analysis budget (see docs/decisions/0006). This
 * works on the typed arrays {@link PeopleGraph} already holds. graphology's Louvain stays
 * the reference: the tests compare modularity with it on the karate club and on generated
 * notebooks, and the bench uses it as the baseline.
 *
 * Modularity with resolution γ (Reichardt & Bornholdt 2006):
 * Q = Σ_c [ in_c / m − γ (tot_c / 2m)² ], with m the total edge weight, in_c the weight of
 * the edges inside c and tot_c the weighted degree of c's members (Newman 2004, Phys. Rev.
 * E 70, 056131, for the weighted form). Moving an isolated node i into community c gains
 * (k_i,c − γ tot_c k_i / 2m) / m, which is what {@link louvain} compares.
 *
 * Deterministic: the node order of each pass comes from `rng`, and every tie between two
 * equally good moves goes to staying put, then to the community seen first.
 */

/** A weighted undirected graph in CSR form; every edge appears in both endpoints' lists. */
export interface CsrGraph {
  /** Neighbours of `v` are `adj[offsets[v]] … adj[offsets[v + 1] - 1]`; `offsets.length = n + 1`. */
  readonly offsets: Int32Array;
  readonly adj: Int32Array;
  /** Weight of each adjacency entry (positive). */
  readonly weights: Float64Array;
}

/** Options of {@link louvain}. */
export interface LouvainOptions {
  /** Random number generator in [0, 1) for the node order; seed it for reproducible runs. */
  readonly rng: () => number;
  /** Resolution γ; 1 (the default) optimises standard modularity. */
  readonly resolution?: number;
}

/** The partition {@link louvain} found. */
export interface LouvainResult {
  /** Community of each node, `0 … count - 1`; nodes without any edge get -1. */
  readonly community: Int32Array;
  readonly count: number;
  /** Newman–Girvan modularity of the partition (resolution 1, whatever `resolution` was). */
  readonly modularity: number;
  /** Modularity at the resolution that was optimised. */
  readonly quality: number;
  /** How many aggregation levels ran. */
  readonly levels: number;
}

/** One level's graph: CSR without self-loops, plus each node's loop weight and degree. */
interface Level {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly adj: Int32Array;
  readonly weights: Float64Array;
  /** Weight of the edges inside the node (each counted once). */
  readonly loops: Float64Array;
  /** Weighted degree, loops counted twice. */
  readonly degree: Float64Array;
}

/** Communities of `graph` by Louvain; see the module comment. */
export function louvain(graph: CsrGraph, opts: LouvainOptions): LouvainResult {
  const n = graph.offsets.length - 1;
  const gamma = opts.resolution ?? 1;
  const degree = new Float64Array(n);
  let total = 0;
  for (let v = 0; v < n; v++) {
    let d = 0;
    for (let h = graph.offsets[v]!, end = graph.offsets[v + 1]!; h < end; h++) {
      d += graph.weights[h]!;
    }
    degree[v] = d;
    total += d;
  }
  const m = total / 2;

  // membership[v]: node of the current level that original node v is part of.
  const membership = new Int32Array(n);
  for (let v = 0; v < n; v++) membership[v] = v;
  let level: Level = {
    n,
    offsets: graph.offsets,
    adj: graph.adj,
    weights: graph.weights,
    loops: new Float64Array(n),
    degree,
  };
  let levels = 0;
  if (m > 0) {
    for (;;) {
      const moved = moveNodes(level, m, gamma, opts.rng);
      if (!moved) break;
      levels++;
      const { next, renumbered } = aggregate(level, moved);
      for (let v = 0; v < n; v++) membership[v] = renumbered[membership[v]!]!;
      level = next;
    }
  }

  // Final communities: level nodes that carry any edge, numbered by first original node.
  const community = new Int32Array(n).fill(-1);
  const ids = new Int32Array(level.n).fill(-1);
  let count = 0;
  for (let v = 0; v < n; v++) {
    if (degree[v] === 0) continue;
    const c = membership[v]!;
    if (ids[c] === -1) ids[c] = count++;
    community[v] = ids[c]!;
  }
  return {
    community,
    count,
    modularity: m > 0 ? modularityOfLevel(level, m, 1) : 0,
    quality: m > 0 ? modularityOfLevel(level, m, gamma) : 0,
    levels,
  };
}

/** Q of the partition where each node of `level` is one community. */
function modularityOfLevel(level: Level, m: number, gamma: number): number {
  let q = 0;
  for (let c = 0; c < level.n; c++) {
    const tot = level.degree[c]! / (2 * m);
    q += level.loops[c]! / m - gamma * tot * tot;
  }
  return q;
}

/**
 * Local moving on one level with the fast queue: every node once in a random order, then
 * only the neighbours of nodes that moved, until nothing moves. Returns each node's
 * community (a node index of this level), or undefined when no node moved.
 */
function moveNodes(
  level: Level,
  m: number,
  gamma: number,
  rng: () => number,
): Int32Array | undefined {
  const { n, offsets, adj, weights, degree } = level;
  const comm = new Int32Array(n);
  const tot = new Float64Array(n);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    comm[v] = v;
    tot[v] = degree[v]!;
    size[v] = 1;
  }
  // Empty communities, for a node better off alone (only possible with γ ≠ 1 or loops).
  const empty: number[] = [];

  // Circular queue of nodes to visit, each at most once at a time.
  const queue = new Int32Array(n);
  const queued = new Uint8Array(n);
  for (let v = 0; v < n; v++) queue[v] = v;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = queue[i]!;
    queue[i] = queue[j]!;
    queue[j] = t;
  }
  queued.fill(1);
  let head = 0;
  let pending = n;

  // Weight from the current node to each neighbouring community.
  const toComm = new Float64Array(n);
  const seen = new Int32Array(n);
  const scale = gamma / (2 * m);
  let moved = false;

  while (pending > 0) {
    const v = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    pending--;
    queued[v] = 0;
    const kv = degree[v]!;
    if (kv === 0) continue;

    const own = comm[v]!;
    let count = 0;
    toComm[own] = 0;
    seen[count++] = own;
    for (let h = offsets[v]!, end = offsets[v + 1]!; h < end; h++) {
      const c = comm[adj[h]!]!;
      if (toComm[c] === 0 && c !== own) seen[count++] = c;
      toComm[c]! += weights[h]!;
    }

    // Take v out of its community, then find the best one to put it in.
    tot[own]! -= kv;
    let best = own;
    let bestGain = toComm[own]! - tot[own]! * kv * scale;
    for (let i = 1; i < count; i++) {
      const c = seen[i]!;
      const gain = toComm[c]! - tot[c]! * kv * scale;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    if (bestGain < 0 && size[own]! > 1) {
      // Alone is better than anywhere (gain 0): an empty community.
      best = empty.pop() ?? own;
    }
    for (let i = 0; i < count; i++) toComm[seen[i]!] = 0;

    tot[best]! += kv;
    if (best === own) continue;
    comm[v] = best;
    size[own]!--;
    size[best]!++;
    if (size[own] === 0) empty.push(own);
    moved = true;
    for (let h = offsets[v]!, end = offsets[v + 1]!; h < end; h++) {
      const u = adj[h]!;
      if (queued[u] || comm[u] === best) continue;
      queued[u] = 1;
      queue[(head + pending) % n] = u;
      pending++;
    }
  }
  return moved ? comm : undefined;
}

/**
 * The next level: one node per community of `comm` (numbered in order of their first
 * node), edges between communities summed, edges inside one folded into its loop weight.
 */
function aggregate(level: Level, comm: Int32Array): { next: Level; renumbered: Int32Array } {
  const { n, offsets, adj, weights, loops, degree } = level;
  const idOf = new Int32Array(n).fill(-1);
  let count = 0;
  for (let v = 0; v < n; v++) {
    const c = comm[v]!;
    if (idOf[c] === -1) idOf[c] = count++;
  }
  const renumbered = new Int32Array(n);
  for (let v = 0; v < n; v++) renumbered[v] = idOf[comm[v]!]!;

  // Members of each new node, by counting sort.
  const start = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) start[renumbered[v]! + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, count);
  const members = new Int32Array(n);
  for (let v = 0; v < n; v++) members[fill[renumbered[v]!]!++] = v;

  const nextOffsets = new Int32Array(count + 1);
  const nextAdj = new Int32Array(adj.length);
  const nextWeights = new Float64Array(adj.length);
  const nextLoops = new Float64Array(count);
  const nextDegree = new Float64Array(count);
  const acc = new Float64Array(count);
  const touched = new Int32Array(count);
  let out = 0;
  for (let c = 0; c < count; c++) {
    let found = 0;
    let inside = 0;
    for (let i = start[c]!, end = start[c + 1]!; i < end; i++) {
      const v = members[i]!;
      inside += loops[v]!;
      nextDegree[c]! += degree[v]!;
      for (let h = offsets[v]!, stop = offsets[v + 1]!; h < stop; h++) {
        const d = renumbered[adj[h]!]!;
        const w = weights[h]!;
        if (d === c) {
          // Seen from both ends: half each time.
          inside += w / 2;
          continue;
        }
        if (acc[d] === 0) touched[found++] = d;
        acc[d]! += w;
      }
    }
    nextLoops[c] = inside;
    for (let i = 0; i < found; i++) {
      const d = touched[i]!;
      nextAdj[out] = d;
      nextWeights[out++] = acc[d]!;
      acc[d] = 0;
    }
    nextOffsets[c + 1] = out;
  }
  return {
    next: {
      n: count,
      offsets: nextOffsets,
      adj: nextAdj.subarray(0, out),
      weights: nextWeights.subarray(0, out),
      loops: nextLoops,
      degree: nextDegree,
    },
    renumbered,
  };
}
