import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ReadOnlyError,
  SCHEMA_VERSION,
  VitrineError,
  Notebook,
  addPerson,
  createUndoManager,
  deletePerson,
  diagnostics,
  dueInfo,
  emptyTrash,
  getOwner,
  getPerson,
  lastTouched,
  linkPeople,
  listPeople,
  listTies,
  listTouches,
  listTrash,
  logTouch,
  purgePerson,
  restorePerson,
  setNotes,
  setTagCadence,
  setUnderGlass,
  setVetting,
  updatePerson,
} from '../../src/model/index.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

describe('people', () => {
  it('a fresh notebook has its owner', () => {
    const nb = testNotebook({ owner: 'Ana Owner' });
    expect(getOwner(nb)?.name).toBe('Ana Owner');
    expect(nb.storedSchemaVersion).toBe(SCHEMA_VERSION);
    expect(listPeople(nb)).toHaveLength(1);
  });

  it('adds a person with every field and reads it back as a plain object', () => {
    const nb = testNotebook();
    const id = addPerson(nb, {
      name: '  Zoë Ångström ',
      org: 'Ørsted',
      role: 'CTO',
      emails: ['zoe@example.org', 'zoe@example.org', ' '],
      phones: ['+45 1234 5678'],
      links: ['https://www.linkedin.com/in/zoe'],
      tags: ['energy', 'board'],
      location: 'Copenhagen',
      birthday: '1980-04-02',
      howWeMet: 'Climate summit 2019',
      notes: 'Direct, generous with time.',
      underGlass: true,
      cadenceDays: 30,
      vetting: { intention: { status: 'first-hand', note: 'wants to help founders' } },
    });
    const p = getPerson(nb, id)!;
    expect(p.name).toBe('Zoë Ångström');
    expect(p.emails).toEqual(['zoe@example.org']);
    expect(p.tags).toEqual(['energy', 'board']);
    expect(p.notes).toBe('Direct, generous with time.');
    expect(p.underGlass).toBe(true);
    expect(p.cadenceDays).toBe(30);
    expect(p.vetting.intention).toEqual({ status: 'first-hand', note: 'wants to help founders' });
    expect(p.vetting.character).toEqual({ status: 'unknown' });
    expect(Object.isFrozen(listPeople(nb))).toBe(true);
  });

  it('refuses a person without a name, and bad field values, with sentences', () => {
    const nb = testNotebook();
    expect(() => addPerson(nb, { name: '   ' })).toThrow(/needs a name/);
    expect(() => addPerson(nb, { name: 'X', cadenceDays: -3 })).toThrow(/from 1 to 3650/);
    expect(() =>
      addPerson(nb, { name: 'X', vetting: { intention: { status: 'maybe' as never } } }),
    ).toThrow(/Vetting status/);
    expect(listPeople(nb)).toHaveLength(1);
  });

  it('updates only the fields given', () => {
    const nb = testNotebook();
    const id = addPerson(nb, { name: 'Bo', org: 'Acme', role: 'Dev' });
    updatePerson(nb, id, { role: 'Lead', org: '' });
    const p = getPerson(nb, id)!;
    expect(p.role).toBe('Lead');
    expect(p.org).toBeUndefined();
    expect(p.name).toBe('Bo');
  });

  it('notes are a Y.Text so concurrent edits in different places both survive', () => {
    const a = testNotebook({ prefix: 'a' });
    const id = addPerson(a, { name: 'Cy', notes: 'Likes tea. Works late.' });
    const b = new Notebook(new Y.Doc());
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    setNotes(a, id, 'Likes green tea. Works late.');
    setNotes(b, id, 'Likes tea. Works late. Has two kids.');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    expect(getPerson(a, id)!.notes).toBe('Likes green tea. Works late. Has two kids.');
    expect(getPerson(b, id)!.notes).toBe(getPerson(a, id)!.notes);
  });

  it('notes edits merge word by word: an undo on one device never leaves letter salad', () => {
    const a = testNotebook({ prefix: 'a' });
    const id = addPerson(a, { name: 'Cy', notes: 'tea' });
    const um = createUndoManager(a);
    const b = new Notebook(new Y.Doc());
    setNotes(a, id, 'tan tea');
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    setNotes(b, id, 'tan big tea');
    um.undo();
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    // A letter-level diff would store "an t" after "t", and B's word would land inside it:
    // undoing A's edit would leave "tbig ea".
    expect(getPerson(a, id)!.notes).toBe('big tea');
    expect(getPerson(b, id)!.notes).toBe('big tea');
  });

  it('concurrent edits of different fields of one person both survive', () => {
    const a = testNotebook({ prefix: 'a' });
    const id = addPerson(a, { name: 'Di' });
    const b = new Notebook(new Y.Doc());
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    updatePerson(a, id, { org: 'Globex' });
    updatePerson(b, id, { role: 'Buyer' });
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc));
    expect(getPerson(a, id)).toMatchObject({ org: 'Globex', role: 'Buyer' });
  });

  it('vetting records who vouched, and the voucher must exist', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    setVetting(nb, bo, 'character', { status: 'heard', vouchedBy: ana, note: 'kind' });
    expect(getPerson(nb, bo)!.vetting.character).toEqual({
      status: 'heard',
      vouchedBy: ana,
      note: 'kind',
    });
    expect(() => setVetting(nb, bo, 'intention', { status: 'heard', vouchedBy: 'ghost' })).toThrow(
      /not in this notebook/,
    );
    setUnderGlass(nb, bo, true);
    expect(getPerson(nb, bo)!.underGlass).toBe(true);
  });

  it('soft delete hides the person and their ties and touches; restore brings all back', () => {
    const nb = testNotebook();
    const me = nb.ownerId!;
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    linkPeople(nb, ana, bo, { kind: 'colleague' });
    linkPeople(nb, me, ana);
    logTouch(nb, { personIds: [ana], at: '2026-01-01', channel: 'coffee' });
    deletePerson(nb, ana);
    expect(getPerson(nb, ana)).toBeUndefined();
    expect(listTies(nb)).toHaveLength(0);
    expect(listTouches(nb)).toHaveLength(0);
    expect(listTrash(nb).map((p) => p.name)).toEqual(['Ana']);
    restorePerson(nb, ana);
    expect(getPerson(nb, ana)?.name).toBe('Ana');
    expect(listTies(nb)).toHaveLength(2);
    expect(listTouches(nb)).toHaveLength(1);
    expect(listTrash(nb)).toHaveLength(0);
  });

  it('the owner cannot be trashed', () => {
    const nb = testNotebook();
    expect(() => deletePerson(nb, nb.ownerId!)).toThrow(/cannot move yourself/);
  });

  it('purge removes the person, their ties and intros, and them from group touches', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    linkPeople(nb, ana, bo);
    logTouch(nb, { personIds: [ana, bo], at: '2026-01-02', channel: 'event' });
    logTouch(nb, { personIds: [ana], at: '2026-01-03', channel: 'call' });
    expect(() => purgePerson(nb, ana)).toThrow(/not in the trash/);
    deletePerson(nb, ana);
    purgePerson(nb, ana);
    expect(nb.people.has(ana)).toBe(false);
    expect(nb.ties.size).toBe(0);
    expect(nb.touches.size).toBe(1);
    expect(listTouches(nb)[0]!.personIds).toEqual([bo]);
  });

  it('empty trash purges everyone in it', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'A' });
    const b = addPerson(nb, { name: 'B' });
    deletePerson(nb, a);
    deletePerson(nb, b);
    expect(emptyTrash(nb)).toBe(2);
    expect(nb.people.size).toBe(1);
  });

  it('cadence comes from the person or their tightest tag; last touched is derived', () => {
    const c = clock('2026-03-01T10:00:00.000Z');
    const nb = testNotebook({ clock: c });
    const ana = addPerson(nb, { name: 'Ana', tags: ['client', 'friend'] });
    setTagCadence(nb, 'client', 30);
    setTagCadence(nb, 'friend', 90);
    logTouch(nb, { personIds: [ana], at: '2026-01-01', channel: 'coffee' });
    logTouch(nb, { personIds: [ana], at: '2026-02-01', channel: 'call' });
    logTouch(nb, { personIds: [ana], at: '2025-12-01', channel: 'email' });
    expect(lastTouched(nb, ana)).toBe('2026-02-01');
    const due = dueInfo(nb, ana);
    expect(due.cadenceDays).toBe(30);
    expect(due.dueAt).toBe('2026-03-03');
    expect(due.daysOverdue).toBe(-2);
    c.advance(10);
    expect(dueInfo(nb, ana).daysOverdue).toBe(8);
    updatePerson(nb, ana, { cadenceDays: 7 });
    expect(dueInfo(nb, ana).cadenceDays).toBe(7);
    setTagCadence(nb, 'client', undefined);
    updatePerson(nb, ana, { cadenceDays: null });
    expect(dueInfo(nb, ana).cadenceDays).toBe(90);
  });
});

