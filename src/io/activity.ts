/**
 * Planning and applying imports of activity — meetings from calendars, conversations and
 * invitations from LinkedIn — shared by `calendar.ts`, `linkedin-messages.ts` and
 * `linkedin-archive.ts`.
 *
 * Two phases, as for contacts (`plan.ts`): {@link planActivity} matches what a file says
 * against a plain {@link ActivitySnapshot} of the notebook and returns a plain,
 * structured-cloneable {@link ActivityPlan} (so it runs in a Web Worker, and Cancel writes
 * nothing); {@link applyActivityPlan} turns the plan and the owner's choices into one
 * `applyActivity` batch — one transaction, one undo step — through the model's commands.
 *
 * Matching is by map lookups only (O(people + participants)): email, then profile URL
 * (case, trailing slash, tracking parameters ignored), then — for participants who carry
 * no address the notebook knows — a name only one person has. The owner (their addresses,
 * profile URLs, name from the file) is never matched as a contact.
 */
import {
  applyActivity,
  keepEventTitles,
  listTouches,
  MAX_TIE_ATTENDEES,
  ownerAddresses,
  rawList,
  getOwner,
  listPeople,
  type ActivityBatch,
  type ActivityRef,
  type ActivityResult,
  type ImportedTouch,
  type InferredTieInput,
  type Notebook,
  type PersonInput,
} from '../model/index.ts';
import { emailKey, nameKey, urlKey } from './dedupe.ts';
import type { ImportProgress, SkippedRow } from './incoming.ts';

/** Someone named in a file: by email (calendars), profile URL and name (LinkedIn). */
export interface Participant {
  email?: string;
  url?: string;
  name?: string;
}

/** One dated thing a file records: a meeting occurrence, a conversation's day, an invitation. */
export interface ActivityEvent {
  /** Source key: the same meeting or message always gives the same key. */
  source: string;
  /** ISO date (all-day) or date-time (UTC). */
  at: string;
  kind: 'meeting' | 'conversation' | 'invitation' | 'email';
  /** Everyone named, the owner possibly among them (the planner drops the owner). */
  participants: Participant[];
  /** Co-occurrences are counted per group (a meeting occurrence, a whole conversation). */
  group: string;
  /** The event's title, kept only when the owner ticked "keep event titles". */
  title?: string;
  /** After "now": remembered as the next meeting, not logged as a touch. */
  future?: boolean;
}

/** What an activity parser returns. */
export interface ParsedActivity {
  events: ActivityEvent[];
  warnings: SkippedRow[];
  /** The owner as the file names them (LinkedIn's Profile.csv, their most common URL). */
  owner: Participant[];
  /** Organizer emails by how many events they organised (to suggest `--me`). */
  organizers?: Record<string, number>;
}

/** Plain snapshot of what activity planning needs from a notebook (post it to a worker). */
export interface ActivitySnapshot {
  ownerId?: string;
  ownerName?: string;
  /** The owner's addresses: Settings / `--me`, plus the owner person's emails and links. */
  ownerAddresses: string[];
  people: { id: string; name: string; emails: string[]; links: string[] }[];
  /** Every source key the notebook has seen (listed or removed by the owner). */
  sources: string[];
  /** Imported touches with two or more people, for counting who appears together. */
  groups: {
    group: string;
    people: string[];
    at: string;
    kind: ActivityEvent['kind'];
    attendees?: number;
  }[];
  keepTitles: boolean;
}

/** An unmatched participant seen at least {@link FREQUENT} times, offered as a new person. */
export interface Candidate {
  key: string;
  name: string;
  email?: string;
  url?: string;
  count: number;
  last: string;
}

/** One occurrence after matching. */
export interface PlannedOccurrence {
  source: string;
  at: string;
  kind: ActivityEvent['kind'];
  group: string;
  /** Matched person ids (owner never). */
  people: string[];
  /** Keys of unmatched participants (see {@link Candidate}). */
  unmatched: string[];
  /** Participants other than the owner. */
  attendees: number;
  note?: string;
  future?: boolean;
  /** Its source key is already in the notebook: adds no touch. */
  known?: boolean;
}

/** A tie the import would infer, for the preview. */
export interface PlannedInferredTie {
  a: string;
  b: string;
  aName: string;
  bName: string;
  meetings: number;
  conversations: number;
  last: string;
}

