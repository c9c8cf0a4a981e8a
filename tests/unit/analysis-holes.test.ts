import { describe, expect, it } from 'vitest';
import { analyze, structuralHoles } from '../../src/analysis/index.ts';
import { KARATE_EDGES, karateId, karateSnapshot, snapshotFrom } from '../fixtures/karate.ts';

/**
 * The worked example of Borgatti 1997, "Structural holes: unpacking Burt's redundancy
 * measures", Connections 20(1): 35–38 (http://www.analytictech.com/connections/v20(1)/
 * holes.htm): ego G with six contacts A, B, C, D, E, F, of whom A–B, A–E, A–F and B–D know
 * each other. By hand, effective size = n − 2t/n:
 *   G: n = 6, t = 4 (A–B, A–E, A–F, B–D)      → 6 − 8/6 = 4.667
 *   A: n = 4 (B, E, F, G), t = 3 (B–G, E–G, F–G) → 4 − 6/4 = 2.5
 *   C: n = 1                                    → 1
 * Constraint, and the weighted variants with the weights below, are the values NetworkX's
 * test suite gives for the same graph (computed there with UCINET and igraph and checked
 * by hand): unweighted C(G) = 0.400, C(A) = 0.595, C(C) = 1; weighted ES(G) = 5.47,
 * ES(A) = 2.47, C(G) = 0.299, C(A) = 0.795.
 */
const BORGATTI: readonly (readonly [string, string, number])[] = [
  ['A', 'B', 2],
  ['A', 'F', 3],
  ['A', 'G', 5],
  ['A', 'E', 2],
  ['E', 'G', 8],
  ['F', 'G', 3],
  ['B', 'G', 4],
  ['B', 'D', 1],
  ['D', 'G', 3],
  ['G', 'C', 10],
];

describe("Burt's effective size and constraint", () => {
  it("match Borgatti's worked example, unweighted", () => {
    const snapshot = snapshotFrom({
      ownerAbsent: true,
      owner: 'nobody',
      ties: BORGATTI.map(([a, b]) => [a, b, 3]),
    });
    const holes = structuralHoles(snapshot);
    expect(holes.G!.effectiveSize).toBeCloseTo(6 - 8 / 6, 10);
    expect(holes.A!.effectiveSize).toBeCloseTo(2.5, 10);
    expect(holes.C!.effectiveSize).toBeCloseTo(1, 10);
    expect(holes.G!.constraint).toBeCloseTo(0.4, 3);
    expect(holes.A!.constraint).toBeCloseTo(0.595, 3);
    expect(holes.C!.constraint).toBeCloseTo(1, 10);
    expect(holes.G!.degree).toBe(6);
  });

  it('match the weighted values for the same graph', () => {
    // A weaker second tie between C and G changes nothing: a pair weighs its strongest tie.
    const snapshot = snapshotFrom({
      ownerAbsent: true,
      owner: 'nobody',
      ties: [['C', 'G', 1], ...BORGATTI],
    });
    const holes = structuralHoles(snapshot);
    expect(holes.G!.effectiveSize).toBeCloseTo(5.47, 2);
    expect(holes.A!.effectiveSize).toBeCloseTo(2.47, 2);
    expect(holes.C!.effectiveSize).toBeCloseTo(1, 10);
    expect(holes.G!.constraint).toBeCloseTo(0.299, 3);
    expect(holes.A!.constraint).toBeCloseTo(0.795, 3);
    expect(holes.C!.constraint).toBeCloseTo(1, 10);
  });

  it("equal Borgatti's n − 2t/n for every karate member (brute force)", () => {
    const holes = structuralHoles(karateSnapshot());
    const nbrs = new Map<number, Set<number>>();
    for (const [a, b] of KARATE_EDGES) {
      if (!nbrs.has(a)) nbrs.set(a, new Set());
      if (!nbrs.has(b)) nbrs.set(b, new Set());
      nbrs.get(a)!.add(b);
      nbrs.get(b)!.add(a);
    }
    for (let i = 1; i <= 34; i++) {
      const contacts = [...nbrs.get(i)!];
      let t = 0;
      for (const x of contacts) for (const y of contacts) if (x < y && nbrs.get(x)!.has(y)) t++;
      const n = contacts.length;
      expect(holes[karateId(i)]!.effectiveSize, `member ${i}`).toBeCloseTo(n - (2 * t) / n, 9);
    }
  });

  it('leave out people without ties, and the owner when asked', () => {
    const snapshot = snapshotFrom({
      people: ['hermit'],
      ties: [
        ['me', 'a'],
        ['me', 'b'],
        ['a', 'b'],
        ['a', 'c'],
      ],
    });
    const all = structuralHoles(snapshot);
    expect(all.hermit).toBeUndefined();
    expect(all.a!.degree).toBe(3);
    const without = structuralHoles(snapshot, { withoutOwner: true });
    expect(without.me).toBeUndefined();
    expect(without.a!.degree).toBe(2);
    // Without the owner, a's two contacts b and c do not know each other.
    expect(without.a!.effectiveSize).toBeCloseTo(2, 10);
  });

  it('rate the owner on the whole network and everyone else without the owner in analyze', () => {
    const snapshot = snapshotFrom({
      ties: [
        ['me', 'a'],
        ['me', 'b'],
        ['me', 'c'],
        ['a', 'b'],
        ['c', 'd'],
        ['c', 'e'],
      ],
    });
    const result = analyze(snapshot);
    const whole = structuralHoles(snapshot);
    const without = structuralHoles(snapshot, { withoutOwner: true });
    expect(result.you!.effectiveSize).toBeCloseTo(whole.me!.effectiveSize, 4);
    expect(result.you!.constraint).toBeCloseTo(whole.me!.constraint, 4);
    expect(result.structuralHoles.c!.effectiveSize).toBeCloseTo(without.c!.effectiveSize, 4);
    expect(result.structuralHoles.me).toBeUndefined();
    // c is the broker: two contacts who do not know each other, without the owner.
    expect(result.brokers[0]!.personId).toBe('c');
    expect(result.brokers[0]!.explanation).toMatch(/^c .*2 of their 2 contacts are non-redundant/);
  });
});
