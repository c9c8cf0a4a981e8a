/**
 * Grouping people by organisation or tag (issue 12, point 7): a LinkedIn-only notebook is
 * a star around the owner, and these groups are the structure the owner can still see.
 */
import { describe, expect, it } from 'vitest';
import {
  GROUP_NONE,
  GROUP_OTHER,
  groupPeople,
  groupingTag,
  isStarLike,
  organisationKey,
  ownerTieShare,
} from '../../src/analysis/grouping.ts';
import type { GraphSnapshot, SnapshotPerson, SnapshotTie } from '../../src/analysis/snapshot.ts';
import { handleAnalysisRequest } from '../../src/app/analysis.worker.ts';
import { starOffer } from '../../src/app/group-display.ts';

function snap(people: SnapshotPerson[], ties: SnapshotTie[] = []): GraphSnapshot {
  return {
    owner: 'me',
    now: '2026-06-01T00:00:00.000Z',
    people: [{ id: 'me', name: 'Me', tags: [] }, ...people],
    ties,
    intros: [],
  };
}

function p(id: string, org?: string, tags: string[] = []): SnapshotPerson {
  return { id, name: id, tags, ...(org !== undefined ? { org } : {}) };
}

function t(id: string, from: string, to: string): SnapshotTie {
  return { id, from, to, kind: 'colleague', strength: 3, createdAt: '2026-01-01' };
}

describe('organisation names', () => {
  it('ignore case, spacing, punctuation, accents, a leading "The" and legal forms', () => {
    const acme = organisationKey('Acme');
    expect(acme).toBe('acme');
    for (const spelling of [
      'Acme Inc.',
      'ACME',
      '  acme  ',
      'Acme, Inc',
      'Acme Ltd',
      'Acme Limited',
      'Acme GmbH',
      'Acme S.A.',
      'Acme L.L.C.',
      'Acme Corp.',
      'Acme & Co.',
      'The Acme Company',
      'Ácme',
    ]) {
      expect([spelling, organisationKey(spelling)]).toEqual([spelling, acme]);
    }
    expect(organisationKey('Acme Labs')).not.toBe(acme);
    expect(organisationKey('Johnson & Johnson')).toBe('johnson and johnson');
    // A name that is nothing but a legal form or "The" keeps it rather than vanishing.
    expect(organisationKey('Limited')).toBe('limited');
    expect(organisationKey('The')).toBe('the');
    expect(organisationKey('   ')).toBe('');
  });
});

