/**
 * The network graph the app mounts: a Cytoscape.js instance in a container, kept in step
 * with the model by the adapter (`adapter.ts`). The only place the browser renderer is
 * configured.
 */
import cytoscape from 'cytoscape';
import { createGraphAdapter, type GraphView, type GraphViewOptions } from './adapter.ts';
import { workerRunner } from './layout.ts';
import { graphStyle } from './style.ts';
import { estimateLabelWidth, type MeasureLabel } from './labels.ts';

export type {
  GraphInput,
  GraphView,
  GraphViewOptions,
  GraphStats,
  GraphHighlight,
  PendingIntro,
} from './adapter.ts';
export { legendItems, type LegendItem } from './legend.ts';

/** Above this many nodes the WebGL renderer is used (see docs/decisions/0003). */
export const WEBGL_ABOVE = Number.POSITIVE_INFINITY;

/**
 * Draw the network in `container`. Nothing is drawn until the first `update()`; the
 * instance is created then, with settings chosen for the graph's size.
 */
export function createGraphView(
  container: HTMLElement,
  options: GraphViewOptions & {
    /** Force the WebGL renderer on or off (default: decided by size). */
    webgl?: boolean;
  },
): GraphView {
  return createGraphAdapter({
    ...options,
    rendered: true,
    layoutRunner: workerRunner(),
    measureLabel: canvasMeasure(),
    createCy: ({ elements, large }) =>
      cytoscape({
        container,
        elements,
        style: graphStyle({ large }),
        layout: { name: 'preset' },
        minZoom: 0.02,
        maxZoom: 4,
        // Selection is ours (a class), so a tap never fights the app's shared selection.
        autounselectify: true,
        boxSelectionEnabled: false,
        // Large-graph settings from Cytoscape's performance notes: draw a cached texture
        // while panning/zooming, skip edges during viewport changes, one pixel per pixel.
        pixelRatio: large ? 1 : 'auto',
        textureOnViewport: large,
        hideEdgesOnViewport: large,
        ...((options.webgl ?? elements.length > WEBGL_ABOVE)
          ? { renderer: { name: 'canvas', webgl: true } }
          : {}),
      } as cytoscape.CytoscapeOptions),
  });
}

/**
 * Widths of names as the canvas renderer draws them (system-ui), cached per text; the
 * estimate where a 2D context is missing. Measured at 100 units and scaled.
 */
function canvasMeasure(): MeasureLabel {
  const ctx =
    typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  if (!ctx) return estimateLabelWidth;
  ctx.font = '100px system-ui, sans-serif';
  const cache = new Map<string, number>();
  return (text, font) => {
    let w = cache.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width / 100;
      cache.set(text, w);
    }
    return w * font;
  };
}
