/**
 * Reminders as a calendar file (`.ics`, RFC 5545), built with ical.js: one all-day event
 * per check-in, ask, follow-up, outcome and birthday that Today lists or that falls due in
 * the next 30 days ({@link calendarItems}), each with a DISPLAY alarm at 09:00 that day.
 *
 * - UID = the first 128 bits of SHA-256 of the Today item key, hex, + `@vitrine`: the same
 *   item gets the same UID in every export, so importing a fresh file into a calendar
 *   updates its events (moved by a snooze, re-worded) instead of duplicating them.
 * - DTSTAMP is the export time (the notebook's clock): a calendar sees a newer revision of
 *   each event on every re-import. Everything else in an event depends on the notebook only.
 */
import ICAL from 'ical.js';
import { digest } from 'lib0/hash/sha256';
import { calendarItems, getPerson, type CalendarItem, type Notebook } from '../model/index.ts';
import { addDays, formatDay, parseDay } from '../time/dates.ts';

/** How far ahead the calendar file reaches, in days. */
export const ICS_HORIZON_DAYS = 30;

/** The event UID of a Today item key. */
export function icsUid(key: string): string {
  const hash = digest(new TextEncoder().encode(key));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += hash[i]!.toString(16).padStart(2, '0');
  return `${hex}@vitrine`;
}

function summaryOf(nb: Notebook, c: CalendarItem): string {
  const name = (id: string | undefined) =>
    id === undefined ? '' : (getPerson(nb, id)?.name ?? id);
  const [a, b] = c.item.personIds;
  switch (c.item.kind) {
    case 'overdue':
      return `Check in with ${name(a)}`;
    case 'waiting':
      return `Ask unanswered: introducing ${name(a)} and ${name(b)}`;
    case 'follow-up':
      return `Follow up: introducing ${name(a)} and ${name(b)}`;
    case 'outcome':
      return `Record how introducing ${name(a)} and ${name(b)} went`;
    case 'birthday':
      return `${name(a)}'s birthday`;
    case 'meeting':
      return `Meeting ${name(a)}`;
  }
}

function descriptionOf(c: CalendarItem): string {
  if (c.current) return c.item.text;
  const n = c.item.neglect;
  if (c.item.kind === 'overdue' && n) {
    return `Due ${c.on} on a ${Math.round(n.cadenceDays)}-day cadence${n.lastTouched ? `; last touched ${n.lastTouched.slice(0, 10)}` : ''}.`;
  }
  return `Due ${c.on}.`;
}

function date(iso: string): InstanceType<typeof ICAL.Time> {
  return ICAL.Time.fromData({
    year: Number(iso.slice(0, 4)),
    month: Number(iso.slice(5, 7)),
    day: Number(iso.slice(8, 10)),
    isDate: true,
  });
}

/** The day after `day` (`YYYY-MM-DD`): an all-day event ends there. */
function nextDay(day: string): string {
  const start = parseDay(day);
  if (start === undefined)
    throw new RangeError(`A reminder's day ${JSON.stringify(day)} is not a real date.`);
  return formatDay(addDays(start, 1));
}

/** The calendar file of a notebook's reminders at `now` (default: the notebook's clock). */
export function exportIcs(nb: Notebook, now = nb.now()): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', '-//Vitrine//Today reminders//EN');
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  cal.addPropertyWithValue('x-wr-calname', 'Vitrine reminders');
  const stamp = ICAL.Time.fromJSDate(new Date(Math.floor(now.getTime() / 1000) * 1000), true);
  for (const c of calendarItems(nb, now, ICS_HORIZON_DAYS)) {
    const vevent = new ICAL.Component('vevent');
    const event = new ICAL.Event(vevent);
    event.uid = icsUid(c.item.key);
    vevent.addPropertyWithValue('dtstamp', stamp);
    event.startDate = date(c.on);
    event.endDate = date(nextDay(c.on));
    event.summary = summaryOf(nb, c);
    event.description = descriptionOf(c);
    vevent.addPropertyWithValue('categories', `vitrine-${c.item.kind}`);
    vevent.addPropertyWithValue('transp', 'TRANSPARENT');
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', event.summary);
    // 09:00 on the day (an all-day event starts at midnight, floating).
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromString('PT9H'));
    vevent.addSubcomponent(alarm);
    cal.addSubcomponent(vevent);
  }
  return cal.toString() + '\r\n';
}
