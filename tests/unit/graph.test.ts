/**
 * The graph adapter in Node on headless Cytoscape: what a person would notice if it broke —
 * a small edit redrawing everything, a reopened notebook re-running its layout, a new
 * person appearing far from the people they know, colours jumping between runs.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Core } from 'cytoscape';
import {
  Notebook,
  addPerson,
  deletePerson,
  initNotebook,
  linkPeople,
  listPeople,
  listTies,
  updateTie,
  type Tie,
} from '../../src/model/index.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput, GraphView } from '../../src/graph/graph-view.ts';
import { legendItems } from '../../src/graph/legend.ts';
import {
  CLUSTER_PALETTE,
  assignClusterColors,
  clusterColor,
  degreeImportance,
  edgeData,
  nodeData,
  stableHash,
} from '../../src/graph/elements.ts';
import {
  loadPositions,
  placeNearNeighbours,
  savePositions,
  type Point,
} from '../../src/graph/positions.ts';
import { mainThreadRunner, type LayoutRunner } from '../../src/graph/layout.ts';
import { person, tie } from '../helpers/graph.ts';

/** A small clustered network: owner "me" tied to everyone, rings of five inside clusters. */
function network(n = 40): GraphInput {
  const people = [person('me', 'Me')];
  const ties: Tie[] = [];
  for (let i = 0; i < n; i++) {
    people.push(person(`p${i}`, `Person ${i}`));
    ties.push(tie(`o${i}`, 'me', `p${i}`));
    const next = i - (i % 5) + ((i + 1) % 5);
    ties.push(tie(`r${i}`, `p${i}`, `p${next}`, { strength: 1 + (i % 5) }));
  }
  return { people, ties, ownerId: 'me' };
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** A layout runner that counts its runs (and really lays out, on this thread). */
function countingRunner(): LayoutRunner & { runs: number } {
  const inner = mainThreadRunner();
  const r = {
    runs: 0,
    run(req: Parameters<LayoutRunner['run']>[0]) {
      r.runs++;
      return inner.run(req);
    },
    destroy() {},
  };
  return r;
}

function view(
  opts: {
    storage?: MemoryStorage;
    key?: string;
    runner?: LayoutRunner;
    onSelect?: () => void;
  } = {},
): GraphView {
  return createHeadlessGraphView({
    onSelect: opts.onSelect ?? (() => {}),
    storage: opts.storage ?? new MemoryStorage(),
    positionsKey: opts.key,
    layoutRunner: opts.runner,
    saveDelayMs: 1,
  });
}

/** Record every element add/remove/data event from now on. */
function watch(cy: Core) {
  const log = { add: [] as string[], remove: [] as string[], data: [] as string[] };
  cy.on('add', (e) => void log.add.push(e.target.id()));
  cy.on('remove', (e) => void log.remove.push(e.target.id()));
  cy.on('data', (e) => void log.data.push(e.target.id()));
  return log;
}

function positions(cy: Core): Map<string, Point> {
  const out = new Map<string, Point>();
  cy.nodes().forEach((n) => void out.set(n.id(), { ...n.position() }));
  return out;
}

describe('cluster colours', () => {
  it('give a cluster the same palette colour every time, from a stable hash', () => {
    expect(stableHash('cluster-a')).toBe(stableHash('cluster-a'));
    // FNV-1a reference value for "a" (0xe40c292c).
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(CLUSTER_PALETTE).toContain(clusterColor('c7'));
    expect(clusterColor('c7')).toBe(clusterColor('c7'));
  });

  it('spread twelve clusters over most of the palette, all opaque hex colours', () => {
    const colours = new Set(Array.from({ length: 12 }, (_, i) => clusterColor(`c${i}`)));
    expect(colours.size).toBeGreaterThanOrEqual(6);
    for (const c of CLUSTER_PALETTE) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('colour the owner and unclustered people apart from clusters', () => {
    const owner = nodeData(person('me'), { importance: 1, owner: true, cluster: 'c1' });
    const loner = nodeData(person('x'), { importance: 0, owner: false });
    expect(CLUSTER_PALETTE).not.toContain(owner.color);
    expect(CLUSTER_PALETTE).not.toContain(loner.color);
    expect(owner.owner).toBe(1);
  });
});

describe('element data', () => {
  it('sizes by degree on an absolute scale: one more tie changes only that person', () => {
    expect(degreeImportance(0)).toBe(0);
    expect(degreeImportance(3)).toBeLessThan(degreeImportance(4));
    expect(degreeImportance(1000)).toBe(1);
  });

  it('marks overdue and introduction-made ties', () => {
    const e = edgeData(tie('t', 'a', 'b', { introId: 'i1', strength: 5 }), true);
    expect(e).toMatchObject({ source: 'a', target: 'b', strength: 5, overdue: 1, intro: 1 });
    expect(edgeData(tie('u', 'a', 'b'), false)).toMatchObject({ overdue: 0, intro: 0 });
  });

  it('draws a tie inferred from meetings thin and dotted, whatever its strength', async () => {
    const v = view();
    const input = network(5);
    v.update({
      ...input,
      ties: [...input.ties, tie('inf', 'p0', 'p3', { strength: 5, provenance: 'inferred' })],
    });
    await v.whenLayoutDone();
    const inferred = v.cy!.getElementById('inf');
    const own = v.cy!.getElementById('r0');
    expect(inferred.data('inferred')).toBe(1);
    expect(inferred.style('line-style')).toBe('dotted');
    expect(parseFloat(inferred.style('width'))).toBe(1);
    expect(own.style('line-style')).toBe('solid');
    v.destroy();
  });
});

describe('position cache', () => {
  it('round-trips positions through storage, rounded', () => {
    const s = new MemoryStorage();
    savePositions(s, 'k', [['a', { x: 1.4, y: -2.6 }]]);
    expect(loadPositions(s, 'k').get('a')).toEqual({ x: 1, y: -3 });
  });

  it('reads a corrupt, foreign or unreadable entry as no cache', () => {
    const s = new MemoryStorage();
    s.setItem('bad', '{not json');
    s.setItem('old', JSON.stringify({ v: 99, p: { a: [1, 2] } }));
    expect(loadPositions(s, 'bad').size).toBe(0);
    expect(loadPositions(s, 'old').size).toBe(0);
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadPositions(throwing, 'k').size).toBe(0);
    expect(savePositions(throwing, 'k', [['a', { x: 0, y: 0 }]])).toBe(false);
  });
});

describe('placing new people', () => {
  it('puts a newcomer between the people they know, not on top of anyone', () => {
    const known = new Map<string, Point>([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 200, y: 0 }],
    ]);
    const placed = placeNearNeighbours(['n'], () => ['a', 'b'], known, 20).get('n')!;
    expect(Math.hypot(placed.x - 100, placed.y)).toBeLessThanOrEqual(20);
    expect(Math.hypot(placed.x - 100, placed.y)).toBeGreaterThan(0);
  });

  it('places a chain of newcomers in waves from the known side', () => {
    const known = new Map<string, Point>([['a', { x: 1000, y: 1000 }]]);
    const nb: Record<string, string[]> = { n1: ['a', 'n2'], n2: ['n1'] };
    const placed = placeNearNeighbours(['n2', 'n1'], (id) => nb[id] ?? [], known, 20);
    expect(Math.hypot(placed.get('n1')!.x - 1000, placed.get('n1')!.y - 1000)).toBeLessThan(25);
    expect(Math.hypot(placed.get('n2')!.x - 1000, placed.get('n2')!.y - 1000)).toBeLessThan(50);
  });

  it('puts someone who knows nobody drawn outside the drawing', () => {
    const known = new Map<string, Point>([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 100, y: 100 }],
    ]);
    const p = placeNearNeighbours(['loner'], () => [], known, 20).get('loner')!;
    expect(Math.hypot(p.x - 50, p.y - 50)).toBeGreaterThan(Math.hypot(50, 50));
  });
});

