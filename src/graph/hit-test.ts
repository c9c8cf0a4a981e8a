/**
 * Which person a tap on a large graph means, found by us rather than by Cytoscape.
 *
 * Why: Cytoscape marks the element under a press `:active` (and a grabbable node
 * `:grabbed`) and unmarks it on release. Each is a style change of a drawn element, and any
 * style change of an element invalidates the cached texture its layer holds — at 10,000
 * people and 50,000 ties the next frame draws every element one by one (2.3–2.7 s in one
 * main-thread task, issue 14 point 14). A large graph's elements therefore take no pointer
 * events (`events: no` in its stylesheet): every press lands on the background, where
 * Cytoscape changes no element, and this finds the node under the tap.
 */
import type { Core, NodeSingular } from 'cytoscape';

/** How far outside a node's disc a tap still hits it, in screen pixels (mouse, touch). */
export const HIT_SLACK_PX = { mouse: 3, touch: 10 } as const;

/**
 * The visible node under `pos` (model coordinates): of the nodes whose disc, widened by
 * `slackPx` screen pixels, contains the point, the one the tap is most central on (a small
 * node on top of a big one wins when the tap is on it). `undefined` when it hit nobody.
 */
export function nodeAt(
  cy: Core,
  pos: { x: number; y: number },
  slackPx: number = HIT_SLACK_PX.mouse,
): NodeSingular | undefined {
  const slack = slackPx / cy.zoom();
  let best: NodeSingular | undefined;
  let bestGap = Infinity;
  // One pass over the nodes (about 10 ms at 10,000): a tap is rare, an index would have to
  // follow every move.
  cy.nodes().forEach((n) => {
    const p = n.position();
    const dx = p.x - pos.x;
    const dy = p.y - pos.y;
    const r = n.width() / 2;
    const reach = r + slack;
    if (dx * dx + dy * dy > reach * reach || !n.visible()) return;
    // How far out from its centre the tap is, as a share of its reach: a tap on a small
    // node lying over a big one means the small one.
    const gap = Math.hypot(dx, dy) / reach;
    if (gap < bestGap) {
      bestGap = gap;
      best = n;
    }
  });
  return best;
}

/** Whether a Cytoscape event came from a touch (a finger needs a larger target). */
export function isTouch(e: { originalEvent?: Event }): boolean {
  const o = e.originalEvent;
  if (!o) return false;
  if (typeof TouchEvent !== 'undefined' && o instanceof TouchEvent) return true;
  return (o as PointerEvent).pointerType === 'touch';
}
