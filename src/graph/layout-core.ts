/**
 * The force layout itself: fcose on a headless Cytoscape instance. Runs the same way on
 * the main thread (small graphs, Node tests) and inside `layout.worker.ts` (large graphs),
 * so what the worker computes is exactly what the tests check.
 */
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

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
        resolve({ ids, xy });
      });
      layout.run();
    } catch (err) {
      cy.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
