/**
 * Which names the graph shows at a zoom level: the most important people first, and only
 * where a name fits without covering one already shown (the label grid Sigma.js and
 * gephi-lite use). Zooming in makes room, so more names appear; none ever overlap. Pure:
 * no cytoscape, no DOM; the browser view passes a canvas text measurer, tests the estimate.
 */

/** A label as the picker sees it: model position of the node, its size and text. */
export interface LabelCandidate {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** Node diameter (model units): the label sits under the node. */
  readonly size: number;
  /** Font size in model units. */
  readonly font: number;
  readonly text: string;
  /** Larger first; the owner and the selected person should rank highest. */
  readonly priority: number;
}

/** Measures a label's width in model units (`font` in model units too). */
export type MeasureLabel = (text: string, font: number) => number;

/** Labels never grow wider than this (model units; the stylesheet's `text-max-width`). */
export const LABEL_MAX_WIDTH = 120;
/** Gap between a node and its label (the stylesheet's `text-margin-y`). */
export const LABEL_MARGIN = 3;
/** A name smaller than this on screen (px) is not shown at all. */
export const MIN_SCREEN_FONT = 8;
/** Font sizes (model units) for importance 0 and 1. */
export const LABEL_FONT = { min: 12, max: 28 } as const;

/**
 * Width of `text` in a sans-serif `font` without a canvas: narrow, wide and capital letters
 * weighed apart (within ~10% of system-ui in Chromium for names).
 */
export function estimateLabelWidth(text: string, font: number): number {
  let em = 0;
  for (const ch of text) {
    if ("iljtfr.,;:'!| ".includes(ch)) em += 0.3;
    else if ('mwMW'.includes(ch)) em += 0.85;
    else if (ch >= 'A' && ch <= 'Z') em += 0.68;
    else em += 0.56;
  }
  return em * font;
}

/**
 * The ids whose label is shown at `zoom`: in priority order, a label is kept when its font
 * is at least {@link MIN_SCREEN_FONT} px on screen and its box (plus `gap` px) overlaps no
 * kept label. A uniform grid keeps it near-linear (10,000 candidates in a few ms).
 */
export function pickLabels(
  candidates: readonly LabelCandidate[],
  zoom: number,
  measure: MeasureLabel = estimateLabelWidth,
  gap = 2,
): Set<string> {
  const shown = new Set<string>();
  if (!(zoom > 0)) return shown;
  const order = [...candidates].sort((a, b) => b.priority - a.priority || cmp(a.id, b.id));
  const cell = 64;
  const grid = new Map<string, { x1: number; y1: number; x2: number; y2: number }[]>();
  const cells = (b: { x1: number; y1: number; x2: number; y2: number }) => {
    const keys: string[] = [];
    for (let i = Math.floor(b.x1 / cell); i <= Math.floor(b.x2 / cell); i++) {
      for (let j = Math.floor(b.y1 / cell); j <= Math.floor(b.y2 / cell); j++)
        keys.push(`${i},${j}`);
    }
    return keys;
  };
  for (const c of order) {
    if (!c.text || c.font * zoom < MIN_SCREEN_FONT) continue;
    const w = Math.min(LABEL_MAX_WIDTH, measure(c.text, c.font)) * zoom;
    const h = c.font * 1.25 * zoom;
    const top = (c.y + c.size / 2 + LABEL_MARGIN) * zoom;
    const box = {
      x1: c.x * zoom - w / 2 - gap,
      x2: c.x * zoom + w / 2 + gap,
      y1: top - gap,
      y2: top + h + gap,
    };
    const keys = cells(box);
    let free = true;
    for (const k of keys) {
      for (const o of grid.get(k) ?? []) {
        if (box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2) {
          free = false;
          break;
        }
      }
      if (!free) break;
    }
    if (!free) continue;
    shown.add(c.id);
    for (const k of keys) {
      const list = grid.get(k);
      if (list) list.push(box);
      else grid.set(k, [box]);
    }
  }
  return shown;
}

/** Font size (model units) of a name for an importance 0..1. */
export function labelFont(importance: number): number {
  return LABEL_FONT.min + (LABEL_FONT.max - LABEL_FONT.min) * Math.max(0, Math.min(1, importance));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
