/**
 * Showing a few added elements in a large drawn graph in a frame or two, on Cytoscape's
 * canvas-renderer internals. This module is the ONLY place that touches them; the adapter
 * (`adapter.ts`) decides when to use it. `package.json` pins `"cytoscape": "3.34.4"`
 * exactly, and `tests/e2e/graph-fast-add.test.ts` fails when any of these moves.
 *
 * Why: a large graph's node canvas is drawn from a cached texture of every element (the
 * "layered texture cache"). Any add drops Cytoscape's z-sorted element list (the next frame
 * re-sorts ~60k elements) and any style or data change of a drawn element invalidates the
 * texture (the next frame draws every element one by one, ~1 s at 10,000 people). New
 * elements put on the *drag* canvas (the one Cytoscape uses for dragged nodes) leave the
 * texture valid, and splicing them onto the previous z-sorted list skips the sort.
 *
 * Internals used (Cytoscape 3.34.4, `src/extensions/renderer/`), and why:
 *
 * - `cy.renderer()` (public method, untyped result): the canvas renderer.
 * - `renderer.webgl`: must be falsy — the WebGL renderer draws differently.
 * - `ele._private.rscratch.inDragLayer`: elements flagged so are drawn on the drag canvas.
 * - `renderer.cachedZSortedEles` (an element array with `interactive`, `drag`, `nondrag`
 *   arrays, or null once invalidated): the z-sorted list; we replace it after an add.
 * - `renderer.updateCachedGrabbedEles()`: re-splits that list into drag / nondrag.
 * - `renderer.getCachedZSortedEles()`: the list, sorted anew when it was invalidated.
 * - `renderer.getPixelRatio()`: the level of the texture to check and build.
 * - `renderer.data.lyrTxrCache`: the layered texture cache — `getLayers(eles, pxRatio)`
 *   (outside a frame it only queues every element; Cytoscape's own per-frame dequeuer then
 *   draws them into the texture ~15 ms a frame: the time-sliced "priming"),
 *   `levelIsComplete(level, eles)`, `lastInvalidationTime` (it refuses to build within
 *   250 ms of an invalidation), `skipping` (that refusal, updated only in frames) and
 *   `layersQueue.size()` (work still queued).
 *
 * Every entry point feature-detects: `fastDrawOf` returns undefined when anything is
 * missing or has an unexpected type, and no function here throws.
 */
import type { Collection, Core, SingularElementArgument } from 'cytoscape';

/** The slice of Cytoscape's canvas renderer the fast path reads and writes. */
interface ZSorted extends Array<SingularElementArgument> {
  interactive: SingularElementArgument[];
  drag?: SingularElementArgument[];
  nondrag?: SingularElementArgument[];
}
interface LayeredTextureCache {
  getLayers(eles: readonly unknown[], pxRatio: number, lvl?: number): unknown;
  levelIsComplete(lvl: number, eles: readonly unknown[]): boolean;
  lastInvalidationTime: number;
  skipping: boolean;
  layersQueue: { size(): number };
}
interface Renderer {
  webgl?: unknown;
  cachedZSortedEles: ZSorted | null;
  updateCachedGrabbedEles(): void;
  getCachedZSortedEles(): ZSorted;
  getPixelRatio(): number;
  data: { lyrTxrCache: LayeredTextureCache };
}
interface RScratch {
  inDragLayer?: boolean;
}

/** Cytoscape's texture levels (`layered-texture-cache.mjs`: minLvl, maxLvl, maxZoom). */
const MIN_LEVEL = -4;
const MAX_LEVEL = 2;
const MAX_ZOOM = 3.99;
/** Cytoscape does not build the texture this soon after an invalidation (invalidThreshold). */
const INVALID_THRESHOLD_MS = 250;

/** The previous z-sorted list, captured just before an add. */
export type ZOrder = object;

/** What priming found (see {@link FastDraw.prime}). */
export type PrimeState = 'complete' | 'queued' | 'busy' | 'wait' | 'unavailable';

/** The fast-path operations on one Cytoscape instance. */
export interface FastDraw {
  /** The z-sorted list as it is now (null when Cytoscape will sort on the next frame). */
  zOrder(): ZOrder | null;
  /**
   * Draw `added` (just added, inside the same batch or right after) on the drag canvas.
   * Call inside the batch that added them.
   */
  toDragLayer(added: Collection): void;
  /**
   * After the batch: splice `added` onto the end of `before` (edges first, so a new node
   * is drawn over its new ties) instead of letting the next frame sort every element.
   */
  spliceZOrder(before: ZOrder | null, added: Collection): void;
  /** Whether Cytoscape draws this element on the drag canvas. */
  inDragLayer(ele: SingularElementArgument): boolean;
  /**
   * Put elements back on the node canvas and drop the z-sorted list, so the next frame
   * sorts every element as the normal path would have. Call inside a batch.
   */
  leaveDragLayer(eles: Collection): void;
  /** After `leaveDragLayer`'s batch: make the next frame re-sort and redraw. */
  resort(): void;
  /**
   * Queue a rebuild of the node canvas's texture at the current zoom when it is not
   * complete, to be drawn by Cytoscape's own dequeuer over the next frames.
   * `complete`: nothing to do; `queued`: queued now; `busy`: a rebuild is under way;
   * `wait`: too soon after an invalidation, try again later; `unavailable`: no texture at
   * this zoom (too far in, or the graph too big for one), nothing to wait for.
   */
  prime(): PrimeState;
}

const isFn = (o: unknown, k: string): boolean =>
  typeof o === 'object' && o !== null && typeof (o as Record<string, unknown>)[k] === 'function';