/** What importing a file of activity would do. Plain data. */
export interface ActivityPlan {
  format: string;
  label: string;
  file: string;
  occurrences: PlannedOccurrence[];
  /** Earlier imported groups (from the snapshot), so inferred ties count every import. */
  earlier: ActivitySnapshot['groups'];
  /** New touches per matched person, most first. */
  matched: { id: string; name: string; touches: number }[];
  /** Touches the import adds (past occurrences with someone matched, not seen before). */
  touches: number;
  /** Occurrences whose source key the notebook already has. */
  known: number;
  candidates: Candidate[];
  /** Everyone unmatched who is not a candidate, summarised. */
  unmatchedOthers: { people: number; occurrences: number };
  ties: PlannedInferredTie[];
  nextMeetings: number;
  warnings: SkippedRow[];
  /** Addresses the import records as the owner's (from `--me`). */
  ownerAddresses: string[];
  /** The most frequent organizer, when the owner's addresses are not known yet. */
  suggestedMe?: string;
}

/** Options for {@link planActivity}. */
export interface ActivityOptions {
  /** The owner's own addresses given for this import (`--me`); stored on apply. */
  me?: readonly string[];
  onProgress?: (p: ImportProgress) => void;
}

/** Participants seen this often (or more) are offered as new people. */
export const FREQUENT = 3;

/** The snapshot planning reads (post it to a worker as is). */
export function activitySnapshot(nb: Notebook): ActivitySnapshot {
  const sources: string[] = [];
  for (const t of rawList(nb, 'touches')) if (t.source !== undefined) sources.push(t.source);
  const groups: ActivitySnapshot['groups'] = [];
  for (const t of listTouches(nb)) {
    if (t.source === undefined || t.personIds.length < 2) continue;
    groups.push({
      group: groupOf(t.source),
      people: [...t.personIds],
      at: t.at,
      kind: t.channel === 'meeting' ? 'meeting' : 'conversation',
      ...(t.attendees && t.attendees > t.personIds.length ? { attendees: t.attendees } : {}),
    });
  }
  return {
    ownerId: nb.ownerId,
    ownerName: getOwner(nb)?.name,
    ownerAddresses: [...ownerAddresses(nb)],
    people: listPeople(nb)
      .filter((p) => p.id !== nb.ownerId)
      .map((p) => ({ id: p.id, name: p.name, emails: [...p.emails], links: [...p.links] })),
    sources,
    groups,
    keepTitles: keepEventTitles(nb),
  };
}

/**
 * The co-occurrence group of a stored source key: a conversation's touches are one per
 * day (`li-msg:<conversation>|<day>`) but the conversation counts once.
 */
export function groupOf(source: string): string {
  const bar = source.indexOf('|');
  return bar < 0 ? source : source.slice(0, bar);
}

interface Matcher {
  owner(p: Participant): boolean;
  match(p: Participant): string | undefined;
  key(p: Participant): string | undefined;
}

/** What a participant is to the notebook: the owner or not, a person's id, its key. */
interface Resolved {
  owner: boolean;
  id?: string;
  key?: string;
}

/**
 * {@link Matcher}'s answers for a participant, read once per address (the same people
 * meet again and again, and a series' occurrences share their participants).
 */
function resolver(m: Matcher): (p: Participant) => Resolved {
  // Nested by field rather than one joined key: the parser's strings are looked up as they
  // are (their hashes are cached), with no new string per participant.
  const byEmail = new Map<string, Map<string, Map<string, Resolved>>>();
  return (p) => {
    let byUrl = byEmail.get(p.email ?? '');
    if (!byUrl) byEmail.set(p.email ?? '', (byUrl = new Map()));
    let byName = byUrl.get(p.url ?? '');
    if (!byName) byUrl.set(p.url ?? '', (byName = new Map()));
    let r = byName.get(p.name ?? '');
    if (!r) {
      const owner = m.owner(p);
      r = { owner, id: owner ? undefined : m.match(p), key: m.key(p) };
      byName.set(p.name ?? '', r);
    }
    return r;
  };
}

