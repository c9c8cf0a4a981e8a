/**
 * Loads the graph renderer (`src/graph/graph-view.ts`, Cytoscape.js) as its own chunk, so
 * the library downloads and parses while IndexedDB loads the notebook.
 */
import type { createGraphView } from './graph-view.ts';

export type { GraphInput, GraphView, GraphViewOptions } from './graph-view.ts';
export type CreateGraphView = typeof createGraphView;

let loading: Promise<CreateGraphView> | undefined;

/** Start (once) and await loading the graph renderer. */
export function loadGraphView(): Promise<CreateGraphView> {
  loading ??= import('./graph-view.ts').then((m) => m.createGraphView);
  return loading;
}
