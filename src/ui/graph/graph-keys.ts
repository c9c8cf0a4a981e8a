/**
 * Keyboard navigation of the drawn graph: the arrow keys move from the current person to
 * the one that lies in that direction on screen, preferring the people they are tied to,
 * so a keyboard (or screen-reader) user can walk the network the way a mouse user scans
 * it. Pure geometry over positions; `vt-graph` feeds it Cytoscape's positions.
 */

/** A drawn node: id and position in model coordinates (y grows downwards). */
export interface NodePoint {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

const VECTORS: Record<Direction, readonly [number, number]> = {
  up: [0, -1],
  down: [0, 1],
  left: [-1, 0],
  right: [1, 0],
};

/** The arrow key's direction, or undefined for any other key. */
export function directionOfKey(key: string): Direction | undefined {
  switch (key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    default:
      return undefined;
  }
}

/**
 * The candidate best reached from `from` by going `direction`: within 60° of it, scored by
 * distance stretched by how far off-axis it lies (straight ahead and near wins). `undefined`
 * when nothing lies that way.
 */
export function nextInDirection(
  from: NodePoint,
  direction: Direction,
  candidates: Iterable<NodePoint>,
): NodePoint | undefined {
  const [dx, dy] = VECTORS[direction];
  let best: NodePoint | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c.id === from.id) continue;
    const vx = c.x - from.x;
    const vy = c.y - from.y;
    const length = Math.hypot(vx, vy);
    if (length === 0) continue;
    const cos = (vx * dx + vy * dy) / length;
    if (cos < 0.5) continue;
    const score = length * (2 - cos);
    if (score < bestScore || (score === bestScore && best && c.id < best.id)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Where an arrow key goes: a tied person that way if there is one, else anyone that way.
 * With nothing current, `start` (the owner, or whoever is nearest the middle).
 */
export function navigate(
  current: NodePoint | undefined,
  direction: Direction,
  neighbours: () => Iterable<NodePoint>,
  everyone: () => Iterable<NodePoint>,
  start: () => NodePoint | undefined,
): NodePoint | undefined {
  if (!current) return start();
  return (
    nextInDirection(current, direction, neighbours()) ??
    nextInDirection(current, direction, everyone())
  );
}

/** The point nearest to (x, y). */
export function nearest(points: Iterable<NodePoint>, x: number, y: number): NodePoint | undefined {
  let best: NodePoint | undefined;
  let bestDistance = Infinity;
  for (const p of points) {
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return best;
}