function matcher(
  s: ActivitySnapshot,
  fileOwner: readonly Participant[],
  me: readonly string[],
): Matcher {
  const byEmail = new Map<string, string>();
  const byUrl = new Map<string, string>();
  const byName = new Map<string, string | null>();
  for (const p of s.people) {
    for (const e of p.emails) {
      const k = emailKey(e);
      if (k && !byEmail.has(k)) byEmail.set(k, p.id);
    }
    for (const l of p.links) {
      const k = urlKey(l);
      if (k && !byUrl.has(k)) byUrl.set(k, p.id);
    }
    const n = nameKey(p.name);
    if (n) byName.set(n, byName.has(n) ? null : p.id);
  }
  const ownEmails = new Set<string>();
  const ownUrls = new Set<string>();
  const ownNames = new Set<string>();
  for (const a of [...s.ownerAddresses, ...me]) {
    const e = emailKey(a);
    if (e) ownEmails.add(e);
    else {
      const u = urlKey(a);
      if (u) ownUrls.add(u);
    }
  }
  for (const p of fileOwner) {
    if (p.email) ownEmails.add(emailKey(p.email) ?? p.email);
    if (p.url) ownUrls.add(urlKey(p.url) ?? p.url);
    if (p.name) ownNames.add(nameKey(p.name));
  }
  return {
    owner(p) {
      const e = p.email ? emailKey(p.email) : undefined;
      if (e && ownEmails.has(e)) return true;
      const u = p.url ? urlKey(p.url) : undefined;
      if (u && ownUrls.has(u)) return true;
      // A name alone says "owner" only for a participant with no address of their own
      // (LinkedIn rows for the owner carry their name and maybe an empty URL).
      return !e && !u && !!p.name && ownNames.has(nameKey(p.name));
    },
    match(p) {
      const e = p.email ? emailKey(p.email) : undefined;
      const byE = e ? byEmail.get(e) : undefined;
      if (byE) return byE;
      const u = p.url ? urlKey(p.url) : undefined;
      const byU = u ? byUrl.get(u) : undefined;
      if (byU) return byU;
      // Calendars name people by address; a name is only a fallback without one.
      if (e || !p.name) return undefined;
      return byName.get(nameKey(p.name)) ?? undefined;
    },
    key(p) {
      const e = p.email ? emailKey(p.email) : undefined;
      if (e) return `e:${e}`;
      const u = p.url ? urlKey(p.url) : undefined;
      if (u) return `u:${u}`;
      const n = p.name ? nameKey(p.name) : '';
      return n ? `n:${n}` : undefined;
    },
  };
}

/**
 * Match a parsed file against the notebook and say what importing it would do, without
 * writing anything. A generator: yields progress every batch of events, returns the plan.
 */
