/**
 * Bulk commands for what imports of activity bring (calendars, LinkedIn messages and
 * invitations): touches with source keys, inferred ties between contacts, "next meeting"
 * on people, dates on ties to the owner, and new people the owner chose to add.
 *
 * One bulk command per entity kind ({@link addPeople}, {@link importTouches},
 * {@link recordInferredTies}, {@link setNextMeetings}, {@link dateOwnerTies}); an import
 * applies them all together with {@link applyActivity}, one transaction = one undo step.
 * Everything is checked before the transaction starts, and a batch that changes nothing
 * writes nothing.
 *
 * Storage is behind these commands on purpose: importers never build Yjs maps. Imported
 * touches go to the light touch log (`touch-log.ts`, docs/decisions/0012), not one map each.
 */
import * as Y from 'yjs';
import { VitrineError } from '../errors.ts';
import { isIsoDate } from '../fields.ts';
import type { Notebook } from '../notebook.ts';
import {
  getPerson,
  hasTouchSource,
  listTies,
  OWNER_ADDRESSES_KEY,
  KEEP_EVENT_TITLES_KEY,
  rawList,
  resolvePersonId,
} from '../read.ts';
import { TOUCH_CHANNELS, type TieEvidence, type TouchChannel } from '../schema.ts';
import { writeLogRows } from '../touch-log.ts';
import { checkPerson, createPerson, type PersonInput, type PersonPatch } from './people.ts';
import { optString, setField } from './write.ts';

/** A person in a batch: an id in the notebook, or the n-th of the batch's new `people`. */
export type ActivityRef = string | { readonly added: number };

/** A touch from a file, keyed by where it came from. */
export interface ImportedTouch {
  readonly personIds: readonly ActivityRef[];
  /** ISO date (all-day) or date-time. */
  readonly at: string;
  readonly channel: TouchChannel;
  /** Source key (`ics:<uid>/<occurrence>`, …): a key the notebook has seen is skipped. */
  readonly source: string;
  /** How many took part, matched or not (owner excluded). */
  readonly attendees?: number;
  readonly note?: string;
}

/** A tie inferred between two contacts, with the evidence for it. */
export interface InferredTieInput extends TieEvidence {
  readonly a: ActivityRef;
  readonly b: ActivityRef;
}

/** Everything one activity import writes. */
export interface ActivityBatch {
  /** New people (the unmatched participants the owner ticked "add as people"). */
  readonly people?: readonly PersonInput[];
  readonly touches?: readonly ImportedTouch[];
  readonly ties?: readonly InferredTieInput[];
  /** The earliest future meeting found per person. */
  readonly nextMeetings?: readonly { readonly person: ActivityRef; readonly at: string }[];
  /** When each person's tie to the owner began (a LinkedIn invitation's date). */
  readonly ownerTies?: readonly {
    readonly person: ActivityRef;
    readonly since: string;
    readonly note?: string;
  }[];
  /** Addresses to add to the owner's own (never matched as contacts). */
  readonly ownerAddresses?: readonly string[];
}

/** What {@link applyActivity} wrote. */
export interface ActivityResult {
  people: number;
  touches: number;
  /** Touches skipped because their source key was already in the notebook. */
  touchesKnown: number;
  tiesInferred: number;
  tiesUpdated: number;
  nextMeetings: number;
  ownerTies: number;
}

/** Meetings with more people than this count as touches but infer no ties. */
export const MAX_TIE_ATTENDEES = 25;

const DAY_MS = 86_400_000;

/**
 * Strength (1–3) of an inferred tie: 1 for two or three times together, 2 from four, 3
 * from ten; one less (never below 1) when the last time is more than a year ago. Inferred
 * ties never claim the 4–5 the owner gives to ties they know.
 */
