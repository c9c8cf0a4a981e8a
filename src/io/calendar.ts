/**
 * Calendars (`.ics`, RFC 5545) as exported by Google Calendar, Outlook/Exchange, Apple
 * Calendar, Thunderbird and CalDAV servers, read with ical.js into {@link ActivityEvent}s:
 * one per past occurrence, recurrences expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID
 * overrides, RANGE=THISANDFUTURE) up to "now", plus the first occurrence after it (the next
 * meeting). Times are converted to UTC with the file's own VTIMEZONE definitions; a TZID
 * the file does not define is looked up as an IANA name (or a Windows name Outlook uses)
 * in the platform's time-zone data; all-day events keep their date.
 *
 * Left out: cancelled events and cancelled occurrences, attendees who declined, rooms and
 * resources. Bounds: at most {@link MAX_PER_SERIES} occurrences of one series and
 * {@link MAX_OCCURRENCES} in a file are read (a warning says when a rule was cut short).
 */
import ICAL from 'ical.js';
import { VitrineError } from '../model/index.ts';
import { formatInstant } from '../time/dates.ts';
import type { ActivityEvent, ParsedActivity, Participant } from './activity.ts';
import type { ImportProgress } from './incoming.ts';

/** Occurrences read from one recurring series, at most. */
export const MAX_PER_SERIES = 20_000;
/** Occurrences read from one file, at most. */
export const MAX_OCCURRENCES = 1_000_000;

/** Does this text look like an iCalendar file? */
export function sniffCalendar(text: string): boolean {
  return /^\s*BEGIN:VCALENDAR\s*$/im.test(text.slice(0, 4096));
}

type Comp = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

/** Windows time-zone names Outlook writes as TZID, mapped to IANA (the common ones). */
const WINDOWS_ZONES: Record<string, string> = {
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Singapore Standard Time': 'Asia/Singapore',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Arabian Standard Time': 'Asia/Dubai',
  'South Africa Standard Time': 'Africa/Johannesburg',
  UTC: 'UTC',
};

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(tzid: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(tzid);
  if (f !== undefined) return f;
  // Outlook and some servers quote the name or prefix it with a path ("/mozilla.org/…/Europe/Berlin").
  const clean = tzid.replace(/^"|"$/g, '').trim();
  const candidates = [WINDOWS_ZONES[clean], clean, clean.split('/').slice(-2).join('/')];
  f = null;
  for (const zone of candidates) {
    if (!zone) continue;
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      break;
    } catch {
      // not a zone this platform knows
    }
  }
  zoneFormats.set(tzid, f);
  return f;
}

/** UTC milliseconds of a wall-clock time in a zone the platform knows (two-pass offset). */
function wallToUtc(t: Time, f: Intl.DateTimeFormat): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  const offsetAt = (ms: number) => {
    const parts: Record<string, number> = {};
    for (const p of f.formatToParts(new Date(ms))) parts[p.type] = Number(p.value);
    const shown = Date.UTC(
      parts.year!,
      parts.month! - 1,
      parts.day!,
      parts.hour!,
      parts.minute!,
      parts.second!,
    );
    return shown - ms;
  };
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/**
 * An occurrence start as an ISO string: a date for all-day, else UTC date-time. One
 * conversion per time: ical.js's own UTC seconds (cached on the time), formatted by the
 * strict date module.
 */
