/**
 * Issue 17: with more than eight clusters the legend disagreed with the nodes, because the
 * colour assignment was module state that the graph, the legend (its eight largest
 * clusters) and the Clusters panel each re-made from a different set. Now one assignment
 * per result is derived once and passed to all three; these tests hold them equal.
 */
import { describe, expect, it } from 'vitest';
import type { GraphSnapshot, SnapshotPerson, SnapshotTie } from '../../src/analysis/snapshot.ts';
import { handleAnalysisRequest, type AppAnalysis } from '../../src/app/analysis.worker.ts';
import { analysisGraphInput, AnalysisView } from '../../src/app/analysis-client.ts';
import { groupDisplay, groupLegend, type GroupChoice } from '../../src/app/group-display.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import { legendItems, type LegendItem } from '../../src/graph/legend.ts';
import { assignClusterColors, clusterColor } from '../../src/graph/elements.ts';
import type { LayoutRunner } from '../../src/graph/layout.ts';
import { person, tie } from '../helpers/graph.ts';

/** No layout: these tests look at colours only. */
const noLayout: LayoutRunner = {
  run: (req) =>
    Promise.resolve({ ids: [...req.nodes], xy: new Float64Array(req.nodes.length * 2) }),
  destroy() {},
};

/**
 * 14 separate cliques of 3 to 6 people (so 14 clusters of different sizes), everyone also
 * tied to the owner, each clique at one organisation.
 */
function notebook(groups = 14): { snapshot: GraphSnapshot; analysis: AppAnalysis } {
  const people: SnapshotPerson[] = [{ id: 'me', name: 'Me', tags: [] }];
  const ties: SnapshotTie[] = [];
  const t = (id: string, from: string, to: string): SnapshotTie => ({
    id,
    from,
    to,
    kind: 'friend',
    strength: 3,
    createdAt: '2026-01-01',
  });
  for (let g = 0; g < groups; g++) {
    const size = 3 + (g % 4);
    for (let i = 0; i < size; i++) {
      const id = `g${g}-${i}`;
      people.push({ id, name: id, tags: [], org: `Org ${g}${i % 2 ? ' Inc.' : ''}` });
      ties.push(t(`o-${id}`, 'me', id));
      for (let j = 0; j < i; j++) ties.push(t(`t-${id}-${j}`, `g${g}-${j}`, id));
    }
  }
  const snapshot: GraphSnapshot = { owner: 'me', now: '2026-06-01', people, ties, intros: [] };
  const res = handleAnalysisRequest({ id: 1, snapshot });
  if (!('analysis' in res)) throw new Error(res.error);
  return { snapshot, analysis: res.analysis };
}

function swatchColour(item: LegendItem): string {
  if (item.swatch.kind !== 'node') throw new Error(`${item.id} is not a node swatch`);
  return item.swatch.color;
}

/** Draw what the app draws for `by` and compare legend, nodes and panel colour by colour. */
function coloursAgree(analysis: AppAnalysis, snapshot: GraphSnapshot, by: GroupChoice) {
  const view = new AnalysisView();
  view.set({ groupBy: by });
  const base = {
    people: snapshot.people.map((p) => person(p.id, p.name)),
    ties: snapshot.ties.map((x) => tie(x.id, x.from, x.to)),
    ownerId: 'me',
  };
  const input = analysisGraphInput(base, analysis, view);
  const graph = createHeadlessGraphView({ onSelect() {}, layoutRunner: noLayout });
  graph.update(input);
  const display = groupDisplay(analysis, by);
  const legend = groupLegend(display, (id) => id).filter((i) => i.id.startsWith('cluster:'));
  const rows: [string, string, string, string[]][] = [];
  for (const item of legend) {
    const id = item.id.slice('cluster:'.length);
    const group = display.groups.find((g) => g.id === id)!;
    // What the Clusters panel paints its dot with.
    const panel = clusterColor(id, display.colours);
    const nodes = [...new Set(group.members.map((m) => graph.cy!.getElementById(m).data('color')))];
    rows.push([id, swatchColour(item), panel, nodes as string[]]);
  }
  graph.destroy();
  return { rows, display, legend };
}

