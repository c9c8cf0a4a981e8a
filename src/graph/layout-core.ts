/**
 * The force layout itself, cluster-aware: people of one group (a cluster by default, or
 * whatever grouping the app passes — an organisation, a tag) are laid out as one region,
 * regions placed around the owner. Runs the same way on the main thread (small graphs,
 * Node tests) and inside `layout.worker.ts` (large graphs), so what the worker computes is
 * exactly what the tests check. See docs/decisions/0015-cluster-aware-layout.md.
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
  /**
   * The group of each node, parallel to `nodes` (`''` for none): each group with two or
   * more members is laid out as one region. The app passes clusters by default.
   */
  readonly groups?: readonly string[];
  /**
   * Where each node is now, parallel to `nodes` (x, y interleaved; NaN for a node not
   * placed yet). Given, the layout refines this picture instead of starting afresh, so a
   * new tie or a hidden owner moves people a little, not everywhere.
   */
  readonly start?: Float64Array;
  /** Node diameters parallel to `nodes` (default 30): ties are kept clear of them. */
  readonly sizes?: Float64Array;
  /** Width / height of the pane the drawing will fill (default 1.4). */
  readonly aspect?: number;
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

/** Typical tie length (model units) of every layout, whatever ran. */
export const TIE_LENGTH = 60;

/** Run the layout and return every node's position. */
export async function computeLayout(req: LayoutRequest): Promise<LayoutResult> {
  const n = req.nodes.length;
  if (n === 0) return { ids: [], xy: new Float64Array(0) };
  const res = n > DRAFT_ABOVE ? await large(req) : await small(req);
  const at = new Map<string, number>();
  res.ids.forEach((id, i) => at.set(id, i));
  const xy = res.xy;
  centre(xy, req.center === undefined ? undefined : at.get(req.center));
  if (!req.start) stretch(xy, req.aspect ?? 1.4);
  if (n <= DRAFT_ABOVE) clearTies(res.ids, xy, req, at);
  return res;
}

/** Groups with at least two members, the centre never in one. */
function groupsOf(req: LayoutRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  req.nodes.forEach((id, i) => {
    const g = req.groups?.[i];
    if (!g || id === req.center) return;
    const list = out.get(g);
    if (list) list.push(id);
    else out.set(g, [id]);
  });
  for (const [g, list] of out) if (list.length < 2) out.delete(g);
  return out;
}

/**
 * Deterministic start positions: each group's centre on a ring around the middle (bigger
 * groups further apart), members on a small sunflower around it, the rest on an outer
 * sunflower. The same graph gives the same picture on every device and every time.
 */
function seedPositions(
  req: LayoutRequest,
  groups: Map<string, string[]>,
): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const golden = Math.PI * (3 - Math.sqrt(5));
  const order = [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const radii = order.map(([, m]) => TIE_LENGTH * 0.5 * Math.sqrt(m.length));
  const ring = Math.max(TIE_LENGTH * 2, radii.reduce((s, r) => s + 2.4 * r, 0) / (2 * Math.PI));
  let angle = 0;
  const total = radii.reduce((s, r) => s + r, 0) || 1;
  order.forEach(([, members], k) => {
    const share = (radii[k]! / total) * 2 * Math.PI;
    const a = angle + share / 2;
    angle += share;
    const cx = Math.cos(a) * ring;
    const cy = Math.sin(a) * ring;
    [...members].sort().forEach((id, i) => {
      const r = TIE_LENGTH * 0.5 * Math.sqrt(i + 0.5);
      out.set(id, { x: cx + Math.cos(i * golden) * r, y: cy + Math.sin(i * golden) * r });
    });
  });
  let i = 0;
  for (const id of req.nodes) {
    if (out.has(id)) continue;
    if (id === req.center) {
      out.set(id, { x: 0, y: 0 });
      continue;
    }
    const r = ring * 0.5 + TIE_LENGTH * 0.6 * Math.sqrt(i + 1);
    out.set(id, { x: Math.cos(i * golden) * r, y: Math.sin(i * golden) * r });
    i++;
  }
  return out;
}

/**
 * Up to {@link DRAFT_ABOVE} nodes: fcose (Balci & Dogrusoz 2022) with each group as a
 * compound node of the layout's own headless instance — fcose keeps a compound's members
 * together and compounds apart, which is what makes clusters read as regions. Starts from
 * `start` when given (incremental) or from deterministic seeds, never from random ones.
 */
