import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  VitrineError,
  acceptSuggestedCadences,
  acceptSuggestedCadencesForTag,
  addPerson,
  advanceIntro,
  cadenceSuggestions,
  createIntro,
  createUndoManager,
  dismissTodayItem,
  graphSnapshot,
  linkPeople,
  logTouch,
  parseBirthday,
  parseTodayKey,
  recordIntroOutcome,
  restoreTodayItem,
  setNextMeetings,
  setWaitingDays,
  snoozeEnd,
  snoozeTodayItem,
  suggestCadence,
  today,
  updatePerson,
  type Notebook,
  type TodayItem,
} from '../../src/model/index.ts';
import { neglectedTies } from '../../src/analysis/index.ts';
import { clock, testNotebook, type TestClock } from '../helpers/notebook.ts';

const START = '2026-01-01T09:00:00.000Z';

function setup(): { nb: Notebook; c: TestClock; me: string } {
  const c = clock(START);
  const nb = testNotebook({ clock: c });
  return { nb, c, me: nb.ownerId! };
}

const kinds = (items: readonly TodayItem[]) => items.map((i) => i.kind);
const of = (nb: Notebook, kind: string) => today(nb).items.filter((i) => i.kind === kind);

/** A person tied to the owner with a cadence, touched `ago` days before the clock. */
function contact(
  nb: Notebook,
  c: TestClock,
  me: string,
  name: string,
  opts: { strength?: number; cadence?: number; touchedAgo?: number; birthday?: string } = {},
): string {
  const id = addPerson(nb, {
    name,
    cadenceDays: opts.cadence ?? 30,
    ...(opts.birthday ? { birthday: opts.birthday } : {}),
  });
  linkPeople(nb, me, id, { strength: opts.strength ?? 3, since: '2020-01-01' });
  if (opts.touchedAgo !== undefined) {
    const at = new Date(c.now().getTime() - opts.touchedAgo * 86_400_000).toISOString();
    logTouch(nb, { personIds: [id], at });
  }
  return id;
}

describe('today: overdue ties', () => {
  it('lists the neglect ranking’s overdue ties with their reasons, strong ties and only links first, then days overdue', () => {
    const { nb, c, me } = setup();
    const weak300 = contact(nb, c, me, 'Weak Long', { strength: 2, touchedAgo: 330 });
    const weak20 = contact(nb, c, me, 'Weak Twenty', { strength: 2, touchedAgo: 50 });
    const strong10 = contact(nb, c, me, 'Strong Ten', { strength: 5, touchedAgo: 40 });
    const fresh = contact(nb, c, me, 'Fresh', { strength: 5, touchedAgo: 3 });
    // The two weak ones know each other, so neither is an only link.
    linkPeople(nb, weak300, weak20);
    const items = of(nb, 'overdue');
    expect(items.map((i) => i.personIds[0])).toEqual([strong10, weak300, weak20]);
    expect(items.map((i) => i.personIds[0])).not.toContain(fresh);
    expect(items[0]!.text).toMatch(/^Strong Ten: 10 days overdue: last touched 40 days ago/);
    // The same people the analysis' neglect ranking lists: one definition of overdue.
    // (whose score alone would put 300 days of a faint tie first).
    const neglect = neglectedTies(graphSnapshot(nb)).map((n) => n.personId);
    expect(neglect).toEqual([weak300, strong10, weak20]);
    // Due on the day the cadence ran out.
    expect(items[0]!.due).toBe('2025-12-22');
  });

  it('a new touch ends the period; when it lapses again it is a new item with a new key', () => {
    const { nb, c, me } = setup();
    const ana = contact(nb, c, me, 'Ana', { touchedAgo: 40 });
    const first = of(nb, 'overdue')[0]!;
    dismissTodayItem(nb, first.key);
    expect(of(nb, 'overdue')).toEqual([]);
    c.advance(5);
    expect(of(nb, 'overdue')).toEqual([]); // still the dismissed period
    logTouch(nb, { personIds: [ana] });
    c.advance(31);
    const again = of(nb, 'overdue');
    expect(again).toHaveLength(1);
    expect(again[0]!.key).not.toBe(first.key);
  });
});