export function* planActivity(
  snapshot: ActivitySnapshot,
  parsed: ParsedActivity,
  meta: { format: string; label: string; file: string },
  options: ActivityOptions = {},
): Generator<ImportProgress, ActivityPlan, void> {
  const me = (options.me ?? []).map((a) => a.trim()).filter(Boolean);
  const resolve = resolver(matcher(snapshot, parsed.owner, me));
  const known = new Set(snapshot.sources);
  const names = new Map(snapshot.people.map((p) => [p.id, p.name]));
  const plan: ActivityPlan = {
    ...meta,
    occurrences: [],
    earlier: snapshot.groups,
    matched: [],
    touches: 0,
    known: 0,
    candidates: [],
    unmatchedOthers: { people: 0, occurrences: 0 },
    ties: [],
    nextMeetings: 0,
    warnings: parsed.warnings,
    ownerAddresses: me,
  };
  const perPerson = new Map<string, number>();
  const unmatched = new Map<string, Candidate>();
  const next = new Set<string>();
  const total = parsed.events.length;
  // A series' occurrences share one participant list (the parsers hand out the same array):
  // match it once. The arrays are shared between those occurrences and never changed.
  const byList = new Map<
    readonly Participant[],
    { people: string[]; others: string[]; keys: (string | undefined)[] }
  >();
  const matchList = (list: readonly Participant[]) => {
    const hit = byList.get(list);
    if (hit) return hit;
    const people: string[] = [];
    const others: string[] = [];
    const keys: (string | undefined)[] = [];
    // A handful of participants each: arrays beat a Set per occurrence.
    const seen = (x: string) => people.includes(x) || others.includes(x);
    for (const p of list) {
      const r = resolve(p);
      keys.push(r.key);
      if (r.owner) continue;
      const id = r.id;
      if (id !== undefined) {
        if (id === snapshot.ownerId || seen(id)) continue;
        people.push(id);
        continue;
      }
      const key = r.key;
      if (key === undefined || seen(key)) continue;
      others.push(key);
    }
    const out = { people, others, keys };
    byList.set(list, out);
    return out;
  };
  for (let i = 0; i < total; i++) {
    const ev = parsed.events[i]!;
    const { people, others, keys } = matchList(ev.participants);
    const occ: PlannedOccurrence = {
      source: ev.source,
      at: ev.at,
      kind: ev.kind,
      group: ev.group,
      people,
      unmatched: others,
      attendees: people.length + others.length,
    };
    if (ev.title && snapshot.keepTitles) occ.note = ev.title;
    if (ev.future) {
      occ.future = true;
      for (const id of people) next.add(id);
    } else if (known.has(ev.source)) {
      occ.known = true;
      plan.known++;
    } else {
      known.add(ev.source);
      if (people.length) plan.touches++;
      for (const id of people) perPerson.set(id, (perPerson.get(id) ?? 0) + 1);
    }
    if (!ev.future && !occ.known && others.length) {
      for (let k = 0; k < ev.participants.length; k++) {
        const p = ev.participants[k]!;
        const key = keys[k];
        if (key === undefined || !others.includes(key)) continue;
        const c = unmatched.get(key);
        if (c) {
          c.count++;
          if (ev.at > c.last) c.last = ev.at;
          if (!c.url && p.url) c.url = p.url;
        } else {
          unmatched.set(key, {
            key,
            name: p.name?.trim() || p.email || p.url || key.slice(2),
            ...(p.email ? { email: p.email } : {}),
            ...(p.url ? { url: p.url } : {}),
            count: 1,
            last: ev.at,
          });
        }
      }
    }
    plan.occurrences.push(occ);
    if (i % 2000 === 1999) yield { phase: 'match', done: i + 1, total };
  }
  plan.matched = [...perPerson]
    .map(([id, touches]) => ({ id, name: names.get(id) ?? id, touches }))
    .sort((a, b) => b.touches - a.touches || a.name.localeCompare(b.name));
  for (const c of unmatched.values()) {
    if (c.count >= FREQUENT) plan.candidates.push(c);
    else {
      plan.unmatchedOthers.people++;
      plan.unmatchedOthers.occurrences += c.count;
    }
  }
  plan.candidates.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  plan.nextMeetings = next.size;
  plan.ties = inferTies(plan, []).map((t) => ({
    ...t,
    a: t.a as string,
    b: t.b as string,
    aName: names.get(t.a as string) ?? '',
    bName: names.get(t.b as string) ?? '',
  }));
  if (!snapshot.ownerAddresses.length && !me.length && parsed.organizers) {
    let best: [string, number] | undefined;
    for (const [e, n] of Object.entries(parsed.organizers)) {
      if (!best || n > best[1] || (n === best[1] && e < best[0])) best = [e, n];
    }
    if (best && best[1] >= 2) plan.suggestedMe = best[0];
  }
  yield { phase: 'match', done: total, total };
  return plan;
}

/**
 * Ties inferred from who appears together: every pair of people in at least two groups
 * (meeting occurrences, conversations) of at most {@link MAX_TIE_ATTENDEES} participants,
 * counting this plan's and earlier imports' alike. `added` maps candidate keys the owner
 * chose to add to their place in the batch.
 */
