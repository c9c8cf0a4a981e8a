import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  createIntro,
  dismissTodayItem,
  linkPeople,
  logTouch,
  snoozeTodayItem,
  today,
  type Notebook,
} from '../../src/model/index.ts';
import { EXPORTERS } from '../../src/io/formats.ts';
import { exportIcs, icsUid } from '../../src/io/ics-export.ts';
import { clock, testNotebook, type TestClock } from '../helpers/notebook.ts';

interface Ev {
  uid: string;
  summary: string;
  start: string;
  alarms: { action: string; trigger: string }[];
}

/** Parse a calendar file back with ical.js, as a calendar application would. */
function events(ics: string): Ev[] {
  const cal = new ICAL.Component(
    ICAL.parse(ics) as ConstructorParameters<typeof ICAL.Component>[0],
  );
  expect(cal.name).toBe('vcalendar');
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toString(),
      alarms: v.getAllSubcomponents('valarm').map((a) => ({
        action: String(a.getFirstPropertyValue('action')),
        trigger: String(a.getFirstPropertyValue('trigger')),
      })),
    };
  });
}

function notebook(): { nb: Notebook; c: TestClock; ana: string; bo: string } {
  const c = clock('2026-03-01T09:00:00.000Z');
  const nb = testNotebook({ clock: c });
  const me = nb.ownerId!;
  const ana = addPerson(nb, { name: 'Ana Silva', cadenceDays: 30 });
  const bo = addPerson(nb, { name: 'Bo Chen', cadenceDays: 30, birthday: '1985-03-04' });
  const cy = addPerson(nb, { name: 'Cy Dara', cadenceDays: 30 });
  for (const id of [ana, bo, cy]) linkPeople(nb, me, id, { strength: 4 });
  const day = (ago: number) => new Date(c.now().getTime() - ago * 86_400_000).toISOString();
  logTouch(nb, { personIds: [ana], at: day(45) }); // overdue since 14 Feb
  logTouch(nb, { personIds: [cy], at: day(20) }); // due on 11 March
  createIntro(nb, { a: ana, b: cy, followUpAt: '2026-03-15' });
  return { nb, c, ana, bo };
}

describe('calendar of reminders (.ics)', () => {
  it('parses back with ical.js: one event per reminder, on its day, each with a display alarm', () => {
    const { nb } = notebook();
    const evs = events(exportIcs(nb));
    expect(evs.map((e) => [e.summary, e.start])).toEqual([
      ['Check in with Ana Silva', '2026-03-01'],
      ["Bo Chen's birthday", '2026-03-04'],
      ['Check in with Cy Dara', '2026-03-11'],
      ['Follow up: introducing Ana Silva and Cy Dara', '2026-03-15'],
    ]);
    for (const e of evs) {
      expect(e.alarms).toEqual([{ action: 'DISPLAY', trigger: 'PT9H' }]);
      expect(e.uid).toMatch(/^[0-9a-f]{32}@vitrine$/);
    }
  });

  it('gives the same UIDs on every export, also once an upcoming item has come due', () => {
    const { nb, c } = notebook();
    const first = events(exportIcs(nb));
    expect(events(exportIcs(nb))).toEqual(first);
    c.advance(12);
    const later = events(exportIcs(nb));
    const cy = later.find((e) => e.summary === 'Check in with Cy Dara')!;
    expect(cy.uid).toBe(first.find((e) => e.summary === 'Check in with Cy Dara')!.uid);
    expect(cy.start).toBe('2026-03-13');
    const listed = today(nb).items.find((i) => i.text.startsWith('Cy Dara'))!;
    expect(cy.uid).toBe(icsUid(listed.key));
  });

  it('moves a snoozed reminder to the end of its snooze and leaves a dismissed one out', () => {
    const { nb, ana } = notebook();
    const items = today(nb).items;
    const anaItem = items.find((i) => i.kind === 'overdue' && i.personIds[0] === ana)!;
    const birthday = items.find((i) => i.kind === 'birthday')!;
    snoozeTodayItem(nb, anaItem.key, '2026-03-08');
    dismissTodayItem(nb, birthday.key);
    const evs = events(exportIcs(nb));
    expect(evs.find((e) => e.uid === icsUid(anaItem.key))?.start).toBe('2026-03-08');
    expect(evs.some((e) => e.uid === icsUid(birthday.key))).toBe(false);
  });

  it('is registered as the "ics" export format', () => {
    const { nb } = notebook();
    const out = EXPORTERS.ics(nb);
    expect(out).toMatchObject({ extension: 'ics', mime: 'text/calendar' });
    expect(events(out.data as string)).toHaveLength(4);
  });
});
