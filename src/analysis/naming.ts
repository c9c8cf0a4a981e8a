/**
 * Suggested cluster names from what members have in common.
 */
import { peopleGraph, type PeopleGraph } from './graph.ts';
import type { GraphSnapshot } from './snapshot.ts';
import { compareStrings } from './util.ts';

/** A suggested name and where it came from; plain data. */
export interface ClusterName {
  readonly name: string;
  readonly source: 'org' | 'tag';
  /** Members who share it. */
  readonly count: number;
}

/** Smallest share of members that must share an organisation or tag to name the cluster. */
export const NAME_MIN_SHARE = 0.25;

/**
 * The organisation or tag most members share, compared case- and space-insensitively and
 * spelled the way most of them spell it. It must be shared by at least two members and at
 * least a quarter of the cluster; an organisation wins a tie with a tag, then the
 * alphabetically first. `undefined` when nothing is shared enough.
 */
export function suggestClusterName(
  snapshot: GraphSnapshot,
  members: readonly string[],
): ClusterName | undefined {
  const g = peopleGraph(snapshot);
  const nodes: number[] = [];
  for (const m of members) {
    const v = g.index.get(m);
    if (v !== undefined) nodes.push(v);
  }
  return suggestNameOf(g, nodes);
}

/** {@link suggestClusterName} over person indices of an already built graph. */
export function suggestNameOf(g: PeopleGraph, nodes: readonly number[]): ClusterName | undefined {
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  const add = (source: 'org' | 'tag', raw: string) => {
    const label = raw.trim().replace(/\s+/g, ' ');
    if (!label) return;
    const key = `${source}:${label.toLowerCase()}`;
    let entry = counts.get(key);
    if (!entry) counts.set(key, (entry = { count: 0, spellings: new Map() }));
    entry.count++;
    entry.spellings.set(label, (entry.spellings.get(label) ?? 0) + 1);
  };
  for (const v of nodes) {
    const p = g.people[v]!;
    if (p.org) add('org', p.org);
    // One vote per distinct tag per person.
    const tags = p.tags;
    if (!tags || tags.length === 0) continue;
    if (tags.length === 1) {
      if (typeof tags[0] === 'string') add('tag', tags[0]);
      continue;
    }
    for (const tag of new Set(tags)) if (typeof tag === 'string') add('tag', tag);
  }
  const needed = Math.max(2, Math.ceil(nodes.length * NAME_MIN_SHARE));
  let best: ClusterName | undefined;
  for (const [key, { count, spellings }] of counts) {
    if (count < needed) continue;
    const source = key.startsWith('org:') ? 'org' : 'tag';
    const name = [...spellings].sort((x, y) => y[1] - x[1] || compareStrings(x[0], y[0]))[0]![0];
    const candidate: ClusterName = { name, source, count };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best;
}

function better(a: ClusterName, b: ClusterName): boolean {
  if (a.count !== b.count) return a.count > b.count;
  if (a.source !== b.source) return a.source === 'org';
  return compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) < 0;
}