describe('graph view updates', () => {
  it('draws every visible person and tie, and lays out a first open once', async () => {
    const runner = countingRunner();
    const v = view({ runner, key: 'nb' });
    v.update(network());
    await v.whenLayoutDone();
    expect(v.nodeCount()).toBe(41);
    expect(v.cy!.edges().length).toBe(80);
    expect(runner.runs).toBe(1);
    // A real layout: people are spread out, not stacked.
    const xs = new Set([...positions(v.cy!).values()].map((p) => Math.round(p.x)));
    expect(xs.size).toBeGreaterThan(30);
    v.destroy();
  });

  it('adds exactly one node (and its tie) for one added person, leaving the rest alone', async () => {
    const v = view();
    const input = network();
    v.update(input);
    await v.whenLayoutDone();
    const cy = v.cy!;
    const before = positions(cy);
    const log = watch(cy);
    const addSpy = vi.spyOn(cy, 'add');
    const newcomer = person('new', 'Newcomer');
    v.update({
      ...input,
      people: [...input.people, newcomer],
      ties: [...input.ties, tie('tn', 'new', 'p3')],
    });
    expect(addSpy).toHaveBeenCalledTimes(1);
    expect(log.add.sort()).toEqual(['new', 'tn']);
    expect(log.remove).toEqual([]);
    // Only p3 gained a tie, so only p3's size changed.
    expect(log.data).toEqual(['p3']);
    for (const [id, p] of before) expect(cy.getElementById(id).position()).toEqual(p);
    // The newcomer sits next to the one person they know.
    const p3 = cy.getElementById('p3').position();
    const n = cy.getElementById('new').position();
    expect(Math.hypot(n.x - p3.x, n.y - p3.y)).toBeLessThanOrEqual(40);
    expect(v.stats!.layouts).toBe(1);
    expect(v.stats!.builds).toBe(1);
    v.destroy();
  });

  it('removes a person with their ties, and nothing else', async () => {
    const v = view();
    const input = network();
    v.update(input);
    const cy = v.cy!;
    const log = watch(cy);
    v.update({
      ...input,
      people: input.people.filter((p) => p.id !== 'p7'),
      ties: input.ties.filter((t) => t.from !== 'p7' && t.to !== 'p7'),
    });
    expect(cy.getElementById('p7').empty()).toBe(true);
    expect(log.remove.sort()).toEqual(['o7', 'p7', 'r6', 'r7'].sort());
    expect(log.add).toEqual([]);
    expect(cy.edges().length).toBe(77);
    v.destroy();
  });

  it('changes only that edge when a tie gets stronger', () => {
    const v = view();
    const input = network();
    v.update(input);
    const cy = v.cy!;
    const log = watch(cy);
    const ties = input.ties.map((t) => (t.id === 'r2' ? { ...t, strength: 5 } : t));
    expect(input.ties.find((t) => t.id === 'r2')!.strength).not.toBe(5);
    v.update({ ...input, ties });
    expect(log).toEqual({ add: [], remove: [], data: ['r2'] });
    expect(cy.getElementById('r2').data('strength')).toBe(5);
    v.destroy();
  });

  it('re-attaches a tie whose end moved (a merge) instead of leaving it on the old person', () => {
    const v = view();
    const input = network();
    v.update(input);
    const cy = v.cy!;
    const log = watch(cy);
    const ties = input.ties.map((t) => (t.id === 'r0' ? { ...t, to: 'p9' } : t));
    v.update({ ...input, ties });
    expect(log.remove).toEqual(['r0']);
    expect(log.add).toEqual(['r0']);
    expect(cy.getElementById('r0').target().id()).toBe('p9');
    v.destroy();
  });

  it('restyles only the ties that became overdue, and does nothing for an identical input', () => {
    const v = view();
    const input = network();
    v.update(input);
    const cy = v.cy!;
    const log = watch(cy);
    v.update({ ...input });
    expect(log).toEqual({ add: [], remove: [], data: [] });
    v.update({ ...input, overdueTieIds: new Set(['o1', 'o2']) });
    expect(log.data.sort()).toEqual(['o1', 'o2']);
    expect(cy.getElementById('o1').data('overdue')).toBe(1);
    v.destroy();
  });

  it('recolours only the people whose cluster changed', () => {
    const v = view();
    const input = network(10);
    const clusters = new Map(input.people.map((p) => [p.id, 'c1']));
    v.update({ ...input, clusterOf: clusters });
    const log = watch(v.cy!);
    const next = new Map(clusters).set('p2', 'c2');
    v.update({ ...input, clusterOf: next });
    expect(log.data).toEqual(['p2']);
    expect(v.cy!.getElementById('p2').data('color')).toBe(
      clusterColor('c2', assignClusterColors(['c1', 'c2'])),
    );
    v.destroy();
  });

  it('reopens at the cached positions without running a layout', async () => {
    const storage = new MemoryStorage();
    const first = view({ storage, key: 'nb:1' });
    first.update(network());
    await first.whenLayoutDone();
    const laidOut = positions(first.cy!);
    first.destroy();

    const runner = countingRunner();
    const again = view({ storage, key: 'nb:1', runner });
    again.update(network());
    await again.whenLayoutDone();
    expect(runner.runs).toBe(0);
    expect(again.stats!.layouts).toBe(0);
    for (const [id, p] of positions(again.cy!)) {
      // toBeCloseTo, not toBe: Math.round(-0.3) is -0, and the cache stores it as 0.
      expect(p.x).toBeCloseTo(Math.round(laidOut.get(id)!.x), 6);
      expect(p.y).toBeCloseTo(Math.round(laidOut.get(id)!.y), 6);
    }
    again.destroy();

    // A different notebook (another key) is laid out on its own.
    const other = view({ storage, key: 'nb:2', runner });
    other.update(network());
    await other.whenLayoutDone();
    expect(runner.runs).toBe(1);
    other.destroy();
  });

  it('places people added since the positions were cached near their neighbours', async () => {
    const storage = new MemoryStorage();
    const first = view({ storage, key: 'nb' });
    first.update(network());
    await first.whenLayoutDone();
    first.destroy();

    const runner = countingRunner();
    const again = view({ storage, key: 'nb', runner });
    const input = network();
    again.update({
      ...input,
      people: [...input.people, person('late')],
      ties: [...input.ties, tie('tl', 'late', 'p0')],
    });
    expect(runner.runs).toBe(0);
    const p0 = again.cy!.getElementById('p0').position();
    const late = again.cy!.getElementById('late').position();
    expect(Math.hypot(late.x - p0.x, late.y - p0.y)).toBeLessThanOrEqual(40);
    again.destroy();
  });

  it('lays out again when a bulk import adds most of the graph', async () => {
    const runner = countingRunner();
    const v = view({ runner });
    v.update({ people: [person('me')], ties: [], ownerId: 'me' });
    await v.whenLayoutDone();
    const before = runner.runs;
    v.update(network());
    await v.whenLayoutDone();
    expect(runner.runs).toBe(before + 1);
    expect(v.nodeCount()).toBe(41);
    v.destroy();
  });
});

