import { describe, expect, it } from 'vitest';
import {
  directionOfKey,
  navigate,
  nearest,
  nextInDirection,
  type NodePoint,
} from '../../src/ui/graph/graph-keys.ts';

const at = (id: string, x: number, y: number): NodePoint => ({ id, x, y });

describe('graph keyboard navigation', () => {
  const here = at('here', 0, 0);
  const points = [
    at('right-near', 10, 2),
    at('right-far', 40, 0),
    at('up', 0, -20),
    at('down-left', -10, 12),
    at('diagonal', 10, 10),
  ];

  it('maps the arrow keys and nothing else', () => {
    expect(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].map(directionOfKey)).toEqual([
      'up',
      'down',
      'left',
      'right',
    ]);
    expect(directionOfKey('Enter')).toBeUndefined();
  });

  it('goes to the nearest point roughly that way (y grows downwards)', () => {
    expect(nextInDirection(here, 'right', points)?.id).toBe('right-near');
    expect(nextInDirection(here, 'up', points)?.id).toBe('up');
    expect(nextInDirection(here, 'down', points)?.id).toBe('diagonal');
    expect(nextInDirection(here, 'left', points)?.id).toBe('down-left');
    // Exactly 45° off-axis is within reach, but a straighter point at the same distance wins.
    expect(nextInDirection(here, 'down', [at('diagonal', 10, 10), at('straight', 0, 14)])?.id).toBe(
      'straight',
    );
    expect(nextInDirection(here, 'left', [at('up', 0, -20)])).toBeUndefined();
  });

  it('prefers a tied person that way, then anyone, and starts somewhere sensible', () => {
    const neighbours = [at('tied-far', 50, 0)];
    expect(
      navigate(
        here,
        'right',
        () => neighbours,
        () => points,
        () => undefined,
      )?.id,
    ).toBe('tied-far');
    expect(
      navigate(
        here,
        'up',
        () => neighbours,
        () => points,
        () => undefined,
      )?.id,
    ).toBe('up');
    expect(
      navigate(
        undefined,
        'up',
        () => [],
        () => points,
        () => at('owner', 0, 0),
      )?.id,
    ).toBe('owner');
    expect(nearest(points, 9, 9)?.id).toBe('diagonal');
  });
});
