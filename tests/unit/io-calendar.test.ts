/**
 * Calendars (.ics) become touches: recurrences expanded up to today, time zones, all-day
 * events, cancelled and declined left out, the owner never a contact, titles private,
 * re-imports idempotent, removed touches stay removed, bad files refused unchanged.
 * Fixture: tests/fixtures/io/calendar/owner-2026.ics (hand-written, Google's layout).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  createUndoManager,
  initNotebook,
  listPeople,
  listTies,
  listTouches,
  ownerAddresses,
  removeTouch,
  setKeepEventTitles,
  setOwnerAddresses,
  touchesOf,
  getPerson,
} from '../../src/model/index.ts';
import { parseCalendar, MAX_PER_SERIES } from '../../src/io/calendar.ts';
import { runSteps } from '../../src/io/plan.ts';
import {
  applyActivityImport,
  detectActivityFormat,
  planActivityImport,
} from '../../src/io/activity-import.ts';
import { fixture } from '../fixtures/io/helpers.ts';
import { bytes, ics, meeting, vevent } from '../helpers/ics.ts';

const NOW = new Date('2026-07-15T12:00:00Z');
const FILE = 'calendar/owner-2026.ics';

function notebook(): Notebook {
  const nb = new Notebook(new Y.Doc(), { now: () => NOW });
  initNotebook(nb, 'Rita Owner');
  return nb;
}

/** The fixture's people: Ana, Ben (Acme), Chloe (Beta), Dev (Gamma), three town-hall guests. */
function withPeople(): { nb: Notebook; id: Record<string, string> } {
  const nb = notebook();
  const id: Record<string, string> = {};
  for (const [name, email] of [
    ['Ana Lima', 'ana@acme.example'],
    ['Ben Okafor', 'ben@acme.example'],
    ['Chloe Dupont', 'chloe@beta.example'],
    ['Dev Raman', 'dev@gamma.example'],
    ['Gia Guest', 'guest1@conf.example'],
    ['Gil Guest', 'guest2@conf.example'],
  ] as const) {
    id[name.split(' ')[0]!] = addPerson(nb, { name, emails: [email] });
  }
  return { nb, id };
}

const parse = (text: string, name = 'test.ics') =>
  runSteps(parseCalendar(text, name, { now: NOW }));

function importFile(nb: Notebook, data: Uint8Array, name: string, me: string[] = []) {
  const plan = planActivityImport(nb, data, name, undefined, { me, now: NOW });
  return { plan, result: applyActivityImport(nb, plan) };
}

const dates = (nb: Notebook, personId: string) =>
  touchesOf(nb, personId)
    .map((t) => t.at)
    .reverse();

describe('reading a calendar', () => {
  it('expands a weekly series with an EXDATE, a moved and a cancelled occurrence, in its own time zone', () => {
    const text = new TextDecoder().decode(fixture(FILE));
    const events = parse(text).events.filter((e) => e.source.startsWith('ics:weekly-sync'));
    // Mondays 10:00 Berlin (09:00 UTC in winter) from 5 Jan, six times: the 12th excluded,
    // the 19th moved to Tuesday 20th 15:00, the 26th cancelled.
    expect(events.map((e) => e.at)).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-20T14:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-02-09T09:00:00.000Z',
    ]);
    // The moved occurrence has its own attendee list (Chloe joined that one).
    expect(events[1]!.participants.map((p) => p.email)).toContain('chloe@beta.example');
    expect(events[0]!.participants.map((p) => p.email)).not.toContain('chloe@beta.example');
  });

  it('reads a second time zone, all-day events, leaves out declined attendees, rooms and cancelled events', () => {
    const events = parse(new TextDecoder().decode(fixture(FILE))).events;
    const ny = events.find((e) => e.source === 'ics:ny-breakfast@example.com')!;
    expect(ny.at).toBe('2026-02-10T14:00:00.000Z'); // 09:00 in New York
    expect(ny.participants.map((p) => p.email)).toEqual([
      'chloe@beta.example',
      'owner@example.com',
      'dev@gamma.example',
    ]);
    expect(events.find((e) => e.source === 'ics:offsite@example.com')!.at).toBe('2026-03-05');
    expect(events.some((e) => e.source.startsWith('ics:cancelled-lunch'))).toBe(false);
  });

  it('expands an unbounded rule up to today and keeps the next occurrence as the next meeting', () => {
    const events = parse(new TextDecoder().decode(fixture(FILE))).events.filter((e) =>
      e.source.startsWith('ics:monthly-dev'),
    );
    expect(events.map((e) => [e.at.slice(0, 10), !!e.future])).toEqual([
      ['2026-05-01', false],
      ['2026-06-01', false],
      ['2026-07-01', false],
      ['2026-08-01', true],
    ]);
  });

  it('converts a Windows time-zone name Outlook writes without a VTIMEZONE', () => {
    const text = ics(
      vevent(
        'UID:outlook-1',
        'DTSTART;TZID=W. Europe Standard Time:20260610T100000',
        'ORGANIZER:mailto:a@x.example',
      ),
      vevent(
        'UID:outlook-2',
        'DTSTART;TZID="Pacific Standard Time":20260115T090000',
        'ORGANIZER:mailto:a@x.example',
      ),
    );
    expect(parse(text).events.map((e) => e.at)).toEqual([
      '2026-06-10T08:00:00.000Z',
      '2026-01-15T17:00:00.000Z',
    ]);
  });

  it('stops a rule with a million occurrences at a bound, with a note', () => {
    const text = ics(
      vevent(
        'UID:flood',
        'DTSTART:20260101T000000Z',
        'RRULE:FREQ=SECONDLY;COUNT=1000000',
        'ORGANIZER:mailto:a@x.example',
      ),
    );
    const r = parse(text);
    expect(r.events).toHaveLength(MAX_PER_SERIES);
    expect(r.warnings[0]!.reason).toMatch(/repeats more than 20,000 times/);
  });

  it('notes an event without a start and reads the rest', () => {
    const r = parse(new TextDecoder().decode(fixture(FILE)));
    expect(r.warnings).toEqual([
      {
        ref: 'event "Broken event without a start"',
        reason: 'it has no start date (DTSTART), so it was left out',
      },
    ]);
  });
});

