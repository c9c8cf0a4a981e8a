import { describe, expect, it } from 'vitest';
import { DRAFT_ABOVE, computeLayout } from '../../src/graph/layout-core.ts';
import { rng } from '../helpers/notebook.ts';

/** An ego network: `groups` clusters of `size` people, sparse ties across, and the owner. */
function egoNetwork(groups: number, size: number) {
  const random = rng(3);
  const nodes = ['me'];
  const edges: [string, string, number][] = [];
  const group = new Map<string, number>();
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < size; i++) {
      const id = `g${g}-${i}`;
      nodes.push(id);
      group.set(id, g);
      edges.push(['me', id, 2]);
      for (let k = 0; k < 3; k++) {
        const other = `g${g}-${Math.floor(random() * size)}`;
        if (other !== id) edges.push([id, other, 1 + Math.floor(random() * 5)]);
      }
      if (random() < 0.05) {
        edges.push([id, `g${(g + 1) % groups}-${Math.floor(random() * size)}`, 1]);
      }
    }
  }
  return { nodes, edges, group };
}

describe('large-graph layout (draft + ForceAtlas2)', () => {
  it('pulls each cluster into its own region, keeps the owner in the middle, ties readable', async () => {
    const { nodes, edges, group } = egoNetwork(6, 70);
    expect(nodes.length).toBeGreaterThan(DRAFT_ABOVE);
    const { ids, xy } = await computeLayout({ nodes, edges, center: 'me' });
    const at = new Map(ids.map((id, k) => [id, [xy[2 * k]!, xy[2 * k + 1]!] as const]));
    expect(at.size).toBe(nodes.length);
    for (const [x, y] of at.values()) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);

    // Clusters: people sit much closer to their own group's centre than to the others'.
    const centres = Array.from({ length: 6 }, (_, g) => {
      const members = [...group].filter(([, k]) => k === g).map(([id]) => at.get(id)!);
      return [
        members.reduce((s, p) => s + p[0], 0) / members.length,
        members.reduce((s, p) => s + p[1], 0) / members.length,
      ] as const;
    });
    let own = 0;
    for (const [id, g] of group) {
      const [x, y] = at.get(id)!;
      const d = centres.map(([cx, cy]) => Math.hypot(x - cx, y - cy));
      if (d.indexOf(Math.min(...d)) === g) own++;
    }
    expect(own / group.size).toBeGreaterThan(0.9);

    // The owner, tied to everyone, stays near the middle of the drawing.
    const all = [...at.values()];
    const mx = all.reduce((s, p) => s + p[0], 0) / all.length;
    const my = all.reduce((s, p) => s + p[1], 0) / all.length;
    const [ox, oy] = at.get('me')!;
    const fromMiddle = all.map(([x, y]) => Math.hypot(x - mx, y - my)).sort((a, b) => a - b);
    expect(Math.hypot(ox - mx, oy - my)).toBeLessThan(fromMiddle[Math.floor(all.length * 0.25)]!);

    // Scaled so a typical tie is about 110 px, as the small-graph layout's ideal length.
    const lengths = edges
      .map(([a, b]) => Math.hypot(at.get(a)![0] - at.get(b)![0], at.get(a)![1] - at.get(b)![1]))
      .sort((a, b) => a - b);
    const median = lengths[lengths.length >> 1]!;
    expect(median).toBeGreaterThan(60);
    expect(median).toBeLessThan(400);
  });
});
