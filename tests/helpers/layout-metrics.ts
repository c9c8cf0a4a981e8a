/**
 * What a reader of the graph notices, measured on laid-out positions: whether clusters
 * are regions, whether the labels on show overlap at the default zoom, whether a tie is
 * drawn through someone else. Used by the layout tests (headless Cytoscape, no renderer:
 * label widths are estimated the way `src/graph/labels.ts` estimates them).
 */
import type { Core, NodeSingular } from 'cytoscape';
import { estimateLabelWidth } from '../../src/graph/labels.ts';

export type Positions = ReadonlyMap<string, { readonly x: number; readonly y: number }>;

/** Node positions of a Cytoscape instance. */
export function positionsOf(cy: Core): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  cy.nodes().forEach((n) => void out.set(n.id(), { ...n.position() }));
  return out;
}

/**
 * Share of grouped people who sit nearer their own group's centre (mean position) than any
 * other group's centre. People without a group (and groups of one) are not counted.
 */
export function groupShare(at: Positions, groupOf: ReadonlyMap<string, string>): number {
  const sums = new Map<string, { x: number; y: number; n: number }>();
  for (const [id, g] of groupOf) {
    const p = at.get(id);
    if (!p) continue;
    const s = sums.get(g) ?? { x: 0, y: 0, n: 0 };
    s.x += p.x;
    s.y += p.y;
    s.n++;
    sums.set(g, s);
  }
  const centres = [...sums]
    .filter(([, s]) => s.n > 1)
    .map(([g, s]) => [g, s.x / s.n, s.y / s.n] as const);
  let own = 0;
  let counted = 0;
  for (const [id, g] of groupOf) {
    const p = at.get(id);
    if (!p || (sums.get(g)?.n ?? 0) < 2) continue;
    counted++;
    let best = '';
    let bestD = Infinity;
    for (const [cg, cx, cy] of centres) {
      const d = Math.hypot(p.x - cx, p.y - cy);
      if (d < bestD) [best, bestD] = [cg, d];
    }
    if (best === g) own++;
  }
  return counted ? own / counted : 1;
}

/** The zoom `cy.fit(undefined, padding)` would choose for a pane, capped like the view's fit. */
export function fitZoom(cy: Core, pane: { w: number; h: number }, padding = 30, cap = 1.5): number {
  const bb = cy.nodes().boundingBox({ includeLabels: false, includeOverlays: false });
  const z = Math.min((pane.w - 2 * padding) / bb.w, (pane.h - 2 * padding) / bb.h);
  return Math.min(cap, z);
}

interface Box {
  readonly id: string;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * Boxes (model units) of the labels drawn at `zoom`: a node's label is drawn when its
 * `label` style is not empty and its font is at least `min-zoomed-font-size` on screen.
 * Placed under the node (`text-valign: bottom`), as the stylesheet does.
 */
export function shownLabels(cy: Core, zoom: number): Box[] {
  const out: Box[] = [];
  cy.nodes().forEach((node: NodeSingular) => {
    const n = node as NodeSingular & { pstyle(k: string): { strValue?: string; pfValue?: number } };
    if (!n.visible()) return;
    const text = String(n.pstyle('label').strValue ?? '');
    if (!text) return;
    const font = Number(n.pstyle('font-size').pfValue);
    const min = Number(n.pstyle('min-zoomed-font-size').pfValue);
    if (font * zoom < min) return;
    const maxW = Number(n.pstyle('text-max-width').pfValue);
    const w = Math.min(maxW, estimateLabelWidth(text, font));
    const h = font * 1.25;
    const { x, y } = n.position();
    const top = y + n.height() / 2 + Number(n.pstyle('text-margin-y').pfValue);
    out.push({ id: n.id(), x1: x - w / 2, x2: x + w / 2, y1: top, y2: top + h });
  });
  return out;
}

/** Pairs of boxes that overlap. */
export function overlappingPairs(boxes: readonly Box[]): number {
  let n = 0;
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j]!;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) n++;
    }
  }
  return n;
}

/**
 * (tie, person) pairs where the tie's straight segment passes within the person's drawn
 * radius, the person being neither end: a reader would take the tie for two.
 */
export function edgesThroughNodes(cy: Core): { edge: string; node: string }[] {
  const out: { edge: string; node: string }[] = [];
  const list = cy
    .nodes()
    .filter((n) => n.visible())
    .map((n) => ({ id: n.id(), ...(n as NodeSingular).position(), r: n.width() / 2 }));
  cy.edges().forEach((e) => {
    if (!e.visible()) return;
    const a = e.source().position();
    const b = e.target().position();
    const s = e.source().id();
    const t = e.target().id();
    for (const n of list) {
      if (n.id === s || n.id === t) continue;
      if (segmentDistance(n.x, n.y, a.x, a.y, b.x, b.y) < n.r)
        out.push({ edge: e.id(), node: n.id });
    }
  });
  return out;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Largest share of people on one straight line (within `tolerance` model units). */
export function collinearShare(points: readonly { x: number; y: number }[], tolerance = 5): number {
  if (points.length < 3) return 0;
  let best = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      if (!len) continue;
      let on = 0;
      for (const p of points) {
        const d = Math.abs((b.x - a.x) * (a.y - p.y) - (a.x - p.x) * (b.y - a.y)) / len;
        if (d <= tolerance) on++;
      }
      best = Math.max(best, on);
    }
  }
  return best / points.length;
}