function inferTies(plan: ActivityPlan, added: readonly string[]): InferredTieInput[] {
  const addedAt = new Map(added.map((k, i) => [k, i]));
  // Members per group first (a conversation spans days), then each pair once per group.
  // Plain arrays per group (a meeting's group is one occurrence with a handful of people):
  // no Map, no sorted copy per group.
  type Group = {
    keys: string[];
    refs: ActivityRef[];
    at: string;
    kind: ActivityEvent['kind'];
    size: number;
  };
  const groups = new Map<string, Group>();
  const note = (
    group: string,
    people: readonly string[],
    extra: readonly ActivityRef[] | undefined,
    at: string,
    kind: ActivityEvent['kind'],
    size: number,
  ) => {
    if (kind === 'invitation') return;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { keys: [...people], refs: [...people], at, kind, size }));
    else {
      for (const id of people) {
        if (g.keys.includes(id)) continue;
        g.keys.push(id);
        g.refs.push(id);
      }
      if (at > g.at) g.at = at;
      if (size > g.size) g.size = size;
    }
    for (const r of extra ?? []) {
      const k = typeof r === 'string' ? r : `#${r.added}`;
      if (g.keys.includes(k)) continue;
      g.keys.push(k);
      g.refs.push(r);
    }
  };
  for (const g of plan.earlier)
    note(g.group, g.people, undefined, g.at, g.kind, g.attendees ?? g.people.length);
  for (const o of plan.occurrences) {
    // A known occurrence is among the earlier groups already.
    if (o.future || o.known) continue;
    let extra: ActivityRef[] | undefined;
    if (addedAt.size) {
      for (const k of o.unmatched) {
        const at = addedAt.get(k);
        if (at !== undefined) (extra ??= []).push({ added: at });
      }
    }
    note(o.group, o.people, extra, o.at, o.kind, o.attendees);
  }
  type Pair = {
    a: ActivityRef;
    b: ActivityRef;
    meetings: number;
    conversations: number;
    last: string;
  };
  // Nested maps rather than a joined "a|b" string per pair: no string per pair per group.
  // The smaller key is the outer one, so each pair has one entry whatever the order.
  const pairs = new Map<string, Map<string, Pair>>();
  for (const g of groups.values()) {
    const { keys, refs } = g;
    if (g.size > MAX_TIE_ATTENDEES || keys.length < 2) continue;
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        const [x, y] = keys[i]! < keys[j]! ? [i, j] : [j, i];
        let row = pairs.get(keys[x]!);
        if (!row) pairs.set(keys[x]!, (row = new Map()));
        let e = row.get(keys[y]!);
        if (!e) {
          e = { a: refs[x]!, b: refs[y]!, meetings: 0, conversations: 0, last: g.at };
          row.set(keys[y]!, e);
        }
        if (g.kind === 'meeting') e.meetings++;
        else e.conversations++;
        if (g.at > e.last) e.last = g.at;
      }
    }
  }
  const out: InferredTieInput[] = [];
  for (const row of pairs.values())
    for (const e of row.values()) if (e.meetings + e.conversations >= 2) out.push(e);
  return out;
}

/** The owner's choices on the preview. */
export interface ActivityChoices {
  /** Candidate keys ticked "add as people" (none by default). */
  add?: readonly string[];
}

/** The ticked candidates that are candidates of this plan, in batch order. */
function addedKeys(plan: ActivityPlan, choices: ActivityChoices): string[] {
  const keys = new Set(plan.candidates.map((c) => c.key));
  return (choices.add ?? []).filter((k) => keys.has(k));
}

/**
 * The ties the import infers for these choices, named for the preview: the plan's own when
 * nobody is added; else also those of the people ticked "add as people", among themselves
 * and with people in the notebook (`a`/`b` of a new person is its candidate key).
 */
export function plannedTies(
  plan: ActivityPlan,
  choices: ActivityChoices = {},
): PlannedInferredTie[] {
  const add = addedKeys(plan, choices);
  if (!add.length) return plan.ties;
  const names = new Map<string, string>();
  for (const m of plan.matched) names.set(m.id, m.name);
  for (const t of plan.ties) names.set(t.a, t.aName).set(t.b, t.bName);
  const byKey = new Map(plan.candidates.map((c) => [c.key, c]));
  const id = (r: ActivityRef) => (typeof r === 'string' ? r : add[r.added]!);
  const name = (r: ActivityRef) =>
    typeof r === 'string' ? (names.get(r) ?? '') : byKey.get(add[r.added]!)!.name;
  return inferTies(plan, add)
    .map((t) => ({
      a: id(t.a),
      b: id(t.b),
      aName: name(t.a),
      bName: name(t.b),
      meetings: t.meetings,
      conversations: t.conversations,
      last: t.last,
    }))
    .sort((x, y) => y.meetings + y.conversations - x.meetings - x.conversations);
}

/**
 * What the preview shows of a plan: counts, and the lists cut to `limit` entries (their
 * full lengths in `totals`). The occurrences stay with the plan (in the import worker).
 */
export interface ActivityPreview extends Omit<
  ActivityPlan,
  'occurrences' | 'earlier' | 'matched' | 'ties' | 'candidates' | 'warnings'
