/**
 * Reading the introduction record (PRODUCT.md items 6 and 7): how well the owner knows
 * someone, favours and introductions given vs received per person (reciprocity), the
 * owner's own track record as an introducer, what is due (asks waiting, follow-ups), and
 * "people I could introduce".
 *
 * Pure selectors over the notebook: no writes, each one pass over the collections it
 * reads, memoised on those collections' versions where a view calls it on every render.
 */
import { dayOf, daysBetween, formatDay, toTime } from '../time/dates.ts';
import type { Notebook } from './notebook.ts';
import { getPerson, listIntros, listPeople, listTouches, tieBetween } from './read.ts';
import {
  INTRO_OUTCOMES,
  VETTING_PARTS,
  type Intro,
  type IntroOutcome,
  type IntroState,
  type Person,
} from './schema.ts';

/** How well the owner knows someone, from their vetting record. */
export type VettingLevel = 'vetted' | 'partly' | 'heard' | 'unknown';

/** How many of the vetting parts are known first-hand, and how many only heard of. */
export function vettingCounts(p: Pick<Person, 'vetting'>): { firstHand: number; heard: number } {
  let firstHand = 0;
  let heard = 0;
  for (const part of VETTING_PARTS) {
    const s = p.vetting[part].status;
    if (s === 'first-hand') firstHand++;
    else if (s === 'heard') heard++;
  }
  return { firstHand, heard };
}

/**
 * `vetted`: all four parts first-hand; `partly`: at least one first-hand; `heard`: only
 * second-hand (someone vouched); `unknown`: nothing recorded.
 */
export function vettingLevel(p: Pick<Person, 'vetting'>): VettingLevel {
  const { firstHand, heard } = vettingCounts(p);
  if (firstHand === VETTING_PARTS.length) return 'vetted';
  if (firstHand > 0) return 'partly';
  if (heard > 0) return 'heard';
  return 'unknown';
}

/** 0–8: two points per part known first-hand, one per part heard. Used to rank. */
export function vettingScore(p: Pick<Person, 'vetting'>): number {
  let score = 0;
  for (const part of VETTING_PARTS) {
    const s = p.vetting[part].status;
    score += s === 'first-hand' ? 2 : s === 'heard' ? 1 : 0;
  }
  return score;
}

/** Favours and introductions between the owner and one person, both ways. */
export interface Reciprocity {
  readonly personId: string;
  /** Touches on channel `favour-given` with this person (the owner helped them). */
  readonly favoursGiven: number;
  /** Touches on channel `favour-received` with this person (they helped the owner). */
  readonly favoursReceived: number;
  /** Introductions the owner made for them (they were one of the two, state `introduced`). */
  readonly introsGiven: number;
  /** Introductions they made: the owner to someone, or someone to the owner. */
  readonly introsReceived: number;
}

/** The owner's give and take with one person: given minus received, favours and intros. */
export function balance(r: Reciprocity): number {
  return r.favoursGiven + r.introsGiven - r.favoursReceived - r.introsReceived;
}

/** States in which an introduction has gone out (or been made): counts as given. */
const GIVEN_STATES: ReadonlySet<IntroState> = new Set(['introduced']);

