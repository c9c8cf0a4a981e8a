/**
 * People grouped by what the owner already knows about them — their organisation or a
 * tag — rather than by who knows whom. In a sparse notebook (a LinkedIn import: everyone
 * tied only to the owner) Louvain finds nothing, but "the people at Acme" is a group the
 * owner recognises at once.
 *
 * Organisation names are compared by {@link organisationKey}: case, accents, punctuation,
 * spacing, a leading "The" and trailing legal forms ("Inc.", "GmbH", "Ltd"…) do not count,
 * so "Acme Inc." and "ACME" are one group. Hand-written: the only npm package for this
 * (`cleanco`, a port of the Python one) has a few hundred downloads a week and no release
 * since its first; the rule is twenty lines and tested here.
 */
import type { GraphSnapshot, SnapshotPerson } from './snapshot.ts';
import { compareStrings } from './util.ts';

/** What to group by: the person's organisation, or one of their tags. */
export type GroupBy = 'org' | 'tag';

/** Id of the group of people with no organisation (or no tag). */
export const GROUP_NONE = '~none';
/** Id of the group of everyone whose organisation (or tag) is too rare to have a group. */
export const GROUP_OTHER = '~other';

/** One group of people. Plain data (survives `postMessage` and JSON). */
export interface PersonGroup {
  /** `org:<key>` / `tag:<key>`, or {@link GROUP_NONE} / {@link GROUP_OTHER}. */
  readonly id: string;
  /** The spelling most members use, or "No organisation" / "Other organisations". */
  readonly name: string;
  /** `named`: a real organisation or tag; `none` and `other` are the two catch-alls. */
  readonly kind: 'named' | 'none' | 'other';
  /** Person ids, sorted. */
  readonly members: readonly string[];
  readonly size: number;
}

/** People grouped one way. */
export interface Grouping {
  readonly by: GroupBy;
  /** Named groups, largest first (then by name), then "Other…", then "No…" (when not empty). */
  readonly groups: readonly PersonGroup[];
  /** Person id → group id, for everyone but the owner. */
  readonly assignment: Readonly<Record<string, string>>;
  /** Named groups there would be without {@link GroupingOptions.maxGroups}. */
  readonly namedTotal: number;
}

/** Options of {@link groupPeople}. */
export interface GroupingOptions {
  /**
   * At most this many named groups (the largest); the rest join "Other". Default 12, the
   * number of distinct colours the graph has: more groups than colours tell nothing apart.
   */
  readonly maxGroups?: number;
  /** Smallest named group (default 2): an organisation of one is not a group. */
  readonly minSize?: number;
}

/** Legal forms dropped from the end of an organisation's name (lower case, no dots). */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'se',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'pty',
  'oy',
  'ab',
  'as',
  'aps',
  'kk',
]);

/**
 * The key an organisation's name is compared by: lower case, accents and punctuation
 * removed, "&" read as "and", spaces collapsed, a leading "the" and trailing legal forms
 * dropped ("Acme, Inc." → "acme", "ACME Ltd" → "acme", "The Guardian" → "guardian"). A
 * name that is nothing but a legal form keeps it ("Limited" stays "limited"). Empty for a
 * blank name.
 */
export function organisationKey(raw: string): string {
  const words = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // "S.A." and "L.L.C." are one word each once their dots go.
    .replace(/\b(\p{L})\.(?=\p{L}\b)/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words.length > 1 && words[0] === 'the') words.shift();
  while (words.length > 1 && LEGAL_FORMS.has(words[words.length - 1]!)) {
    words.pop();
    // "Smith & Co." → "smith": the "and" went with the legal form.
    if (words.length > 1 && words[words.length - 1] === 'and') words.pop();
  }
  return words.join(' ');
}

