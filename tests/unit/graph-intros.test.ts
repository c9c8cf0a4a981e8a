/**
 * Introductions in the graph, on headless Cytoscape: what the owner would notice if it
 * broke — an introduction under way not drawn, drawn as if it were a tie (pulling people
 * together in the layout, growing their nodes), or a change redrawing everything; and the
 * emphasis of suggested people or bridge ties rebuilding the graph or leaving marks behind.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from 'cytoscape';
import {
  addPerson,
  advanceIntro,
  createIntro,
  linkPeople,
  updateIntro,
} from '../../src/model/index.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput, GraphView, PendingIntro } from '../../src/graph/graph-view.ts';
import { legendItems } from '../../src/graph/legend.ts';
import type { LayoutRunner } from '../../src/graph/layout.ts';
import { pendingIntros } from '../../src/ui/graph/graph-input.ts';
import { person, tie } from '../helpers/graph.ts';
import { testNotebook } from '../helpers/notebook.ts';

/** Owner "me" tied to a..f; a–b and c–d tied to each other. */
function base(): GraphInput {
  const people = ['me', 'a', 'b', 'c', 'd', 'e', 'f'].map((id) => person(id, id.toUpperCase()));
  const ties = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => tie(`o-${p}`, 'me', p));
  ties.push(tie('ab', 'a', 'b'), tie('cd', 'c', 'd'));
  return { people, ties, ownerId: 'me' };
}

/** A layout runner that records the edges each layout was given. */
function recordingRunner(): LayoutRunner & { edges: string[][] } {
  const r = {
    edges: [] as string[][],
    run(req: Parameters<LayoutRunner['run']>[0]) {
      r.edges.push(req.edges.map(([s, t]) => `${s}-${t}`));
      // Everyone on a line: the test only cares what the layout was asked to pull together.
      const xy = new Float64Array(req.nodes.length * 2);
      req.nodes.forEach((_, i) => (xy[2 * i] = i * 50));
      return Promise.resolve({ ids: req.nodes, xy });
    },
    destroy() {},
  };
  return r;
}

function view(runner?: LayoutRunner): GraphView {
  const items = new Map<string, string>();
  return createHeadlessGraphView({
    onSelect: () => {},
    storage: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) },
    positionsKey: 'test',
    ...(runner ? { layoutRunner: runner } : {}),
    saveDelayMs: 1,
  });
}

function watch(cy: Core) {
  const log = { add: [] as string[], remove: [] as string[], data: [] as string[] };
  cy.on('add', (e) => void log.add.push(e.target.id()));
  cy.on('remove', (e) => void log.remove.push(e.target.id()));
  cy.on('data', (e) => void log.data.push(e.target.id()));
  return log;
}

const pending = (cy: Core) =>
  cy
    .edges('.vt-pending-intro')
    .map((e) => `${e.id()} ${e.source().id()}-${e.target().id()} ${e.data('state') as string}`)
    .sort();

