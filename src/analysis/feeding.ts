/**
 * "The network feeding itself": ties made by introductions, the ties those people went on
 * to make, and the introductions the owner received.
 */
import { peopleGraph } from './graph.ts';
import type { GraphSnapshot, SnapshotTie } from './snapshot.ts';
import { formatInstant } from '../time/dates.ts';
import { compareStrings, parseTime } from './util.ts';

/** A tie an introduction made; plain data. */
export interface IntroducedTie {
  readonly tieId: string;
  readonly a: string;
  readonly b: string;
  readonly introId?: string;
  /** Who made the introduction. */
  readonly by?: string;
  /** When the tie began (`since`, else `createdAt`). */
  readonly at: string;
  readonly outcome?: string;
}

/** A tie an introduced person made after their introduction; plain data. */
export interface FollowOnTie {
  readonly tieId: string;
  /** The introduced person who made the tie. */
  readonly personId: string;
  /** Who they made it with. */
  readonly otherId: string;
  /** The introduced tie it followed: that person's earliest one before it. */
  readonly afterTieId: string;
  readonly at: string;
  /** The new tie came from an introduction too. */
  readonly viaIntro: boolean;
}

/** An introduction someone else made for the owner; plain data. */
export interface ReceivedIntro {
  readonly introId: string;
  readonly by: string;
  /** The person the owner was introduced to. */
  readonly personId: string;
  readonly state: string;
  readonly outcome?: string;
  readonly createdAt: string;
}

/** Result of {@link feeding}. */
export interface Feeding {
  /** Newest first. */
  readonly introducedTies: IntroducedTie[];
  /** Newest first. */
  readonly followOn: FollowOnTie[];
  /** Newest first. */
  readonly received: ReceivedIntro[];
  /** One sentence with the three counts. */
  readonly summary: string;
}

/**
 * How far the network feeds itself, in the sense of triadic closure through brokers (an
 * introduction closes a triad; Simmel's tertius iungens, Obstfeld 2005, "Social networks,
 * the tertius iungens orientation, and involvement in innovation", Adm. Sci. Q. 50(1)):
 *
 * - introduced ties: ties with an introduction (`introId` or `introducedBy`) between two
 *   people in the notebook;
 * - follow-on ties: a tie U is a follow-on when one of its people, x (not the owner), is in
 *   an introduced tie T ≠ U that began strictly earlier, and U's other person is neither
 *   the owner (ties with the owner are the owner's own doing) nor T's other person (a
 *   second tie between the same pair is not new reach). A tie begins at `since`, else at
 *   `createdAt`. Each follow-on is listed once, after the earliest such T;
 * - received: introductions of the owner to someone, made by someone else.
 */
export function feeding(snapshot: GraphSnapshot): Feeding {
  const g = peopleGraph(snapshot);
  const owner = snapshot.owner;
  const introById = new Map(snapshot.intros.map((i) => [i.id, i]));
  const startOf = (t: SnapshotTie) => parseTime(t.since) ?? parseTime(t.createdAt);
  const inGraph = (t: SnapshotTie) => g.index.has(t.from) && g.index.has(t.to) && t.from !== t.to;

  const introduced: { tie: SnapshotTie; start: number }[] = [];
  for (const tie of snapshot.ties) {
    if (tie.introId === undefined && tie.introducedBy === undefined) continue;
    const start = startOf(tie);
    if (start === undefined || !inGraph(tie)) continue;
    introduced.push({ tie, start });
  }
  introduced.sort((x, y) => x.start - y.start || compareStrings(x.tie.id, y.tie.id));
  // Introduced people (by index) → their introduced ties, earliest first.
  const byPerson = new Map<number, { tie: SnapshotTie; start: number }[]>();
  for (const entry of introduced) {
    for (const p of [entry.tie.from, entry.tie.to]) {
      if (p === owner) continue;
      const v = g.index.get(p)!;
      const list = byPerson.get(v);
      if (list) list.push(entry);
      else byPerson.set(v, [entry]);
    }
  }

  // Walk only the ties of introduced people; a tie between two of them is met twice and
  // keeps the earlier introduction.
  const { offsets, adj, adjPair, tieStart, tieOf } = g;
  const found = new Map<number, FollowOnTie & { start: number; afterStart: number }>();
  for (const [x, list] of byPerson) {
    const xId = g.ids[x]!;
    for (let h = offsets[x]!, end = offsets[x + 1]!; h < end; h++) {
      const y = adj[h]!;
      if (y === g.owner) continue;
      const yId = g.ids[y]!;
      const pair = adjPair[h]!;
      for (let j = tieStart[pair]!, jEnd = tieStart[pair + 1]!; j < jEnd; j++) {
        const t = tieOf[j]!;
        const tie = snapshot.ties[t]!;
        const start = startOf(tie);
        if (start === undefined) continue;
        for (const { tie: before, start: s } of list) {
          if (s >= start) break;
          if (before.id === tie.id || (before.from === xId ? before.to : before.from) === yId) {
            continue;
          }
          const known = found.get(t);
          if (
            !known ||
            s < known.afterStart ||
            (s === known.afterStart && before.id < known.afterTieId)
          ) {
            found.set(t, {
              tieId: tie.id,
              personId: xId,
              otherId: yId,
              afterTieId: before.id,
              at: formatInstant(start),
              viaIntro: tie.introId !== undefined || tie.introducedBy !== undefined,
              start,
              afterStart: s,
            });
          }
          break;
        }
      }
    }
  }
  const followOn = [...found.values()].sort(
    (x, y) => y.start - x.start || compareStrings(x.tieId, y.tieId),
  );

  const received: ReceivedIntro[] = [];
  for (const intro of snapshot.intros) {
    if (!intro.by || intro.by === owner) continue;
    const other = intro.a === owner ? intro.b : intro.b === owner ? intro.a : undefined;
    if (other === undefined) continue;
    received.push({
      introId: intro.id,
      by: intro.by,
      personId: other,
      state: intro.state,
      ...(intro.outcome !== undefined ? { outcome: intro.outcome } : {}),
      createdAt: intro.createdAt,
    });
  }
  received.sort(
    (x, y) =>
      (parseTime(y.createdAt) ?? 0) - (parseTime(x.createdAt) ?? 0) ||
      compareStrings(x.introId, y.introId),
  );

  const introducedTies: IntroducedTie[] = introduced
    .slice()
    .reverse()
    .map(({ tie, start }) => {
      const intro = tie.introId === undefined ? undefined : introById.get(tie.introId);
      const by = intro?.by ?? tie.introducedBy;
      return {
        tieId: tie.id,
        a: tie.from,
        b: tie.to,
        ...(tie.introId !== undefined ? { introId: tie.introId } : {}),
        ...(by !== undefined ? { by } : {}),
        at: formatInstant(start),
        ...(intro?.outcome !== undefined ? { outcome: intro.outcome } : {}),
      };
    });

  return {
    introducedTies,
    followOn: followOn.map(({ start: _start, afterStart: _after, ...rest }) => rest),
    received,
    summary: summarise(introducedTies.length, followOn.length, received.length),
  };
}

function summarise(introduced: number, followOn: number, received: number): string {
  const first =
    introduced === 0
      ? 'No ties came from introductions yet'
      : `${introduced} ${introduced === 1 ? 'tie' : 'ties'} came from introductions` +
        (followOn === 0
          ? ', and those people have made no new ties since'
          : `, and those people have since made ${followOn} more`);
  const second =
    received === 0
      ? 'no one has introduced you to anyone'
      : `you were introduced to ${received} ${received === 1 ? 'person' : 'people'}`;
  return `${first}; ${second}.`;
}
