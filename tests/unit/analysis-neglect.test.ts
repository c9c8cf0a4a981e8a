import { describe, expect, it } from 'vitest';
import { neglectedTies } from '../../src/analysis/index.ts';
import type { SnapshotTie } from '../../src/analysis/snapshot.ts';
import { snapshotFrom, type TieSpec } from '../fixtures/karate.ts';

const NOW = Date.parse('2025-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const mine = (id: string, strength: number, extra: Partial<SnapshotTie>): TieSpec => [
  'me',
  id,
  strength,
  { cadenceDays: 30, ...extra },
];

/*
 * The owner's ties, all on a 30-day cadence unless said otherwise:
 *   late    strength 3, touched 150 days ago (120 overdue)   log2(5)     = 2.32
 *   alone   strength 3, touched  75 days ago, knows no one else: log2(2.5)·1.5 = 1.98
 *   strong  strength 5, touched  60 days ago                  1 · 5/3     = 1.67
 *   bridge  strength 3, touched  60 days ago, the owner's only link to cluster Y: 1.5
 *   plain   strength 3, touched  60 days ago                  1
 *   fresh   never touched; known since 2015 but added 40 days ago: 10 overdue, 0.415
 *   weak    strength 1, touched  60 days ago                  1 · 1/3     = 0.33
 *   recent  touched 10 days ago: not due
 *   nocad   no cadence anywhere: never overdue (unless a default is given)
 */
const snapshot = snapshotFrom({
  ties: [
    mine('late', 3, { lastTouched: daysAgo(150) }),
    mine('alone', 3, { lastTouched: daysAgo(75) }),
    mine('strong', 5, { lastTouched: daysAgo(60) }),
    mine('bridge', 3, { lastTouched: daysAgo(60) }),
    mine('plain', 3, { lastTouched: daysAgo(60) }),
    mine('fresh', 3, { since: '2015-03-01T00:00:00.000Z', createdAt: daysAgo(40) }),
    mine('weak', 1, { lastTouched: daysAgo(60) }),
    mine('recent', 3, { lastTouched: daysAgo(10) }),
    ['me', 'nocad', 3, { createdAt: daysAgo(45) }],
    ['late', 'strong'],
    ['strong', 'plain'],
    ['plain', 'weak'],
    ['weak', 'fresh'],
    ['fresh', 'recent'],
    ['recent', 'nocad'],
    ['bridge', 'y2'],
  ],
});
const clusters = [
  {
    id: 'X',
    name: 'Acme',
    members: ['late', 'strong', 'plain', 'weak', 'fresh', 'recent', 'nocad'],
  },
  { id: 'Y', name: 'the climbing club', members: ['bridge', 'y2'] },
];

describe('neglected ties', () => {
  const result = neglectedTies(snapshot, { clusters });

  it('ranks overdue ties by lateness, strength and whether they are the only link', () => {
    expect(result.map((n) => n.personId)).toEqual([
      'late',
      'alone',
      'strong',
      'bridge',
      'plain',
      'fresh',
      'weak',
    ]);
    expect(result.map((n) => n.score)).toEqual([2.322, 1.983, 1.667, 1.5, 1, 0.415, 0.333]);
  });

  it('counts a never-touched tie from when it was added, not from an old `since`', () => {
    const fresh = result.find((n) => n.personId === 'fresh')!;
    expect(fresh.daysOverdue).toBe(10);
    expect(fresh.lastTouched).toBeUndefined();
    expect(fresh.reason).toBe(
      '10 days overdue: no touch logged in the 40 days since you added this tie against a 30-day cadence.',
    );
  });

  it('explains each entry in words', () => {
    const byId = new Map(result.map((n) => [n.personId, n]));
    expect(byId.get('bridge')!.onlyLink).toBe(true);
    expect(byId.get('bridge')!.reason).toBe(
      '30 days overdue: last touched 60 days ago against a 30-day cadence; your only link to the climbing club.',
    );
    expect(byId.get('alone')!.reason).toContain('alone knows no one else in your network');
    expect(byId.get('strong')!.reason).toContain('a strong tie');
    expect(byId.get('plain')!.onlyLink).toBe(false);
    expect(byId.get('late')!).toMatchObject({
      tieId: 'me-late',
      daysOverdue: 120,
      daysSince: 150,
      cadenceDays: 30,
      clusterId: 'X',
    });
  });

  it('uses a default cadence when asked, and honours a limit', () => {
    const withDefault = neglectedTies(snapshot, { clusters, defaultCadenceDays: 30 });
    expect(withDefault.find((n) => n.personId === 'nocad')!.daysOverdue).toBe(15);
    expect(neglectedTies(snapshot, { clusters, limit: 2 }).map((n) => n.personId)).toEqual([
      'late',
      'alone',
    ]);
  });

  it('lists a person once, under their most urgent tie', () => {
    const twice = snapshotFrom({
      ties: [
        mine('a', 3, { lastTouched: daysAgo(40) }),
        mine('a', 3, { lastTouched: daysAgo(40), cadenceDays: 7 }),
      ],
    });
    const list = neglectedTies(twice);
    expect(list).toHaveLength(1);
    expect(list[0]!.tieId).toBe('me-a#2');
  });
});