> {
  matched: ActivityPlan['matched'];
  ties: PlannedInferredTie[];
  candidates: Candidate[];
  warnings: SkippedRow[];
  totals: { matched: number; ties: number; candidates: number; warnings: number };
  /** The file holds meetings (the "keep event titles" choice applies). */
  meetings: boolean;
  /** The file holds invitations (they date ties to the owner). */
  invitations: boolean;
}

/** The preview of a plan for the owner's choices (see {@link ActivityPreview}). */
export function previewActivity(
  plan: ActivityPlan,
  choices: ActivityChoices = {},
  limit = Infinity,
): ActivityPreview {
  const { occurrences, matched, candidates, warnings } = plan;
  const ties = plannedTies(plan, choices);
  return {
    format: plan.format,
    label: plan.label,
    file: plan.file,
    // With people ticked to add, their meetings become touches too: counted as Apply writes them.
    touches: addedKeys(plan, choices).length
      ? (activityBatch(plan, choices).touches?.length ?? 0)
      : plan.touches,
    known: plan.known,
    unmatchedOthers: plan.unmatchedOthers,
    nextMeetings: plan.nextMeetings,
    ownerAddresses: plan.ownerAddresses,
    ...(plan.suggestedMe ? { suggestedMe: plan.suggestedMe } : {}),
    matched: matched.slice(0, limit),
    ties: ties.slice(0, limit),
    candidates: candidates.slice(0, limit),
    warnings: warnings.slice(0, limit),
    totals: {
      matched: matched.length,
      ties: ties.length,
      candidates: candidates.length,
      warnings: warnings.length,
    },
    meetings: occurrences.some((o) => o.kind === 'meeting'),
    invitations: occurrences.some((o) => o.kind === 'invitation'),
  };
}

/** The model batch for a plan and the owner's choices (plain data, no writes). */
export function activityBatch(plan: ActivityPlan, choices: ActivityChoices = {}): ActivityBatch {
  const byKey = new Map(plan.candidates.map((c) => [c.key, c]));
  const add = addedKeys(plan, choices);
  const addedAt = new Map(add.map((k, i) => [k, i]));
  const people: PersonInput[] = add.map((k) => {
    const c = byKey.get(k)!;
    return {
      name: c.name,
      emails: c.email ? [c.email] : [],
      links: c.url ? [c.url] : [],
      howWeMet: `${plan.label} (${plan.file})`,
    };
  });
  const refsOf = (o: PlannedOccurrence): readonly ActivityRef[] => {
    // Nobody added (the usual case): the plan's own list, not a copy per occurrence.
    if (!addedAt.size) return o.people;
    const refs: ActivityRef[] = [...o.people];
    for (const k of o.unmatched) {
      const at = addedAt.get(k);
      if (at !== undefined) refs.push({ added: at });
    }
    return refs;
  };
  const touches: ImportedTouch[] = [];
  const nextMeetings: { person: ActivityRef; at: string }[] = [];
  const ownerTies: { person: ActivityRef; since: string; note: string }[] = [];
  for (const o of plan.occurrences) {
    const refs = refsOf(o);
    if (!refs.length) continue;
    if (o.future) {
      for (const person of refs) nextMeetings.push({ person, at: o.at });
      continue;
    }
    if (o.kind === 'invitation') {
      for (const person of refs)
        ownerTies.push({ person, since: o.at.slice(0, 10), note: 'LinkedIn invitation' });
    }
    if (o.known) continue;
    touches.push({
      personIds: refs,
      at: o.at,
      channel: o.kind === 'meeting' ? 'meeting' : o.kind === 'email' ? 'email' : 'message',
      source: o.source,
      attendees: o.attendees,
      ...(o.note ? { note: o.note } : {}),
    });
  }
  return {
    people,
    touches,
    // The preview's ties are this batch's when nobody is added (the usual case).
    ties: add.length
      ? inferTies(plan, add)
      : plan.ties.map(({ a, b, meetings, conversations, last }) => ({
          a,
          b,
          meetings,
          conversations,
          last,
        })),
    nextMeetings,
    ownerTies,
    ownerAddresses: plan.ownerAddresses,
  };
}

/**
 * Apply a plan as one undoable step through the model's bulk commands. People deleted
 * since the preview are dropped, touches imported meanwhile are not doubled.
 */
export function applyActivityPlan(
  nb: Notebook,
  plan: ActivityPlan,
  choices: ActivityChoices = {},
): ActivityResult {
  nb.migrate();
  return applyActivity(nb, activityBatch(plan, choices));
}