function isoOf(t: Time, tzid: string | undefined): string {
  if (t.isDate) return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
  const zone = t.zone?.tzid;
  if (zone === 'floating' || !t.zone) {
    // No definition in the file: the platform's zone data, else read as UTC (a floating
    // time must not depend on the zone of the machine that happens to import it).
    const f = tzid ? zoneFormat(tzid) : null;
    const ms = f
      ? wallToUtc(t, f)
      : Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    return formatInstant(ms);
  }
  return formatInstant(t.toUnixTime() * 1000);
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` as the compact `YYYYMMDDTHHMMSSZ` of RECURRENCE-IDs. */
function compactInstant(iso: string): string {
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The calendar date of a time, as an all-day time (its own wall clock, no conversion). */
function dateOnly(t: Time): Time {
  return ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, isDate: true });
}

/** {@link occurrenceKey} of `t` from `iso`, which is `isoOf(t, …)` (no second conversion). */
function keyFromIso(t: Time, iso: string): string {
  if (t.isDate) return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  const zone = t.zone?.tzid;
  if (zone === 'floating' || !t.zone) return t.toICALString();
  return compactInstant(iso);
}

/** A stable key for an occurrence's original start (its RECURRENCE-ID). */
function occurrenceKey(t: Time): string {
  if (t.isDate) return `${pad(t.year, 4)}${pad(t.month)}${pad(t.day)}`;
  const zone = t.zone?.tzid;
  if (zone === 'floating' || !t.zone) return t.toICALString();
  return compactInstant(formatInstant(t.toUnixTime() * 1000));
}

function tzidOf(comp: Comp): string | undefined {
  const p = comp.getFirstProperty('dtstart');
  const v = p?.getParameter('tzid');
  return typeof v === 'string' ? v : undefined;
}

function cancelled(comp: Comp): boolean {
  return textOf(comp, 'status')?.toUpperCase() === 'CANCELLED';
}

/** A property as jCal holds it: name, parameters (lower-case names), type, values. */
type JProp = [string, Record<string, unknown>, string, ...unknown[]];

/** The component's properties as parsed (jCal), read without building `ICAL.Property`s. */
function jprops(comp: Comp): JProp[] {
  return (comp.jCal as unknown as [string, JProp[], unknown[]])[1];
}

/** The first text value of a property (UID, SUMMARY, STATUS), read from the jCal. */
function textOf(comp: Comp, name: string): string | undefined {
  for (const p of jprops(comp)) {
    if (p[0] !== name) continue;
    const v = p[3];
    return typeof v === 'string' ? v : v == null ? undefined : String(v);
  }
  return undefined;
}

const param = (p: JProp, name: string): string | undefined => {
  const v = p[1][name];
  return typeof v === 'string'
    ? v
    : Array.isArray(v) && typeof v[0] === 'string'
      ? v[0]
      : undefined;
};

/**
 * An ORGANIZER or ATTENDEE as a participant, read from the jCal (every attendee of every
 * event passes here: no `ICAL.Property` objects or value hydration per attendee).
 */
function person(prop: JProp): Participant | undefined {
  const cutype = param(prop, 'cutype')?.toUpperCase();
  if (cutype === 'ROOM' || cutype === 'RESOURCE') return undefined;
  const value = typeof prop[3] === 'string' ? prop[3] : '';
  let email: string | undefined;
  if (value.length > 7 && value.slice(0, 7).toLowerCase() === 'mailto:') email = value.slice(7);
  else {
    const e = param(prop, 'email');
    if (e !== undefined) email = e;
    else if (value.includes('@') && !value.includes(':')) email = value;
  }
  const cn = param(prop, 'cn');
  const name = cn !== undefined ? cn.replace(/^"|"$/g, '').trim() : undefined;
  if (!email && !name) return undefined;
  const p: Participant = {};
  if (email) p.email = email.trim();
  if (name) p.name = name;
  return p;
}

/**
 * Organizer and attendees who did not decline. An override that lists no attendees at all
 * (Zimbra, some CalDAV servers) keeps the series' attendees: it moved the meeting, not the
 * people.
 */
function participantsOf(comp: Comp, master?: Comp): { list: Participant[]; organizer?: string } {
  const list: Participant[] = [];
  let organizer: string | undefined;
  let firstOrganizer = true;
  let attendees = false;
  for (const p of jprops(comp)) {
    if (p[0] === 'organizer') {
      // The first ORGANIZER only, listed first.
      if (!firstOrganizer) continue;
      firstOrganizer = false;
      const o = person(p);
      if (o) {
        list.unshift(o);
        organizer = o.email?.toLowerCase();
      }
    } else if (p[0] === 'attendee') {
      attendees = true;
      if (param(p, 'partstat')?.toUpperCase() === 'DECLINED') continue;
      const a = person(p);
      if (a) list.push(a);
    }
  }
  if (!attendees && master) {
    for (const p of jprops(master)) {
      if (p[0] !== 'attendee' || param(p, 'partstat')?.toUpperCase() === 'DECLINED') continue;
      const a = person(p);
      if (a) list.push(a);
    }
  }
  return { list, organizer };
}

function refuse(name: string, what: string): never {
  throw new VitrineError(
    `${name} ${what}. Export the calendar again as an .ics file (iCalendar) and import that.`,
  );
}

/** Parse options (tests pass a fixed "now"). */
export interface CalendarOptions {
  now?: Date;
}

/**
 * Read a calendar into activity events. A generator: yields progress every batch of
 * events, returns the events, warnings (an event without a start, a rule cut short) and
 * how often each organizer appears (to suggest the owner's address).
 */
export function* parseCalendar(
  text: string,
  name: string,
  options: CalendarOptions = {},
): Generator<ImportProgress, ParsedActivity, void> {
  if (!sniffCalendar(text))
    refuse(name, 'is not a calendar: it does not start with BEGIN:VCALENDAR');
  if (!/END:VCALENDAR\s*$/i.test(text.slice(-256))) {
    refuse(
      name,
      'is cut short: it does not end with END:VCALENDAR (the download or export stopped part way)',
    );
  }
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (e) {
    refuse(name, `cannot be read as a calendar (${(e as Error).message})`);
  }
  const roots = (Array.isArray((jcal as unknown[])[0]) ? jcal : [jcal]) as unknown[];
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const out: ParsedActivity = { events: [], warnings: [], owner: [], organizers: {} };
  const organizers = out.organizers!;
  const byUid = new Map<string, { master?: Comp; exceptions: Comp[] }>();
  let n = 0;
  for (const root of roots) {
    const cal = new ICAL.Component(root as ConstructorParameters<typeof ICAL.Component>[0]);
    for (const ev of cal.getAllSubcomponents('vevent')) {
      n++;
      let uid = textOf(ev, 'uid')?.trim() ?? '';
      if (!uid) {
        // No UID (some hand-made files): the start and title stand in, so a re-import matches.
        const start = ev.getFirstProperty('dtstart')?.toICALString() ?? '';
        uid = `nouid:${start}:${textOf(ev, 'summary') ?? ''}`;
      }
      let g = byUid.get(uid);
      if (!g) byUid.set(uid, (g = { exceptions: [] }));
      if (ev.hasProperty('recurrence-id')) g.exceptions.push(ev);
      else if (!g.master) g.master = ev;
    }
  }
  if (n === 0 && !/BEGIN:VEVENT/i.test(text)) {
    // A calendar with only tasks or journal entries is a calendar, just without meetings.
    return out;
  }
  let total = 0;
  let done = 0;
  const groups = byUid.size;
  // One series' occurrences share their component's people and title: read them once.
  const people = new Map<Comp, ReturnType<typeof participantsOf> & { title?: string }>();
  const push = (
    g: { master?: Comp },
    uid: string,
    key: string | undefined,
    comp: Comp,
    at: string,
    future: boolean,
  ) => {
    let who: (ReturnType<typeof participantsOf> & { title?: string }) | undefined =
      people.get(comp);
    if (!who) {
      who = participantsOf(comp, comp === g.master ? undefined : g.master);
      const title = textOf(comp, 'summary')?.trim();
      if (title) who.title = title;
      people.set(comp, who);
    }
    const { list, organizer, title } = who;
    if (organizer && !future) organizers[organizer] = (organizers[organizer] ?? 0) + 1;
    const source = key === undefined ? `ics:${uid}` : `ics:${uid}/${key}`;
    const event: ActivityEvent = {
      source,
      at,
      kind: 'meeting',
      participants: list,
      group: source,
    };
    if (title) event.title = title;
    if (future) event.future = true;
    out.events.push(event);
    total++;
  };
  for (const [uid, g] of byUid) {
    if (total >= MAX_OCCURRENCES) {
      out.warnings.push({
        ref: name,
        reason: `more than ${MAX_OCCURRENCES.toLocaleString('en')} occurrences: the rest of the file was not read`,
      });
      break;
    }
    done++;
    if (done % 500 === 0) yield { phase: 'read', done, total: groups };
    const master = g.master;
    // Named only in a warning: built when one is given.
    const label = () =>
      `event "${(textOf((master ?? g.exceptions[0])!, 'summary') ?? uid).slice(0, 60)}"`;
    if (master && !master.hasProperty('dtstart')) {
      out.warnings.push({
        ref: label(),
        reason: 'it has no start date (DTSTART), so it was left out',
      });
      continue;
    }
    if (master && cancelled(master)) continue;
    const exceptions = g.exceptions.filter((x) => {
      if (x.hasProperty('dtstart')) return true;
      out.warnings.push({
        ref: label(),
        reason: 'a changed occurrence has no start date (DTSTART), so it was left out',
      });
      return false;
    });
    if (!master) {
      // Only overridden occurrences (an invitee's copy of one instance): each stands alone.
      for (const x of exceptions) {
        if (cancelled(x)) continue;
        const e = new ICAL.Event(x);
        push(
          g,
          uid,
          occurrenceKey(e.recurrenceId),
          x,
          isoOf(e.startDate, tzidOf(x)),
          e.startDate.toUnixTime() * 1000 > now.getTime(),
        );
      }
      continue;
    }
    const masterTz = tzidOf(master);
    if (!exceptions.length && !master.hasProperty('rrule') && !master.hasProperty('rdate')) {
      // A single meeting: its start is its one occurrence (no ICAL.Event needed).
      const at = isoOf(master.getFirstPropertyValue('dtstart') as Time, masterTz);
      push(g, uid, undefined, master, at, at > nowIso);
      continue;
    }
    let event: InstanceType<typeof ICAL.Event>;
    try {
      event = new ICAL.Event(master, { strictExceptions: true, exceptions });
    } catch (e) {
      out.warnings.push({
        ref: label(),
        reason: `it cannot be read (${(e as Error).message}), so it was left out`,
      });
      continue;
    }
    // Outlook excludes a day of an all-day series with a date-time EXDATE in its zone
    // (`EXDATE;TZID=GMT Standard Time:20240715T000000`), which ical.js does not match to the
    // date; compare such series' EXDATEs by their date.
    const allDay = event.startDate.isDate;
    const exdates = new Set<string>();
    if (allDay) {
      for (const p of master.getAllProperties('exdate')) {
        for (const v of p.getValues()) {
          const x = v as Time;
          if (x && typeof x.year === 'number') exdates.add(occurrenceKey(dateOnly(x)));
        }
      }
    }
    const used = new Set<string>();
    let count = 0;
    let sawFuture = false;
    let passedNow = false;
    try {
      const it = event.iterator();
      for (let next = it.next(); next; next = it.next()) {
        // An RDATE given as a PERIOD comes out as a period, not a time (ical.js 2.2).
        const t: Time = next instanceof ICAL.Period ? next.start : next;
        if (allDay && exdates.has(occurrenceKey(t))) continue;
        // Without overrides an occurrence is the rule's own time (ical.js's
        // getOccurrenceDetails would say the same, after cloning and formatting it twice).
        let item = event;
        let start = t;
        if (exceptions.length) {
          const details = event.getOccurrenceDetails(t);
          item = details.item as InstanceType<typeof ICAL.Event>;
          start = details.startDate;
        }
        if (item !== event) used.add(item.recurrenceId.toString());
        const tz = item === event ? masterTz : tzidOf(item.component);
        // Each time converted once: the occurrence's start, and the rule's own time only
        // when that differs (an override moved it).
        const at = isoOf(start, tz);
        const ruleAt = start === t && tz === masterTz ? at : undefined;
        const future = at > nowIso;
        if (future && (ruleAt ?? isoOf(t, masterTz)) > nowIso) passedNow = true;
        // The master was checked above; only an override can cancel one occurrence.
        if ((item === event || !cancelled(item.component)) && (!future || !sawFuture)) {
          if (future) sawFuture = true;
          const key = ruleAt === undefined ? occurrenceKey(t) : keyFromIso(t, ruleAt);
          push(g, uid, key, item.component, at, future);
        }
        if (passedNow && sawFuture) break;
        if (++count >= MAX_PER_SERIES) {
          if (!passedNow) {
            out.warnings.push({
              ref: label(),
              reason: `it repeats more than ${MAX_PER_SERIES.toLocaleString('en')} times before today; only the first ${MAX_PER_SERIES.toLocaleString('en')} were read`,
            });
          }
          break;
        }
      }
    } catch (e) {
      out.warnings.push({
        ref: label(),
        reason: `its repeat rule cannot be read (${(e as Error).message}); occurrences after that were left out`,
      });
    }
    // Overrides the rule never reached (moved out of the rule's dates, or left by an edited
    // rule) are meetings all the same.
    for (const x of exceptions) {
      const e = new ICAL.Event(x);
      if (used.has(e.recurrenceId.toString()) || cancelled(x)) continue;
      const at = isoOf(e.startDate, tzidOf(x));
      const future = at > nowIso;
      if (future && (sawFuture || count >= MAX_PER_SERIES)) continue;
      push(g, uid, occurrenceKey(e.recurrenceId), x, at, future);
    }
  }
  yield { phase: 'read', done: groups, total: groups };
  return out;
}