function small(req: LayoutRequest): Promise<LayoutResult> {
  useFcose();
  const groups = groupsOf(req);
  const parentOf = new Map<string, string>();
  let gi = 0;
  const elements: cytoscape.ElementDefinition[] = [];
  for (const members of groups.values()) {
    const pid = `\u0000group${gi++}`;
    elements.push({ group: 'nodes', data: { id: pid } });
    for (const id of members) parentOf.set(id, pid);
  }
  const seeds = seedPositions(req, groups);
  const index = new Map(req.nodes.map((id, i) => [id, i]));
  req.nodes.forEach((id, i) => {
    let p = seeds.get(id)!;
    const sx = req.start?.[2 * i];
    const sy = req.start?.[2 * i + 1];
    if (sx !== undefined && sy !== undefined && Number.isFinite(sx + sy)) p = { x: sx, y: sy };
    const size = req.sizes?.[i] ?? 30;
    elements.push({
      group: 'nodes',
      data: { id, ...(parentOf.has(id) ? { parent: parentOf.get(id) } : {}), size },
      position: { ...p },
    });
  });
  req.edges.forEach(([source, target, strength], i) => {
    if (!index.has(source) || !index.has(target) || source === target) return;
    elements.push({ group: 'edges', data: { id: `e${i}`, source, target, strength } });
  });
  const center = req.center !== undefined && index.has(req.center) ? req.center : undefined;
  return runFcose(elements, req.nodes, {
    quality: 'proof',
    randomize: false,
    packComponents: false,
    tile: false,
    nodeSeparation: 80,
    idealEdgeLength: (e: cytoscape.EdgeSingular) => {
      // Strong ties pull closer; ties to the centre are long, so the owner's ties do
      // not crush every group into one ball around them.
      const base = TIE_LENGTH * 1.3 - 10 * Number(e.data('strength') ?? 3);
      const hub =
        center !== undefined && (e.data('source') === center || e.data('target') === center);
      return hub ? base * 1.8 : base;
    },
    edgeElasticity: (e: cytoscape.EdgeSingular) =>
      center !== undefined && (e.data('source') === center || e.data('target') === center)
        ? 0.08
        : 0.45,
    nodeRepulsion: () => 4500,
    nestingFactor: 0.6,
    gravity: 0.4,
    gravityCompound: 1.5,
    gravityRangeCompound: 1.2,
    numIter: 2500,
    initialEnergyOnIncremental: req.start ? 0.3 : 0.6,
    ...(center ? { fixedNodeConstraint: [{ nodeId: center, position: { x: 0, y: 0 } }] } : {}),
  });
}

/**
 * Above {@link DRAFT_ABOVE} nodes: fcose's draft (spectral) placement refined with
 * ForceAtlas2 (Jacomy, Venturini, Heymann & Bastian 2014, PLoS ONE 9(6): e98679) from
 * graphology-layout-forceatlas2, Barnes–Hut above 1,000 nodes. Groups are made regions by
 * one invisible hub per group tied strongly to its members (removed afterwards): a group
 * of people who share only an organisation, with no tie among them, still gathers. "Dissuade
 * hubs" keeps the owner, tied to everyone, from dragging the network into one ball; the
 * owner is held fixed in the middle. With `start`, the draft is skipped (incremental).
 */
