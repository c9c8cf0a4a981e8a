/**
 * Real calendars written by Zimbra, Google Calendar and Exchange (from other projects'
 * test suites; see tests/fixtures/io/real-ics/README.md), read as a person looking at
 * them in their calendar would expect.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  initNotebook,
  listTouches,
  touchesOf,
} from '../../src/model/index.ts';
import { parseCalendar } from '../../src/io/calendar.ts';
import { runSteps } from '../../src/io/plan.ts';
import { applyActivityImport, planActivityImport } from '../../src/io/activity-import.ts';
import { fixture } from '../fixtures/io/helpers.ts';

const read = (name: string, now: string) =>
  runSteps(
    parseCalendar(new TextDecoder().decode(fixture(`real-ics/${name}`)), name, {
      now: new Date(now),
    }),
  );

describe('real calendars', () => {
  it('Zimbra: a monthly series with RDATEs, EXDATEs and moved occurrences, in Los Angeles time', () => {
    const r = read('ical.js-recur_instances.ics', '2013-01-15T00:00:00Z');
    expect(r.warnings).toEqual([]);
    expect(r.events.map((e) => [e.at, !!e.future])).toEqual([
      ['2012-10-02T22:00:00.000Z', false], // first Tuesday, moved from 10:00 to 15:00 PDT
      ['2012-11-07T04:00:00.000Z', false], // the 5 Nov RDATE, moved to 6 Nov 20:00 PST
      ['2012-11-06T18:00:00.000Z', false], // first Tuesday of November, 10:00 PST
      ['2012-11-10T18:00:00.000Z', false],
      ['2012-11-30T18:00:00.000Z', false],
      // 4 Dec excluded
      ['2013-01-01T18:00:00.000Z', false],
      // 5 Feb excluded: the next meeting is 5 March
      ['2013-03-05T18:00:00.000Z', true],
    ]);
    // The overrides list no attendees of their own: the series' people were still there.
    expect(r.events[0]!.participants.map((p) => p.email)).toContain('calmozilla1@gmail.com');
  });

  it('Zimbra: a PERIOD RDATE is an occurrence like any other, years later', () => {
    const r = read('ical.js-recur_instances.ics', '2024-01-01T00:00:00Z');
    expect(r.warnings).toEqual([]);
    const nov2023 = r.events.filter((e) => e.at.startsWith('2023-11')).map((e) => e.at);
    expect(nov2023).toEqual([
      '2023-11-07T18:00:00.000Z',
      '2023-11-23T09:00:00.000Z',
      '2023-11-25T09:00:00.000Z',
    ]);
  });

  it('Zimbra: the people in it become touches, the organizer given as --me is not one', () => {
    const nb = new Notebook(new Y.Doc(), { now: () => new Date('2013-01-15T00:00:00Z') });
    initNotebook(nb, 'James Lal');
    const sahaja = addPerson(nb, { name: 'Sahaja Lal', emails: ['CalMozilla1@gmail.com'] });
    const plan = planActivityImport(
      nb,
      fixture('real-ics/ical.js-recur_instances.ics'),
      'zimbra.ics',
      undefined,
      {
        me: ['jlal@mozilla.com'],
        now: new Date('2013-01-15T00:00:00Z'),
      },
    );
    applyActivityImport(nb, plan);
    expect(touchesOf(nb, sahaja)).toHaveLength(6);
    expect(listTouches(nb)).toHaveLength(6);
    // Two unmatched invitees, each at all six: offered as people to add.
    expect(plan.activity.candidates.map((c) => [c.email, c.count])).toEqual([
      ['iam.revelation@gmail.com', 6],
      ['james@lightsofapollo.com', 6],
    ]);
  });

  it('a daily UTC series with a date EXDATE skips that day', () => {
    const r = read('ical.js-rdate_exdate.ics', '2025-01-01T00:00:00Z');
    expect(r.events.map((e) => e.at)).toEqual([
      '2024-06-09T03:00:00.000Z',
      '2024-06-10T03:00:00.000Z',
      '2024-06-12T03:00:00.000Z',
    ]);
  });

  it('Google Calendar: a UTC event', () => {
    const r = read('icalendar-alarm_google_future.ics', '2025-01-01T00:00:00Z');
    expect(r.events.map((e) => [e.source, e.at])).toEqual([
      ['ics:79fs7pkqvht9m5igs0vjv1sfra@google.com', '2024-10-04T18:15:00.000Z'],
    ]);
  });

  it('Exchange: "GMT Standard Time" in British summer time, and an all-day day excluded by a date-time EXDATE', () => {
    const r = read('icalendar-alarm_outlook_in_future.ics', '2025-01-01T00:00:00Z');
    expect(r.events.map((e) => e.at)).toEqual([
      '2024-07-01', // fortnightly from 1 July until 28 July; 15 July excluded
      '2024-07-01',
      '2024-10-04T17:30:00.000Z', // 18:30 BST
    ]);
  });

  it('a custom zone named "UTC+11"', () => {
    const r = read('icalendar-issue_218_bad_tzid.ics', '2025-01-01T00:00:00Z');
    expect(r.events.map((e) => e.at)).toEqual(['2017-02-28T12:00:00.000Z']);
  });
});