describe('large graphs', () => {
  it('switches to the large-graph settings once, when an import crosses 2,000 people', async () => {
    // A stand-in layout (a grid) keeps this test about the switch, not about fcose's speed.
    let runs = 0;
    const grid: LayoutRunner = {
      run: async (req) => {
        runs++;
        const xy = new Float64Array(req.nodes.length * 2);
        req.nodes.forEach((_, i) => {
          xy[2 * i] = (i % 50) * 40;
          xy[2 * i + 1] = Math.floor(i / 50) * 40;
        });
        return { ids: req.nodes, xy };
      },
      destroy() {},
    };
    const v = view({ runner: grid });
    const small = network(100);
    v.update(small);
    await v.whenLayoutDone();
    expect(v.cy!.edges().first().style('curve-style')).toBe('straight');
    const big = network(2100);
    v.update(big);
    await v.whenLayoutDone();
    expect(v.nodeCount()).toBe(2101);
    expect(v.stats!.builds).toBe(2);
    expect(runs).toBe(2);
    expect(v.cy!.edges().first().style('curve-style')).toBe('haystack');
    // Laid out, not left on the placeholder spiral: the grid's corner is there.
    expect(v.cy!.nodes().filter((n) => n.position().x === 49 * 40).length).toBeGreaterThan(0);
    v.destroy();
  });
});

