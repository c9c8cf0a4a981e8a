import { describe, expect, it } from 'vitest';
import { clusters, type ClusterResult } from '../../src/analysis/index.ts';
import type { GraphSnapshot } from '../../src/analysis/snapshot.ts';
import {
  KARATE_EDGES,
  karateId,
  karateSnapshot,
  snapshotFrom,
  type TieSpec,
} from '../fixtures/karate.ts';

/**
 * Newman–Girvan modularity, written out from the definition (Newman & Girvan 2004):
 * Q = 1/2m Σ_ij [A_ij − k_i k_j / 2m] δ(c_i, c_j), over a dense adjacency matrix.
 * Deliberately shares no code with src/analysis or graphology.
 */
function modularityByDefinition(
  n: number,
  edges: readonly (readonly [number, number])[],
  community: (node: number) => string | undefined,
): number {
  const A = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  for (const [a, b] of edges) {
    A[a]![b] = 1;
    A[b]![a] = 1;
  }
  const k = A.map((row) => row.reduce((s, x) => s + x, 0));
  const twoM = k.reduce((s, x) => s + x, 0);
  let q = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= n; j++) {
      const ci = community(i);
      if (ci === undefined || ci !== community(j)) continue;
      q += A[i]![j]! - (k[i]! * k[j]!) / twoM;
    }
  }
  return q / twoM;
}

function clusterOf(result: ClusterResult, id: string): string | undefined {
  return result.assignment[id];
}

describe("clusters on Zachary's karate club", () => {
  const result = clusters(karateSnapshot());

  it('finds a partition with modularity of at least 0.41 (optimum 0.4198)', () => {
    const q = modularityByDefinition(34, KARATE_EDGES, (n) => clusterOf(result, karateId(n)));
    expect(q).toBeGreaterThanOrEqual(0.41);
    expect(q).toBeLessThanOrEqual(0.4198 + 1e-4);
    // The reported modularity is the same number.
    expect(result.modularity).toBeCloseTo(q, 10);
  });

  it('puts Mr. Hi (1) and the officer (34) in different clusters', () => {
    expect(clusterOf(result, karateId(1))).toBeDefined();
    expect(clusterOf(result, karateId(34))).toBeDefined();
    expect(clusterOf(result, karateId(1))).not.toBe(clusterOf(result, karateId(34)));
  });

  it('clusters everyone when the owner is not in the graph', () => {
    expect(result.unclustered).toEqual([]);
    expect(Object.keys(result.assignment)).toHaveLength(34);
    const members = result.clusters.flatMap((c) => c.members);
    expect(new Set(members).size).toBe(34);
  });

  it('reports standard modularity whatever resolution Louvain ran at', () => {
    for (const resolution of [0.5, 2]) {
      const r = clusters(karateSnapshot(), { resolution });
      const q = modularityByDefinition(34, KARATE_EDGES, (n) => clusterOf(r, karateId(n)));
      expect(r.modularity, `resolution ${resolution}`).toBeCloseTo(q, 10);
    }
  });

  it('holds up across seeds: every seed clears 0.41', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const r = clusters(karateSnapshot(), { seed });
      const q = modularityByDefinition(34, KARATE_EDGES, (n) => clusterOf(r, karateId(n)));
      expect(q, `seed ${seed}`).toBeGreaterThanOrEqual(0.41);
    }
  });
});

/** Four groups of six, each a ring with chords, joined by single ties, plus an owner. */
function fourGroups(extra: readonly TieSpec[] = [], drop: ReadonlySet<string> = new Set()) {
  const ties: TieSpec[] = [];
  const groups = ['a', 'b', 'c', 'd'];
  for (const g of groups) {
    for (let i = 1; i <= 6; i++) {
      ties.push([`${g}${i}`, `${g}${(i % 6) + 1}`]);
      if (i <= 3) ties.push([`${g}${i}`, `${g}${i + 3}`]);
    }
    ties.push(['me', `${g}1`]);
    ties.push(['me', `${g}4`]);
  }
  ties.push(['a2', 'b5'], ['b3', 'c6'], ['c2', 'd5']);
  const kept = ties.filter(([x, y]) => !drop.has(`${x}-${y}`));
  return snapshotFrom({ ties: [...kept, ...extra], people: ['lonely'] });
}

const groupOf = (r: ClusterResult, id: string) => r.clusters.find((c) => c.members.includes(id));

