/**
 * Model people and ties → Cytoscape element data. Pure functions, no cytoscape import,
 * so they are cheap to test and to diff: the adapter compares the data computed here with
 * what it applied last time and only touches elements whose data really changed.
 */
import type { Person, Tie } from '../model/index.ts';

/**
 * A calm palette of 12 opaque colours (opaque on purpose: Cytoscape's performance notes
 * say translucent fills are slower). Chosen to stay distinguishable on a light background
 * and to leave the warm orange of overdue ties and the violet of introduction ties free.
 */
export const CLUSTER_PALETTE = [
  '#4e79a7', // blue
  '#59a14f', // green
  '#edc948', // yellow
  '#b07aa1', // mauve
  '#76b7b2', // teal
  '#d37295', // rose
  '#9c755f', // brown
  '#a0cbe8', // light blue
  '#8cd17d', // light green
  '#e15759', // coral
  '#2f6f6a', // dark teal
  '#8f9d3f', // olive
] as const;

/** Node colour of a person outside every cluster (or when clusters are not computed). */
export const NO_CLUSTER_COLOR = '#9aa5b1';
/** Fill of the owner's node. */
export const OWNER_COLOR = '#1f2933';
/** Colour of overdue (neglected) ties. */
export const OVERDUE_COLOR = '#e8743b';
/** Colour of ties an introduction made. */
export const INTRO_COLOR = '#7b61c4';
/** Colour of ordinary ties. */
export const TIE_COLOR = '#b8c2cc';

/**
 * FNV-1a 32-bit hash of a string: stable across runs, devices and versions, so a cluster
 * keeps its colour as long as its id does.
 */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Colour of the catch-all group of people whose organisation or tag has no group of its own. */
export const OTHER_GROUP_COLOR = '#cdbfa6';

/**
 * Group id (cluster, organisation or tag) → node colour. Derived data: computed once from
 * the set of groups on show ({@link assignClusterColors}) and handed, as the same object,
 * to the graph, its legend and the Clusters panel, so the three cannot disagree. (It used
 * to be module state that each of them re-assigned from a different set of clusters.)
 */
export type GroupColours = ReadonlyMap<string, string>;

/**
 * Give the groups on show distinct palette colours. Each id, in sorted order, takes the
 * slot its hash prefers, or the next free one, so two groups never share a colour while
 * there are colours left (hashing alone gave the sample network's six clusters two pairs of
 * look-alikes). Deterministic for the same set of ids on every device, and a group keeps
 * its colour as long as no group sorting before it starts to want the same slot. `fixed`
 * colours (e.g. the grey of "No organisation") are used as given and take no slot.
 *
 * Pure: pass the whole set of groups the graph shows, not the few a legend names — a
 * subset gives a different assignment.
 */
export function assignClusterColors(
  ids: Iterable<string>,
  fixed?: ReadonlyMap<string, string>,
): GroupColours {
  const sorted = [...new Set(ids)].filter((id) => id && !fixed?.has(id)).sort();
  const n = CLUSTER_PALETTE.length;
  const taken = new Set<number>();
  const out = new Map<string, string>(fixed ?? []);
  for (const id of sorted) {
    let slot = stableHash(id) % n;
    if (taken.size < n) while (taken.has(slot)) slot = (slot + 1) % n;
    taken.add(slot);
    out.set(id, CLUSTER_PALETTE[slot]!);
  }
  return out;
}

/**
 * The colour of a group: from `colours` (see {@link assignClusterColors}), else its own
 * hash slot of the palette; the neutral colour for none.
 */
export function clusterColor(clusterId: string | undefined, colours?: GroupColours): string {
  if (clusterId === undefined || clusterId === '') return NO_CLUSTER_COLOR;
  return (
    colours?.get(clusterId) ?? CLUSTER_PALETTE[stableHash(clusterId) % CLUSTER_PALETTE.length]!
  );
}

