/**
 * Search in the graph (issue 14 point 13), on headless Cytoscape: the people a search finds
 * are marked and everyone else — and every line with an end that was not found — dimmed;
 * by class only (no rebuild, no data change, nobody moved), kept across updates, and gone
 * without a trace when the search ends.
 */
import { describe, expect, it } from 'vitest';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput, GraphView } from '../../src/graph/graph-view.ts';
import { person, tie } from '../helpers/graph.ts';

/** Owner "me" tied to a..e; a–b and c–d tied to each other. */
function base(): GraphInput {
  const people = ['me', 'a', 'b', 'c', 'd', 'e'].map((id) => person(id, id.toUpperCase()));
  const ties = ['a', 'b', 'c', 'd', 'e'].map((p) => tie(`o-${p}`, 'me', p));
  ties.push(tie('ab', 'a', 'b'), tie('cd', 'c', 'd'));
  return { people, ties, ownerId: 'me' };
}

function view(): GraphView {
  const items = new Map<string, string>();
  return createHeadlessGraphView({
    onSelect: () => {},
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) },
    positionsKey: 'test',
    saveDelayMs: 1,
  });
}

const ids = (v: GraphView, sel: string) =>
  v
    .cy!.$(sel)
    .map((e) => e.id())
    .sort();

describe('search marks in the graph', () => {
  it('marks the matches, dims the rest, follows updates and clears without a trace', async () => {
    const v = view();
    const input = base();
    v.update(input);
    await v.whenLayoutDone();
    const cy = v.cy!;
    const before = cy.nodes().map((n) => ({ id: n.id(), ...n.position() }));
    const builds = v.stats!.builds;
    const data: string[] = [];
    cy.on('data', (e) => void data.push(e.target.id()));

    v.mark(new Set(['a', 'b', 'nobody']));
    expect(ids(v, '.vt-match')).toEqual(['a', 'b']);
    // Everyone else dimmed, and every line with an end not found; a–b stays lit.
    expect(ids(v, 'node.vt-dim')).toEqual(['c', 'd', 'e', 'me']);
    expect(ids(v, 'edge.vt-dim')).toEqual(['cd', 'o-a', 'o-b', 'o-c', 'o-d', 'o-e']);
    expect(cy.getElementById('ab').hasClass('vt-dim')).toBe(false);
    // It shows: the rest faded, the matches ringed with their names at any zoom.
    expect(cy.getElementById('c').numericStyle('opacity')).toBeLessThan(0.5);
    expect(cy.getElementById('a').numericStyle('opacity')).toBe(1);
    expect(cy.getElementById('a').numericStyle('border-width')).toBeGreaterThan(0);
    expect(cy.getElementById('c').numericStyle('border-width')).toBe(0);

    // A new search replaces the marks.
    v.mark(new Set(['c']));
    expect(ids(v, '.vt-match')).toEqual(['c']);
    expect(cy.getElementById('a').hasClass('vt-dim')).toBe(true);
    expect(cy.getElementById('c').hasClass('vt-dim')).toBe(false);

    // Kept across updates: someone added while searching is dimmed, or marked if found.
    v.update({ ...input, people: [...input.people, person('f'), person('g')] });
    expect(cy.getElementById('f').hasClass('vt-dim')).toBe(true);
    v.mark(new Set(['c', 'g']));
    expect(ids(v, '.vt-match')).toEqual(['c', 'g']);

    v.mark(null);
    expect(cy.$('.vt-match, .vt-dim').length).toBe(0);
    expect(cy.getElementById('c').numericStyle('opacity')).toBe(1);
    // Classes only: no data changed, nothing rebuilt, nobody moved.
    expect(data).toEqual([]);
    expect(v.stats!.builds).toBe(builds);
    for (const p of before) expect(cy.getElementById(p.id).position()).toEqual({ x: p.x, y: p.y });
    v.destroy();
  });
});