/** Why the fast path is not available on `cy` ([] when it is). For the e2e test too. */
export function fastDrawProblems(cy: Core): string[] {
  const out: string[] = [];
  let r: Partial<Renderer> | undefined;
  try {
    r = (cy as unknown as { renderer(): Partial<Renderer> | undefined }).renderer();
  } catch {
    return ['cy.renderer() threw'];
  }
  if (!r || typeof r !== 'object') return ['no renderer'];
  if (r.webgl) out.push('WebGL renderer');
  if (!('cachedZSortedEles' in r)) out.push('renderer.cachedZSortedEles missing');
  else if (r.cachedZSortedEles !== null && !Array.isArray(r.cachedZSortedEles)) {
    out.push('renderer.cachedZSortedEles is not an array');
  } else if (r.cachedZSortedEles && !Array.isArray(r.cachedZSortedEles.interactive)) {
    out.push('renderer.cachedZSortedEles.interactive is not an array');
  }
  for (const k of ['updateCachedGrabbedEles', 'getCachedZSortedEles', 'getPixelRatio']) {
    if (!isFn(r, k)) out.push(`renderer.${k}() missing`);
  }
  const l = r.data?.lyrTxrCache;
  if (!l) out.push('renderer.data.lyrTxrCache missing');
  else {
    for (const k of ['getLayers', 'levelIsComplete']) {
      if (!isFn(l, k)) out.push(`lyrTxrCache.${k}() missing`);
    }
    if (typeof l.lastInvalidationTime !== 'number') {
      out.push('lyrTxrCache.lastInvalidationTime is not a number');
    }
    if (typeof l.skipping !== 'boolean') out.push('lyrTxrCache.skipping is not a boolean');
    if (!isFn(l.layersQueue, 'size')) out.push('lyrTxrCache.layersQueue.size() missing');
  }
  const ele = cy.elements()[0] as unknown as
    { _private?: { rscratch?: Record<string, unknown> } } | undefined;
  if (ele) {
    const rs = ele._private?.rscratch;
    if (!rs || typeof rs !== 'object') out.push('ele._private.rscratch missing');
    else if (rs.inDragLayer !== undefined && typeof rs.inDragLayer !== 'boolean') {
      out.push('rscratch.inDragLayer is not a boolean');
    }
  }
  return out;
}

function scratch(ele: SingularElementArgument): RScratch | undefined {
  const rs = (ele as unknown as { _private?: { rscratch?: RScratch } })._private?.rscratch;
  return rs && typeof rs === 'object' ? rs : undefined;
}

/** The fast-path operations on `cy`, or undefined when its renderer is not as expected. */
export function fastDrawOf(cy: Core): FastDraw | undefined {
  if (fastDrawProblems(cy).length) return undefined;
  const r = (cy as unknown as { renderer(): Renderer }).renderer();
  const lyr = r.data.lyrTxrCache;
  const level = (): number | undefined => {
    const zoom = cy.zoom();
    let lvl = Math.ceil(Math.log2(zoom * r.getPixelRatio()));
    if (lvl < MIN_LEVEL) lvl = MIN_LEVEL;
    else if (zoom >= MAX_ZOOM || lvl > MAX_LEVEL) return undefined;
    return lvl;
  };
  const nondrag = (): readonly unknown[] | undefined => {
    const list = r.getCachedZSortedEles();
    return Array.isArray(list?.nondrag) ? list.nondrag : undefined;
  };
  return {
    zOrder() {
      const z = r.cachedZSortedEles;
      return Array.isArray(z) && Array.isArray(z.interactive) ? z : null;
    },
    toDragLayer(added) {
      added.forEach((e) => {
        const rs = scratch(e);
        if (rs) rs.inDragLayer = true;
      });
    },
    spliceZOrder(before, added) {
      // Only when the add did what Cytoscape 3.34 does (drop the list); a list someone
      // rebuilt meanwhile already holds the new elements.
      if (!before || r.cachedZSortedEles !== null) return;
      const old = before as ZSorted;
      const next = old.slice() as ZSorted;
      next.interactive = old.interactive.slice();
      const ordered = [...added.edges(), ...added.nodes()];
      for (const e of ordered) {
        next.push(e);
        // `interactive()` is public but untyped: visible, events enabled, not transparent.
        if ((e as unknown as { interactive(): boolean }).interactive()) next.interactive.push(e);
      }
      r.cachedZSortedEles = next;
      r.updateCachedGrabbedEles();
    },
    inDragLayer(ele) {
      return scratch(ele)?.inDragLayer === true;
    },
    leaveDragLayer(eles) {
      eles.forEach((e) => {
        const rs = scratch(e);
        if (rs) rs.inDragLayer = false;
      });
    },
    resort() {
      r.cachedZSortedEles = null;
      cy.forceRender();
    },
    prime() {
      try {
        const lvl = level();
        if (lvl === undefined) return 'unavailable';
        if (lyr.layersQueue.size() > 0) return 'busy';
        const eles = nondrag();
        if (!eles) return 'unavailable';
        if (lyr.levelIsComplete(lvl, eles)) return 'complete';
        if (performance.now() - lyr.lastInvalidationTime <= INVALID_THRESHOLD_MS) return 'wait';
        // `skipping` is only refreshed in frames; it is stale once the threshold passed.
        lyr.skipping = false;
        lyr.getLayers(eles, r.getPixelRatio());
        if (lyr.layersQueue.size() > 0) return 'queued';
        return lyr.levelIsComplete(lvl, eles) ? 'complete' : 'unavailable';
      } catch {
        return 'unavailable';
      }
    },
  };
}
