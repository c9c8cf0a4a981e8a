import { describe, expect, it } from 'vitest';
import { bridges, embeddedness, localBridges } from '../../src/analysis/index.ts';
import { snapshotFrom, type TieSpec } from '../fixtures/karate.ts';

/*
 * Two triangles a-b-c and d-e-f joined by c–d, a pendant g on f, and a square
 * h-i-j-k that hangs off a by a–h:
 *
 *   a---b        e
 *    \ /        / \
 *     c------- d---f---g
 *   |
 *   h---i
 *   |   |
 *   k---j
 */
const TIES: TieSpec[] = [
  ['a', 'b'],
  ['b', 'c'],
  ['c', 'a'],
  ['d', 'e'],
  ['e', 'f'],
  ['f', 'd'],
  ['c', 'd'],
  ['f', 'g'],
  ['a', 'h'],
  ['h', 'i'],
  ['i', 'j'],
  ['j', 'k'],
  ['k', 'h'],
];
const graph = (extra: TieSpec[] = []) =>
  snapshotFrom({ owner: 'nobody', ownerAbsent: true, ties: [...TIES, ...extra] });

describe('bridges', () => {
  it('finds the ties whose loss splits the network, biggest split first', () => {
    expect(bridges(graph())).toEqual([
      { tieIds: ['a-h'], a: 'a', b: 'h', splitsOff: 4 },
      { tieIds: ['c-d'], a: 'c', b: 'd', splitsOff: 4 },
      { tieIds: ['f-g'], a: 'f', b: 'g', splitsOff: 1 },
    ]);
  });

  it('stops calling a tie a bridge once a second path exists', () => {
    const ids = bridges(graph([['b', 'e']])).map((b) => b.tieIds[0]);
    expect(ids).toEqual(['a-h', 'f-g']);
  });

  it('treats parallel ties between two people as one link', () => {
    const result = bridges(graph([['d', 'c', 5]]));
    expect(result.find((b) => b.a === 'c')).toEqual({
      tieIds: ['c-d', 'd-c'],
      a: 'c',
      b: 'd',
      splitsOff: 4,
    });
  });

  it('can look at the network without the owner', () => {
    const snapshot = snapshotFrom({
      ties: [...TIES, ['me', 'a'], ['me', 'g'], ['me', 'j']],
    });
    // With the owner, everything lies on a cycle through the owner: no bridges at all.
    expect(bridges(snapshot)).toEqual([]);
    expect(bridges(snapshot, { withoutOwner: true }).map((b) => b.tieIds[0])).toEqual([
      'a-h',
      'c-d',
      'f-g',
    ]);
  });

  it('survives a chain of 20,000 people (no recursion)', () => {
    const ties: TieSpec[] = [];
    for (let i = 0; i < 19_999; i++) ties.push([`p${i}`, `p${i + 1}`]);
    const result = bridges(snapshotFrom({ ownerAbsent: true, owner: 'x', ties }));
    expect(result).toHaveLength(19_999);
    expect(result[0]!.splitsOff).toBe(10_000);
  });
});

describe('local bridges and embeddedness', () => {
  it('counts common neighbours of each tie', () => {
    const e = embeddedness(graph([['b', 'd']]));
    expect(e.get('a-b')).toBe(1);
    expect(e.get('b-c')).toBe(2); // a, and d (via b–d)
    expect(e.get('c-d')).toBe(1); // b
    expect(e.get('f-g')).toBe(0);
    expect(e.get('h-i')).toBe(0);
  });

  it('lists ties whose ends share no one, and says which are bridges', () => {
    const result = localBridges(graph());
    expect(result).toEqual([
      { tieIds: ['a-h'], a: 'a', b: 'h', bridge: true },
      { tieIds: ['c-d'], a: 'c', b: 'd', bridge: true },
      { tieIds: ['f-g'], a: 'f', b: 'g', bridge: true },
      { tieIds: ['h-i'], a: 'h', b: 'i', bridge: false },
      { tieIds: ['k-h'], a: 'h', b: 'k', bridge: false },
      { tieIds: ['i-j'], a: 'i', b: 'j', bridge: false },
      { tieIds: ['j-k'], a: 'j', b: 'k', bridge: false },
    ]);
  });

  it('does not count the owner as a common neighbour when asked not to', () => {
    const snapshot = snapshotFrom({ ties: [...TIES, ['me', 'h'], ['me', 'i']] });
    expect(embeddedness(snapshot).get('h-i')).toBe(1);
    expect(embeddedness(snapshot).get('me-h')).toBe(1);
    const without = embeddedness(snapshot, { withoutOwner: true });
    expect(without.get('h-i')).toBe(0);
    expect(without.get('me-h')).toBeUndefined();
    expect(localBridges(snapshot).some((l) => l.tieIds[0] === 'h-i')).toBe(false);
    expect(localBridges(snapshot, { withoutOwner: true }).some((l) => l.tieIds[0] === 'h-i')).toBe(
      true,
    );
  });
});
