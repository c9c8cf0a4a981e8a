/**
 * Tarjan's depth-first search with low-points (Tarjan 1972, "Depth-first search and linear
 * graph algorithms", SIAM J. Comput. 1(2)), iterative so that a long chain of people cannot
 * overflow the call stack. One pass finds, on the part of the people graph you select:
 * connected components, bridges (with the size of the side they cut off) and articulation
 * points (with how many people their loss strands). O(people + ties).
 */
import type { PeopleGraph } from './graph.ts';

/** A bridge found by {@link Lowpoint.run}. */
export interface FoundBridge {
  readonly pair: number;
  /** People on the side of the bridge away from the search root. */
  readonly side: number;
  /** People in the component the bridge belongs to. */
  readonly component: number;
}

/** What one {@link Lowpoint.run} found. */
export interface LowpointRun {
  /** Visited people in discovery order. */
  readonly order: Int32Array;
  /** Size of each component, in the order their roots were met. */
  readonly componentSizes: readonly number[];
  /** For each visited person (same order as `order`), the component's index. */
  readonly componentOf: Int32Array;
  /**
   * For each visited person (same order as `order`), how many others in their component
   * would be cut off from its largest remaining part if they were gone: 0 unless they are
   * an articulation point.
   */
  readonly stranded: Int32Array;
  readonly bridges: readonly FoundBridge[];
}

/**
 * Reusable buffers for repeated searches over subsets of one graph (one per cluster, say),
 * so each search costs only the size of its subset.
 */
export class Lowpoint {
  private readonly disc: Int32Array;
  private readonly low: Int32Array;
  private readonly parent: Int32Array;
  private readonly parentPair: Int32Array;
  private readonly sub: Int32Array;
  private readonly cursor: Int32Array;
  private readonly cutSum: Int32Array;
  private readonly cutMax: Int32Array;
  private readonly stack: Int32Array;

  constructor(private readonly g: PeopleGraph) {
    const n = g.ids.length;
    this.disc = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.parentPair = new Int32Array(n);
    this.sub = new Int32Array(n);
    this.cursor = new Int32Array(n);
    this.cutSum = new Int32Array(n);
    this.cutMax = new Int32Array(n);
    this.stack = new Int32Array(n);
  }

  /**
   * Search the subgraph induced by `nodes`: a person is in it when `mark[v] === stamp`, and
   * a tie when both its ends are. `nodes` lists exactly those people (roots are tried in
   * that order, which makes the output deterministic).
   */
  run(nodes: ArrayLike<number>, mark: Int32Array, stamp: number): LowpointRun {
    const { offsets, adj, adjPair } = this.g;
    const { disc, low, parent, parentPair, sub, cursor, cutSum, cutMax, stack } = this;
    const count = nodes.length;
    for (let i = 0; i < count; i++) {
      const v = nodes[i]!;
      disc[v] = -1;
      cutSum[v] = 0;
      cutMax[v] = 0;
    }
    const order = new Int32Array(count);
    const componentOf = new Int32Array(count);
    const stranded = new Int32Array(count);
    const componentSizes: number[] = [];
    const bridges: { pair: number; side: number; component: number }[] = [];
    let time = 0;

    for (let r = 0; r < count; r++) {
      const root = nodes[r]!;
      if (disc[root] !== -1) continue;
      const start = time;
      const firstBridge = bridges.length;
      disc[root] = low[root] = time;
      order[time++] = root;
      parent[root] = -1;
      parentPair[root] = -1;
      sub[root] = 1;
      cursor[root] = offsets[root]!;
      let top = 0;
      stack[0] = root;
      while (top >= 0) {
        const v = stack[top]!;
        if (cursor[v]! < offsets[v + 1]!) {
          const h = cursor[v]!++;
          const w = adj[h]!;
          if (mark[w] !== stamp || adjPair[h] === parentPair[v]) continue;
          if (disc[w] === -1) {
            disc[w] = low[w] = time;
            order[time++] = w;
            parent[w] = v;
            parentPair[w] = adjPair[h]!;
            sub[w] = 1;
            cursor[w] = offsets[w]!;
            stack[++top] = w;
          } else if (disc[w]! < low[v]!) {
            low[v] = disc[w]!;
          }
          continue;
        }
        top--;
        const p = parent[v]!;
        if (p === -1) continue;
        if (low[v]! < low[p]!) low[p] = low[v]!;
        sub[p]! += sub[v]!;
        if (low[v]! >= disc[p]!) {
          // Without p, v's subtree is on its own.
          cutSum[p]! += sub[v]!;
          if (sub[v]! > cutMax[p]!) cutMax[p] = sub[v]!;
          if (low[v]! > disc[p]!)
            bridges.push({ pair: parentPair[v]!, side: sub[v]!, component: 0 });
        }
      }
      const size = time - start;
      const component = componentSizes.length;
      componentSizes.push(size);
      for (let b = firstBridge; b < bridges.length; b++) bridges[b]!.component = size;
      for (let i = start; i < time; i++) {
        const v = order[i]!;
        componentOf[i] = component;
        // Without v: the subtrees it cuts off, and the rest (its parent's side; empty for
        // the root). Zero stranded exactly when v is no articulation point — a root with
        // one child cuts off everything as one piece, a non-root cutting nothing keeps all.
        const rest = size - 1 - cutSum[v]!;
        stranded[i] = size - 1 - Math.max(rest, cutMax[v]!);
      }
    }
    return { order, componentSizes, componentOf, stranded, bridges };
  }
}