describe('selection', () => {
  it('highlights a person and their ties without echoing back to onSelect', () => {
    const onSelect = vi.fn();
    const v = view({ onSelect });
    v.update(network());
    v.select('p0');
    const cy = v.cy!;
    expect(cy.getElementById('p0').hasClass('vt-selected')).toBe(true);
    expect(cy.getElementById('me').hasClass('vt-near')).toBe(true);
    expect(cy.getElementById('o0').hasClass('vt-near')).toBe(true);
    expect(cy.getElementById('p10').hasClass('vt-near')).toBe(false);
    v.select(null);
    expect(cy.$('.vt-selected, .vt-near').length).toBe(0);
    expect(onSelect).not.toHaveBeenCalled();
    v.destroy();
  });

  it('reports a tap on a person and on the background', () => {
    const onSelect = vi.fn();
    const v = view({ onSelect });
    v.update(network());
    v.cy!.getElementById('p3').emit('tap');
    expect(onSelect).toHaveBeenLastCalledWith('p3');
    expect(v.cy!.getElementById('p3').hasClass('vt-selected')).toBe(true);
    v.cy!.emit('tap');
    expect(onSelect).toHaveBeenLastCalledWith(null);
    v.destroy();
  });
});

describe('with the real model', () => {
  it('redraws one node when one person is added through a command', async () => {
    const nb = new Notebook();
    const me = initNotebook(nb, 'Me');
    const ids = Array.from({ length: 20 }, (_, i) => addPerson(nb, { name: `P${i}` }));
    ids.forEach((id) => linkPeople(nb, me, id));
    const input = (): GraphInput => ({
      people: listPeople(nb),
      ties: listTies(nb),
      ownerId: nb.ownerId,
    });
    const v = view();
    v.update(input());
    await v.whenLayoutDone();
    const log = watch(v.cy!);
    const ana = addPerson(nb, { name: 'Ana' });
    linkPeople(nb, ana, ids[0]!, { strength: 5 });
    v.update(input());
    expect(log.add.length).toBe(2);
    expect(log.data).toEqual([ids[0]]);

    const tieId = listTies(nb).find((t) => t.from === ana)!.id;
    log.data.length = 0;
    updateTie(nb, tieId, { strength: 1 });
    v.update(input());
    expect(log.data).toEqual([tieId]);

    deletePerson(nb, ana);
    v.update(input());
    expect(v.nodeCount()).toBe(21);
    expect(v.cy!.getElementById(tieId).empty()).toBe(true);
    v.destroy();
  });
});

describe('legend', () => {
  it('explains the owner, sizes, strong and weak, overdue and introduction ties, clusters', () => {
    const ids = legendItems().map((i) => i.id);
    for (const id of ['owner', 'size-small', 'size-large', 'tie-strong', 'tie-weak']) {
      expect(ids).toContain(id);
    }
    expect(ids).toEqual(expect.arrayContaining(['tie-overdue', 'tie-intro', 'clusters']));
    const named = legendItems([{ id: 'c1', name: 'Design' }]);
    const c1 = named.find((i) => i.id === 'cluster:c1')!;
    expect(c1.label).toBe('Design');
    expect(c1.swatch).toMatchObject({ kind: 'node', color: clusterColor('c1') });
  });
});
