/**
 * The sample network (95 people, six clusters) as a reader sees it at the default zoom:
 * clusters as regions, names that do not overlap, no tie drawn through someone, and the
 * same picture every time. Measured on the headless adapter with the desktop graph pane
 * (1280×800 minus the people list) and the phone's graph tab.
 *
 * Figures before this layout (fcose from random positions, every name at 11 units, shown
 * above 7 px): 76% of people nearer their own cluster's centre, 18 overlapping pairs of
 * names in the desktop pane, 174 (tie, person) pairs where a tie crosses a person.
 */
import { describe, expect, it } from 'vitest';
import { buildSampleNetwork } from '../../src/app/sample-network.ts';
import { graphSnapshot, listPeople, listTies } from '../../src/model/index.ts';
import { clusters } from '../../src/analysis/index.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput } from '../../src/graph/graph-view.ts';
import {
  edgesThroughNodes,
  groupShare,
  overlappingPairs,
  positionsOf,
  shownLabels,
} from '../helpers/layout-metrics.ts';

const DESKTOP = { width: 980, height: 752 };
const PHONE = { width: 375, height: 690 };

function sample(): { input: GraphInput; clusterOf: Map<string, string> } {
  const nb = buildSampleNetwork({ now: new Date('2026-06-01T12:00:00Z') });
  const clusterOf = new Map(Object.entries(clusters(graphSnapshot(nb)).assignment));
  return {
    input: { people: listPeople(nb), ties: listTies(nb), ownerId: nb.ownerId!, clusterOf },
    clusterOf,
  };
}

async function laidOut(input: GraphInput, pane: { width: number; height: number }) {
  const view = createHeadlessGraphView({ onSelect() {}, pane });
  view.update(input);
  await view.whenLayoutDone();
  return view;
}

describe('the sample network at the default zoom', () => {
  it('draws clusters as regions, names without overlap, no tie through anyone', async () => {
    const { input, clusterOf } = sample();
    expect(input.people.length).toBe(95);
    const figures: Record<string, unknown> = {};
    for (const [name, pane] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const view = await laidOut(input, pane);
      const cy = view.cy!;
      const share = groupShare(positionsOf(cy), clusterOf);
      const labels = shownLabels(cy, cy.zoom());
      const overlaps = overlappingPairs(labels);
      const through = edgesThroughNodes(cy);
      figures[name] = {
        share,
        zoom: cy.zoom(),
        labels: labels.length,
        overlaps,
        through: through.length,
      };
      expect(share, `${name}: share nearer their own cluster's centre`).toBeGreaterThanOrEqual(0.9);
      expect(overlaps, `${name}: overlapping names`).toBeLessThanOrEqual(1);
      // Near the owner, whose 60 ties fan out from one point, a person can sit on a tie with
      // no free spot left around them: at most two such pairs (before: 174).
      expect(through.length, `${name}: ties through people`).toBeLessThanOrEqual(2);
      // Names are shown, most important first: the owner's always.
      expect(labels.some((l) => l.id === input.ownerId)).toBe(true);
      if (name === 'desktop') expect(labels.length).toBeGreaterThanOrEqual(30);
      // The drawing fills the pane: its extent at the fitted zoom covers most of one side.
      const bb = cy.nodes().boundingBox({});
      const fill = Math.max((bb.w * cy.zoom()) / pane.width, (bb.h * cy.zoom()) / pane.height);
      expect(fill, `${name}: share of the pane used`).toBeGreaterThan(0.85);
      view.destroy();
    }
    console.log('sample network layout', JSON.stringify(figures));
  }, 180_000);

  it('zooming in shows more names, still without overlap', async () => {
    const { input } = sample();
    const view = await laidOut(input, DESKTOP);
    const cy = view.cy!;
    const before = shownLabels(cy, cy.zoom()).length;
    cy.zoom(cy.zoom() * 2);
    (view as unknown as { updateLabels(): void }).updateLabels();
    const after = shownLabels(cy, cy.zoom());
    expect(after.length).toBeGreaterThan(before);
    expect(overlappingPairs(after)).toBeLessThanOrEqual(1);
    view.destroy();
  }, 120_000);

  it('gives the same picture every time (no random start)', async () => {
    const { input } = sample();
    const a = await laidOut(input, DESKTOP);
    const b = await laidOut(input, DESKTOP);
    const pa = positionsOf(a.cy!);
    const pb = positionsOf(b.cy!);
    for (const [id, p] of pa) {
      expect(Math.abs(p.x - pb.get(id)!.x) + Math.abs(p.y - pb.get(id)!.y)).toBeLessThan(1);
    }
    a.destroy();
    b.destroy();
  }, 120_000);
});