export function inferredStrength(e: TieEvidence, now: Date): number {
  const n = e.meetings + e.conversations;
  let s = n >= 10 ? 3 : n >= 4 ? 2 : 1;
  if (now.getTime() - Date.parse(e.last) > 365 * DAY_MS) s = Math.max(1, s - 1);
  return s;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function checkChannel(c: unknown): TouchChannel {
  if (!(TOUCH_CHANNELS as readonly unknown[]).includes(c)) {
    throw new VitrineError(`A touch channel must be one of ${TOUCH_CHANNELS.join(', ')}.`);
  }
  return c as TouchChannel;
}

function checkDate(value: unknown, what: string): string {
  if (!isIsoDate(value)) {
    throw new VitrineError(`${what} must be a date like 2025-12-07 (got "${String(value)}").`);
  }
  return value;
}

/** An address folded for comparison (emails and URLs are case-insensitive here). */
function foldAddress(a: string): string {
  return a
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
}

interface Checked {
  people: PersonPatch[];
  touches: {
    ids: ActivityRef[];
    at: string;
    channel: TouchChannel;
    source: string;
    attendees?: number;
    note?: string;
  }[];
  touchesKnown: number;
  ties: { a: ActivityRef; b: ActivityRef; evidence: TieEvidence; existing?: string }[];
  next: Map<string | number, string>;
  ownerTies: { person: ActivityRef; since: string; note?: string }[];
  addresses?: string[];
}

/**
 * Check a whole batch against the notebook without writing: bad input throws a sentence
 * here, before anything is written; people who left since planning are dropped quietly.
 */
function checkBatch(nb: Notebook, batch: ActivityBatch): Checked {
  const people = (batch.people ?? []).map((p) => checkPerson(p));
  const live = new Map<string, string | undefined>();
  const ref = (r: ActivityRef): ActivityRef | undefined => {
    if (typeof r !== 'string') {
      if (!Number.isInteger(r.added) || r.added < 0 || r.added >= people.length) {
        throw new VitrineError(`A batch names new person #${r.added}, which it does not add.`);
      }
      return r;
    }
    if (!live.has(r)) live.set(r, resolvePersonId(nb, r));
    return live.get(r);
  };
  const owner = nb.ownerId;
  const notOwner = (r: ActivityRef | undefined): r is ActivityRef => r !== undefined && r !== owner;
  const refKey = (r: ActivityRef) => (typeof r === 'string' ? r : `#${r.added}`);

  const out: Checked = {
    people,
    touches: [],
    touchesKnown: 0,
    ties: [],
    next: new Map(),
    ownerTies: [],
  };
  const seen = new Set<string>();
  for (const t of batch.touches ?? []) {
    const source = optString(t.source, 'A touch source key');
    if (!source) throw new VitrineError('An imported touch needs a source key.');
    const at = checkDate(t.at, 'The date of a touch');
    const channel = checkChannel(t.channel);
    if (seen.has(source) || hasTouchSource(nb, source)) {
      out.touchesKnown++;
      continue;
    }
    seen.add(source);
    const ids: ActivityRef[] = [];
    const named = new Set<string>();
    for (const r of t.personIds) {
      const x = ref(r);
      if (notOwner(x) && !named.has(refKey(x))) {
        named.add(refKey(x));
        ids.push(x);
      }
    }
    if (!ids.length) continue;
    const attendees =
      typeof t.attendees === 'number' && t.attendees > 0 ? Math.round(t.attendees) : undefined;
    out.touches.push({
      ids,
      at,
      channel,
      source,
      attendees,
      note: optString(t.note, 'A touch note'),
    });
  }

  // Pairs as they stand: the owner's ties, dismissed pairs, and the inferred tie listed.
  const owned = new Set<string>();
  const inferred = new Map<string, string>();
  for (const t of listTies(nb)) {
    if (t.provenance === 'inferred') inferred.set(pairKey(t.from, t.to), t.id);
    else owned.add(pairKey(t.from, t.to));
  }
  const dismissed = new Set<string>();
  for (const t of rawList(nb, 'ties')) {
    if (t.provenance !== 'inferred' || !t.dismissedAt) continue;
    const a = resolvePersonId(nb, t.from);
    const b = resolvePersonId(nb, t.to);
    if (a && b) dismissed.add(pairKey(a, b));
  }
  const tiePairs = new Set<string>();
  for (const t of batch.ties ?? []) {
    const a = ref(t.a);
    const b = ref(t.b);
    if (!notOwner(a) || !notOwner(b)) continue;
    const key = pairKey(refKey(a), refKey(b));
    if (refKey(a) === refKey(b) || tiePairs.has(key) || owned.has(key) || dismissed.has(key))
      continue;
    tiePairs.add(key);
    const last = checkDate(t.last, 'The last time two people met');
    const count = (v: unknown) => (typeof v === 'number' && v > 0 ? Math.round(v) : 0);
    const evidence = { meetings: count(t.meetings), conversations: count(t.conversations), last };
    if (evidence.meetings + evidence.conversations === 0) continue;
    out.ties.push({ a, b, evidence, existing: inferred.get(key) });
  }

  const now = nb.stamp();
  for (const m of batch.nextMeetings ?? []) {
    const p = ref(m.person);
    const at = checkDate(m.at, 'The next meeting');
    if (!notOwner(p) || at < now) continue;
    const k = typeof p === 'string' ? p : p.added;
    const have = out.next.get(k);
    if (have === undefined || at < have) out.next.set(k, at);
  }
  for (const o of batch.ownerTies ?? []) {
    const p = ref(o.person);
    if (!notOwner(p)) continue;
    out.ownerTies.push({
      person: p,
      since: checkDate(o.since, 'The start of a tie'),
      note: optString(o.note, 'A tie note'),
    });
  }
  if (batch.ownerAddresses?.length) {
    const before = nb.meta.get(OWNER_ADDRESSES_KEY);
    const list = Array.isArray(before)
      ? before.filter((a): a is string => typeof a === 'string')
      : [];
    const next = [...new Set([...list, ...batch.ownerAddresses.map(foldAddress).filter(Boolean)])];
    if (next.length !== list.length) out.addresses = next;
  }
  return out;
}

function empty(c: Checked): boolean {
  return (
    !c.people.length &&
    !c.touches.length &&
    !c.ties.length &&
    !c.next.size &&
    !c.ownerTies.length &&
    !c.addresses
  );
}

/**
 * Apply one activity import: new people, touches, inferred ties, next meetings, dates on
 * ties to the owner and the owner's addresses, as ONE local transaction (one undo step).
 * Touches whose source key the notebook has seen (listed, or removed by the owner) are
 * skipped; inferred ties never duplicate or override a tie the owner has, nor come back
 * once dismissed; the owner is never one of a touch's people or an inferred tie's end.
 */
export function applyActivity(nb: Notebook, batch: ActivityBatch): ActivityResult {
  const c = checkBatch(nb, batch);
  const result: ActivityResult = {
    people: 0,
    touches: 0,
    touchesKnown: c.touchesKnown,
    tiesInferred: 0,
    tiesUpdated: 0,
    nextMeetings: 0,
    ownerTies: 0,
  };
  if (empty(c)) return result;
  // Ties to the owner as they stand, for the invitations' dates. Read from the maps, not
  // the cached list: an archive import runs this in the same transaction as its contacts,
  // whose new ties to the owner the cache cannot see yet.
  const ownerTie = new Map<string, { id: string; since?: string }>();
  const owner = nb.ownerId;
  if (owner !== undefined && c.ownerTies.length) {
    for (const [tid, map] of nb.ties.entries()) {
      if (!(map instanceof Y.Map) || map.get('provenance') === 'inferred' || map.get('dismissedAt'))
        continue;
      const from = resolvePersonId(nb, String(map.get('from')));
      const to = resolvePersonId(nb, String(map.get('to')));
      const other = from === owner ? to : to === owner ? from : undefined;
      const since = map.get('since');
      if (other !== undefined && !ownerTie.has(other))
        ownerTie.set(other, { id: tid, since: typeof since === 'string' ? since : undefined });
    }
  }
  const nextBefore = new Map<string, string | undefined>();
  for (const k of c.next.keys()) {
    if (typeof k === 'string') nextBefore.set(k, getPerson(nb, k)?.nextMeeting);
  }
  nb.write(() => {
    const stamp = nb.stamp();
    const newIds = c.people.map((patch) => createPerson(nb, patch, stamp));
    result.people = newIds.length;
    const id = (r: ActivityRef) => (typeof r === 'string' ? r : newIds[r.added]!);
    // Into the light touch log (decision 0012): compact chunks, ids from the source keys.
    writeLogRows(
      nb,
      c.touches.map((t) => ({
        personIds: t.ids.map(id),
        at: t.at,
        channel: t.channel,
        source: t.source,
        // The source key says where a touch came from and `at` when: no createdAt;
        // attendees only when some were unmatched.
        attendees:
          t.attendees !== undefined && t.attendees > t.ids.length ? t.attendees : undefined,
        note: t.note,
      })),
    );
    result.touches = c.touches.length;
    const now = nb.now();
    for (const t of c.ties) {
      const strength = inferredStrength(t.evidence, now);
      if (t.existing) {
        const map = nb.entity('ties', t.existing);
        const before = JSON.stringify([map.get('evidence'), map.get('strength')]);
        setField(map, 'evidence', t.evidence);
        setField(map, 'strength', strength);
        if (JSON.stringify([map.get('evidence'), map.get('strength')]) !== before)
          result.tiesUpdated++;
        continue;
      }
      const map = new Y.Map<unknown>();
      nb.ties.set(nb.newId(), map);
      map.set('from', id(t.a));
      map.set('to', id(t.b));
      map.set('kind', 'acquaintance');
      map.set('strength', strength);
      map.set('provenance', 'inferred');
      map.set('evidence', t.evidence);
      map.set('createdAt', stamp);
      result.tiesInferred++;
    }
    for (const [k, at] of c.next) {
      const pid = typeof k === 'string' ? k : newIds[k]!;
      const before = typeof k === 'string' ? nextBefore.get(k) : undefined;
      // A known next meeting that is still ahead and earlier stays.
      if (before && before >= stamp && before <= at) continue;
      setField(nb.entity('people', pid), 'nextMeeting', at);
      result.nextMeetings++;
    }
    for (const o of c.ownerTies) {
      const pid = id(o.person);
      const have = ownerTie.get(pid);
      if (have) {
        if (have.since && have.since <= o.since) continue;
        setField(nb.entity('ties', have.id), 'since', o.since);
        have.since = o.since;
        result.ownerTies++;
        continue;
      }
      if (owner === undefined) continue;
      const map = new Y.Map<unknown>();
      const tid = nb.newId();
      nb.ties.set(tid, map);
      map.set('from', owner);
      map.set('to', pid);
      map.set('kind', 'acquaintance');
      map.set('strength', 3);
      map.set('since', o.since);
      if (o.note) map.set('note', o.note);
      map.set('createdAt', stamp);
      ownerTie.set(pid, { id: tid, since: o.since });
      result.ownerTies++;
    }
    if (c.addresses) nb.meta.set(OWNER_ADDRESSES_KEY, c.addresses);
  });
  return result;
}

/** Add many people at once (one undo step); returns how many were added. */
export function addPeople(nb: Notebook, people: readonly PersonInput[]): number {
  return applyActivity(nb, { people }).people;
}

/**
 * Add imported touches (one undo step). A touch whose source key the notebook has seen —
 * imported before, from this or another file, or imported and then removed by the owner —
 * is skipped. Returns how many were added.
 */
export function importTouches(nb: Notebook, touches: readonly ImportedTouch[]): number {
  return applyActivity(nb, { touches }).touches;
}

/**
 * Record inferred ties (one undo step): a new pair gets a tie with provenance `inferred`;
 * a pair already inferred gets its evidence and strength refreshed; a pair the owner tied
 * or dismissed is left alone. Returns how many ties were made.
 */
export function recordInferredTies(nb: Notebook, ties: readonly InferredTieInput[]): number {
  return applyActivity(nb, { ties }).tiesInferred;
}

/** Remember each person's next meeting (the earliest future one wins). */
export function setNextMeetings(
  nb: Notebook,
  items: readonly { person: string; at: string }[],
): number {
  return applyActivity(nb, { nextMeetings: items }).nextMeetings;
}

/**
 * Date ties to the owner (LinkedIn invitations): an existing tie gets the date when it
 * has none or a later one; a person with no tie to the owner gets one from that date.
 */
export function dateOwnerTies(
  nb: Notebook,
  items: readonly { person: string; since: string; note?: string }[],
): number {
  return applyActivity(nb, { ownerTies: items }).ownerTies;
}

function requireInferred(nb: Notebook, id: string): Y.Map<unknown> {
  const map = nb.entity('ties', id);
  if (map.get('provenance') !== 'inferred' || map.get('dismissedAt')) {
    throw new VitrineError('That tie is not an inferred tie waiting for your word.');
  }
  return map;
}

/** Confirm an inferred tie: it becomes an ordinary tie, kept as the owner's own. */
export function confirmInferredTie(nb: Notebook, id: string): void {
  const map = requireInferred(nb, id);
  nb.write(() => {
    map.delete('provenance');
    map.set('note', optString(map.get('note'), 'Tie note') ?? 'confirmed from meetings together');
  });
}

/**
 * Dismiss an inferred tie: it is no longer listed, and the pair is never inferred again
 * (the tie stays in storage, marked, as the memory of that; undo brings it back).
 */
export function dismissInferredTie(nb: Notebook, id: string): void {
  const map = requireInferred(nb, id);
  nb.write(() => map.set('dismissedAt', nb.stamp()));
}

/** Replace the owner's own addresses (emails, profile URLs) set in Settings or with `--me`. */
export function setOwnerAddresses(nb: Notebook, addresses: readonly string[]): void {
  const list = [...new Set(addresses.map(foldAddress).filter(Boolean))];
  nb.write(() => setField(nb.meta, OWNER_ADDRESSES_KEY, list));
}

/** Keep event titles as touch notes on later imports (default off: titles are private). */
export function setKeepEventTitles(nb: Notebook, keep: boolean): void {
  nb.write(() => setField(nb.meta, KEEP_EVENT_TITLES_KEY, keep || undefined));
}
