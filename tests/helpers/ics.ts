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

/** The email of test person `i` in {@link connectionsCsv} and {@link yearOfCalendar}. */
export const personEmail = (i: number) => `person${i}@example.org`;

/** LinkedIn's Connections.csv for 60 people ("Person Number<i>"), each with an email. */
export function connectionsCsv(): string {
  const rows = ['First Name,Last Name,URL,Email Address,Company,Position,Connected On'];
  for (let i = 0; i < 60; i++)
    rows.push(
      `Person,Number${i},https://www.linkedin.com/in/person-${i},${personEmail(i)},Org ${i % 7},Role,01 Jan 2020`,
    );
  return rows.join('\n') + '\n';
}

/** The UTC iCalendar stamp `days` before now, at 10:00. */
function daysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  return `${d.replace(/-/g, '')}T100000Z`;
}

/**
 * A year of meetings organised by `me@owner.example`: three groups of 12 (people 0–11,
 * 12–23, 24–35) meet weekly, four or five at a time; people 36, 37 and 38 were last met
 * alone 200, 100 and 45 days ago. 153 meetings in all.
 */
export function yearOfCalendar(): string {
  const events: string[] = [];
  for (let g = 0; g < 3; g++)
    for (let w = 2; w < 52; w++) {
      const size = 4 + (w % 2);
      const members = Array.from({ length: size }, (_, k) => g * 12 + ((w + k * 5) % 12));
      events.push(
        meeting(
          `g${g}-w${w}@example.org`,
          daysAgo(w * 7 + g),
          'me@owner.example',
          ...members.map(personEmail),
        ),
      );
    }
  for (const [i, days] of [
    [36, 200],
    [37, 100],
    [38, 45],
  ] as const)
    events.push(
      meeting(`solo-${i}@example.org`, daysAgo(days), 'me@owner.example', personEmail(i)),
    );
  return ics(...events);
}