describe('group colours are one assignment shared by graph, legend and panel', () => {
  it('agree for more than eight clusters', () => {
    const { snapshot, analysis } = notebook();
    expect(analysis.clusters.length).toBe(14);
    const { rows, legend } = coloursAgree(analysis, snapshot, 'clusters');
    // The legend names the eight largest; each in the colour of its nodes and panel dot.
    expect(legend).toHaveLength(8);
    for (const [id, legendColour, panel, nodes] of rows) {
      expect({ id, legend: legendColour, panel, nodes }).toEqual({
        id,
        legend: nodes[0],
        panel: nodes[0],
        nodes: [nodes[0]],
      });
    }
    // Twelve palette colours for fourteen clusters: the first twelve are all different.
    expect(new Set(groupDisplay(analysis, 'clusters').colours.values()).size).toBe(12);
  });

  it('agree for more than eight organisations, catch-alls included', () => {
    const { snapshot, analysis } = notebook();
    const { rows, display } = coloursAgree(analysis, snapshot, 'org');
    // "Org 3" and "Org 3 Inc." are one organisation.
    expect(display.groups.filter((g) => g.kind === 'named')).toHaveLength(12);
    expect(rows).toHaveLength(13); // 12 organisations and "Other organisations"
    for (const [id, legendColour, panel, nodes] of rows) {
      expect({ id, legend: legendColour, panel, nodes }).toEqual({
        id,
        legend: nodes[0],
        panel: nodes[0],
        nodes: [nodes[0]],
      });
    }
    expect(new Set(rows.map((r) => r[1])).size).toBe(13);
  });

  it('names a subset of the groups in the colours of the whole set, not its own', () => {
    // The old bug in small: ids whose slots differ between the whole set and the subset.
    const ids = Array.from({ length: 14 }, (_, i) => `c-${i}`);
    const all = assignClusterColors(ids);
    const largest = ids.slice(6);
    const own = assignClusterColors(largest);
    expect(largest.some((id) => own.get(id) !== all.get(id))).toBe(true);
    const items = legendItems(
      largest.map((id) => ({ id })),
      all,
    );
    for (const id of largest) {
      expect(swatchColour(items.find((i) => i.id === `cluster:${id}`)!)).toBe(all.get(id));
    }
  });

  it('is derived once per result: every view gets the same object', () => {
    const { analysis } = notebook(3);
    expect(groupDisplay(analysis, 'org')).toBe(groupDisplay(analysis, 'org'));
    expect(groupDisplay(analysis, 'org').colours).not.toBe(groupDisplay(analysis, 'tag').colours);
  });
});

describe('the grouping choice', () => {
  it('is kept on the device and survives a new view (a reload)', () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    const a = new AnalysisView(storage);
    expect(a.groupBy).toBe('clusters');
    a.set({ clusterId: 'c-1' });
    a.set({ groupBy: 'org' });
    // A cluster filter means nothing among organisations.
    expect(a.clusterId).toBeNull();
    expect(new AnalysisView(storage).groupBy).toBe('org');
    items.set('vitrine-notebook:group-by', 'nonsense');
    expect(new AnalysisView(storage).groupBy).toBe('clusters');
  });

  it('colours the graph by organisation and gathers each organisation for the layout', () => {
    const { snapshot, analysis } = notebook(3);
    const view = new AnalysisView();
    view.set({ groupBy: 'org' });
    const base = {
      people: snapshot.people.map((p) => person(p.id, p.name)),
      ties: snapshot.ties.map((x) => tie(x.id, x.from, x.to)),
      ownerId: 'me',
    };
    const input = analysisGraphInput(base, analysis, view);
    expect(input.clusterOf?.get('g1-0')).toBe('org:org 1');
    expect(input.clusterOf?.get('g1-1')).toBe('org:org 1');
    expect(input.groupOf?.get('g2-3')).toBe('org:org 2');
    // Filtering to an organisation keeps its people and the owner.
    view.set({ clusterId: 'org:org 1' });
    const one = analysisGraphInput(base, analysis, view);
    expect(one.people.map((p) => p.id).sort()).toEqual(['g1-0', 'g1-1', 'g1-2', 'g1-3', 'me']);
  });
});
