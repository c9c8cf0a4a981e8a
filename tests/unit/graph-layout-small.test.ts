/**
 * Small notebooks and re-layouts on the headless adapter: unconnected people not on one
 * line, a new tie settles the graph incrementally, no tie through a third person,
 * "Without me" re-lays out without the owner and gives everyone back afterwards, and a
 * bulk of inferred ties (an activity import) re-lays the graph out.
 */
import { describe, expect, it } from 'vitest';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput, GraphView } from '../../src/graph/graph-view.ts';
import type { Tie } from '../../src/model/index.ts';
import { person, tie } from '../helpers/graph.ts';
import { rng } from '../helpers/notebook.ts';
import { collinearShare, edgesThroughNodes, positionsOf } from '../helpers/layout-metrics.ts';

const PANE = { width: 800, height: 600 };

function view(): GraphView {
  return createHeadlessGraphView({ onSelect() {}, pane: PANE, relayoutDelayMs: 10 });
}

function dist(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

describe('a small notebook', () => {
  it('does not put unconnected people on one straight line', async () => {
    // Six people, the owner tied to two of them, three who know nobody yet.
    const people = ['me', 'a', 'b', 'c', 'd', 'e'].map((id) => person(id));
    const ties = [tie('t1', 'me', 'a'), tie('t2', 'me', 'b')];
    // ...and a brand-new notebook where nobody is tied yet. (fcose tiled both in rows.)
    for (const t of [ties, []]) {
      const v = view();
      v.update({ people, ties: t, ownerId: 'me' });
      await v.whenLayoutDone();
      const at = [...positionsOf(v.cy!).values()];
      // No three of the six on one line (two always are).
      expect(collinearShare(at)).toBeLessThan(0.5);
      // Nobody on top of anybody.
      for (let i = 0; i < at.length; i++) {
        for (let j = i + 1; j < at.length; j++) expect(dist(at[i]!, at[j]!)).toBeGreaterThan(20);
      }
      v.destroy();
    }
  });

  it('re-lays out incrementally when a tie is added: the two come closer, the rest stays put', async () => {
    const people = ['me', 'a', 'b', 'c', 'd', 'e', 'f'].map((id) => person(id));
    const ties: Tie[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => tie(`o${id}`, 'me', id));
    ties.push(tie('ab', 'a', 'b'), tie('cd', 'c', 'd'));
    const v = view();
    const input: GraphInput = { people, ties, ownerId: 'me' };
    v.update(input);
    await v.whenLayoutDone();
    const before = positionsOf(v.cy!);
    const gap = dist(before.get('a')!, before.get('f')!);
    v.update({ ...input, ties: [...ties, tie('af', 'a', 'f', { strength: 5 })] });
    await v.whenLayoutDone();
    expect(v.stats!.relayouts).toBe(1);
    expect(v.stats!.layouts).toBe(1);
    const after = positionsOf(v.cy!);
    expect(dist(after.get('a')!, after.get('f')!)).toBeLessThan(gap);
    // Incremental: the owner has not moved, nobody was thrown across the drawing.
    expect(dist(after.get('me')!, before.get('me')!)).toBeLessThan(1);
    const span = Math.max(...[...before.values()].map((p) => dist(p, before.get('me')!)));
    for (const id of ['b', 'c', 'd', 'e']) {
      expect(dist(after.get(id)!, before.get(id)!)).toBeLessThan(span);
    }
    v.destroy();
  });

  it('never draws a tie through a third person (random small graphs)', async () => {
    const random = rng(11);
    for (let g = 0; g < 6; g++) {
      const n = 6 + Math.floor(random() * 20);
      const people = Array.from({ length: n }, (_, i) => person(`p${i}`));
      const ties: Tie[] = [];
      for (let i = 1; i < n; i++) if (random() < 0.7) ties.push(tie(`o${i}`, 'p0', `p${i}`));
      for (let k = 0; k < n; k++) {
        const a = Math.floor(random() * n);
        const b = Math.floor(random() * n);
        if (a !== b) ties.push(tie(`t${k}`, `p${a}`, `p${b}`, { strength: 1 + (k % 5) }));
      }
      const v = view();
      v.update({ people, ties, ownerId: 'p0' });
      await v.whenLayoutDone();
      expect(edgesThroughNodes(v.cy!), `graph ${g} of ${n} people`).toEqual([]);
      v.destroy();
    }
  });
});

/** Two groups of five tied among themselves, one bridge, and the owner tied to all. */
function twoGroups(): GraphInput {
  const people = [person('me')];
  const ties: Tie[] = [];
  for (const g of ['a', 'b']) {
    for (let i = 0; i < 5; i++) {
      people.push(person(`${g}${i}`));
      ties.push(tie(`o${g}${i}`, 'me', `${g}${i}`));
      ties.push(tie(`r${g}${i}`, `${g}${i}`, `${g}${(i + 1) % 5}`));
    }
  }
  ties.push(tie('bridge', 'a0', 'b0'));
  const clusterOf = new Map(people.filter((p) => p.id !== 'me').map((p) => [p.id, p.id[0]!]));
  return { people, ties, ownerId: 'me', clusterOf };
}

describe('"Without me"', () => {
  it('re-lays out without the owner, then puts everyone back', async () => {
    const input = twoGroups();
    const v = view();
    v.update(input);
    await v.whenLayoutDone();
    const cy = v.cy!;
    const start = positionsOf(cy);
    const owner = start.get('me')!;
    v.update({
      ...input,
      people: input.people.filter((p) => p.id !== 'me'),
      arrangement: 'without-me',
    });
    await v.whenLayoutDone();
    expect(v.stats!.relayouts).toBe(1);
    const without = positionsOf(cy);
    expect(without.has('me')).toBe(false);
    // People moved: what remains is laid out on its own, not left as a star with a hole.
    let moved = 0;
    for (const [id, p] of without) if (dist(p, start.get(id)!) > 10) moved++;
    expect(moved).toBeGreaterThan(without.size / 2);
    // Nobody takes the owner's place, each group holds together on its own side, and no
    // tie runs through anyone.
    for (const p of without.values()) expect(dist(p, owner)).toBeGreaterThan(10);
    const centre = (g: string) => {
      const ps = [...without].filter(([id]) => id.startsWith(g)).map(([, p]) => p);
      return { x: ps.reduce((s, p) => s + p.x, 0) / 5, y: ps.reduce((s, p) => s + p.y, 0) / 5 };
    };
    const [ca, cb] = [centre('a'), centre('b')];
    for (const [id, p] of without) {
      const [own, other] = id.startsWith('a') ? [ca, cb] : [cb, ca];
      expect(dist(p, own)).toBeLessThan(dist(p, other));
    }
    expect(edgesThroughNodes(cy)).toEqual([]);

    // Back: everyone where they were.
    v.update(input);
    await v.whenLayoutDone();
    for (const [id, p] of positionsOf(cy)) expect(dist(p, start.get(id)!)).toBeLessThan(1);
    v.destroy();
  });

  it("never saves its arrangement over the notebook's positions", async () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, val: string) => void items.set(k, val),
    };
    const input = twoGroups();
    const v = createHeadlessGraphView({
      onSelect() {},
      pane: PANE,
      positionsKey: 'nb',
      storage,
      saveDelayMs: 0,
    });
    v.update(input);
    await v.whenLayoutDone();
    const saved = items.get('nb');
    v.update({
      ...input,
      people: input.people.filter((p) => p.id !== 'me'),
      arrangement: 'without-me',
    });
    await v.whenLayoutDone();
    v.destroy();
    expect(items.get('nb')).toBe(saved);
  });
});