/** The key a tag is compared by: case and spacing do not count. */
export function tagKey(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The tag a person is grouped by: of their tags, the one most people in the notebook
 * carry (so groups are as large, and as few, as they can be); among equally common tags,
 * the first in alphabetical order of its key. `tagCounts` counts people per tag key.
 */
export function groupingTag(
  tags: readonly string[],
  tagCounts: ReadonlyMap<string, number>,
): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const tag of tags) {
    if (typeof tag !== 'string') continue;
    const key = tagKey(tag);
    if (!key) continue;
    const n = tagCounts.get(key) ?? 0;
    if (n > bestCount || (n === bestCount && best !== undefined && key < best)) {
      best = key;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Group everyone but the owner by organisation or by tag.
 *
 * - Organisation: by {@link organisationKey}; people with none form "No organisation".
 * - Tag: a person with several tags goes by {@link groupingTag} (their most common tag);
 *   people with no tag form "No tag".
 * - A group needs `minSize` members (default 2) and only the `maxGroups` largest are kept
 *   (default 12); everyone else with an organisation (or tag) forms "Other organisations"
 *   ("Other tags").
 * - A group is named by the spelling most of its members use; among equally common ones,
 *   one in mixed case ("Acme Inc." rather than "ACME" or "acme inc."), then alphabetical.
 *
 * Deterministic: the same people give the same groups and ids in any order.
 */
export function groupPeople(
  snapshot: GraphSnapshot,
  by: GroupBy,
  opts: GroupingOptions = {},
): Grouping {
  const maxGroups = opts.maxGroups ?? 12;
  const minSize = opts.minSize ?? 2;
  const people = snapshot.people.filter((p) => p.id !== snapshot.owner);
  let tagCounts: Map<string, number> | undefined;
  if (by === 'tag') {
    tagCounts = new Map();
    for (const p of people) {
      for (const key of new Set((p.tags ?? []).filter((t) => typeof t === 'string').map(tagKey))) {
        if (key) tagCounts.set(key, (tagCounts.get(key) ?? 0) + 1);
      }
    }
  }
  const keyOf = (p: SnapshotPerson): { key: string; spelling: string } | undefined => {
    if (by === 'org') {
      const spelling = typeof p.org === 'string' ? p.org.trim().replace(/\s+/g, ' ') : '';
      const key = organisationKey(spelling);
      return key ? { key, spelling } : undefined;
    }
    const key = groupingTag(p.tags ?? [], tagCounts!);
    if (!key) return undefined;
    const spelling = (p.tags ?? []).find((t) => typeof t === 'string' && tagKey(t) === key)!;
    return { key, spelling: spelling.trim().replace(/\s+/g, ' ') };
  };

  const byKey = new Map<string, { members: string[]; spellings: Map<string, number> }>();
  const none: string[] = [];
  for (const p of people) {
    const k = keyOf(p);
    if (!k) {
      none.push(p.id);
      continue;
    }
    let entry = byKey.get(k.key);
    if (!entry) byKey.set(k.key, (entry = { members: [], spellings: new Map() }));
    entry.members.push(p.id);
    entry.spellings.set(k.spelling, (entry.spellings.get(k.spelling) ?? 0) + 1);
  }

  const named = [...byKey]
    .filter(([, e]) => e.members.length >= minSize)
    .map(([key, e]): PersonGroup => {
      const name = [...e.spellings].sort(
        (x, y) => y[1] - x[1] || mixedCase(y[0]) - mixedCase(x[0]) || compareStrings(x[0], y[0]),
      )[0]![0];
      const members = e.members.sort(compareStrings);
      return { id: `${by}:${key}`, name, kind: 'named', members, size: members.length };
    })
    .sort((a, b) => b.size - a.size || compareStrings(a.id, b.id));
  const kept = named.slice(0, Math.max(0, maxGroups));
  const keptIds = new Set(kept.map((g) => g.id));
  const other: string[] = [];
  for (const [key, e] of byKey) if (!keptIds.has(`${by}:${key}`)) other.push(...e.members);

  const groups: PersonGroup[] = [...kept];
  if (other.length) {
    other.sort(compareStrings);
    groups.push({
      id: GROUP_OTHER,
      name: by === 'org' ? 'Other organisations' : 'Other tags',
      kind: 'other',
      members: other,
      size: other.length,
    });
  }
  if (none.length) {
    none.sort(compareStrings);
    groups.push({
      id: GROUP_NONE,
      name: by === 'org' ? 'No organisation' : 'No tag',
      kind: 'none',
      members: none,
      size: none.length,
    });
  }
  const assignment: Record<string, string> = {};
  for (const g of groups) for (const m of g.members) assignment[m] = g.id;
  return { by, groups, assignment, namedTotal: named.length };
}

/** 1 for "Acme Inc." (upper and lower case), 0 for "ACME" or "acme inc.". */
function mixedCase(s: string): number {
  return s !== s.toUpperCase() && s !== s.toLowerCase() ? 1 : 0;
}

/** Share of ties at or above which a notebook counts as a star around its owner. */
export const STAR_SHARE = 0.75;

/**
 * The share of ties (between two different people of the snapshot) that have the owner
 * at one end: 1 for a LinkedIn-only notebook, where everyone is tied only to the owner.
 * 0 when there are no ties.
 */
export function ownerTieShare(snapshot: GraphSnapshot): number {
  const present = new Set(snapshot.people.map((p) => p.id));
  let all = 0;
  let owner = 0;
  for (const t of snapshot.ties) {
    if (t.from === t.to || !present.has(t.from) || !present.has(t.to)) continue;
    all++;
    if (t.from === snapshot.owner || t.to === snapshot.owner) owner++;
  }
  return all === 0 ? 0 : owner / all;
}

/**
 * Whether most ties run through the owner ({@link ownerTieShare} ≥ {@link STAR_SHARE}):
 * then the graph is a disc around the owner and grouping by organisation or tag shows
 * more than clusters can.
 */
export function isStarLike(snapshot: GraphSnapshot): boolean {
  return ownerTieShare(snapshot) >= STAR_SHARE;
}