describe('pending introductions in the graph', () => {
  it('are drawn as their own kind of edge, never laid out and never counted as ties', async () => {
    const runner = recordingRunner();
    const v = view(runner);
    const input = base();
    const intros: PendingIntro[] = [
      { id: 'i1', a: 'a', b: 'c', state: 'idea' },
      { id: 'i2', a: 'e', b: 'f', state: 'asked-a' },
    ];
    v.update(input);
    await v.whenLayoutDone();
    const cy = v.cy!;
    const sizeBefore = Object.fromEntries(cy.nodes().map((n) => [n.id(), n.data('importance')]));

    v.update({ ...input, pendingIntros: intros });
    expect(pending(cy)).toEqual(['intro:i1 a-c idea', 'intro:i2 e-f asked-a']);
    // Dashed, and not styled as a tie an introduction made (that is a finished one).
    const e = cy.getElementById('intro:i1');
    expect(e.style('line-style')).toBe('dashed');
    expect(e.hasClass('vt-overlay')).toBe(true);
    expect(e.data('intro')).toBeUndefined();

    // A pending introduction does not make anyone more connected.
    const sizeAfter = Object.fromEntries(cy.nodes().map((n) => [n.id(), n.data('importance')]));
    expect(sizeAfter).toEqual(sizeBefore);
    expect(cy.nodes().length).toBe(7);

    // A layout (a bulk import of 30 people triggers one) is given the ties only.
    const more = Array.from({ length: 30 }, (_, i) => person(`n${i}`));
    v.update({
      ...input,
      people: [...input.people, ...more],
      ties: [...input.ties, ...more.map((p) => tie(`o-${p.id}`, 'me', p.id))],
      pendingIntros: intros,
    });
    await v.whenLayoutDone();
    expect(runner.edges.length).toBe(2);
    const laidOut = runner.edges[1]!;
    expect(laidOut).toContain('a-b');
    expect(laidOut).not.toContain('a-c');
    expect(laidOut).not.toContain('e-f');
    expect(laidOut.length).toBe(input.ties.length + 30);
    // ...and the pending edges are still drawn after it.
    expect(pending(cy).length).toBe(2);
    v.destroy();
  });

  it('are added, re-stated and removed one by one, without touching anything else', async () => {
    const v = view();
    const input = base();
    const one: PendingIntro[] = [{ id: 'i1', a: 'a', b: 'c', state: 'idea' }];
    v.update({ ...input, pendingIntros: one });
    await v.whenLayoutDone();
    const cy = v.cy!;
    const builds = v.stats!.builds;
    const log = watch(cy);

    // A second introduction starts: one edge added, nothing else.
    const two: PendingIntro[] = [...one, { id: 'i2', a: 'b', b: 'd', state: 'idea' }];
    v.update({ ...input, pendingIntros: two });
    expect(log).toEqual({ add: ['intro:i2'], remove: [], data: [] });

    // The first moves on to "asked A": its data changes in place.
    const moved: PendingIntro[] = [{ ...two[0]!, state: 'asked-a' }, two[1]!];
    v.update({ ...input, pendingIntros: moved });
    expect(log.data).toEqual(['intro:i1']);
    expect(cy.getElementById('intro:i1').data('state')).toBe('asked-a');

    // The second is introduced (no longer pending): only its edge goes.
    v.update({ ...input, pendingIntros: [moved[0]!] });
    expect(log.remove).toEqual(['intro:i2']);
    expect(log.add).toEqual(['intro:i2']);
    expect(pending(cy)).toEqual(['intro:i1 a-c asked-a']);

    // The same list again (equal contents, new array): nothing happens.
    v.update({ ...input, pendingIntros: [{ ...moved[0]! }] });
    expect(log.data).toEqual(['intro:i1']);
    expect(v.stats!.builds).toBe(builds);
    v.destroy();
  });

  it('follow their people: hidden when one end is not drawn, back when they are', async () => {
    const v = view();
    const input = base();
    const intros: PendingIntro[] = [{ id: 'i1', a: 'a', b: 'c', state: 'asked-b' }];
    v.update({ ...input, pendingIntros: intros });
    await v.whenLayoutDone();
    const cy = v.cy!;
    // Filtered to a cluster without C (or C deleted): the line goes with C.
    v.update({ ...input, people: input.people.filter((p) => p.id !== 'c'), pendingIntros: intros });
    expect(pending(cy)).toEqual([]);
    v.update({ ...input, pendingIntros: intros });
    expect(pending(cy)).toEqual(['intro:i1 a-c asked-b']);
    v.destroy();
  });

  it('come from the notebook: open introductions only, the same array while they hold', () => {
    const nb = testNotebook();
    const [a, b, c] = ['Ana', 'Bo', 'Cy'].map((name) => addPerson(nb, { name }));
    const first = createIntro(nb, { a: a!, b: b! });
    const second = createIntro(nb, { a: b!, b: c! });
    const open = pendingIntros(nb);
    expect(open.map((i) => i.id).sort()).toEqual([first, second].sort());

    // Editing the purpose changes nothing the graph draws: the same array, so no re-diff.
    updateIntro(nb, first, { purpose: 'Both build robots' });
    expect(pendingIntros(nb)).toBe(open);

    advanceIntro(nb, first, 'asked-a');
    const asked = pendingIntros(nb);
    expect(asked).not.toBe(open);
    expect(asked.find((i) => i.id === first)?.state).toBe('asked-a');

    // Introduced: no longer pending (its tie is drawn instead).
    advanceIntro(nb, second, 'asked-a');
    advanceIntro(nb, second, 'asked-b');
    advanceIntro(nb, second, 'introduced');
    expect(pendingIntros(nb).map((i) => i.id)).toEqual([first]);
    linkPeople(nb, a!, c!);
    expect(pendingIntros(nb).map((i) => i.id)).toEqual([first]);
  });

  it('have a legend entry: a dashed line in the violet of introduction-made ties', () => {
    const items = legendItems();
    const pendingItem = items.find((i) => i.id === 'intro-pending')!;
    expect(pendingItem.label).toBe('Introduction in progress');
    expect(pendingItem.swatch).toEqual(expect.objectContaining({ kind: 'line', dashed: true }));
    const made = items.find((i) => i.id === 'tie-intro')!;
    expect(pendingItem.swatch).toEqual(
      expect.objectContaining({ color: (made.swatch as { color: string }).color }),
    );
  });
});