describe('an activity import that infers ties between contacts', () => {
  it('re-lays out the graph so the new groups show', async () => {
    // Before: a LinkedIn-only notebook, everyone tied to the owner only.
    const people = [person('me')];
    const ties: Tie[] = [];
    for (let i = 0; i < 30; i++) {
      people.push(person(`p${i}`));
      ties.push(tie(`o${i}`, 'me', `p${i}`));
    }
    const v = view();
    v.update({ people, ties, ownerId: 'me' });
    await v.whenLayoutDone();
    expect(v.stats!.layouts).toBe(1);
    // The import: three groups who meet among themselves (inferred ties), and the clusters
    // the analysis then finds.
    const inferred: Tie[] = [];
    const clusterOf = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      clusterOf.set(`p${i}`, `c${i % 3}`);
      for (let j = i + 3; j < 30; j += 3) {
        if ((i + j) % 2)
          inferred.push(tie(`i${i}-${j}`, `p${i}`, `p${j}`, { provenance: 'inferred' }));
      }
    }
    v.update({ people, ties: [...ties, ...inferred], ownerId: 'me' });
    await v.whenLayoutDone();
    expect(v.stats!.layouts).toBe(2);
    v.update({ people, ties: [...ties, ...inferred], ownerId: 'me', clusterOf });
    await v.whenLayoutDone();
    // The clusters arrived after: laid out once more, now as three regions.
    expect(v.stats!.layouts).toBe(3);
    const at = positionsOf(v.cy!);
    const centre = (c: string) => {
      const ps = [...clusterOf].filter(([, g]) => g === c).map(([id]) => at.get(id)!);
      return {
        x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
        y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
      };
    };
    const centres = ['c0', 'c1', 'c2'].map(centre);
    let own = 0;
    for (const [id, c] of clusterOf) {
      const d = centres.map((q) => dist(q, at.get(id)!));
      if (d.indexOf(Math.min(...d)) === Number(c.slice(1))) own++;
    }
    expect(own / clusterOf.size).toBeGreaterThanOrEqual(0.9);
    v.destroy();
  });
});
