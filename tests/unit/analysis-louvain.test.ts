import { UndirectedGraph } from 'graphology';
import louvainGraphology from 'graphology-communities-louvain';
import modularity from 'graphology-metrics/graph/modularity';
import { describe, expect, it } from 'vitest';
import { louvain, type CsrGraph } from '../../src/analysis/louvain.ts';
import { mulberry32 } from '../../src/analysis/util.ts';
import { KARATE_EDGES } from '../fixtures/karate.ts';

/** A CSR graph and the same graph in graphology, from an edge list on nodes 0 … n-1. */
function both(n: number, edges: readonly (readonly [number, number, number])[]) {
  const lists: [number, number][][] = Array.from({ length: n }, () => []);
  const graph = new UndirectedGraph();
  for (let v = 0; v < n; v++) graph.addNode(`n${v}`);
  for (const [a, b, w] of edges) {
    lists[a]!.push([b, w]);
    lists[b]!.push([a, w]);
    graph.addEdge(`n${a}`, `n${b}`, { weight: w });
  }
  const offsets = new Int32Array(n + 1);
  lists.forEach((l, v) => (offsets[v + 1] = offsets[v]! + l.length));
  const flat = lists.flat();
  const csr: CsrGraph = {
    offsets,
    adj: Int32Array.from(flat.map(([u]) => u)),
    weights: Float64Array.from(flat.map(([, w]) => w)),
  };
  return { csr, graph };
}

/** Planted clusters: dense inside, a few random ties across, strengths 1–5. */
function planted(seed: number, groups: number, size: number) {
  const rng = mulberry32(seed);
  const n = groups * size;
  const seen = new Set<string>();
  const edges: [number, number, number][] = [];
  const add = (a: number, b: number) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || seen.has(key)) return;
    seen.add(key);
    edges.push([a, b, 1 + Math.floor(rng() * 5)]);
  };
  for (let v = 0; v < n; v++) {
    const base = Math.floor(v / size) * size;
    for (let k = 0; k < 4; k++) add(v, base + Math.floor(rng() * size));
    if (rng() < 0.3) add(v, Math.floor(rng() * n));
  }
  return { n, edges };
}

describe('louvain (CSR)', () => {
  it('scores its partition exactly as graphology-metrics does', () => {
    const { n, edges } = planted(5, 8, 40);
    const { csr, graph } = both(n, edges);
    const found = louvain(csr, { rng: mulberry32(1) });
    const q = modularity(graph, {
      getNodeCommunity: (node) => found.community[Number(node.slice(1))]!,
      getEdgeWeight: 'weight',
    });
    expect(found.modularity).toBeCloseTo(q, 10);
    expect(found.quality).toBeCloseTo(q, 10);
  });

  it('finds partitions as good as graphology-communities-louvain (within 1%)', () => {
    for (const seed of [1, 2, 3]) {
      const { n, edges } = planted(seed, 12, 60);
      const { csr, graph } = both(n, edges);
      const ours = louvain(csr, { rng: mulberry32(seed) }).modularity;
      const theirs = louvainGraphology.detailed(graph, {
        getEdgeWeight: 'weight',
        rng: mulberry32(seed),
      }).modularity;
      expect(ours, `seed ${seed}`).toBeGreaterThan(theirs * 0.99);
    }
  });

  it('recovers planted clusters', () => {
    const { n, edges } = planted(9, 6, 50);
    const found = louvain(both(n, edges).csr, { rng: mulberry32(4) });
    // Most of each planted group shares one community.
    for (let g = 0; g < 6; g++) {
      const counts = new Map<number, number>();
      for (let v = g * 50; v < (g + 1) * 50; v++) {
        const c = found.community[v]!;
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      expect(Math.max(...counts.values()), `group ${g}`).toBeGreaterThanOrEqual(45);
    }
  });

  it('is deterministic for a seed, and leaves nodes without edges out', () => {
    const edges = KARATE_EDGES.map(([a, b]) => [a - 1, b - 1, 1] as const);
    // Node 34 has no edge.
    const { csr } = both(35, edges);
    const a = louvain(csr, { rng: mulberry32(7) });
    const b = louvain(csr, { rng: mulberry32(7) });
    expect([...a.community]).toEqual([...b.community]);
    expect(a.community[34]).toBe(-1);
    expect(a.modularity).toBeGreaterThan(0.41);
    expect(a.levels).toBeGreaterThanOrEqual(1);
  });

  it('returns no communities for a graph without edges', () => {
    const found = louvain(both(3, []).csr, { rng: mulberry32(1) });
    expect([...found.community]).toEqual([-1, -1, -1]);
    expect(found.count).toBe(0);
    expect(found.modularity).toBe(0);
  });

  it('at a high resolution splits into more, smaller communities', () => {
    const { n, edges } = planted(3, 4, 40);
    const { csr } = both(n, edges);
    const low = louvain(csr, { rng: mulberry32(1), resolution: 0.5 });
    const high = louvain(csr, { rng: mulberry32(1), resolution: 4 });
    expect(high.count).toBeGreaterThan(low.count);
  });
});
