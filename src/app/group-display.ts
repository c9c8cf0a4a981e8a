/**
 * What the graph, its legend and the Clusters panel colour people by — Louvain's clusters,
 * or (for a sparse, star-shaped notebook) organisations or tags — as one derived object per
 * analysis result and choice: the groups, who is in which, and the colour of each. The
 * three views read the same object, so a legend entry, a node and a panel dot of one group
 * always have one colour (issue 17: colours were module state set from three different
 * sets of clusters).
 */
import type { AnalyzedCluster } from '../analysis/index.ts';
// Straight from the file: the analysis index would pull Louvain into the page's bundle.
import { GROUP_NONE, GROUP_OTHER, STAR_SHARE } from '../analysis/grouping.ts';
import {
  NO_CLUSTER_COLOR,
  OTHER_GROUP_COLOR,
  assignClusterColors,
  type GroupColours,
} from '../graph/elements.ts';
import { legendItems, type LegendItem } from '../graph/legend.ts';
import type { AppAnalysis } from './analysis.worker.ts';

/** What people are grouped (and coloured) by. */
export type GroupChoice = 'clusters' | 'org' | 'tag';

/** The choices, in the order the panel offers them. */
export const GROUP_CHOICES: readonly { readonly value: GroupChoice; readonly label: string }[] = [
  { value: 'clusters', label: 'Clusters' },
  { value: 'org', label: 'Organisation' },
  { value: 'tag', label: 'Tag' },
];

/** One group as the views show it. */
export interface DisplayGroup {
  readonly id: string;
  /** `cluster`: found by Louvain; `named`: an organisation or tag; `none`/`other`: catch-alls. */
  readonly kind: 'cluster' | 'named' | 'none' | 'other';
  /** The organisation or tag (as most members spell it), or a cluster's suggested name. */
  readonly name?: string;
  readonly members: readonly string[];
  readonly size: number;
  /** The analysed cluster (scores, holders), for `clusters` only. */
  readonly cluster?: AnalyzedCluster;
}

/** Groups, membership and colours of one choice on one analysis result. */
export interface GroupDisplay {
  readonly by: GroupChoice;
  /** Largest first; for organisations and tags the catch-alls come last. */
  readonly groups: readonly DisplayGroup[];
  /** Person id → group id (the owner is in none). */
  readonly assignment: ReadonlyMap<string, string>;
  /** Group id → colour, one assignment over every group (see `assignClusterColors`). */
  readonly colours: GroupColours;
}

/** Catch-all groups keep fixed, neutral colours and leave the palette to real groups. */
const FIXED = new Map([
  [GROUP_NONE, NO_CLUSTER_COLOR],
  [GROUP_OTHER, OTHER_GROUP_COLOR],
]);

const displays = new WeakMap<AppAnalysis, Map<GroupChoice, GroupDisplay>>();

/**
 * The groups of `analysis` by `by`, with their colours: computed once per result and
 * choice (the same object every time, so views can compare by identity).
 */
export function groupDisplay(analysis: AppAnalysis, by: GroupChoice): GroupDisplay {
  let perChoice = displays.get(analysis);
  if (!perChoice) displays.set(analysis, (perChoice = new Map()));
  let d = perChoice.get(by);
  if (d) return d;
  const grouping = by === 'clusters' ? undefined : analysis.groupings?.[by];
  if (!grouping) {
    const groups = analysis.clusters.map((c): DisplayGroup => ({
      id: c.id,
      kind: 'cluster',
      ...(c.name ? { name: c.name } : {}),
      members: c.members,
      size: c.size,
      cluster: c,
    }));
    d = {
      by: 'clusters',
      groups,
      assignment: new Map(Object.entries(analysis.assignment)),
      colours: assignClusterColors(groups.map((g) => g.id)),
    };
  } else {
    d = {
      by,
      groups: grouping.groups,
      assignment: new Map(Object.entries(grouping.assignment)),
      colours: assignClusterColors(
        grouping.groups.map((g) => g.id),
        FIXED,
      ),
    };
  }
  perChoice.set(by, d);
  return d;
}

/** A cluster's display name: its suggested name, else who it centres on, else its size. */
export function clusterLabel(c: AnalyzedCluster, nameOf: (id: string) => string): string {
  if (c.name) return c.name;
  const centre = c.holders[0] ?? c.members[0];
  return centre ? `Around ${nameOf(centre)}` : `Cluster of ${c.size}`;
}

/** A group's display name (see {@link clusterLabel} for clusters). */
export function groupLabel(g: DisplayGroup, nameOf: (id: string) => string): string {
  if (g.cluster) return clusterLabel(g.cluster, nameOf);
  return g.name ?? `Group of ${g.size}`;
}

/** Clusters the legend names (the largest); organisations and tags are all named. */
export const LEGEND_CLUSTERS = 8;

/** The graph's legend for a grouping: every colour it names is the one the graph draws. */
export function groupLegend(d: GroupDisplay, nameOf: (id: string) => string): LegendItem[] {
  const shown = d.by === 'clusters' ? d.groups.slice(0, LEGEND_CLUSTERS) : d.groups;
  return legendItems(
    shown.map((g) => ({ id: g.id, name: groupLabel(g, nameOf) })),
    d.colours,
    d.by === 'org'
      ? "a person's organisation"
      : d.by === 'tag'
        ? "a person's tag (their most common one)"
        : 'the cluster a person belongs to',
  );
}

/**
 * The grouping to offer prominently: when most ties run through the owner
 * (`ownerTieShare` ≥ {@link STAR_SHARE}), organisation if it finds any group, else tag;
 * `undefined` when the notebook is not star-shaped or neither finds a group.
 */
export function starOffer(analysis: AppAnalysis): 'org' | 'tag' | undefined {
  if (!(analysis.ownerTieShare >= STAR_SHARE)) return undefined;
  for (const by of ['org', 'tag'] as const) {
    if (analysis.groupings?.[by].groups.some((g) => g.kind === 'named')) return by;
  }
  return undefined;
}
