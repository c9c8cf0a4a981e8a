/**
 * The force layout itself: fcose on a headless Cytoscape instance. Runs the same way on
 * the main thread (small graphs, Node tests) and inside `layout.worker.ts` (large graphs),
 * so what the worker computes is exactly what the tests check.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { UndirectedGraph } from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';

let registered = false;

/** Register fcose once per realm (a worker is a realm of its own). */
export function useFcose(): void {
  if (registered) return;
  cytoscape.use(fcose);
  registered = true;
}

/** What a layout needs: node ids and ties (strength pulls strong ties shorter). */
export interface LayoutRequest {
  readonly nodes: readonly string[];
  readonly edges: readonly (readonly [source: string, target: string, strength: number])[];
  /** A node to keep in the middle (the owner: everyone's hub in an ego network). */
  readonly center?: string;
}

/** Positions out of a layout, as parallel arrays so they cross `postMessage` cheaply. */
export interface LayoutResult {
  readonly ids: readonly string[];
  readonly xy: Float64Array;
}

/**
 * Above this many nodes fcose runs in its "draft" quality (spectral placement only).
 * Measured in Node on the bench generator's clustered graphs: the force-directed phase
 * took 0.7 s at 150 people, 30 s at 1,000 and over 7 minutes at 3,000 (its iteration
 * count grows with the node count), while draft took 0.2 s, 0.5 s and 1.8 s (10 s at
 * 10,000). See docs/decisions/0003-graph-rendering.md.
 */
export const DRAFT_ABOVE = 300;

/** Run fcose and return every node's position. */
export function computeLayout(req: LayoutRequest): Promise<LayoutResult> {
  useFcose();
  const present = new Set(req.nodes);
  const elements: cytoscape.ElementDefinition[] = req.nodes.map((id) => ({
    group: 'nodes',
    data: { id },
  }));
  req.edges.forEach(([source, target, strength], i) => {
    if (!present.has(source) || !present.has(target)) return;
    elements.push({ group: 'edges', data: { id: `e${i}`, source, target, strength } });
  });
  const cy = cytoscape({ headless: true, styleEnabled: true, elements });
  // Headless nodes have no stylesheet size; give them the mid-size the view draws.
  cy.style().selector('node').style({ width: 30, height: 30 }).update();
  const draft = req.nodes.length > DRAFT_ABOVE;
  return new Promise<LayoutResult>((resolve, reject) => {
    try {
      const layout = cy.layout({
        name: 'fcose',
        quality: draft ? 'draft' : 'default',
        randomize: true,
        animate: false,
        fit: false,
        nodeSeparation: 80,
        idealEdgeLength: (e: cytoscape.EdgeSingular) =>
          // Strong ties pull closer: 125 for a faint tie down to 65 for a very strong one.
          140 - 15 * Number(e.data('strength') ?? 3),
        nodeRepulsion: () => 12000,
      } as cytoscape.LayoutOptions);
      layout.one('layoutstop', () => {
        const ids: string[] = [];
        const xy = new Float64Array(req.nodes.length * 2);
        let i = 0;
        cy.nodes().forEach((n) => {
          const p = n.position();
          ids.push(n.id());
          xy[i++] = p.x;
          xy[i++] = p.y;
        });
        cy.destroy();
        resolve(draft ? refine({ ids, xy }, req) : { ids, xy });
      });
      layout.run();
    } catch (err) {
      cy.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/**
 * Above {@link DRAFT_ABOVE} nodes, fcose's draft (spectral) placement is refined with
 * ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian 2014, "ForceAtlas2, a continuous graph
 * layout algorithm for handy network visualization", PLoS ONE 9(6): e98679) from
 * graphology-layout-forceatlas2, Barnes–Hut above 1,000 nodes. The draft alone leaves a
 * dense disc where clusters overlap; a few dozen FA2 iterations pull each cluster into its
 * own region. "Dissuade hubs" (attraction divided by degree) keeps the owner, tied to
 * everyone, from dragging the whole network into one ball; the owner is held fixed in the
 * middle instead. Strong ties pull harder (edge weight = strength). Measured in Node on the
 * bench generator's graphs: 0.7 s for 150 iterations at 1,000 people, 9 s for 100 at
 * 10,000, hence fewer iterations as graphs grow (this runs in the layout worker).
 */
function refine(start: LayoutResult, req: LayoutRequest): LayoutResult {
  const g = new UndirectedGraph<{ x: number; y: number; fixed?: boolean }, { weight: number }>();
  let cx = 0;
  let cy = 0;
  start.ids.forEach((id, k) => {
    const x = start.xy[2 * k]!;
    const y = start.xy[2 * k + 1]!;
    cx += x / start.ids.length;
    cy += y / start.ids.length;
    g.addNode(id, { x, y });
  });
  if (req.center !== undefined && g.hasNode(req.center)) {
    g.mergeNodeAttributes(req.center, { x: cx, y: cy, fixed: true });
  }
  for (const [a, b, w] of req.edges) {
    if (a !== b && g.hasNode(a) && g.hasNode(b)) {
      g.mergeEdge(a, b, { weight: Number.isFinite(w) && w > 0 ? w : 1 });
    }
  }
  const n = g.order;
  forceAtlas2.assign(g, {
    iterations: n <= 2000 ? 150 : n <= 5000 ? 80 : 40,
    getEdgeWeight: 'weight',
    settings: {
      ...forceAtlas2.inferSettings(g),
      barnesHutOptimize: n > 1000,
      outboundAttractionDistribution: true,
    },
  });
  // Scale so that a typical tie is about as long as fcose's ideal edge length.
  const lengths: number[] = [];
  g.forEachEdge((_e, _attr, _s, _t, a, b) => lengths.push(Math.hypot(a.x - b.x, a.y - b.y)));
  lengths.sort((x, y) => x - y);
  const median = lengths[lengths.length >> 1];
  const f = median && Number.isFinite(median) ? 110 / median : 1;
  const ids: string[] = [];
  const xy = new Float64Array(n * 2);
  let k = 0;
  g.forEachNode((id, attr) => {
    ids.push(id);
    xy[k++] = attr.x * f;
    xy[k++] = attr.y * f;
  });
  return { ids, xy };
}