describe('undo and redo', () => {
  it('undoes and redoes one command at a time', () => {
    const nb = testNotebook();
    const um = createUndoManager(nb);
    const ana = addPerson(nb, { name: 'Ana' });
    updatePerson(nb, ana, { org: 'Acme' });
    um.undo();
    expect(getPerson(nb, ana)!.org).toBeUndefined();
    um.undo();
    expect(getPerson(nb, ana)).toBeUndefined();
    um.redo();
    um.redo();
    expect(getPerson(nb, ana)!.org).toBe('Acme');
  });

  it('undo of a delete brings the person back with their ties', () => {
    const nb = testNotebook();
    const um = createUndoManager(nb);
    const ana = addPerson(nb, { name: 'Ana' });
    linkPeople(nb, nb.ownerId!, ana, { kind: 'friend', strength: 5 });
    deletePerson(nb, ana);
    expect(listTies(nb)).toHaveLength(0);
    um.undo();
    expect(getPerson(nb, ana)?.name).toBe('Ana');
    expect(listTies(nb)).toHaveLength(1);
  });

  it('never undoes a change that came from another device', () => {
    const a = testNotebook({ prefix: 'a' });
    const b = new Notebook(new Y.Doc(), {
      newId: (() => {
        let n = 0;
        return () => `b${++n}`;
      })(),
    });
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc), 'peer');
    const um = createUndoManager(a);
    const mine = addPerson(a, { name: 'Mine' });
    const theirs = addPerson(b, { name: 'Theirs' });
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc), 'peer');
    um.undo();
    expect(getPerson(a, mine)).toBeUndefined();
    expect(getPerson(a, theirs)?.name).toBe('Theirs');
    expect(um.undoStack).toHaveLength(0);
  });
});