describe('importing a calendar', () => {
  it('makes one touch per past occurrence with the matched people, never the owner', () => {
    const { nb, id } = withPeople();
    const { plan, result } = importFile(nb, fixture(FILE), 'owner-2026.ics', ['owner@example.com']);
    expect(plan.format).toBe('calendar');
    expect(dates(nb, id.Ana!)).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-20T14:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-02-09T09:00:00.000Z',
      '2026-03-05',
      '2026-04-01T16:00:00.000Z',
    ]);
    // Ben declined the New York breakfast.
    expect(dates(nb, id.Ben!)).not.toContain('2026-02-10T14:00:00.000Z');
    expect(dates(nb, id.Chloe!)).toEqual(['2026-01-20T14:00:00.000Z', '2026-02-10T14:00:00.000Z']);
    const owner = nb.ownerId!;
    expect(listTouches(nb).every((t) => !t.personIds.includes(owner))).toBe(true);
    expect(listTouches(nb).every((t) => t.channel === 'meeting')).toBe(true);
    expect(result.activity.touches).toBe(listTouches(nb).length);
    // The owner's address is remembered for the next import.
    expect(ownerAddresses(nb)).toContain('owner@example.com');
    // Dev's next meeting is the first monthly 1:1 after today.
    expect(getPerson(nb, id.Dev!)!.nextMeeting).toBe('2026-08-01T08:00:00.000Z');
  });

  it('keeps event titles private unless the owner asked to keep them', () => {
    const { nb } = withPeople();
    importFile(nb, fixture(FILE), 'owner-2026.ics', ['owner@example.com']);
    expect(listTouches(nb).some((t) => t.note)).toBe(false);
    const { nb: nb2 } = withPeople();
    setKeepEventTitles(nb2, true);
    importFile(nb2, fixture(FILE), 'owner-2026.ics', ['owner@example.com']);
    expect(listTouches(nb2).map((t) => t.note)).toContain('Weekly sync (moved)');
    expect(JSON.stringify(nb.doc.toJSON())).not.toContain('private');
  });

  it('infers a tie between two who met at least twice, but not from a meeting of more than 25', () => {
    const { nb, id } = withPeople();
    const big = (uid: string, day: string) =>
      meeting(
        uid,
        `202603${day}T100000Z`,
        'owner@example.com',
        ...Array.from({ length: 40 }, (_, i) => `guest${i + 1}@conf.example`),
      );
    const small = (uid: string, day: string) =>
      meeting(
        uid,
        `202604${day}T100000Z`,
        'owner@example.com',
        'guest1@conf.example',
        'dev@gamma.example',
      );
    importFile(nb, bytes(ics(big('b1', '02'), big('b2', '09'))), 'big.ics', ['owner@example.com']);
    expect(touchesOf(nb, id.Gia!)).toHaveLength(2); // the big meetings still count as touches
    expect(listTies(nb).filter((t) => t.provenance === 'inferred')).toEqual([]);
    importFile(nb, bytes(ics(small('s1', '02'), small('s2', '09'))), 'small.ics');
    const inferred = listTies(nb).filter((t) => t.provenance === 'inferred');
    expect(inferred.map((t) => [t.from, t.to].sort())).toEqual([[id.Gia!, id.Dev!].sort()]);
    expect(inferred[0]!.evidence).toEqual({
      meetings: 2,
      conversations: 0,
      last: '2026-04-09T10:00:00.000Z',
    });
  });

  it('adds nothing when the same file, or the same shared meeting from another calendar, comes again', () => {
    const { nb } = withPeople();
    importFile(nb, fixture(FILE), 'owner-2026.ics', ['owner@example.com']);
    const count = listTouches(nb).length;
    const sv = Y.encodeStateVector(nb.doc);
    const again = importFile(nb, fixture(FILE), 'owner-2026.ics');
    expect(again.result.activity.touches).toBe(0);
    expect(again.plan.activity.known).toBeGreaterThan(0);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
    // Ana's own export of the weekly sync: same UID and occurrences, her as organizer view.
    const anas = ics(
      vevent(
        'UID:weekly-sync@example.com',
        'DTSTART:20260105T090000Z',
        'RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO',
        'EXDATE:20260112T090000Z',
        'ORGANIZER;CN=Owner:mailto:owner@example.com',
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@acme.example',
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ben@acme.example',
      ),
    );
    const shared = importFile(nb, bytes(anas), 'ana.ics');
    // Only the 26th is new (cancelled in the owner's copy, not in Ana's older one).
    expect(shared.result.activity.touches).toBe(1);
    expect(listTouches(nb).length).toBe(count + 1);
  });

  it('does not bring back a touch the owner removed', () => {
    const { nb, id } = withPeople();
    importFile(nb, fixture(FILE), 'owner-2026.ics', ['owner@example.com']);
    const first = touchesOf(nb, id.Ana!).at(-1)!;
    removeTouch(nb, first.id);
    const left = listTouches(nb).length;
    importFile(nb, fixture(FILE), 'owner-2026.ics');
    expect(listTouches(nb).length).toBe(left);
    expect(dates(nb, id.Ana!)).not.toContain(first.at);
  });

  it('applies as one undo step, and Cancel (planning alone) writes nothing', () => {
    const { nb } = withPeople();
    const undo = createUndoManager(nb);
    const sv = Y.encodeStateVector(nb.doc);
    const plan = planActivityImport(nb, fixture(FILE), 'owner-2026.ics', undefined, { now: NOW });
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
    applyActivityImport(nb, plan);
    expect(listTouches(nb).length).toBeGreaterThan(5);
    undo.undo();
    expect(listTouches(nb)).toHaveLength(0);
    expect(listTies(nb).filter((t) => t.provenance === 'inferred')).toHaveLength(0);
  });

  it('never matches the owner: by --me, by stored addresses, and suggests the most frequent organizer', () => {
    const { nb } = withPeople();
    addPerson(nb, { name: 'Owner Alias', emails: ['owner@example.com'] });
    const plan = planActivityImport(nb, fixture(FILE), 'owner-2026.ics', undefined, { now: NOW });
    expect(plan.activity.suggestedMe).toBe('owner@example.com');
    setOwnerAddresses(nb, ['OWNER@example.com']);
    const plan2 = planActivityImport(nb, fixture(FILE), 'owner-2026.ics', undefined, { now: NOW });
    expect(plan2.activity.suggestedMe).toBeUndefined();
    expect(plan2.activity.matched.map((m) => m.name)).not.toContain('Owner Alias');
  });

  it('lists participants seen three or more times as people to add, unticked, and adds the ticked ones', () => {
    const { nb } = withPeople();
    const text = ics(
      ...['01', '08', '15'].map((d) =>
        meeting(
          `m${d}`,
          `202605${d}T090000Z`,
          'owner@example.com',
          'new.person@delta.example',
          'ana@acme.example',
        ),
      ),
      meeting('once', '20260520T090000Z', 'owner@example.com', 'stranger@x.example'),
    );
    const plan = planActivityImport(nb, bytes(text), 'may.ics', undefined, {
      me: ['owner@example.com'],
      now: NOW,
    });
    expect(plan.activity.candidates.map((c) => [c.email, c.count])).toEqual([
      ['new.person@delta.example', 3],
    ]);
    expect(plan.activity.unmatchedOthers).toEqual({ people: 1, occurrences: 1 });
    const people = listPeople(nb).length;
    applyActivityImport(nb, plan, { add: ['e:new.person@delta.example'] });
    expect(listPeople(nb).length).toBe(people + 1);
    const added = listPeople(nb).find((p) => p.emails.includes('new.person@delta.example'))!;
    expect(touchesOf(nb, added.id)).toHaveLength(3);
    // Met Ana three times: an inferred tie to the new person too.
    expect(
      listTies(nb).some((t) => t.provenance === 'inferred' && [t.from, t.to].includes(added.id)),
    ).toBe(true);
  });
});

describe('bad calendar files', () => {
  const refused = (text: string | Uint8Array, name: string, message: RegExp) => {
    const { nb } = withPeople();
    const sv = Y.encodeStateVector(nb.doc);
    const data = typeof text === 'string' ? bytes(text) : text;
    expect(() => planActivityImport(nb, data, name, 'calendar', { now: NOW })).toThrow(message);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  };

  it('refuses a file that is not a calendar, naming it', () => {
    refused(
      'Name,Email\nAna,ana@x\n',
      'notes.ics',
      /notes\.ics is not a calendar.*Export the calendar again/,
    );
  });

  it('refuses a truncated calendar', () => {
    const text = new TextDecoder().decode(fixture(FILE));
    refused(text.slice(0, text.length / 2), 'cut.ics', /cut\.ics is cut short/);
  });

  it('detects a calendar by content, whatever its name', () => {
    expect(detectActivityFormat(fixture(FILE), 'export.txt')).toBe('calendar');
    expect(detectActivityFormat(bytes('First Name,Last Name\n'), 'x.csv')).toBeUndefined();
  });
});
