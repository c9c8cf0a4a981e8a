/**
 * Today (PRODUCT.md item 14): what needs the owner now, derived from the notebook.
 *
 * Six kinds of item, each with a stable key naming the occurrence it is about, so a snooze
 * or a dismissal (stored in the notebook's `reminders` map, see {@link snoozeTodayItem})
 * applies to exactly that occurrence and something new makes a new item:
 *
 * | kind        | when                                                     | key names          |
 * | ----------- | -------------------------------------------------------- | ------------------ |
 * | `overdue`   | the owner's tie is overdue ({@link neglectedTies})       | person + due day   |
 * | `waiting`   | an ask (asked A / asked B) unanswered for N days         | intro + ask        |
 * | `follow-up` | an introduction's follow-up date has come                | intro + date       |
 * | `outcome`   | introduced a month ago, no outcome recorded              | intro + introduced |
 * | `birthday`  | a birthday in the next seven days                        | person + date      |
 * | `meeting`   | a meeting (imported calendar) in the next seven days     | person + start     |
 * |             | with someone whose tie is overdue by the day of it       |                    |
 *
 * "Overdue" has one definition, the analysis' neglect ranking ({@link neglectedTies}); a
 * meeting's "cooling" is that same definition evaluated on the day of the meeting.
 *
 * Each item is listed once: one item per introduction (a due follow-up stands in for its
 * ask or outcome) and one per person among overdue, birthday and meeting (a meeting stands
 * in for a birthday, a birthday for an overdue tie; the text keeps the overdue reason).
 */
import { neglectedTies, type NamedClusterLike, type NeglectedTie } from '../analysis/neglect.ts';
import type { GraphSnapshot, SnapshotPerson, SnapshotTie } from '../analysis/snapshot.ts';
import { VitrineError } from './errors.ts';
import type { Notebook } from './notebook.ts';
import { getPerson, listIntros, listPeople } from './read.ts';
import type { Intro, IntroState, Person } from './schema.ts';
import { graphSnapshot } from './snapshot.ts';
import { optDate, optDays, setField } from './commands/write.ts';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  formatDay,
  formatInstant,
  isIsoDate,
  parseDay,
  toTime,
} from '../time/dates.ts';

/** The kinds of Today item, in the order the view and the CLI list them. */
export const TODAY_KINDS = [
  'overdue',
  'waiting',
  'follow-up',
  'outcome',
  'birthday',
  'meeting',
] as const;
/** One of {@link TODAY_KINDS}. */
export type TodayKind = (typeof TODAY_KINDS)[number];

/** One thing that needs the owner; plain data. */
export interface TodayItem {
  /** Stable: kind, ids and the occurrence (period, ask, date) it is about. */
  readonly key: string;
  readonly kind: TodayKind;
  /** The people it is about (an introduction's two sides, `a` first). */
  readonly personIds: readonly string[];
  readonly introId?: string;
  /** When it fell (or falls) due: an ISO date, or the meeting's start. */
  readonly due: string;
  /** In words, one sentence or two. */
  readonly text: string;
  /** For `overdue` (and a `meeting` with an overdue tie): the neglect entry behind it. */
  readonly neglect?: NeglectedTie;
}

/** What {@link today} returns. */
export interface TodayResult {
  /** By kind ({@link TODAY_KINDS} order), then most pressing first. */
  readonly items: readonly TodayItem[];
  /** Items left out because they are snoozed or dismissed. */
  readonly snoozed: number;
  readonly dismissed: number;
}

/** Options of {@link today}; every one has a default. */
export interface TodaySettings {
  /** Days an ask may wait for an answer before it is listed; default the notebook's setting (7). */
  readonly waitingDays?: number;
  /** Days after "introduced" before a missing outcome is listed; default 30. */
  readonly outcomeDays?: number;
  /** Birthdays this many days ahead are listed; default 7. */
  readonly birthdayDays?: number;
  /** Meetings this many days ahead are listed; default 7. */
  readonly meetingDays?: number;
  /** Clusters for the neglect ranking's "only link" (the app passes its analysis' clusters). */
  readonly clusters?: readonly NamedClusterLike[];
  /** Cadence for people and ties with none (as in the analysis); default none. */
  readonly defaultCadenceDays?: number;
  /**
   * A snapshot of this notebook, to save building it again: built at the same `now`, or
   * (with {@link TodaySettings.neglected}) the one that ranking was computed from.
   */
  readonly snapshot?: GraphSnapshot;
  /**
   * The neglect ranking ({@link neglectedTies}) of this notebook at about the same `now`
   * with the same clusters, already computed (the app's analysis worker has it), so the
   * costly part of Today is not done twice; the snapshot is then built only if a meeting
   * needs it.
   */
  readonly neglected?: readonly NeglectedTie[];
}