async function large(req: LayoutRequest): Promise<LayoutResult> {
  const start = req.start && [...req.start].every(Number.isFinite) ? req.start : undefined;
  const first = start ? { ids: req.nodes, xy: Float64Array.from(start) } : await draft(req);
  const g = new UndirectedGraph<{ x: number; y: number; fixed?: boolean }, { weight: number }>();
  first.ids.forEach((id, k) => g.addNode(id, { x: first.xy[2 * k]!, y: first.xy[2 * k + 1]! }));
  if (req.center !== undefined && g.hasNode(req.center)) {
    g.mergeNodeAttributes(req.center, { x: 0, y: 0, fixed: true });
  }
  for (const [a, b, w] of req.edges) {
    if (a !== b && g.hasNode(a) && g.hasNode(b)) {
      g.mergeEdge(a, b, { weight: Number.isFinite(w) && w > 0 ? w : 1 });
    }
  }
  const hubs: string[] = [];
  let gi = 0;
  for (const members of groupsOf(req).values()) {
    const hub = `\u0000hub${gi++}`;
    let x = 0;
    let y = 0;
    for (const m of members) {
      x += g.getNodeAttribute(m, 'x') / members.length;
      y += g.getNodeAttribute(m, 'y') / members.length;
    }
    g.addNode(hub, { x, y });
    hubs.push(hub);
    for (const m of members) g.mergeEdge(hub, m, { weight: 4 });
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
  for (const h of hubs) g.dropNode(h);
  // Scale so that a typical tie is about as long as the small-graph layout's.
  const lengths: number[] = [];
  g.forEachEdge((_e, _attr, _s, _t, a, b) => lengths.push(Math.hypot(a.x - b.x, a.y - b.y)));
  lengths.sort((x, y) => x - y);
  const median = lengths[lengths.length >> 1];
  const f = start ? 1 : median && Number.isFinite(median) ? (TIE_LENGTH * 1.2) / median : 1;
  const ids: string[] = [];
  const xy = new Float64Array(req.nodes.length * 2);
  req.nodes.forEach((id, k) => {
    ids.push(id);
    xy[2 * k] = g.getNodeAttribute(id, 'x') * f;
    xy[2 * k + 1] = g.getNodeAttribute(id, 'y') * f;
  });
  return { ids, xy };
}

/** fcose's draft (spectral) placement of the whole graph. */
function draft(req: LayoutRequest): Promise<LayoutResult> {
  useFcose();
  const present = new Set(req.nodes);
  const elements: cytoscape.ElementDefinition[] = req.nodes.map((id) => ({
    group: 'nodes',
    data: { id, size: 30 },
  }));
  req.edges.forEach(([source, target, strength], i) => {
    if (!present.has(source) || !present.has(target)) return;
    elements.push({ group: 'edges', data: { id: `e${i}`, source, target, strength } });
  });
  return runFcose(elements, req.nodes, {
    quality: 'draft',
    // The spectral draft seeds its sampling from Math.random; what follows (FA2 from
    // these positions) is deterministic.
    randomize: true,
    nodeSeparation: 80,
  });
}

/**
 * Run fcose (not animated, not fitted) on a headless instance of its own holding
 * `elements` (a node is `data.size` across), and return the positions of `nodes`.
 */
function runFcose(
  elements: cytoscape.ElementDefinition[],
  nodes: readonly string[],
  options: Record<string, unknown>,
): Promise<LayoutResult> {
  // `preset`: without it Cytoscape runs its default layout at creation, losing the seeds.
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    elements,
    layout: { name: 'preset' },
  });
  cy.style().selector('node[size]').style({ width: 'data(size)', height: 'data(size)' }).update();
  return new Promise<LayoutResult>((resolve, reject) => {
    try {
      const layout = cy.layout({
        name: 'fcose',
        animate: false,
        fit: false,
        ...options,
      } as cytoscape.LayoutOptions);
      layout.one('layoutstop', () => {
        const xy = new Float64Array(nodes.length * 2);
        nodes.forEach((id, i) => {
          const p = cy.getElementById(id).position();
          xy[2 * i] = p.x;
          xy[2 * i + 1] = p.y;
        });
        cy.destroy();
        resolve({ ids: [...nodes], xy });
      });
      layout.run();
    } catch (err) {
      cy.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** Move the drawing so the centre node (or, without one, the mean) is at the origin. */
function centre(xy: Float64Array, centerIndex: number | undefined): void {
  let cx = 0;
  let cy = 0;
  if (centerIndex !== undefined) {
    cx = xy[2 * centerIndex]!;
    cy = xy[2 * centerIndex + 1]!;
  } else {
    const n = xy.length / 2;
    for (let i = 0; i < n; i++) {
      cx += xy[2 * i]! / n;
      cy += xy[2 * i + 1]! / n;
    }
  }
  for (let i = 0; i < xy.length; i += 2) {
    xy[i] -= cx;
    xy[i + 1] -= cy;
  }
}

/**
 * Turn and stretch the drawing towards the pane's shape, so it fills the pane instead of
 * a disc in its middle: the drawing's long axis (principal component) goes along the
 * pane's long side, then that axis is stretched by up to 1.6× to the pane's aspect.
 */
function stretch(xy: Float64Array, aspect: number): void {
  const n = xy.length / 2;
  if (n < 3 || !(aspect > 0)) return;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  // Angle of the principal axis; rotate it onto x (landscape) or y (portrait).
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const turn = (aspect >= 1 ? 0 : Math.PI / 2) - theta;
  const c = Math.cos(turn);
  const s = Math.sin(turn);
  let w = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i]!;
    const y = xy[2 * i + 1]!;
    xy[2 * i] = x * c - y * s;
    xy[2 * i + 1] = x * s + y * c;
    w = Math.max(w, Math.abs(xy[2 * i]!));
    h = Math.max(h, Math.abs(xy[2 * i + 1]!));
  }
  if (!w || !h) return;
  const want = aspect;
  const have = w / h;
  const f = Math.min(1.6, Math.max(1 / 1.6, want / have));
  const fx = Math.sqrt(f);
  for (let i = 0; i < n; i++) {
    xy[2 * i] *= fx;
    xy[2 * i + 1] /= fx;
  }
}

/**
 * Keep every tie clear of the people it does not join: a person lying on a tie's straight
 * line (within their radius plus a margin) is pushed off it, sideways, a few rounds until
 * no tie passes through anyone (fcose and ForceAtlas2 have no such force). Small graphs
 * only: each round looks at every tie against every person.
 */
function clearTies(
  ids: readonly string[],
  xy: Float64Array,
  req: LayoutRequest,
  at: Map<string, number>,
): void {
  const n = ids.length;
  const radius = (i: number) => (req.sizes?.[at.get(ids[i]!) ?? i] ?? 30) / 2;
  const edges: [number, number][] = [];
  for (const [a, b] of req.edges) {
    const i = at.get(a);
    const j = at.get(b);
    if (i !== undefined && j !== undefined && i !== j) edges.push([i, j]);
  }
  const fixed = req.center === undefined ? -1 : (at.get(req.center) ?? -1);
  const margin = 4;
  const move = (k: number, fx: number, fy: number) => {
    if (k === fixed) return;
    xy[2 * k] += fx;
    xy[2 * k + 1] += fy;
  };
  for (let round = 0; round < 1000; round++) {
    let moved = 0;
    for (const [a, b] of edges) {
      const ax = xy[2 * a]!;
      const ay = xy[2 * a + 1]!;
      const dx = xy[2 * b]! - ax;
      const dy = xy[2 * b + 1]! - ay;
      const len2 = dx * dx + dy * dy;
      if (!len2) continue;
      const len = Math.sqrt(len2);
      for (let k = 0; k < n; k++) {
        if (k === a || k === b) continue;
        const px = xy[2 * k]!;
        const py = xy[2 * k + 1]!;
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        // Away from the nearest point of the tie (sideways, or off an end it sits on).
        let vx = px - (ax + t * dx);
        let vy = py - (ay + t * dy);
        let d = Math.hypot(vx, vy);
        const need = radius(k) + margin;
        if (d >= need) continue;
        if (d < 1e-6) {
          const side = k % 2 ? 1 : -1;
          vx = (dy / len) * side;
          vy = (-dx / len) * side;
          d = 0;
        } else {
          vx /= d;
          vy /= d;
        }
        // Growing with the rounds, so two ties that keep pushing one person back and forth
        // (an oscillation) end with the person clear of both.
        const push = (need - d + 0.5) * 0.6;
        const nx = vx * push;
        const ny = vy * push;
        // The person steps off the line and the tie's ends step the other way a little
        // (only the ends when the person is the held owner).
        const own = k === fixed ? 0 : 0.7;
        move(k, nx * own, ny * own);
        const rest = (1 - own) / 2 + 0.05;
        move(a, -nx * rest * (1 - t) * 2, -ny * rest * (1 - t) * 2);
        move(b, -nx * rest * t * 2, -ny * rest * t * 2);
        moved++;
      }
    }
    if (!moved) break;
  }
  // Pushing can oscillate where many ties meet: whoever is still on a tie moves to the
  // nearest spot (rings around where they are) where no tie crosses them and none of
  // their ties crosses anyone.
  const near = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
    return Math.hypot(px - ax - t * dx, py - ay - t * dy);
  };
  const incident: number[][] = Array.from({ length: n }, () => []);
  edges.forEach(([a, b], e) => {
    incident[a]!.push(e);
    incident[b]!.push(e);
  });
  const conflicts = (k: number, x: number, y: number): number => {
    let c = 0;
    for (const [a, b] of edges) {
      if (a === k || b === k) continue;
      if (near(x, y, xy[2 * a]!, xy[2 * a + 1]!, xy[2 * b]!, xy[2 * b + 1]!) < radius(k) + 1) c++;
    }
    for (const e of incident[k]!) {
      const [a, b] = edges[e]!;
      const o = a === k ? b : a;
      const ox = xy[2 * o]!;
      const oy = xy[2 * o + 1]!;
      for (let j = 0; j < n; j++) {
        if (j === k || j === o) continue;
        if (near(xy[2 * j]!, xy[2 * j + 1]!, x, y, ox, oy) < radius(j) + 1) c++;
      }
    }
    return c;
  };
  for (let pass = 0; pass < 3; pass++) {
    let left = 0;
    for (let k = 0; k < n; k++) {
      if (k === fixed) continue;
      const x0 = xy[2 * k]!;
      const y0 = xy[2 * k + 1]!;
      let best = conflicts(k, x0, y0);
      if (!best) continue;
      let bx = x0;
      let by = y0;
      for (let ring = 1; ring <= 8 && best; ring++) {
        const r = ring * (radius(k) + margin);
        for (let a = 0; a < 16 && best; a++) {
          const x = x0 + Math.cos((a * Math.PI) / 8) * r;
          const y = y0 + Math.sin((a * Math.PI) / 8) * r;
          const c = conflicts(k, x, y);
          if (c < best) [best, bx, by] = [c, x, y];
        }
      }
      xy[2 * k] = bx;
      xy[2 * k + 1] = by;
      if (best) left++;
    }
    if (!left) break;
  }
}
