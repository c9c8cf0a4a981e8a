/**
 * Node positions: the per-device cache (so reopening a notebook does not re-run the
 * layout) and the placement of new people near their neighbours (so one added person does
 * not trigger a global re-layout). Pure: no cytoscape, no DOM; storage is injected.
 */
import { stableHash } from './elements.ts';

/** A point in model coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** The part of `Storage` the cache needs (localStorage, or a stub in tests). */
export type PositionStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Format 2 adds the grouping the positions were laid out with (an optional third item per
 * position: the group's name, inline so that merging two entries' positions stays right),
 * so a reopen knows whether the clusters still match the picture. Format 1 is still read.
 */
const FORMAT = 2;

/** Cached positions and, when known, the grouping the layout used (id → group). */
export interface CachedLayout {
  readonly positions: Map<string, Point>;
  /** `undefined`: an older cache that did not record it. */
  readonly groups: ReadonlyMap<string, string> | undefined;
}

/**
 * Read cached positions. Anything unreadable (missing, corrupt, another format, storage
 * throwing in a private window) reads as "no cache": the caller then runs a layout.
 */
export function loadPositions(
  storage: PositionStorage | undefined,
  key: string | undefined,
): Map<string, Point> {
  return loadLayout(storage, key).positions;
}

/** Read cached positions with the grouping they were laid out with (see {@link FORMAT}). */
export function loadLayout(
  storage: PositionStorage | undefined,
  key: string | undefined,
): CachedLayout {
  const out = new Map<string, Point>();
  const none = { positions: out, groups: undefined };
  if (!storage || !key) return none;
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return none;
  }
  if (!raw) return none;
  let groups: Map<string, string> | undefined;
  try {
    const parsed = JSON.parse(raw) as { v?: unknown; p?: unknown };
    if ((parsed.v !== 1 && parsed.v !== FORMAT) || !parsed.p || typeof parsed.p !== 'object') {
      return none;
    }
    if (parsed.v === FORMAT) groups = new Map();
    for (const [id, xy] of Object.entries(parsed.p as Record<string, unknown>)) {
      if (!Array.isArray(xy) || xy.length < 2 || xy.length > 3) continue;
      const [x, y, g] = xy as unknown[];
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x + y)) {
        out.set(id, { x, y });
        if (typeof g === 'string' && g) groups?.set(id, g);
      }
    }
  } catch {
    // A corrupt entry is as good as none; it is overwritten after the next layout.
  }
  return { positions: out, groups };
}

/**
 * Write positions, rounded to whole units (sub-pixel precision is invisible and would
 * double the size of the entry: 10,000 people fit in about 300 kB), with the grouping they
 * were laid out with. Returns false when the storage refused (quota), which only means the
 * next open runs a layout again.
 */
export function savePositions(
  storage: PositionStorage | undefined,
  key: string | undefined,
  positions: Iterable<readonly [string, Point]>,
  groups?: ReadonlyMap<string, string>,
): boolean {
  if (!storage || !key) return false;
  // Prototype-free: ids are user text (a person may be called "__proto__" in a file).
  const p = Object.create(null) as Record<string, (number | string)[]>;
  for (const [id, { x, y }] of positions) {
    const g = groups?.get(id);
    p[id] = g ? [Math.round(x), Math.round(y), g] : [Math.round(x), Math.round(y)];
  }
  try {
    storage.setItem(key, JSON.stringify({ v: FORMAT, p }));
    return true;
  } catch {
    return false;
  }
}

/** A small deterministic PRNG seeded from a string, so placement jitter is reproducible. */
function jitterFor(id: string, radius: number): Point {
  const h = stableHash(id);
  const a = (h % 3600) / 3600;
  const r = (((h >>> 12) % 1000) / 1000) * 0.5 + 0.5;
  return {
    x: Math.cos(a * 2 * Math.PI) * radius * r,
    y: Math.sin(a * 2 * Math.PI) * radius * r,
  };
}

/**
 * Place nodes that have no position: each goes to the mean of its placed neighbours plus
 * a small jitter (so two new people with the same friends do not sit on each other).
 * New people whose neighbours are new too are placed in waves, nearest-to-placed first.
 * Whoever has no placed neighbour at all goes on a ring just outside the drawing.
 *
 * @param missing ids to place
 * @param neighbours neighbour ids of a node
 * @param known positions already fixed (read, and extended with the new placements)
 * @param spacing typical distance between neighbours (the jitter radius)
 * @param extent the drawing's extent, asked only when someone has no placed neighbour
 *   (defaults to the extent of `known`)
 * @returns the new positions, by id
 */
export function placeNearNeighbours(
  missing: Iterable<string>,
  neighbours: (id: string) => Iterable<string>,
  known: Map<string, Point>,
  spacing = 40,
  extent?: () => Extent | undefined,
): Map<string, Point> {
  const placed = new Map<string, Point>();
  let pending = [...missing].filter((id) => !known.has(id));
  while (pending.length) {
    const next: string[] = [];
    const wave: [string, Point][] = [];
    for (const id of pending) {
      let sx = 0;
      let sy = 0;
      let n = 0;
      for (const nb of neighbours(id)) {
        const p = known.get(nb);
        if (!p) continue;
        sx += p.x;
        sy += p.y;
        n++;
      }
      if (n === 0) {
        next.push(id);
        continue;
      }
      const j = jitterFor(id, spacing);
      wave.push([id, { x: sx / n + j.x, y: sy / n + j.y }]);
    }
    // A wave is committed only after it is computed, so placement does not depend on the
    // order of `missing`.
    for (const [id, p] of wave) {
      known.set(id, p);
      placed.set(id, p);
    }
    if (wave.length === 0) {
      placeOnRing(next, extent ? extent() : extentOf(known.values()), known, placed, spacing);
      break;
    }
    pending = next;
  }
  return placed;
}

/** An axis-aligned box in model coordinates (Cytoscape's bounding box shape). */
export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The bounding box of some points, or `undefined` for none. */
export function extentOf(points: Iterable<Point>): Extent | undefined {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return Number.isFinite(x1) ? { x1, y1, x2, y2 } : undefined;
}

/** Put unconnected newcomers on a ring around the current drawing. */
function placeOnRing(
  ids: readonly string[],
  extent: Extent | undefined,
  known: Map<string, Point>,
  placed: Map<string, Point>,
  spacing: number,
): void {
  if (!ids.length) return;
  const cx = extent ? (extent.x1 + extent.x2) / 2 : 0;
  const cy = extent ? (extent.y1 + extent.y2) / 2 : 0;
  const r = extent ? Math.hypot(extent.x2 - extent.x1, extent.y2 - extent.y1) / 2 + spacing * 2 : 0;
  ids.forEach((id, i) => {
    const p = spiralPoint(i, ids.length, r, spacing, cx, cy);
    known.set(id, p);
    placed.set(id, p);
  });
}

/**
 * A cheap placeholder position: a ring of radius `r` (or, with `r` 0, a sunflower spiral
 * that fills a disc evenly), used before the first layout has finished.
 */
export function spiralPoint(
  i: number,
  count: number,
  r: number,
  spacing: number,
  cx = 0,
  cy = 0,
): Point {
  if (r > 0) {
    const a = (2 * Math.PI * i) / Math.max(1, count);
    return { x: cx + Math.cos(a) * r, y: cy + Math.sin(a) * r };
  }
  const golden = Math.PI * (3 - Math.sqrt(5));
  const rr = spacing * Math.sqrt(i);
  return { x: cx + Math.cos(i * golden) * rr, y: cy + Math.sin(i * golden) * rr };
}