describe('grouping by organisation', () => {
  const people = [
    p('a1', 'Acme Inc.'),
    p('a2', 'ACME'),
    p('a3', 'Acme Inc.'),
    p('b1', 'Globex'),
    p('b2', 'globex  corporation'),
    p('s1', 'Solo Ltd'),
    p('n1'),
    p('n2', '  '),
  ];

  it('puts spellings of one organisation together, named as most members spell it', () => {
    const g = groupPeople(snap(people), 'org');
    expect(g.by).toBe('org');
    expect(g.groups.map((x) => [x.id, x.name, x.members])).toEqual([
      ['org:acme', 'Acme Inc.', ['a1', 'a2', 'a3']],
      ['org:globex', 'Globex', ['b1', 'b2']],
      [GROUP_OTHER, 'Other organisations', ['s1']],
      [GROUP_NONE, 'No organisation', ['n1', 'n2']],
    ]);
    expect(g.assignment).toEqual({
      a1: 'org:acme',
      a2: 'org:acme',
      a3: 'org:acme',
      b1: 'org:globex',
      b2: 'org:globex',
      s1: GROUP_OTHER,
      n1: GROUP_NONE,
      n2: GROUP_NONE,
    });
    // The owner is in no group: the owner's node keeps its own colour.
    expect('me' in g.assignment).toBe(false);
    expect(g.namedTotal).toBe(2);
  });

  it('keeps the largest groups and folds the rest into "Other"', () => {
    const many: SnapshotPerson[] = [];
    for (let i = 0; i < 15; i++) {
      // Organisation i has i + 2 people: sizes 2..16.
      for (let j = 0; j < i + 2; j++) many.push(p(`o${i}-${j}`, `Org ${i}`));
    }
    const g = groupPeople(snap(many), 'org');
    const named = g.groups.filter((x) => x.kind === 'named');
    expect(named).toHaveLength(12);
    expect(named.map((x) => x.size)).toEqual([16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(g.namedTotal).toBe(15);
    const other = g.groups.find((x) => x.id === GROUP_OTHER)!;
    expect(other.size).toBe(2 + 3 + 4);
    expect(g.groups.reduce((n, x) => n + x.size, 0)).toBe(many.length);
    expect(groupPeople(snap(many), 'org', { maxGroups: 3 }).groups).toHaveLength(4);
  });

  it('prefers a mixed-case spelling when spellings are equally common', () => {
    const g = groupPeople(snap([p('a', 'ACME'), p('b', 'acme inc.'), p('c', 'Acme Inc.')]), 'org');
    expect(g.groups[0]!.name).toBe('Acme Inc.');
  });

  it('is the same in any order', () => {
    const a = groupPeople(snap(people), 'org');
    const b = groupPeople(snap([...people].reverse()), 'org');
    expect(b).toEqual(a);
    // Plain data: survives JSON and structured clone.
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe('grouping by tag', () => {
  it('groups a person with several tags by their most common tag', () => {
    const people = [
      p('d1', undefined, ['design']),
      p('d2', undefined, ['Design', 'climbing']),
      p('d3', undefined, ['climbing', 'design ']),
      p('c1', undefined, ['climbing']),
      p('x1', undefined, ['rare', 'climbing']),
      p('n1'),
    ];
    // design: 3 people, climbing: 4. Those with both go with climbing, which leaves d1
    // alone with "design": a group of one is no group.
    const g = groupPeople(snap(people), 'tag');
    expect(g.groups.map((x) => [x.id, x.name, x.members])).toEqual([
      ['tag:climbing', 'climbing', ['c1', 'd2', 'd3', 'x1']],
      [GROUP_OTHER, 'Other tags', ['d1']],
      [GROUP_NONE, 'No tag', ['n1']],
    ]);
  });

  it('breaks a tie between equally common tags alphabetically', () => {
    const counts = new Map([
      ['b', 2],
      ['a', 2],
      ['c', 1],
    ]);
    expect(groupingTag(['c', 'b', 'a'], counts)).toBe('a');
    expect(groupingTag(['B', 'c'], counts)).toBe('b');
    expect(groupingTag([], counts)).toBeUndefined();
  });
});

describe('star-shaped notebooks', () => {
  it('count as a star when most ties run to the owner', () => {
    const people = [p('a'), p('b'), p('c'), p('d')];
    const star = snap(people, [
      t('1', 'me', 'a'),
      t('2', 'me', 'b'),
      t('3', 'me', 'c'),
      t('4', 'me', 'd'),
    ]);
    expect(ownerTieShare(star)).toBe(1);
    expect(isStarLike(star)).toBe(true);
    const knit = snap(people, [
      t('1', 'me', 'a'),
      t('2', 'a', 'b'),
      t('3', 'b', 'c'),
      t('4', 'c', 'd'),
    ]);
    expect(ownerTieShare(knit)).toBe(0.25);
    expect(isStarLike(knit)).toBe(false);
    expect(ownerTieShare(snap(people))).toBe(0);
    expect(isStarLike(snap(people))).toBe(false);
  });

  it('come back from the analysis worker with both groupings', () => {
    const people = [
      p('a1', 'Acme'),
      p('a2', 'ACME Inc'),
      p('t1', undefined, ['x']),
      p('t2', undefined, ['x']),
    ];
    const ties = people.map((x, i) => t(`o${i}`, 'me', x.id));
    const res = handleAnalysisRequest({ id: 1, snapshot: snap(people, ties) });
    if (!('analysis' in res)) throw new Error(res.error);
    expect(res.analysis.ownerTieShare).toBe(1);
    expect(res.analysis.groupings.org.groups[0]).toMatchObject({ id: 'org:acme', size: 2 });
    expect(res.analysis.groupings.tag.groups[0]).toMatchObject({ id: 'tag:x', size: 2 });
  });

  it('offer organisation first, else tag, and nothing when ties do not run through the owner', () => {
    const offer = (people: SnapshotPerson[], ties: SnapshotTie[]) => {
      const res = handleAnalysisRequest({ id: 1, snapshot: snap(people, ties) });
      if (!('analysis' in res)) throw new Error(res.error);
      return starOffer(res.analysis);
    };
    const star = (people: SnapshotPerson[]) => people.map((x, i) => t(`o${i}`, 'me', x.id));
    const orgs = [
      p('a', 'Acme'),
      p('b', 'Acme'),
      p('c', undefined, ['x']),
      p('d', undefined, ['x']),
    ];
    expect(offer(orgs, star(orgs))).toBe('org');
    const tagsOnly = [p('a', 'Solo'), p('b'), p('c', undefined, ['x']), p('d', undefined, ['x'])];
    expect(offer(tagsOnly, star(tagsOnly))).toBe('tag');
    const nothingShared = [p('a', 'One'), p('b', 'Two')];
    expect(offer(nothingShared, star(nothingShared))).toBeUndefined();
    const knit = [
      ...star(orgs).slice(0, 1),
      t('x1', 'a', 'b'),
      t('x2', 'b', 'c'),
      t('x3', 'c', 'd'),
    ];
    expect(offer(orgs, knit)).toBeUndefined();
  });
});