/**
 * Degree at which the default importance saturates at 1. Absolute, not relative to the
 * largest degree in the graph: with a relative scale, one new tie to the best-connected
 * person would resize every node, turning a small change into a full restyle.
 */
export const DEGREE_SATURATION = 48;

/** Default importance from degree: logarithmic, 0 for an isolated person, 1 at saturation. */
export function degreeImportance(degree: number): number {
  if (degree <= 0) return 0;
  return Math.min(1, Math.log1p(degree) / Math.log1p(DEGREE_SATURATION));
}

/** Data of a person's node. Every field is a primitive so data can be compared cheaply. */
export interface NodeData {
  readonly id: string;
  readonly label: string;
  /** 0..1, mapped to node size by the stylesheet. */
  readonly importance: number;
  readonly color: string;
  readonly cluster: string;
  /** 1 for the owner's node, 0 otherwise (a number so `node[?owner]` works). */
  readonly owner: 0 | 1;
  readonly underGlass: 0 | 1;
}

/** Data of a tie's edge. */
export interface EdgeData {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** 1..5, mapped to edge width by the stylesheet. */
  readonly strength: number;
  readonly overdue: 0 | 1;
  /** 1 when an introduction made this tie. */
  readonly intro: 0 | 1;
  /** 1 for a tie inferred from imported meetings or conversations (drawn thin and dotted). */
  readonly inferred: 0 | 1;
}

/**
 * Data of an edge that is not a tie: an introduction under way (`pending`, id
 * `intro:<intro id>`) or a pair the owner could introduce (`suggested`, id
 * `suggest:<a>|<b>`). Prefixed ids, so they never collide with a tie's.
 */
export interface OverlayData {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: 'pending' | 'suggested';
  /** The introduction's state (`idea`, `asked-a`, `asked-b`); empty for a suggestion. */
  readonly state: string;
}

/** Overlay edge data; `key` is the intro id (pending) or `a|b` (suggested). */
export function overlayData(
  kind: OverlayData['kind'],
  key: string,
  a: string,
  b: string,
  state: string,
): OverlayData {
  return {
    id: `${kind === 'pending' ? 'intro' : 'suggest'}:${key}`,
    source: a,
    target: b,
    kind,
    state,
  };
}

/** Colour of the people and ties `highlight()` emphasises, and of suggested pairs. */
export const EMPHASIS_COLOR = '#c2185b';

/** Round importance to 0..1 in steps of 0.001, so floating noise never counts as a change. */
export function roundImportance(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
}

/** Node data for a person, given the derived values the view knows. */
export function nodeData(
  person: Person,
  derived: { importance: number; cluster?: string; owner: boolean; colours?: GroupColours },
): NodeData {
  return {
    id: person.id,
    label: person.name,
    importance: roundImportance(derived.importance),
    color: derived.owner ? OWNER_COLOR : clusterColor(derived.cluster, derived.colours),
    cluster: derived.cluster ?? '',
    owner: derived.owner ? 1 : 0,
    underGlass: person.underGlass ? 1 : 0,
  };
}

/** Edge data for a tie. */
export function edgeData(tie: Tie, overdue: boolean): EdgeData {
  return {
    id: tie.id,
    source: tie.from,
    target: tie.to,
    strength: tie.strength,
    overdue: overdue ? 1 : 0,
    intro: tie.introId ? 1 : 0,
    inferred: tie.provenance === 'inferred' ? 1 : 0,
  };
}

/** True when two data records of the same shape hold the same primitive values. */
export function sameData<T extends object>(a: T, b: T): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  return true;
}

/** Visible-tie degree of each person (ties to people not in the view are ignored). */
export function degrees(people: readonly Person[], ties: readonly Tie[]): Map<string, number> {
  const deg = new Map<string, number>();
  for (const p of people) deg.set(p.id, 0);
  for (const t of ties) {
    const a = deg.get(t.from);
    const b = deg.get(t.to);
    if (a === undefined || b === undefined) continue;
    deg.set(t.from, a + 1);
    deg.set(t.to, b + 1);
  }
  return deg;
}