/** Meta key of the "waiting for an answer" threshold in days. */
export const WAITING_DAYS_KEY = 'todayWaitingDays';
/** Default of {@link WAITING_DAYS_KEY}. */
export const DEFAULT_WAITING_DAYS = 7;

const OPEN_ASKS: ReadonlySet<IntroState> = new Set(['asked-a', 'asked-b']);

const dayOf = formatDay;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Build an item key from its parts (each part URI-encoded, so ids may hold any character). */
export function todayKey(kind: TodayKind, id: string, occurrence: string): string {
  return [kind, id, occurrence].map(encodeURIComponent).join('|');
}

/** The parts of an item key, or `undefined` when it is not one. */
export function parseTodayKey(
  key: string,
): { kind: TodayKind; id: string; occurrence: string } | undefined {
  const parts = key.split('|');
  if (parts.length !== 3) return undefined;
  try {
    const [kind, id, occurrence] = parts.map(decodeURIComponent) as [string, string, string];
    if (!(TODAY_KINDS as readonly string[]).includes(kind) || !id || !occurrence) return undefined;
    return { kind: kind as TodayKind, id, occurrence };
  } catch {
    return undefined;
  }
}

/** The "waiting for an answer" threshold set in the notebook (default 7 days). */
export function waitingDays(nb: Notebook): number {
  const v = nb.meta.get(WAITING_DAYS_KEY);
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_WAITING_DAYS;
}

/** A snooze or a dismissal, as stored. */
export interface Reminder {
  readonly snoozedUntil?: string;
  readonly dismissedAt?: string;
}

/** The snooze or dismissal recorded for an item key, if any (malformed entries are ignored). */
export function reminderOf(nb: Notebook, key: string): Reminder | undefined {
  const raw = nb.reminders.get(key) as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  if (typeof raw.dismissedAt === 'string') return { dismissedAt: raw.dismissedAt };
  if (typeof raw.snoozedUntil === 'string' && toTime(raw.snoozedUntil) !== undefined) {
    return { snoozedUntil: raw.snoozedUntil };
  }
  return undefined;
}

function hiddenBy(nb: Notebook, key: string, now: number): 'snoozed' | 'dismissed' | undefined {
  const r = reminderOf(nb, key);
  if (!r) return undefined;
  if (r.dismissedAt) return 'dismissed';
  const until = toTime(r.snoozedUntil);
  return until !== undefined && until > now ? 'snoozed' : undefined;
}

/**
 * Everything Today lists at `now`, snoozed and dismissed items left out. Pure: the same
 * notebook state, `now` and settings give the same items, on every device.
 */
export function today(nb: Notebook, now = nb.now(), settings: TodaySettings = {}): TodayResult {
  const all = candidates(nb, now, settings);
  const t = now.getTime();
  const items: TodayItem[] = [];
  let snoozed = 0;
  let dismissed = 0;
  // A hidden item does not stand in for another: the next in line for that person or
  // introduction is listed instead.
  const taken = new Set<string>();
  for (const c of all) {
    if (taken.has(c.slot)) continue;
    const hidden = hiddenBy(nb, c.item.key, t);
    if (hidden === 'snoozed') snoozed++;
    else if (hidden === 'dismissed') dismissed++;
    else {
      taken.add(c.slot);
      items.push(c.item);
    }
  }
  const kindOrder = (k: TodayKind) => TODAY_KINDS.indexOf(k);
  const order = new Map(items.map((it, i) => [it, i]));
  items.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || order.get(a)! - order.get(b)!);
  return { items, snoozed, dismissed };
}

interface Candidate {
  /** One item per slot: a person (`p:`) or an introduction (`i:`). */
  readonly slot: string;
  readonly item: TodayItem;
}

/** The neglect ranking's options that Today's settings carry. */
function rankingOptions(settings: TodaySettings): Parameters<typeof neglectedTies>[1] {
  return {
    ...(settings.clusters ? { clusters: settings.clusters } : {}),
    ...(settings.defaultCadenceDays !== undefined
      ? { defaultCadenceDays: settings.defaultCadenceDays }
      : {}),
  };
}

/**
 * Every item that could be listed, in priority order within each slot (meeting, birthday,
 * overdue for a person; follow-up, then ask or outcome, for an introduction), each kind
 * sorted most pressing first.
 */
