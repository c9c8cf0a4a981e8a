import { describe, expect, it } from 'vitest';
import {
  CLUSTER_PALETTE,
  assignClusterColors,
  clusterColor,
  stableHash,
} from '../../src/graph/elements.ts';

describe('cluster colours', () => {
  it('gives every cluster on show its own colour while there are colours left', () => {
    // Ids chosen so that plain hashing puts several of them on the same palette slot.
    const ids: string[] = [];
    const slot = (id: string) => stableHash(id) % CLUSTER_PALETTE.length;
    for (let i = 0; ids.length < 6; i++) if (slot(`c-${i}`) === slot('c-0')) ids.push(`c-${i}`);
    expect(new Set(ids.map(slot)).size).toBe(1);
    const colours = assignClusterColors(ids);
    expect(new Set(ids.map((id) => clusterColor(id, colours))).size).toBe(6);
  });

  it('is the same for the same clusters, in any order, and neutral for none', () => {
    const one = assignClusterColors(['b', 'a', 'c']);
    const first = ['a', 'b', 'c'].map((id) => clusterColor(id, one));
    assignClusterColors(['x']);
    const again = assignClusterColors(['c', 'b', 'a']);
    expect(['a', 'b', 'c'].map((id) => clusterColor(id, again))).toEqual(first);
    expect(clusterColor(undefined, again)).not.toBe(first[0]);
  });
});
