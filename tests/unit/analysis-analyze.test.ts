import { describe, expect, it } from 'vitest';
import { analysisJson, analyze } from '../../src/analysis/index.ts';
import type { GraphSnapshot, SnapshotPerson } from '../../src/analysis/snapshot.ts';
import type { Analysis } from '../../src/analysis/index.ts';
import { generateSnapshot } from '../bench/gen-snapshot.ts';
import { snapshotFrom, type TieSpec } from '../fixtures/karate.ts';

const person = (id: string, org?: string, tags: string[] = []): SnapshotPerson => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  ...(org ? { org } : {}),
  tags,
});

/** Two teams the owner knows, joined by Ana and Bo, plus two people only the owner knows. */
function notebook(): GraphSnapshot {
  const acme = ['ana', 'ari', 'avi', 'amy'];
  const rowing = ['bo', 'bea', 'ben', 'bob'];
  const ties: TieSpec[] = [];
  for (const team of [acme, rowing]) {
    for (let i = 0; i < team.length; i++) {
      for (let j = i + 1; j < team.length; j++) ties.push([team[i]!, team[j]!]);
    }
  }
  ties.push(['ana', 'bo', 2]);
  for (const id of ['ana', 'ari', 'bo', 'bea', 'solo', 'zed']) {
    ties.push(['me', id, 4, { cadenceDays: 30, lastTouched: '2025-01-01T00:00:00.000Z' }]);
  }
  return snapshotFrom({
    people: [
      ...acme.map((id) => person(id, id === 'amy' ? 'ACME ' : 'Acme')),
      ...rowing.map((id) => person(id, undefined, ['rowing'])),
      person('solo'),
      person('zed'),
    ],
    ties,
  });
}

describe('analyze', () => {
  const snapshot = notebook();
  const result = analyze(snapshot);

  it('has the `vitrine analyze --json` shape and survives JSON unchanged', () => {
    const json = JSON.parse(analysisJson(result)) as Record<string, unknown> & typeof result;
    expect(json).toEqual({ ...result, embeddedness: asObject(result) });
    expect(json.embeddedness).toMatchObject({ 'ana-bo': 0 });
    expect(typeof json.modularity).toBe('number');
    expect(Array.isArray(json.neglected)).toBe(true);
    expect(Array.isArray(json.brokers)).toBe(true);
    for (const c of json.clusters) {
      expect(typeof c.id).toBe('string');
      expect(c.members.every((m) => typeof m === 'string')).toBe(true);
      expect(c.selfSustaining).toBeGreaterThanOrEqual(0);
      expect(c.selfSustaining).toBeLessThanOrEqual(1);
      expect(c.explanation).toMatch(/^Without you, .*\.$/);
    }
  });

  it('finds the two teams, names them, and keeps the owner out', () => {
    expect(result.clusters.map((c) => [c.name, c.members])).toEqual([
      ['Acme', ['amy', 'ana', 'ari', 'avi']],
      ['rowing', ['bea', 'ben', 'bo', 'bob']],
    ]);
    expect(result.clusters.map((c) => c.nameSource)).toEqual(['org', 'tag']);
    expect(result.assignment.me).toBeUndefined();
    expect(result.unclustered).toEqual(['solo', 'zed']);
    expect(result.clusters[0]!.selfSustaining).toBe(1);
  });

  it('finds the broker and the bridge between the teams', () => {
    expect(result.bridges.map((b) => b.tieIds)).toEqual([['ana-bo']]);
    expect(result.localBridges).toEqual(['ana-bo']);
    expect(embeddednessOf(result, 'ana-bo')).toBe(0);
    expect(embeddednessOf(result, 'ana-ari')).toBe(2);
    expect(embeddednessOf(result, 'me-ana')).toBeUndefined();
    expect(
      result.brokers
        .slice(0, 2)
        .map((b) => b.personId)
        .sort(),
    ).toEqual(['ana', 'bo']);
    expect(result.brokers[0]!.clusters).toHaveLength(2);
  });

  it('ranks neglected ties with the only links first', () => {
    // All equally late and strong; solo and zed know no one else, so they come first.
    expect(result.neglected.map((n) => n.personId)).toEqual([
      'solo',
      'zed',
      'ana',
      'ari',
      'bea',
      'bo',
    ]);
    expect(result.neglected[0]!.reason).toContain('Solo knows no one else in your network');
  });

  it('is deterministic, whatever order the snapshot lists things in', () => {
    const shuffled: GraphSnapshot = {
      ...snapshot,
      people: [...snapshot.people].reverse(),
      ties: [...snapshot.ties].reverse(),
    };
    expect(analyze(snapshot)).toEqual(result);
    expect(analyze(shuffled)).toEqual(result);
  });

  it('is deterministic on a generated notebook of 1,000 people', () => {
    const big = generateSnapshot({ people: 1000, seed: 3 });
    const a = analyze(big);
    const b = analyze({ ...big, ties: [...big.ties].reverse(), people: [...big.people].reverse() });
    expect(b).toEqual(a);
    expect(a.clusters.length).toBeGreaterThan(3);
    expect(a.modularity).toBeGreaterThan(0.5);
    expect(JSON.parse(analysisJson(a))).toEqual({
      ...a,
      embeddedness: asObject(a),
    });
    const numbers: number[] = [...a.embeddedness.counts];
    JSON.stringify(a, (_key, value: unknown) => {
      if (typeof value === 'number') numbers.push(value);
      return value;
    });
    expect(numbers.every(Number.isFinite)).toBe(true);
  });

  it('copes with an owner who is not in the notebook', () => {
    const r = analyze({ ...snapshot, owner: 'someone-else' });
    expect(r.you).toBeNull();
    expect(r.neglected).toEqual([]);
    expect(r.assignment.me).toBeDefined();
  });
});

function embeddednessOf(a: Analysis, tieId: string): number | undefined {
  const i = a.embeddedness.tieIds.indexOf(tieId);
  return i < 0 ? undefined : a.embeddedness.counts[i];
}

function asObject(a: Analysis): Record<string, number> {
  return Object.fromEntries(a.embeddedness.tieIds.map((id, i) => [id, a.embeddedness.counts[i]!]));
}