function candidates(nb: Notebook, now: Date, settings: TodaySettings): Candidate[] {
  const t = now.getTime();
  const todayIso = dayOf(t);
  let built = settings.snapshot;
  const snapshotOf = () => (built ??= graphSnapshot(nb, now));
  const neglected = settings.neglected ?? neglectedTies(snapshotOf(), rankingOptions(settings));
  const owner = settings.snapshot?.owner ?? nb.ownerId ?? '';
  const neglectOf = new Map(neglected.map((n) => [n.personId, n]));
  const people = listPeople(nb);
  const name = (id: string) => getPerson(nb, id)?.name ?? id;
  const out: Candidate[] = [];

  // Meetings with people whose tie will be overdue on the day.
  const horizon = addDays(t, settings.meetingDays ?? 7);
  const upcoming: { p: Person; at: number }[] = [];
  for (const p of people) {
    const at = toTime(p.nextMeeting);
    // An all-day meeting counts all day; a timed one until it starts.
    const from = p.nextMeeting?.length === 10 ? parseDay(todayIso)! : t;
    if (at === undefined || at < from || at > horizon || p.id === owner) continue;
    upcoming.push({ p, at });
  }
  const meetings: { p: Person; at: number; n: NeglectedTie }[] = [];
  const later = upcoming.filter(({ p }) => !neglectOf.has(p.id));
  const near = later.length
    ? ownerNeighbourhood(snapshotOf(), new Set(later.map((m) => m.p.id)))
    : undefined;
  for (const { p, at } of upcoming) {
    const n =
      neglectOf.get(p.id) ?? overdueOn(snapshotOf(), near!, p.id, at, settings.defaultCadenceDays);
    if (n) meetings.push({ p, at, n });
  }
  meetings.sort((x, y) => x.at - y.at || (x.p.id < y.p.id ? -1 : 1));
  for (const { p, at, n } of meetings) {
    const when =
      p.nextMeeting!.length > 10
        ? `${formatInstant(at).slice(0, 16).replace('T', ' ')} UTC`
        : p.nextMeeting!;
    const current = neglectOf.get(p.id);
    const why = current
      ? current.reason
      : `by then ${plural(n.daysOverdue, 'day')} past its ${Math.round(n.cadenceDays)}-day cadence${n.lastTouched ? ` (last touched ${n.lastTouched.slice(0, 10)})` : ''}.`;
    out.push({
      slot: `p:${p.id}`,
      item: {
        key: todayKey('meeting', p.id, p.nextMeeting!),
        kind: 'meeting',
        personIds: [p.id],
        due: p.nextMeeting!,
        text: `Meeting ${p.name} on ${when}; the tie is cooling: ${why}`,
        neglect: current ?? n,
      },
    });
  }

  // Birthdays in the next days.
  const days = settings.birthdayDays ?? 7;
  const birthdays: { p: Person; on: string; in: number; age?: number }[] = [];
  for (const p of people) {
    const b = p.birthday === undefined ? undefined : parseBirthday(p.birthday);
    if (!b) continue;
    const on = nextOccurrence(b, todayIso);
    // Both are UTC midnights: a whole number of days apart.
    const inDays = daysBetween(parseDay(todayIso)!, parseDay(on)!);
    if (inDays > days) continue;
    const age = b.year === undefined ? undefined : Number(on.slice(0, 4)) - b.year;
    birthdays.push({ p, on, in: inDays, ...(age !== undefined && age > 0 ? { age } : {}) });
  }
  birthdays.sort((x, y) => x.in - y.in || (x.p.id < y.p.id ? -1 : 1));
  for (const { p, on, in: inDays, age } of birthdays) {
    const n = neglectOf.get(p.id);
    const when =
      inDays === 0 ? 'today' : inDays === 1 ? 'tomorrow' : `on ${on} (in ${inDays} days)`;
    out.push({
      slot: `p:${p.id}`,
      item: {
        key: todayKey('birthday', p.id, on),
        kind: 'birthday',
        personIds: [p.id],
        due: on,
        text: `${p.name}'s birthday is ${when}${age ? `: ${age} years` : ''}.${n ? ` Also ${n.reason}` : ''}`,
        ...(n ? { neglect: n } : {}),
      },
    });
  }

  // Overdue ties: strong ties and only links first, then days overdue, so the order reads.
  const tier = (n: NeglectedTie) => (n.strength >= 4 || n.onlyLink ? 0 : 1);
  const ranked = neglected
    .slice()
    .sort(
      (a, b) =>
        tier(a) - tier(b) ||
        b.daysOverdue - a.daysOverdue ||
        b.score - a.score ||
        (a.personId < b.personId ? -1 : 1),
    );
  for (const n of ranked) {
    out.push({
      slot: `p:${n.personId}`,
      item: {
        key: todayKey('overdue', n.personId, n.dueAt),
        kind: 'overdue',
        personIds: [n.personId],
        due: n.dueAt,
        text: `${n.name}: ${n.reason}`,
        neglect: n,
      },
    });
  }

  // Introductions: a due follow-up first, then an unanswered ask or a missing outcome.
  const intros = listIntros(nb);
  const introItems: { at: string; c: Candidate; rank: number }[] = [];
  const wait = settings.waitingDays ?? waitingDays(nb);
  const outcomeDays = settings.outcomeDays ?? 30;
  for (const i of intros) {
    const slot = `i:${i.id}`;
    const pair = `${name(i.a)} and ${name(i.b)}`;
    const ids = [i.a, i.b];
    if (
      i.followUpAt !== undefined &&
      i.state !== 'cancelled' &&
      i.followUpAt.slice(0, 10) <= todayIso
    ) {
      introItems.push({
        at: i.followUpAt,
        rank: 0,
        c: {
          slot,
          item: {
            key: todayKey('follow-up', i.id, i.followUpAt),
            kind: 'follow-up',
            personIds: ids,
            introId: i.id,
            due: i.followUpAt.slice(0, 10),
            text: `Follow up on introducing ${pair} (set for ${i.followUpAt.slice(0, 10)})${followUpHint(i)}.`,
          },
        },
      });
    }
    if (OPEN_ASKS.has(i.state)) {
      const askedAt = stepAt(i, i.state);
      const askedTime = toTime(askedAt);
      const due = askedTime === undefined ? undefined : addDays(askedTime, wait);
      if (askedTime !== undefined && due !== undefined && due <= t) {
        const asked = i.state === 'asked-a' ? i.a : i.b;
        const other = i.state === 'asked-a' ? i.b : i.a;
        const waited = daysBetween(askedTime, t);
        introItems.push({
          at: askedAt,
          rank: 1,
          c: {
            slot,
            item: {
              key: todayKey('waiting', i.id, `${i.state}@${askedAt}`),
              kind: 'waiting',
              personIds: ids,
              introId: i.id,
              due: dayOf(due),
              text: `${name(asked)} has not answered your ask about meeting ${name(other)} for ${plural(waited, 'day')}.`,
            },
          },
        });
      }
    }
    if (i.state === 'introduced' && !i.outcome) {
      const introducedAt = stepAt(i, 'introduced');
      const introducedTime = toTime(introducedAt);
      const due = introducedTime === undefined ? undefined : addDays(introducedTime, outcomeDays);
      if (introducedTime !== undefined && due !== undefined && due <= t) {
        const ago = daysBetween(introducedTime, t);
        introItems.push({
          at: introducedAt,
          rank: 1,
          c: {
            slot,
            item: {
              key: todayKey('outcome', i.id, introducedAt),
              kind: 'outcome',
              personIds: ids,
              introId: i.id,
              due: dayOf(due),
              text: `How did ${i.by === nb.ownerId ? 'introducing' : `${name(i.by)}'s introduction of`} ${pair} go? Introduced ${plural(ago, 'day')} ago; no outcome recorded yet.`,
            },
          },
        });
      }
    }
  }
  introItems.sort((x, y) => x.rank - y.rank || (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  for (const x of introItems) out.push(x.c);
  return out;
}

function followUpHint(i: Intro): string {
  if (i.state === 'introduced' && !i.outcome) return '; record how it went';
  if (OPEN_ASKS.has(i.state))
    return `; still ${i.state === 'asked-a' ? 'asking the first' : 'asking the second'}`;
  return '';
}

/** When an introduction last entered `state` (its history), else when it was created. */
function stepAt(i: Intro, state: IntroState): string {
  for (let k = i.history.length - 1; k >= 0; k--) {
    if (i.history[k]!.state === state) return i.history[k]!.at;
  }
  return i.createdAt;
}

/**
 * The neglect entry of the owner's tie to `personId` as of `at`, by the same definition
 * (run on the owner, that person and the owner's ties to them only: their days overdue
 * depend on nothing else).
 */
function overdueOn(
  snapshot: GraphSnapshot,
  near: OwnerNeighbourhood,
  personId: string,
  at: number,
  defaultCadenceDays: number | undefined,
): NeglectedTie | undefined {
  const ties = near.ties.get(personId);
  const person = near.people.get(personId);
  if (!ties || !person || !near.owner) return undefined;
  const found = neglectedTies(
    {
      owner: snapshot.owner,
      now: formatInstant(at),
      people: [near.owner, person],
      ties,
      intros: [],
    },
    defaultCadenceDays !== undefined ? { defaultCadenceDays } : {},
  );
  return found[0];
}

/** The owner and some people, with the owner's ties to each. */
interface OwnerNeighbourhood {
  readonly owner: SnapshotPerson | undefined;
  readonly people: ReadonlyMap<string, SnapshotPerson>;
  readonly ties: ReadonlyMap<string, SnapshotTie[]>;
}

/** The owner's ties to each of `ids`, in one pass over the snapshot. */
function ownerNeighbourhood(snapshot: GraphSnapshot, ids: ReadonlySet<string>): OwnerNeighbourhood {
  const owner = snapshot.owner;
  const ties = new Map<string, SnapshotTie[]>();
  for (const x of snapshot.ties) {
    const other = x.from === owner ? x.to : x.to === owner ? x.from : undefined;
    if (other === undefined || !ids.has(other)) continue;
    const list = ties.get(other);
    if (list) list.push(x);
    else ties.set(other, [x]);
  }
  const people = new Map<string, SnapshotPerson>();
  let me: SnapshotPerson | undefined;
  for (const p of snapshot.people) {
    if (ids.has(p.id)) people.set(p.id, p);
    else if (p.id === owner) me = p;
  }
  return { owner: me, people, ties };
}

/** A birthday's month and day, and year when known. */
interface Birthday {
  readonly year?: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Read a stored birthday: `1985-05-12`, `19850512`, `--05-12`, `--0512` (vCard without a
 * year) or `05-12`. Anything else (free text such as "early May") is not a date: `undefined`.
 */
export function parseBirthday(text: string): Birthday | undefined {
  const m =
    /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim()) ??
    /^(?:--)?()(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (day > daysInMonth(2024 /* a leap year */, month)) return undefined;
  return { ...(m[1] ? { year: Number(m[1]) } : {}), month, day };
}

/** The next date (ISO, on or after `fromIso`) a birthday falls on; 29 February → 28th in common years. */
function nextOccurrence(b: Birthday, fromIso: string): string {
  const on = (y: number) => {
    const last = daysInMonth(y, b.month);
    return dayOf(Date.UTC(y, b.month - 1, Math.min(b.day, last)));
  };
  const y = Number(fromIso.slice(0, 4));
  const first = on(y);
  return first >= fromIso ? first : on(y + 1);
}

/** The date a "snooze for a week" or "for a month" ends, from `now` (ISO date). */
export function snoozeEnd(now: Date, span: 'week' | 'month'): string {
  if (span === 'week') return dayOf(addDays(now.getTime(), 7));
  return dayOf(addMonths(now.getTime(), 1));
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || !parseTodayKey(key)) {
    throw new VitrineError(
      `"${String(key)}" is not a Today item key; take the key from the item as listed by Today.`,
    );
  }
  return key;
}

/**
 * Snooze a Today item until a date (ISO date or date-time, after now): it is left out until
 * then and comes back on its own. A later snooze or dismissal of the same item replaces it.
 */
export function snoozeTodayItem(nb: Notebook, key: string, until: string): void {
  const k = checkKey(key);
  const end = optDate(until, 'The end of a snooze');
  if (!end) throw new VitrineError('Say until when to snooze (a date like 2026-12-07).');
  // optDate let only a real date through.
  if (toTime(end)! <= nb.now().getTime()) {
    throw new VitrineError(`A snooze must end after now; ${end} has already passed.`);
  }
  nb.write(() => nb.reminders.set(k, { snoozedUntil: end }));
}

/**
 * Dismiss a Today item: that occurrence is never listed again. Something new about the
 * same person or introduction (a new overdue period, a new ask) is a new item.
 */
export function dismissTodayItem(nb: Notebook, key: string): void {
  const k = checkKey(key);
  nb.write(() => nb.reminders.set(k, { dismissedAt: nb.stamp() }));
}

/** Bring back a snoozed or dismissed item now. */
export function restoreTodayItem(nb: Notebook, key: string): void {
  const k = checkKey(key);
  nb.write(() => setField(nb.reminders, k, undefined));
}

/** A snooze or a dismissal with the key of the item it is about (a backup's record). */
export type KeyedReminder = {
  readonly key: string;
  readonly snoozedUntil?: string;
  readonly dismissedAt?: string;
};

/** Every snooze and dismissal stored in the notebook, by key (malformed entries left out). */
export function listReminders(nb: Notebook): KeyedReminder[] {
  const out: KeyedReminder[] = [];
  for (const key of [...nb.reminders.keys()].sort()) {
    const r = parseTodayKey(key) ? reminderOf(nb, key) : undefined;
    if (r) out.push({ key, ...r });
  }
  return out;
}

/**
 * Store a snooze or a dismissal read from a file (a backup being restored): it replaces
 * what this notebook has for the same item, like any record imported with the same id.
 * Call inside a transaction. Returns why the record was left out, or `undefined` when it
 * was stored (or already was). A dismissal wins over a snooze in the same record.
 */
export function putReminder(nb: Notebook, rec: Record<string, unknown>): string | undefined {
  const key = rec.key;
  if (typeof key !== 'string' || !parseTodayKey(key)) return 'its key is not a Today item key';
  const value =
    rec.dismissedAt !== undefined
      ? isIsoDate(rec.dismissedAt)
        ? { dismissedAt: rec.dismissedAt }
        : undefined
      : isIsoDate(rec.snoozedUntil)
        ? { snoozedUntil: rec.snoozedUntil }
        : undefined;
  if (!value) return 'it has neither a dismissal date nor a snooze end that is an ISO 8601 date';
  setField(nb.reminders, key, value);
  return undefined;
}

/** Set how many days an ask may wait for an answer before Today lists it (`undefined`: 7). */
export function setWaitingDays(nb: Notebook, days: number | undefined): void {
  const d = optDays(days, 'The waiting time');
  nb.write(() => setField(nb.meta, WAITING_DAYS_KEY, d));
}

/** A Today item placed on a calendar day (see {@link calendarItems}). */
export interface CalendarItem {
  readonly item: TodayItem;
  /** The day (ISO date) to put it on. */
  readonly on: string;
  /** Listed in Today now (its text is current); else it falls due later. */
  readonly current: boolean;
}

/**
 * What a calendar of reminders holds at `now`: every check-in, ask, follow-up and outcome
 * due now or in the next `days` days, and birthdays Today lists. Each is on its due day, or
 * today when already due, or the day its snooze ends; dismissed items are left out, and so
 * are meetings (they are in the owner's calendar already). Keys are the ones Today uses,
 * and an item keeps its key from "coming up" to "due", so a calendar event made from it
 * can be updated rather than duplicated.
 */
export function calendarItems(
  nb: Notebook,
  now = nb.now(),
  days = 30,
  settings: TodaySettings = {},
): CalendarItem[] {
  const t = now.getTime();
  const todayIso = dayOf(t);
  // The ranking at `now` is made once, for the items listed now and those due now.
  if (!settings.neglected) {
    const snapshot = settings.snapshot ?? graphSnapshot(nb, now);
    settings = {
      ...settings,
      snapshot,
      neglected: neglectedTies(snapshot, rankingOptions(settings)),
    };
  }
  const listed = new Set(today(nb, now, settings).items.map((i) => i.key));
  const ahead = new Date(addDays(t, days));
  // The snapshot given (if any) is at `now`, not at the horizon.
  const later: TodaySettings = { ...settings };
  delete (later as { snapshot?: GraphSnapshot }).snapshot;
  delete (later as { neglected?: readonly NeglectedTie[] }).neglected;
  const all = [
    ...candidates(nb, now, settings),
    ...candidates(nb, ahead, later).filter((c) => c.item.kind !== 'birthday'),
  ];
  const out: CalendarItem[] = [];
  const seen = new Set<string>();
  for (const { item } of all) {
    if (item.kind === 'meeting' || seen.has(item.key)) continue;
    seen.add(item.key);
    const r = reminderOf(nb, item.key);
    if (r?.dismissedAt) continue;
    let on = item.due.slice(0, 10) < todayIso ? todayIso : item.due.slice(0, 10);
    const until = toTime(r?.snoozedUntil);
    if (r?.snoozedUntil && until !== undefined && until > t) {
      const end = dayOf(until);
      if (end > on) on = end;
    }
    out.push({ item, on, current: listed.has(item.key) });
  }
  return out.sort((a, b) =>
    a.on < b.on ? -1 : a.on > b.on ? 1 : a.item.key < b.item.key ? -1 : 1,
  );
}