describe('clusters of a notebook', () => {
  it('leaves the owner out and lists people held only by the owner as unclustered', () => {
    const snapshot = fourGroups([['me', 'solo']]);
    const r = clusters(snapshot);
    expect(r.clusters).toHaveLength(4);
    expect(r.assignment.me).toBeUndefined();
    expect(r.unclustered).toEqual(['lonely', 'solo']);
    for (const g of ['a', 'b', 'c', 'd']) {
      expect(groupOf(r, `${g}1`)!.members).toEqual([1, 2, 3, 4, 5, 6].map((i) => `${g}${i}`));
    }
  });

  it('can include the owner, who then gets a cluster', () => {
    const r = clusters(fourGroups(), { includeOwner: true });
    expect(r.assignment.me).toBeDefined();
  });

  it('gives a cluster the id derived from its smallest member, so an edit elsewhere keeps it', () => {
    const before = clusters(fourGroups());
    const after = clusters(fourGroups([['d1', 'd3']]));
    for (const g of ['a', 'b', 'c', 'd']) {
      expect(groupOf(after, `${g}2`)!.id).toBe(groupOf(before, `${g}2`)!.id);
    }
  });

  it('keeps ids of unaffected clusters after a small edit, and of moved ones via `previous`', () => {
    const before = clusters(fourGroups());
    // a1, the smallest id in its group, leaves for group b: group a's smallest member
    // changes, so without `previous` its id would change too.
    const moved = fourGroups(
      [
        ['a1', 'b1'],
        ['a1', 'b2'],
        ['a1', 'b3'],
      ],
      new Set(['a1-a2', 'a6-a1', 'a1-a4']),
    );
    const fresh = clusters(moved);
    const carried = clusters(moved, { previous: before.clusters });
    expect(groupOf(fresh, 'a1')).toBe(groupOf(fresh, 'b1'));
    expect(groupOf(fresh, 'a2')!.id).not.toBe(groupOf(before, 'a2')!.id);
    for (const probe of ['a2', 'b2', 'c2', 'd2']) {
      expect(groupOf(carried, probe)!.id).toBe(groupOf(before, probe)!.id);
    }
  });

  it('does not hand an old id to a cluster that barely overlaps it', () => {
    const before = clusters(fourGroups());
    const strangers = snapshotFrom({
      ties: [
        ['a1', 'x1'],
        ['x1', 'x2'],
        ['x2', 'x3'],
        ['x3', 'a1'],
        ['x1', 'x3'],
        ['x4', 'x1'],
        ['x4', 'x2'],
      ],
    });
    const r = clusters(strangers, { previous: before.clusters });
    const ids = new Set(before.clusters.map((c) => c.id));
    // a1 is the only old member: a Jaccard overlap of at most 1/6, below the 0.3 minimum.
    expect(r.clusters.length).toBeGreaterThan(0);
    for (const c of r.clusters) expect(ids.has(c.id)).toBe(false);
    // With no minimum, the cluster holding a1 inherits group a's id.
    const loose = clusters(strangers, { previous: before.clusters, minOverlap: 0 });
    expect(groupOf(loose, 'a1')!.id).toBe(groupOf(before, 'a1')!.id);
  });

  it('is deterministic and independent of the order people and ties are listed in', () => {
    const snapshot = fourGroups();
    const shuffled: GraphSnapshot = {
      ...snapshot,
      people: [...snapshot.people].reverse(),
      ties: [...snapshot.ties].sort((x, y) => (x.id < y.id ? 1 : -1)),
    };
    expect(clusters(snapshot)).toEqual(clusters(snapshot));
    expect(clusters(shuffled)).toEqual(clusters(snapshot));
  });

  it('handles an empty notebook and a notebook without ties', () => {
    const empty = clusters({ owner: 'me', now: '2025-01-01', people: [], ties: [], intros: [] });
    expect(empty).toEqual({ clusters: [], modularity: 0, assignment: {}, unclustered: [] });
    const noTies = clusters(snapshotFrom({ ties: [], people: ['x', 'y'] }));
    expect(noTies.clusters).toEqual([]);
    expect(noTies.unclustered).toEqual(['x', 'y']);
  });

  it('weights by tie strength', () => {
    // A ring of six where alternate ties are strong: strong pairs should cluster together.
    const r = clusters(
      snapshotFrom({
        ownerAbsent: true,
        ties: [
          ['p1', 'p2', 5],
          ['p2', 'p3', 1],
          ['p3', 'p4', 5],
          ['p4', 'p5', 1],
          ['p5', 'p6', 5],
          ['p6', 'p1', 1],
        ],
      }),
    );
    expect(r.assignment.p1).toBe(r.assignment.p2);
    expect(r.assignment.p3).toBe(r.assignment.p4);
    expect(r.assignment.p2).not.toBe(r.assignment.p3);
  });
});