describe('today: introductions', () => {
  it('lists an ask waiting longer than the set number of days, and a new ask as a new item', () => {
    const { nb, c } = setup();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Bo' });
    const intro = createIntro(nb, { a, b });
    advanceIntro(nb, intro, 'asked-a');
    c.advance(6);
    expect(of(nb, 'waiting')).toEqual([]);
    c.advance(2);
    const waiting = of(nb, 'waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ introId: intro, personIds: [a, b], due: '2026-01-08' });
    expect(waiting[0]!.text).toBe('Ana has not answered your ask about meeting Bo for 8 days.');
    setWaitingDays(nb, 10);
    expect(of(nb, 'waiting')).toEqual([]);
    setWaitingDays(nb, undefined);
    dismissTodayItem(nb, waiting[0]!.key);
    expect(of(nb, 'waiting')).toEqual([]);
    advanceIntro(nb, intro, 'asked-b');
    c.advance(8);
    const next = of(nb, 'waiting');
    expect(next).toHaveLength(1);
    expect(next[0]!.text).toMatch(/^Bo has not answered/);
  });

  it('lists a follow-up once its date comes', () => {
    const { nb, c } = setup();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Bo' });
    const intro = createIntro(nb, { a, b, followUpAt: '2026-01-05' });
    expect(of(nb, 'follow-up')).toEqual([]);
    c.advance(4);
    expect(of(nb, 'follow-up')).toMatchObject([{ introId: intro, due: '2026-01-05' }]);
  });

  it('lists a missing outcome a month after "introduced", and drops it when recorded', () => {
    const { nb, c } = setup();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Bo' });
    const intro = createIntro(nb, { a, b, state: 'introduced' });
    c.advance(29);
    expect(of(nb, 'outcome')).toEqual([]);
    c.advance(2);
    const items = of(nb, 'outcome');
    expect(items).toHaveLength(1);
    expect(items[0]!.text).toBe(
      'How did introducing Ana and Bo go? Introduced 31 days ago; no outcome recorded yet.',
    );
    recordIntroOutcome(nb, intro, 'great');
    expect(of(nb, 'outcome')).toEqual([]);
    // An introduction someone made to the owner is worded as theirs.
    const cy = addPerson(nb, { name: 'Cy' });
    createIntro(nb, { a: nb.ownerId!, b: a, by: cy, state: 'introduced' });
    c.advance(31);
    expect(of(nb, 'outcome').map((i) => i.text)).toEqual([
      "How did Cy's introduction of Me and Ana go? Introduced 31 days ago; no outcome recorded yet.",
    ]);
  });
});

describe('today: birthdays and meetings', () => {
  it('lists birthdays in the next seven days, across the new year', () => {
    const c = clock('2026-12-29T08:00:00.000Z');
    const nb = testNotebook({ clock: c });
    addPerson(nb, { name: 'Soon', birthday: '1990-01-03' });
    addPerson(nb, { name: 'NoYear', birthday: '--12-29' });
    addPerson(nb, { name: 'Later', birthday: '1990-01-20' });
    // Free text is refused on write since the strict clock; an older device may still hold it.
    nb.people.get(addPerson(nb, { name: 'Vague' }))!.set('birthday', 'early May');
    const items = of(nb, 'birthday');
    expect(items.map((i) => [i.text, i.due])).toEqual([
      ["NoYear's birthday is today.", '2026-12-29'],
      ["Soon's birthday is on 2027-01-03 (in 5 days): 37 years.", '2027-01-03'],
    ]);
  });

  it('reads birthdays in the shapes files carry, 29 February falling on the 28th', () => {
    expect(parseBirthday('19850512')).toEqual({ year: 1985, month: 5, day: 12 });
    expect(parseBirthday('--0512')).toEqual({ month: 5, day: 12 });
    expect(parseBirthday('02-30')).toBeUndefined();
    const c = clock('2027-02-25T08:00:00.000Z');
    const nb = testNotebook({ clock: c });
    addPerson(nb, { name: 'Leap', birthday: '2000-02-29' });
    expect(of(nb, 'birthday').map((i) => i.due)).toEqual(['2027-02-28']);
  });

  it('lists a meeting in the coming week with someone whose tie will be overdue by then', () => {
    const { nb, c, me } = setup();
    const cooling = contact(nb, c, me, 'Cooling', { touchedAgo: 27 });
    const warm = contact(nb, c, me, 'Warm', { touchedAgo: 2 });
    const far = contact(nb, c, me, 'Far', { touchedAgo: 27 });
    setNextMeetings(nb, [
      { person: cooling, at: '2026-01-06T10:00:00.000Z' },
      { person: warm, at: '2026-01-06T11:00:00.000Z' },
      { person: far, at: '2026-01-20T10:00:00.000Z' },
    ]);
    const items = today(nb).items;
    expect(kinds(items)).toEqual(['meeting']);
    expect(items[0]!.personIds).toEqual([cooling]);
    expect(items[0]!.text).toBe(
      'Meeting Cooling on 2026-01-06 10:00 UTC; the tie is cooling: by then 2 days past its 30-day cadence (last touched 2025-12-05).',
    );
    // Once the meeting has started it is no longer upcoming: the overdue tie is listed.
    c.set('2026-01-06T10:30:00.000Z');
    expect(today(nb).items.map((i) => [i.kind, i.personIds[0]])).toEqual([
      ['overdue', cooling],
      ['overdue', far],
    ]);
  });
});

describe('today: each item once', () => {
  it('lists a person once: a birthday stands in for their overdue tie, which returns when the birthday is dismissed', () => {
    const { nb, c, me } = setup();
    contact(nb, c, me, 'Ana', { touchedAgo: 40, birthday: '1980-01-03' });
    const items = today(nb).items;
    expect(kinds(items)).toEqual(['birthday']);
    expect(items[0]!.text).toMatch(/Also 10 days overdue/);
    dismissTodayItem(nb, items[0]!.key);
    expect(kinds(today(nb).items)).toEqual(['overdue']);
  });

  it('lists an introduction once: a due follow-up stands in for its missing outcome', () => {
    const { nb, c } = setup();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Bo' });
    createIntro(nb, { a, b, state: 'introduced', followUpAt: '2026-01-20' });
    c.advance(40);
    const items = today(nb).items;
    expect(kinds(items)).toEqual(['follow-up']);
    expect(items[0]!.text).toMatch(/record how it went/);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });
});

describe('today: snooze and dismiss', () => {
  it('hides a snoozed item until its snooze ends, then lists it again', () => {
    const { nb, c, me } = setup();
    contact(nb, c, me, 'Ana', { touchedAgo: 40 });
    const [item] = of(nb, 'overdue');
    const until = snoozeEnd(c.now(), 'week');
    expect(until).toBe('2026-01-08');
    snoozeTodayItem(nb, item!.key, until);
    expect(today(nb)).toMatchObject({ items: [], snoozed: 1 });
    c.set('2026-01-07T23:59:00.000Z');
    expect(of(nb, 'overdue')).toEqual([]);
    c.set('2026-01-08T00:00:00.000Z');
    expect(of(nb, 'overdue').map((i) => i.key)).toEqual([item!.key]);
    expect(snoozeEnd(new Date('2026-01-31T10:00:00Z'), 'month')).toBe('2026-02-28');
  });

  it('keeps a dismissal, and undo or restore brings the item back', () => {
    const { nb, c, me } = setup();
    contact(nb, c, me, 'Ana', { touchedAgo: 40 });
    const um = createUndoManager(nb);
    const [item] = of(nb, 'overdue');
    dismissTodayItem(nb, item!.key);
    c.advance(100);
    expect(today(nb)).toMatchObject({ items: [], dismissed: 1 });
    um.undo();
    expect(of(nb, 'overdue')).toHaveLength(1);
    um.redo();
    expect(of(nb, 'overdue')).toEqual([]);
    restoreTodayItem(nb, item!.key);
    expect(of(nb, 'overdue')).toHaveLength(1);
  });

  it('refuses a malformed key or a snooze that has already ended, changing nothing', () => {
    const { nb, c, me } = setup();
    contact(nb, c, me, 'Ana', { touchedAgo: 40 });
    const [item] = of(nb, 'overdue');
    expect(() => snoozeTodayItem(nb, 'nonsense', '2026-02-01')).toThrow(/not a Today item key/);
    expect(() => snoozeTodayItem(nb, item!.key, '2025-12-01')).toThrow(/already passed/);
    expect(() => snoozeTodayItem(nb, item!.key, 'next week')).toThrow(VitrineError);
    expect(() => dismissTodayItem(nb, 'overdue|x')).toThrow(/not a Today item key/);
    expect(nb.reminders.size).toBe(0);
    expect(parseTodayKey(item!.key)).toMatchObject({ kind: 'overdue' });
  });

  it('agrees on every device: a snooze on one and a dismissal on another converge', () => {
    const { nb, c, me } = setup();
    contact(nb, c, me, 'Ana', { touchedAgo: 40 });
    contact(nb, c, me, 'Bo', { touchedAgo: 50 });
    const other = testNotebook({ clock: c, doc: new Y.Doc(), owner: false });
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(nb.doc));
    const [ana, bo] = of(nb, 'overdue').sort((x, y) => (x.text < y.text ? -1 : 1));
    snoozeTodayItem(nb, ana!.key, '2026-03-01');
    dismissTodayItem(other, ana!.key);
    dismissTodayItem(other, bo!.key);
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(nb.doc));
    Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(other.doc));
    expect(today(nb)).toEqual(today(other));
    expect(today(nb).items).toEqual([]);
  });
});

