import { describe, expect, it } from 'vitest';
import { selfSustaining } from '../../src/analysis/index.ts';
import { snapshotFrom, type TieSpec } from '../fixtures/karate.ts';

const FIVE = ['p1', 'p2', 'p3', 'p4', 'p5'];
const ownerTo = (ids: readonly string[]): TieSpec[] => ids.map((id) => ['me', id]);

function cliqueTies(ids: readonly string[]): TieSpec[] {
  const ties: TieSpec[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) ties.push([ids[i]!, ids[j]!]);
  }
  return ties;
}

function scoreOf(ties: TieSpec[], members: readonly string[]) {
  const snapshot = snapshotFrom({ ties: [...ownerTo(members), ...ties] });
  return selfSustaining(snapshot, [{ id: 'c', members }])[0]!;
}

describe('self-sustaining score', () => {
  const clique = scoreOf(cliqueTies(FIVE), FIVE);
  const ownersStar = scoreOf([], FIVE);

  it('scores a clique of five as fully self-sustaining', () => {
    expect(clique.score).toBe(1);
    expect(clique.survivesAnyLoss).toBe(true);
    expect(clique.holders).toEqual([]);
    expect(clique.density).toBe(1);
    expect(clique.explanation).toBe(
      'Without you, all 5 still know each other, and losing any one of them would not split them.',
    );
  });

  it('scores a star of five held only by the owner at zero, well below the clique', () => {
    expect(ownersStar.score).toBe(0);
    expect(ownersStar.heldOnlyByOwner).toEqual(FIVE);
    expect(ownersStar.largestComponent).toBe(1);
    expect(ownersStar.explanation).toBe('Without you, none of these 5 know each other.');
    expect(clique.score - ownersStar.score).toBeGreaterThan(0.5);
  });

  it('scores a group held together by one member in between, and names that member', () => {
    const hub = scoreOf(
      [
        ['p1', 'p2'],
        ['p1', 'p3'],
        ['p1', 'p4'],
        ['p1', 'p5'],
      ],
      FIVE,
    );
    expect(hub.score).toBeGreaterThan(ownersStar.score);
    expect(hub.score).toBeLessThan(clique.score - 0.25);
    expect(hub.holders).toEqual(['p1']);
    expect(hub.robustness).toBe(0.25);
    expect(hub.explanation).toBe(
      'Without you, all 5 still know each other; p1 holds them together.',
    );
  });

  it('explains a partly held cluster in one sentence', () => {
    // Ana links two triangles; Cy and Di know only the owner.
    const members = ['ana', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'cy', 'di'];
    const result = scoreOf(
      [
        ['b1', 'b2'],
        ['b2', 'b3'],
        ['b3', 'b1'],
        ['b4', 'b5'],
        ['b5', 'b6'],
        ['b6', 'b4'],
        ['ana', 'b1'],
        ['ana', 'b4'],
      ],
      members,
    );
    expect(result.largestComponent).toBe(7);
    expect(result.heldOnlyByOwner).toEqual(['cy', 'di']);
    expect(result.holders).toEqual(['ana', 'b1', 'b4']);
    expect(result.explanation).toBe(
      'Without you, 7 of 9 still know each other; ana, b1 and 1 other hold them together; ' +
        '2 people know no one else here.',
    );
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThan(7 / 9);
  });

  it('uses names, ignores the owner and unknown ids among members', () => {
    const snapshot = snapshotFrom({
      people: [
        { id: 'a', name: 'Ana', tags: [] },
        { id: 'b', name: 'Bo', tags: [] },
      ],
      ties: [
        ['me', 'a'],
        ['a', 'b'],
        ['b', 'c'],
      ],
    });
    const [result] = selfSustaining(snapshot, [
      { id: 'x', members: ['me', 'a', 'b', 'c', 'ghost'] },
    ]);
    expect(result!.size).toBe(3);
    expect(result!.holders).toEqual(['b']);
    expect(result!.explanation).toBe(
      'Without you, all 3 still know each other; Bo holds them together.',
    );
  });

  it('handles pairs and singletons', () => {
    const snapshot = snapshotFrom({
      ties: [
        ['a', 'b'],
        ['me', 'c'],
        ['c', 'd'],
      ],
    });
    const [pair, single] = selfSustaining(snapshot, [
      { id: 'pair', members: ['a', 'b'] },
      { id: 'single', members: ['c'] },
    ]);
    expect(pair!.score).toBe(1);
    expect(pair!.explanation).toBe('Without you, both still know each other.');
    expect(single!.score).toBe(0);
    expect(single!.explanation).toBe('c knows no one else in this cluster.');
  });
});