describe('suggested pairs and highlight()', () => {
  it('draw suggested pairs dotted, apart from ties and pending introductions', async () => {
    const runner = recordingRunner();
    const v = view(runner);
    const input = base();
    v.update({
      ...input,
      pendingIntros: [{ id: 'i1', a: 'a', b: 'c', state: 'idea' }],
      suggestedPairs: [
        { a: 'e', b: 'b' },
        { a: 'd', b: 'f' },
      ],
    });
    await v.whenLayoutDone();
    const cy = v.cy!;
    const dotted = cy.edges('.vt-suggested-intro');
    expect(dotted.map((e) => e.id()).sort()).toEqual(['suggest:b|e', 'suggest:d|f']);
    expect(dotted.first().style('line-style')).toBe('dotted');
    // The first layout (no cache) ran on the ties alone.
    expect(runner.edges[0]!.length).toBe(input.ties.length);
    // Turning the suggestions off removes the dotted lines and nothing else.
    const log = watch(cy);
    v.update({ ...input, pendingIntros: [{ id: 'i1', a: 'a', b: 'c', state: 'idea' }] });
    expect(log.remove.sort()).toEqual(['suggest:b|e', 'suggest:d|f']);
    expect(log.add).toEqual([]);
    expect(cy.edges('.vt-pending-intro').length).toBe(1);
    v.destroy();
  });

  it('emphasises people and ties by class only, and clears without a trace', async () => {
    const v = view();
    const input = base();
    v.update(input);
    await v.whenLayoutDone();
    const cy = v.cy!;
    const before = cy.nodes().map((n) => ({ id: n.id(), ...n.position() }));
    const builds = v.stats!.builds;
    const log = watch(cy);

    v.highlight({ nodes: ['a', 'c', 'nobody'], edges: ['ab'] });
    expect(
      cy
        .$('.vt-hl')
        .map((e) => e.id())
        .sort(),
    ).toEqual(['a', 'ab', 'c']);
    // The emphasis shows: a ring on the people, a thicker line on the tie.
    expect(cy.getElementById('a').numericStyle('border-width')).toBeGreaterThan(0);
    expect(cy.getElementById('b').numericStyle('border-width')).toBe(0);
    expect(cy.getElementById('ab').numericStyle('width')).toBeGreaterThan(
      cy.getElementById('cd').numericStyle('width'),
    );

    // Another emphasis replaces the first.
    v.highlight({ nodes: ['d'] });
    expect(cy.$('.vt-hl').map((e) => e.id())).toEqual(['d']);

    // Kept across updates: a person named before they existed is emphasised once added.
    v.highlight({ nodes: ['d', 'g'] });
    v.update({ ...input, people: [...input.people, person('g')] });
    expect(
      cy
        .$('.vt-hl')
        .map((e) => e.id())
        .sort(),
    ).toEqual(['d', 'g']);

    v.highlight(null);
    expect(cy.$('.vt-hl').length).toBe(0);
    // No data changed, nothing rebuilt, nobody moved (only the added person was added).
    expect(log.data).toEqual([]);
    expect(log.remove).toEqual([]);
    expect(log.add).toEqual(['g']);
    expect(v.stats!.builds).toBe(builds);
    const after = cy
      .nodes()
      .map((n) => ({ id: n.id(), ...n.position() }))
      .filter((p) => p.id !== 'g');
    expect(after).toEqual(before);
    v.destroy();
  });
});
