/**
 * Cadences that suggest themselves (Today, PRODUCT.md item 14): for people with no
 * keep-in-touch cadence (none of their own, none from a tag), a suggestion from the
 * strength of their tie to the owner and the rhythm of their touches, which the owner
 * accepts per person or for a whole set (a cluster, a tag) at once.
 */
import { VitrineError } from './errors.ts';
import type { Notebook } from './notebook.ts';
import { effectiveCadence, getPerson, listPeople, tieBetween, touchesOf } from './read.ts';
import type { Person } from './schema.ts';
import { setField } from './commands/write.ts';
import { DAY_MS, addDays, toTime } from '../time/dates.ts';

/** A suggested cadence and why. */
export interface CadenceSuggestion {
  readonly personId: string;
  readonly days: number;
  /** In words: "a strong tie (4 of 5); you touch about every 21 days". */
  readonly reason: string;
}

/** Cadence by the strength of the tie to the owner (1 faint … 5 very strong). */
const BY_STRENGTH = [180, 90, 60, 30, 14] as const;
/** Suggestions are rounded to one of these (days). */
const STEPS = [7, 14, 30, 60, 90, 180, 365] as const;

function nearestStep(days: number): number {
  let best: number = STEPS[0];
  for (const s of STEPS)
    if (Math.abs(Math.log(s / days)) < Math.abs(Math.log(best / days))) best = s;
  return best;
}

/**
 * The cadence suggested for a person with none, or `undefined` when they have one (their
 * own or a tag's) or are the owner. Rule:
 *
 * - base = by the strength s of the owner's tie to them: 5 → 14 days, 4 → 30, 3 → 60,
 *   2 → 90, 1 (or no tie) → 180;
 * - with at least three touches in the last two years, their median gap g is the rhythm
 *   the owner already keeps: the suggestion is g kept within [base / 2, base × 2] (the
 *   history leads, the tie bounds it);
 * - rounded to 7, 14, 30, 60, 90, 180 or 365 days.
 */
export function suggestCadence(
  nb: Notebook,
  personId: string,
  now = nb.now(),
): CadenceSuggestion | undefined {
  const p = getPerson(nb, personId);
  const owner = nb.ownerId;
  if (!p || p.id === owner || effectiveCadence(nb, p) !== undefined) return undefined;
  return suggestFor(nb, p, owner, now.getTime());
}

function suggestFor(
  nb: Notebook,
  p: Person,
  owner: string | undefined,
  now: number,
): CadenceSuggestion {
  const tie = owner === undefined ? undefined : tieBetween(nb, owner, p.id);
  const strength = tie?.strength ?? 1;
  const base = BY_STRENGTH[Math.min(5, Math.max(1, strength)) - 1]!;
  const since = addDays(now, -730);
  const times: number[] = [];
  for (const t of touchesOf(nb, p.id)) {
    // The reader lets only real dates through; a touch without one is not counted.
    const at = toTime(t.at);
    if (at === undefined || at > now) continue;
    if (at < since) break; // newest first
    times.push(at);
  }
  const reasons = [
    tie
      ? `${strength >= 4 ? 'a strong' : strength <= 2 ? 'a faint' : 'a'} tie (${strength} of 5)`
      : 'no tie to you',
  ];
  let days: number = base;
  if (times.length >= 3) {
    const gaps = times
      .slice(1)
      .map((at, k) => (times[k]! - at) / DAY_MS)
      .sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    const gap = Math.max(1, gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2);
    days = Math.min(base * 2, Math.max(base / 2, gap));
    reasons.push(`you touch about every ${Math.round(gap)} days`);
  } else {
    reasons.push(
      times.length
        ? `only ${times.length} touch${times.length === 1 ? '' : 'es'} in two years`
        : 'no touches in two years',
    );
  }
  return { personId: p.id, days: nearestStep(days), reason: reasons.join('; ') };
}

/** Suggestions for everyone in the notebook with no cadence (the owner left out), by person id. */
export function cadenceSuggestions(
  nb: Notebook,
  now = nb.now(),
): ReadonlyMap<string, CadenceSuggestion> {
  const owner = nb.ownerId;
  const t = now.getTime();
  const out = new Map<string, CadenceSuggestion>();
  for (const p of listPeople(nb)) {
    if (p.id === owner || effectiveCadence(nb, p) !== undefined) continue;
    out.set(p.id, suggestFor(nb, p, owner, t));
  }
  return out;
}

/**
 * Accept the suggested cadences of a set of people — one person, a cluster's members —
 * as their own cadences, in one step. People who have a cadence already (or are unknown)
 * are left alone. Returns how many were set.
 */
export function acceptSuggestedCadences(nb: Notebook, personIds: readonly string[]): number {
  if (!Array.isArray(personIds) || !personIds.every((id) => typeof id === 'string')) {
    throw new VitrineError('Name the people whose suggested cadence to accept (a list of ids).');
  }
  const now = nb.now();
  const picked: CadenceSuggestion[] = [];
  const seen = new Set<string>();
  for (const id of personIds) {
    const s = suggestCadence(nb, id, now);
    if (s && !seen.has(s.personId)) {
      seen.add(s.personId);
      picked.push(s);
    }
  }
  if (!picked.length) return 0;
  nb.write(() => {
    for (const s of picked) setField(nb.entity('people', s.personId), 'cadenceDays', s.days);
  });
  return picked.length;
}

/** {@link acceptSuggestedCadences} for everyone with a tag. Refuses a tag no one has. */
export function acceptSuggestedCadencesForTag(nb: Notebook, tag: string): number {
  const t = typeof tag === 'string' ? tag.trim() : '';
  const ids = listPeople(nb)
    .filter((p) => p.tags.includes(t))
    .map((p) => p.id);
  if (!ids.length) throw new VitrineError(`No one in this notebook has the tag "${t}".`);
  return acceptSuggestedCadences(nb, ids);
}
