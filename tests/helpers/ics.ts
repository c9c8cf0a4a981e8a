/** Small iCalendar builders for the calendar tests (hand-written fixtures, not an export). */

/** One VEVENT: `lines` are its properties (UID, DTSTART, ATTENDEE …). */
export function vevent(...lines: string[]): string {
  return ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
}

/** A VCALENDAR around some VEVENTs. */
export function ics(...events: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Vitrine tests//EN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** ATTENDEE lines for these addresses (accepted). */
export function attendees(...emails: string[]): string[] {
  return emails.map((e) => `ATTENDEE;CN=${e.split('@')[0]};PARTSTAT=ACCEPTED:mailto:${e}`);
}

/** A meeting at `start` (UTC, `20260105T100000Z`) organised by `organizer` with `emails`. */
export function meeting(
  uid: string,
  start: string,
  organizer: string,
  ...emails: string[]
): string {
  return vevent(
    `UID:${uid}`,
    `DTSTART:${start}`,
    `ORGANIZER:mailto:${organizer}`,
    ...attendees(...emails),
    `SUMMARY:Meeting ${uid}`,
  );
}

/** Text to bytes. */
export const bytes = (text: string) => new TextEncoder().encode(text);
