/**
 * Taps on a large graph (issue 14 point 14): its elements take no pointer events, so a
 * press never marks a node `:active` (a restyle that makes Cytoscape draw every element
 * again); the view finds the person under a background tap by position instead. On
 * headless Cytoscape with the large-graph stylesheet, through the same adapter the app uses.
 */
import { describe, expect, it } from 'vitest';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import { nodeAt } from '../../src/graph/hit-test.ts';
import { LARGE_GRAPH } from '../../src/graph/style.ts';
import type { GraphView } from '../../src/graph/graph-view.ts';
import { person, tie } from '../helpers/graph.ts';

const N = LARGE_GRAPH + 10;

/** A large graph on a 60-unit grid, cached so no layout runs; `picked` logs selections. */
function largeView(picked: (string | null)[]): GraphView {
  const people = Array.from({ length: N }, (_, i) => person(`p${i}`));
  const ties = people.slice(1).map((p, i) => tie(`t${i}`, `p${i}`, p.id));
  const p: Record<string, [number, number]> = {};
  people.forEach((x, i) => (p[x.id] = [(i % 50) * 60, Math.floor(i / 50) * 60]));
  const items = new Map([['k', JSON.stringify({ v: 1, p })]]);
  const v = createHeadlessGraphView({
    onSelect: (id) => picked.push(id),
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, s) => void items.set(k, s) },
    positionsKey: 'k',
  });
  v.update({ people, ties });
  return v;
}

describe('taps on a large graph', () => {
  it('gives its elements no pointer events, so a press restyles nothing', () => {
    const v = largeView([]);
    const cy = v.cy!;
    expect(cy.nodes().length).toBe(N);
    expect(cy.getElementById('p7').style('events')).toBe('no');
    expect(cy.getElementById('t7').style('events')).toBe('no');
    v.destroy();
  });

  it('opens the person under a background tap, and nobody on empty ground', () => {
    const picked: (string | null)[] = [];
    const v = largeView(picked);
    const cy = v.cy!;
    const at = (id: string) => cy.getElementById(id).position();
    cy.zoom(1);
    // On a node's centre, and just inside its rim.
    cy.emit({ type: 'tap', position: at('p7') } as never);
    const r = cy.getElementById('p60').width() / 2;
    cy.emit({ type: 'tap', position: { x: at('p60').x + r - 0.5, y: at('p60').y } } as never);
    // Halfway between two grid points: nobody.
    cy.emit({ type: 'tap', position: { x: at('p7').x + 30, y: at('p7').y + 30 } } as never);
    expect(picked).toEqual(['p7', 'p60', null]);
    v.destroy();
  });
});

describe('nodeAt', () => {
  it('prefers the node the tap is most central on, skips hidden ones, allows a little slack', () => {
    const v = largeView([]);
    const cy = v.cy!;
    cy.zoom(1);
    const big = cy.getElementById('p0');
    const small = cy.getElementById('p1');
    // A small node lying on a big one: a tap on the small one means it.
    small.position({ x: big.position().x + 4, y: big.position().y });
    big.style({ width: 40, height: 40 });
    small.style({ width: 6, height: 6 });
    expect(nodeAt(cy, { x: big.position().x + 4, y: big.position().y })?.id()).toBe('p1');
    expect(nodeAt(cy, { x: big.position().x - 15, y: big.position().y })?.id()).toBe('p0');
    // Just outside the big node's rim: within a few pixels' slack, not beyond.
    const edge = { x: big.position().x - 21, y: big.position().y };
    expect(nodeAt(cy, edge, 3)?.id()).toBe('p0');
    expect(nodeAt(cy, edge, 0)).toBeUndefined();
    small.style({ display: 'none' });
    expect(nodeAt(cy, { x: big.position().x + 4, y: big.position().y })?.id()).toBe('p0');
    v.destroy();
  });
});