function reciprocityIndex(nb: Notebook): ReadonlyMap<string, Reciprocity> {
  const key = 'vt:reciprocity';
  const deps = [nb.versions.people, nb.versions.touches, nb.versions.intros, nb.versions.meta];
  const hit = nb.cache.get(key) as
    { deps: number[]; value: ReadonlyMap<string, Reciprocity> } | undefined;
  if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.value;
  const owner = nb.ownerId;
  const rows = new Map<string, Mutable<Reciprocity>>();
  const row = (id: string): Mutable<Reciprocity> => {
    let r = rows.get(id);
    if (!r) {
      r = { personId: id, favoursGiven: 0, favoursReceived: 0, introsGiven: 0, introsReceived: 0 };
      rows.set(id, r);
    }
    return r;
  };
  for (const t of listTouches(nb)) {
    if (t.channel !== 'favour-given' && t.channel !== 'favour-received') continue;
    for (const id of t.personIds) {
      if (id === owner) continue;
      if (t.channel === 'favour-given') row(id).favoursGiven++;
      else row(id).favoursReceived++;
    }
  }
  for (const i of listIntros(nb)) {
    if (!GIVEN_STATES.has(i.state)) continue;
    if (i.by === owner) {
      for (const id of [i.a, i.b]) if (id !== owner) row(id).introsGiven++;
    } else if (getPerson(nb, i.by)) {
      row(i.by).introsReceived++;
    }
  }
  const value = new Map(rows);
  nb.cache.set(key, { deps, value });
  return value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The owner's give and take with one person (all zero when there is none). */
export function reciprocityOf(nb: Notebook, personId: string): Reciprocity {
  return (
    reciprocityIndex(nb).get(personId) ?? {
      personId,
      favoursGiven: 0,
      favoursReceived: 0,
      introsGiven: 0,
      introsReceived: 0,
    }
  );
}

/**
 * Everyone with any favour or introduction either way, the most lopsided first (the
 * largest absolute {@link balance}, then the most exchanges), at most `limit` rows.
 */
export function reciprocityTable(nb: Notebook, limit = 50): readonly Reciprocity[] {
  const index = reciprocityIndex(nb);
  const key = `vt:reciprocity-table:${limit}`;
  const hit = nb.cache.get(key) as
    { index: ReadonlyMap<string, Reciprocity>; value: readonly Reciprocity[] } | undefined;
  // The index is rebuilt whenever what it reads changes, so its identity is the version.
  if (hit && hit.index === index) return hit.value;
  const total = (r: Reciprocity) =>
    r.favoursGiven + r.favoursReceived + r.introsGiven + r.introsReceived;
  const value = [...index.values()]
    .filter((r) => getPerson(nb, r.personId))
    .sort((x, y) => Math.abs(balance(y)) - Math.abs(balance(x)) || total(y) - total(x))
    .slice(0, limit);
  nb.cache.set(key, { index, value });
  return value;
}

/** The owner's own record as an introducer. */
export interface TrackRecord {
  /** Outcomes of the owner's introductions. */
  readonly outcomes: Readonly<Record<IntroOutcome, number>>;
  /** Introductions the owner made (state `introduced`). */
  readonly made: number;
  /** Made but no outcome recorded yet. */
  readonly awaitingOutcome: number;
  /** Still in idea / asked-a / asked-b. */
  readonly open: number;
  readonly declined: number;
  readonly cancelled: number;
  /** Share of recorded outcomes that were great or fine, 0–1; `undefined` with none. */
  readonly successRate?: number;
}

/** Outcome counts and lifecycle counts of the introductions the owner made. */
export function ownerTrackRecord(nb: Notebook): TrackRecord {
  const owner = nb.ownerId;
  const outcomes = Object.fromEntries(INTRO_OUTCOMES.map((o) => [o, 0])) as Record<
    IntroOutcome,
    number
  >;
  let made = 0;
  let awaitingOutcome = 0;
  let open = 0;
  let declined = 0;
  let cancelled = 0;
  for (const i of listIntros(nb)) {
    if (i.by !== owner) continue;
    if (i.state === 'introduced') {
      made++;
      if (i.outcome) outcomes[i.outcome]++;
      else awaitingOutcome++;
    } else if (i.state === 'declined') declined++;
    else if (i.state === 'cancelled') cancelled++;
    else open++;
  }
  const rated = INTRO_OUTCOMES.reduce((s, o) => s + outcomes[o], 0);
  const good = outcomes.great + outcomes.fine;
  const record: Mutable<TrackRecord> = {
    outcomes,
    made,
    awaitingOutcome,
    open,
    declined,
    cancelled,
  };
  if (rated) record.successRate = good / rated;
  return record;
}

/** States in which the owner is waiting on someone's answer or action. */
export const OPEN_STATES = ['idea', 'asked-a', 'asked-b'] as const satisfies readonly IntroState[];

/** One thing the Introductions view lists as due. */
export interface DueIntro {
  readonly intro: Intro;
  /**
   * `ask-waiting`: asked, no answer yet; `follow-up`: the follow-up date has come;
   * `outcome`: introduced a while ago, no outcome recorded.
   */
  readonly reason: 'ask-waiting' | 'follow-up' | 'outcome';
  /** Whole days since the step that is waiting (or past the follow-up date). */
  readonly days: number;
}

/** Days after an introduction before asking how it went. */
export const OUTCOME_AFTER_DAYS = 14;

/**
 * Days an ask may wait for an answer before it is listed as due: people take a few days
 * to reply, and an ask listed the moment it was sent is noise (issue 14).
 */
export const ASK_WAIT_DAYS = 7;

function daysSince(iso: string, now: Date): number {
  const t = toTime(iso);
  return t === undefined ? 0 : Math.max(0, daysBetween(t, now.getTime()));
}

/**
 * What needs the owner's attention on the introductions they make, oldest wait first:
 * asks waiting {@link ASK_WAIT_DAYS}+ days for an answer, follow-ups whose date has come, and
 * introductions made {@link OUTCOME_AFTER_DAYS}+ days ago with no outcome.
 */
export function introsDue(nb: Notebook, now: Date = nb.now()): readonly DueIntro[] {
  const today = formatDay(now);
  const out: DueIntro[] = [];
  for (const i of listIntros(nb)) {
    const since = i.history.at(-1)?.at ?? i.createdAt;
    if (i.state === 'asked-a' || i.state === 'asked-b') {
      const days = daysSince(since, now);
      if (days >= ASK_WAIT_DAYS) out.push({ intro: i, reason: 'ask-waiting', days });
    } else if (i.state === 'introduced') {
      if (i.followUpAt && (dayOf(i.followUpAt) ?? '~') <= today) {
        out.push({ intro: i, reason: 'follow-up', days: daysSince(i.followUpAt, now) });
      } else if (!i.outcome && i.by === nb.ownerId) {
        const days = daysSince(since, now);
        if (days >= OUTCOME_AFTER_DAYS) out.push({ intro: i, reason: 'outcome', days });
      }
    }
  }
  return out.sort((x, y) => y.days - x.days);
}

/** A pair the owner could introduce. */
export interface IntroSuggestion {
  readonly a: string;
  readonly b: string;
  /** Tags the two share (the reason to suggest them). */
  readonly sharedTags: readonly string[];
  /** Higher is better: shared tags first, then how well both are vetted. */
  readonly score: number;
}

/** Tags that say nothing about common ground worth an introduction. */
const IGNORED_TAGS: ReadonlySet<string> = new Set(['family']);

/**
 * "People I could introduce": pairs where both are known at least second-hand (vetting
 * level other than `unknown`), not yet tied, with no introduction between them already,
 * sharing at least one tag. Best `limit` pairs.
 *
 * Bounded: people are bucketed by tag in one pass (O(people × tags)); inside a tag only
 * the `perTag` best-vetted members are paired, so a tag held by 2,000 people costs
 * `perTag²/2` pairs, not two million.
 */
export function introSuggestions(
  nb: Notebook,
  options: { limit?: number; perTag?: number } = {},
): readonly IntroSuggestion[] {
  const limit = options.limit ?? 20;
  const perTag = options.perTag ?? 12;
  // Memoised on what it reads, so a view re-rendering for an unrelated reason (a tab, a
  // touch logged) does not re-pair the whole notebook.
  const key = `vt:suggestions:${limit}:${perTag}`;
  const deps = [nb.versions.people, nb.versions.ties, nb.versions.intros, nb.versions.meta];
  const hit = nb.cache.get(key) as
    { deps: number[]; value: readonly IntroSuggestion[] } | undefined;
  if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.value;
  const value = computeSuggestions(nb, limit, perTag);
  nb.cache.set(key, { deps, value });
  return value;
}

function computeSuggestions(
  nb: Notebook,
  limit: number,
  perTag: number,
): readonly IntroSuggestion[] {
  const owner = nb.ownerId;
  const byTag = new Map<string, Person[]>();
  // Scores once per person, not once per comparison in the per-tag sorts below.
  const score = new Map<string, number>();
  for (const p of listPeople(nb)) {
    if (p.id === owner || vettingLevel(p) === 'unknown') continue;
    score.set(p.id, vettingScore(p));
    for (const tag of new Set(p.tags)) {
      if (IGNORED_TAGS.has(tag)) continue;
      let list = byTag.get(tag);
      if (!list) byTag.set(tag, (list = []));
      list.push(p);
    }
  }
  const already = new Set<string>();
  for (const i of listIntros(nb)) {
    if (i.state !== 'declined' && i.state !== 'cancelled') already.add(pairKey(i.a, i.b));
  }
  const pairs = new Map<string, { a: Person; b: Person; tags: string[] }>();
  for (const [tag, members] of byTag) {
    if (members.length < 2) continue;
    const best = members
      .slice()
      .sort((x, y) => score.get(y.id)! - score.get(x.id)! || (x.id < y.id ? -1 : 1))
      .slice(0, perTag);
    for (let i = 0; i < best.length; i++) {
      for (let j = i + 1; j < best.length; j++) {
        const [a, b] = best[i]!.id < best[j]!.id ? [best[i]!, best[j]!] : [best[j]!, best[i]!];
        const key = pairKey(a.id, b.id);
        const hit = pairs.get(key);
        if (hit) hit.tags.push(tag);
        else pairs.set(key, { a, b, tags: [tag] });
      }
    }
  }
  const out: IntroSuggestion[] = [];
  for (const [key, { a, b, tags }] of pairs) {
    if (already.has(key) || tieBetween(nb, a.id, b.id)) continue;
    out.push({
      a: a.id,
      b: b.id,
      sharedTags: tags.sort(),
      score: tags.length * 10 + score.get(a.id)! + score.get(b.id)!,
    });
  }
  return out
    .sort((x, y) => y.score - x.score || (pairKey(x.a, x.b) < pairKey(y.a, y.b) ? -1 : 1))
    .slice(0, limit);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
