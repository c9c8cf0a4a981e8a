/**
 * A graph view on a headless Cytoscape instance: the same adapter, no DOM. For Node
 * tests, benches and the CLI; layouts run on the calling thread.
 */
import cytoscape from 'cytoscape';
import { createGraphAdapter, type GraphView, type GraphViewOptions } from './adapter.ts';
import type { LayoutRunner } from './layout.ts';
import { graphStyle } from './style.ts';

/** A headless graph view; `layoutRunner` lets a test observe or replace layouts. */
export function createHeadlessGraphView(
  options: GraphViewOptions & {
    layoutRunner?: LayoutRunner;
    saveDelayMs?: number;
    /** The pane the view pretends to fill (fits and label choices use it). */
    pane?: { width: number; height: number };
    relayoutDelayMs?: number;
  },
): GraphView {
  return createGraphAdapter({
    ...options,
    rendered: false,
    createCy: ({ elements, large }) =>
      cytoscape({
        headless: true,
        styleEnabled: true,
        elements,
        // Without an explicit preset, Cytoscape runs its default `null` layout at
        // creation, stacking every node at the origin and losing the cached positions.
        layout: { name: 'preset' },
        style: graphStyle({ large }),
        autounselectify: true,
      }),
  });
}