describe('tolerance of malformed data', () => {
  it('skips wrong-typed entities, lists them, and never crashes a reader', () => {
    const nb = testNotebook();
    const ok = addPerson(nb, { name: 'Fine' });
    // A peer or a file sends garbage through raw Yjs.
    nb.doc.transact(() => {
      nb.people.set('bad1', 'not a map' as never);
      const noName = new Y.Map<unknown>();
      nb.people.set('bad2', noName);
      noName.set('org', 'Nameless Inc');
      const wrongType = new Y.Map<unknown>();
      nb.people.set('bad3', wrongType);
      wrongType.set('name', 42);
      const partly = new Y.Map<unknown>();
      nb.people.set('half', partly);
      partly.set('name', 'Half Right');
      partly.set('emails', 'not-a-list');
      partly.set('v:character', { status: 'bogus' });
      const tie = new Y.Map<unknown>();
      nb.ties.set('t-bad', tie);
      tie.set('from', ok);
      const touch = new Y.Map<unknown>();
      nb.touches.set('x-bad', touch);
      touch.set('personIds', [ok]);
      touch.set('at', 'yesterday');
    }, 'peer');
    const names = listPeople(nb)
      .map((p) => p.name)
      .sort();
    expect(names).toEqual(['Fine', 'Half Right', 'Me']);
    expect(getPerson(nb, 'half')!.emails).toEqual([]);
    expect(getPerson(nb, 'half')!.vetting.character.status).toBe('unknown');
    expect(listTies(nb)).toHaveLength(0);
    expect(listTouches(nb)).toHaveLength(0);
    const d = diagnostics(nb);
    expect(d.map((x) => x.id).sort()).toEqual(['bad1', 'bad2', 'bad3', 'half', 't-bad', 'x-bad']);
    expect(d.find((x) => x.id === 'half')!.problem).toMatch(/^repaired: .*emails/);
    expect(d.find((x) => x.id === 'bad2')!.problem).toMatch(/^skipped: .*"name" is missing/);
  });

  it('a tie whose person is missing is invisible, not repaired', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    nb.doc.transact(() => {
      const tie = new Y.Map<unknown>();
      nb.ties.set('dangling', tie);
      tie.set('from', ana);
      tie.set('to', 'nobody');
    }, 'peer');
    expect(listTies(nb)).toHaveLength(0);
    expect(nb.ties.has('dangling')).toBe(true);
  });

  it('a notebook from a newer version opens read-only with a message', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    doc.getMap('people').set('p', new Y.Map());
    const nb = new Notebook(doc);
    nb.migrate();
    expect(nb.readOnlyReason).toMatch(/newer Vitrine/);
    expect(() => addPerson(nb, { name: 'X' })).toThrow(ReadOnlyError);
    expect(() => addPerson(nb, { name: 'X' })).toThrow(VitrineError);
    expect(nb.storedSchemaVersion).toBe(SCHEMA_VERSION + 1);
  });

  it('an older notebook is migrated once, and a migration is never undone', () => {
    const doc = new Y.Doc();
    const nb = new Notebook(doc);
    const um = createUndoManager(nb);
    nb.migrate();
    expect(nb.storedSchemaVersion).toBe(SCHEMA_VERSION);
    um.undo();
    expect(nb.storedSchemaVersion).toBe(SCHEMA_VERSION);
  });
});