describe('suggested cadences', () => {
  it('suggests from tie strength, and from the rhythm of touches bounded by it', () => {
    const { nb, c, me } = setup();
    const strong = addPerson(nb, { name: 'Strong' });
    linkPeople(nb, me, strong, { strength: 5 });
    const regular = addPerson(nb, { name: 'Regular' });
    linkPeople(nb, me, regular, { strength: 4 });
    for (const ago of [3, 24, 45, 66]) {
      logTouch(nb, {
        personIds: [regular],
        at: new Date(c.now().getTime() - ago * 86_400_000).toISOString(),
      });
    }
    // The rhythm leads within the tie's bounds: every 21 days on a middling tie (60 by
    // strength) gives 30; every 200 days on a very strong one (14) is held to 28 → 30.
    const touched = (id: string, agos: number[]) => {
      for (const ago of agos) {
        logTouch(nb, {
          personIds: [id],
          at: new Date(c.now().getTime() - ago * 86_400_000).toISOString(),
        });
      }
    };
    const chatty = addPerson(nb, { name: 'Chatty' });
    linkPeople(nb, me, chatty, { strength: 3 });
    touched(chatty, [1, 22, 43]);
    const rare = addPerson(nb, { name: 'Rare' });
    linkPeople(nb, me, rare, { strength: 5 });
    touched(rare, [10, 210, 410]);
    expect(suggestCadence(nb, chatty)).toMatchObject({ days: 30 });
    expect(suggestCadence(nb, rare)).toMatchObject({ days: 30 });
    const set = addPerson(nb, { name: 'Set', cadenceDays: 90 });
    expect(suggestCadence(nb, strong)).toMatchObject({ days: 14 });
    expect(suggestCadence(nb, regular)).toEqual({
      personId: regular,
      days: 30,
      reason: 'a strong tie (4 of 5); you touch about every 21 days',
    });
    expect(suggestCadence(nb, set)).toBeUndefined();
    expect(suggestCadence(nb, me)).toBeUndefined();
    expect([...cadenceSuggestions(nb).keys()].sort()).toEqual(
      [regular, strong, chatty, rare].sort(),
    );
  });

  it('accepts suggestions for a set of people or a tag in one step, and Today then uses them', () => {
    const { nb, c, me } = setup();
    const a = addPerson(nb, { name: 'Ana', tags: ['board'] });
    const b = addPerson(nb, { name: 'Bo', tags: ['board'] });
    const own = addPerson(nb, { name: 'Own', tags: ['board'], cadenceDays: 365 });
    for (const id of [a, b, own]) linkPeople(nb, me, id, { strength: 5 });
    const um = createUndoManager(nb);
    expect(acceptSuggestedCadencesForTag(nb, 'board')).toBe(2);
    expect(um.undoStack).toHaveLength(1);
    expect(today(nb).items).toEqual([]);
    c.advance(20);
    expect(
      of(nb, 'overdue')
        .map((i) => i.personIds[0])
        .sort(),
    ).toEqual([a, b].sort());
    expect(() => acceptSuggestedCadencesForTag(nb, 'nobody')).toThrow(/No one .* "nobody"/);
    expect(acceptSuggestedCadences(nb, [a, own])).toBe(0);
    updatePerson(nb, a, { cadenceDays: null });
    expect(acceptSuggestedCadences(nb, [a])).toBe(1);
  });
});
