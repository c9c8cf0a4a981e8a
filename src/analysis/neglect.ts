/**
 * Neglected ties: the owner's ties that are overdue for a touch, most urgent first.
 */
import type { ClusterLike } from './clusters.ts';
import { peopleGraph, tieWeight } from './graph.ts';
import type { GraphSnapshot, SnapshotTie } from './snapshot.ts';
import { addDays, daysBetween, formatDay, isCadence } from '../time/dates.ts';
import { compareStrings, parseTime } from './util.ts';

/** One overdue tie of the owner's; plain data. */
export interface NeglectedTie {
  readonly tieId: string;
  /** The other person. */
  readonly personId: string;
  readonly name: string;
  /** Days past the cadence (always > 0). */
  readonly daysOverdue: number;
  /** Days since the last touch, or since the tie was added when never touched. */
  readonly daysSince: number;
  readonly cadenceDays: number;
  /**
   * The day (ISO date, UTC) the touch fell due: the last touch (or when the tie was added)
   * plus the cadence. It names this overdue period: it stays the same until a new touch.
   */
  readonly dueAt: string;
  readonly lastTouched?: string;
  readonly strength: number;
  /** The person's cluster, when they have one. */
  readonly clusterId?: string;
  /**
   * This tie is the owner's only link to the person's cluster, or the person knows no one
   * else in the notebook: let it lapse and that part of the network goes with it.
   */
  readonly onlyLink: boolean;
  /** Higher is more urgent; see {@link neglectedTies}. */
  readonly score: number;
  /** In words, e.g. "64 days overdue: last touched 94 days ago against a 30-day cadence; …". */
  readonly reason: string;
}

/** Where a cadence stands: see {@link cadenceStatus}. */
export interface CadenceStatus {
  /** When the next touch falls due (ms): the start plus the cadence in whole days. */
  readonly dueAt: number;
  /** Whole days since the start (the last touch, or when the tie was added). */
  readonly daysSince: number;
  /** Whole days past due: overdue when > 0; 0 or less is days left (negated). */
  readonly daysOverdue: number;
}

/**
 * The one definition of "overdue", used by the neglect ranking, Today, the person's header
 * and the graph's overdue ties alike: counting from `from` (the last touch, else when the
 * tie or person was added), a touch falls due `cadenceDays` whole days later, and is
 * overdue once a whole day has passed since (`daysOverdue > 0`). Undefined when the
 * cadence is out of range (1e8 days from a hostile peer) — it is never computed with.
 */
export function cadenceStatus(
  from: number,
  cadenceDays: number,
  now: number,
): CadenceStatus | undefined {
  if (!isCadence(cadenceDays) || !Number.isFinite(from)) return undefined;
  const days = Math.round(cadenceDays);
  const daysSince = daysBetween(from, now);
  return { dueAt: addDays(from, days), daysSince, daysOverdue: daysSince - days };
}

/** Clusters as {@link neglectedTies} reads them: an optional name makes reasons clearer. */
export interface NamedClusterLike extends ClusterLike {
  readonly name?: string;
}

/** Options of {@link neglectedTies}. */
export interface NeglectOptions {
  /** The clusters to judge "only link" against (normally `clusters(snapshot).clusters`). */
  readonly clusters?: readonly NamedClusterLike[];
  /** Cadence for ties and people that have none; default: such ties are never overdue. */
  readonly defaultCadenceDays?: number;
  /** Keep only the first `limit` entries. */
  readonly limit?: number;
}

/** Weight of a tie that is the owner's only link to a cluster, or to a person on their own. */
export const ONLY_LINK_WEIGHT = 1.5;

/**
 * The owner's ties that are overdue, most urgent first. For a tie with cadence c days
 * (the tie's own, else the person's, else `defaultCadenceDays`; ties with none are never
 * overdue) and d days since its last touch:
 *
 * - overdue = d − c, listed when > 0. A tie never touched counts from when it was added,
 *   the later of `since` and `createdAt`: the notebook cannot know touches from before it
 *   recorded the tie, and counting from an old `since` would flag every imported contact
 *   at once;
 * - score = log2(1 + overdue / c) × strength / 3 × (1.5 if only link, else 1):
 *   lateness measured in cadence periods (a week late matters on a weekly cadence, not on
 *   a yearly one) and compressed so years of silence do not drown everything else; strong
 *   ties (strength 4–5) weigh more, faint ones less; and a tie that is the owner's only
 *   link to a cluster — or to someone who knows no one else — weighs more, since it is a
 *   bridge from the owner (Granovetter 1973, "The strength of weak ties", Am. J. Sociol.
 *   78(6): bridges carry what the rest of the network cannot).
 *
 * One entry per person (their most urgent tie). Ties by score, then days overdue, then id.
 */
export function neglectedTies(snapshot: GraphSnapshot, opts: NeglectOptions = {}): NeglectedTie[] {
  const g = peopleGraph(snapshot);
  const now = parseTime(snapshot.now);
  if (now === undefined || g.owner < 0) return [];

  // How many people in each cluster the owner is tied to.
  const clusterOf = new Map<string, NamedClusterLike>();
  for (const c of opts.clusters ?? []) for (const m of c.members) clusterOf.set(m, c);
  const linksInto = new Map<NamedClusterLike, number>();
  const { offsets, adj } = g;
  for (let h = offsets[g.owner]!, end = offsets[g.owner + 1]!; h < end; h++) {
    const c = clusterOf.get(g.ids[adj[h]!]!);
    if (c) linksInto.set(c, (linksInto.get(c) ?? 0) + 1);
  }
  const degreeOf = (v: number) => offsets[v + 1]! - offsets[v]!;

  const best = new Map<string, NeglectedTie>();
  const consider = (tie: SnapshotTie, v: number): void => {
    const other = g.ids[v]!;
    const person = g.people[v]!;
    const cadence = tie.cadenceDays ?? person.cadenceDays ?? opts.defaultCadenceDays;
    if (cadence === undefined) return;
    const lastTouched = tie.lastTouched ?? person.lastTouched;
    const touched = parseTime(lastTouched);
    const added = Math.max(
      parseTime(tie.since) ?? -Infinity,
      parseTime(tie.createdAt) ?? -Infinity,
    );
    const from = touched ?? added;
    const status = cadenceStatus(from, cadence, now);
    if (!status || status.daysOverdue <= 0) return;
    const { daysSince, daysOverdue } = status;

    const cluster = clusterOf.get(other);
    // Their only tie in the graph is this one, to the owner.
    const alone = degreeOf(v) === 1;
    const onlyLink = cluster ? linksInto.get(cluster) === 1 : alone;
    const strength = Math.min(5, tieWeight(tie.strength));
    const score =
      Math.log2(1 + daysOverdue / cadence) * (strength / 3) * (onlyLink ? ONLY_LINK_WEIGHT : 1);
    const name = person.name || other;

    let reason = `${daysOverdue} ${daysOverdue === 1 ? 'day' : 'days'} overdue: `;
    reason +=
      touched !== undefined
        ? `last touched ${daysSince} days ago`
        : `no touch logged in the ${daysSince} days since you added this tie`;
    reason += ` against a ${Math.round(cadence)}-day cadence`;
    if (strength >= 4) reason += '; a strong tie';
    if (onlyLink) {
      reason += cluster
        ? `; your only link to ${cluster.name ?? `${name}'s group`}`
        : `; ${name} knows no one else in your network`;
    }
    reason += '.';

    const entry: NeglectedTie = {
      tieId: tie.id,
      personId: other,
      name,
      daysOverdue,
      daysSince,
      cadenceDays: cadence,
      dueAt: formatDay(status.dueAt),
      ...(lastTouched !== undefined && touched !== undefined ? { lastTouched } : {}),
      strength,
      ...(cluster ? { clusterId: cluster.id } : {}),
      onlyLink,
      score: Math.round(score * 1000) / 1000,
      reason,
    };
    const previous = best.get(other);
    if (!previous || compareEntries(entry, previous) < 0) best.set(other, entry);
  };

  // The owner's ties are the ties of the owner's pairs.
  const { adjPair, tieStart, tieOf } = g;
  for (let h = offsets[g.owner]!, end = offsets[g.owner + 1]!; h < end; h++) {
    const pair = adjPair[h]!;
    for (let j = tieStart[pair]!, jEnd = tieStart[pair + 1]!; j < jEnd; j++) {
      consider(snapshot.ties[tieOf[j]!]!, adj[h]!);
    }
  }
  const list = [...best.values()].sort(compareEntries);
  return opts.limit === undefined ? list : list.slice(0, opts.limit);
}

function compareEntries(a: NeglectedTie, b: NeglectedTie): number {
  return b.score - a.score || b.daysOverdue - a.daysOverdue || compareStrings(a.tieId, b.tieId);
}
