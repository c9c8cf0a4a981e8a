/**
 * The light touch log (issue 15 point 3, docs/decisions/0012): imported touches stored in
 * compact chunks read, edit, remove, undo and converge exactly like touch maps, and a
 * notebook in the earlier layout (one map per touch) opens and merges unchanged — also
 * when a device still on that layout keeps writing it.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_ROWS,
  addPerson,
  applyActivity,
  createUndoManager,
  deletePerson,
  diagnostics,
  editTouch,
  getTouch,
  importTouches,
  listTouches,
  logTouch,
  mergePeople,
  purgePerson,
  rawList,
  removeTouch,
  touchIdForSource,
  touchesOf,
  updateTouch,
  type ImportedTouch,
  type Notebook,
  type Touch,
} from '../../src/model/index.ts';
import { exportJson } from '../../src/io/json.ts';
import { openNotebookFile, saveNotebookFile } from '../../src/io/vitrine-file.ts';
import { readEverything } from '../helpers/hostile.ts';
import { testNotebook } from '../helpers/notebook.ts';

const touch = (
  personIds: string[],
  source: string,
  at = '2025-11-03',
  extra: Partial<ImportedTouch> = {},
): ImportedTouch => ({ personIds, at, channel: 'meeting', source, ...extra });

/**
 * What the previous version's `applyActivity` wrote for each new touch (one lean map, a
 * random id): an "old-layout peer" in these tests.
 */
function oldImport(nb: Notebook, touches: readonly ImportedTouch[]): string[] {
  const ids: string[] = [];
  nb.write(() => {
    for (const t of touches) {
      const map = new Y.Map<unknown>();
      const id = nb.newId();
      nb.touches.set(id, map);
      map.set('personIds', [...(t.personIds as string[])]);
      map.set('at', t.at);
      map.set('channel', t.channel);
      map.set('source', t.source);
      if (t.attendees !== undefined && t.attendees > t.personIds.length)
        map.set('attendees', t.attendees);
      if (t.note) map.set('note', t.note);
      ids.push(id);
    }
  });
  return ids;
}

const sync = (...nbs: Notebook[]) => {
  for (const x of nbs)
    for (const y of nbs) if (x !== y) Y.applyUpdate(x.doc, Y.encodeStateAsUpdate(y.doc), 'peer');
};

const sources = (nb: Notebook) => listTouches(nb).map((t) => t.source ?? `hand:${t.id}`);
const withoutId = ({ id: _id, ...rest }: Touch) => rest;

function pair(): [Notebook, Notebook, string, string] {
  const a = testNotebook({ prefix: 'a' });
  const ana = addPerson(a, { name: 'Ana' });
  const ben = addPerson(a, { name: 'Ben' });
  const b = testNotebook({ doc: new Y.Doc(), prefix: 'b', owner: false });
  sync(a, b);
  return [a, b, ana, ben];
}

describe('the light touch log', () => {
  it('stores an import as chunks of columns, not one map per touch, with ids from the source keys', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    const n = CHUNK_ROWS + 10;
    const batch = Array.from({ length: n }, (_, i) => touch([a], `mail:${i}`, '2025-10-01'));
    expect(importTouches(nb, batch)).toBe(n);
    expect(nb.touches.size).toBe(0);
    expect(nb.touchLog.size).toBe(2);
    expect(listTouches(nb)).toHaveLength(n);
    expect(getTouch(nb, touchIdForSource('mail:7'))?.source).toBe('mail:7');
    // A touch logged by hand is still a map of its own, field by field.
    const hand = logTouch(nb, { personIds: [a], at: '2026-01-02', channel: 'call' });
    expect(nb.touches.get(hand)).toBeInstanceOf(Y.Map);
    // Ids look like every other id: 16 base-62 characters, distinct per source.
    const ids = new Set(listTouches(nb).map((t) => t.id));
    expect(ids.size).toBe(n + 1);
    expect(touchIdForSource('ics:x')).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(touchIdForSource('ics:x')).not.toBe(touchIdForSource('ics:y'));
  });

  it.each(['old', 'new'] as const)(
    'reads, edits, removes and undoes an imported touch alike in the %s layout',
    (layout) => {
      const nb = testNotebook();
      const um = createUndoManager(nb);
      const a = addPerson(nb, { name: 'Ana' });
      const b = addPerson(nb, { name: 'Ben' });
      const batch = [
        touch([a, b], 'ics:1', '2025-11-03T09:00:00Z', { attendees: 4, note: 'Standup' }),
        touch([a], 'ics:2', '2025-11-04'),
      ];
      if (layout === 'old') oldImport(nb, batch);
      else importTouches(nb, batch);
      um.clear();
      const [t1, t2] = [...listTouches(nb)].sort((x, y) => (x.at < y.at ? -1 : 1));
      expect(withoutId(t1!)).toEqual({
        personIds: [a, b],
        at: '2025-11-03T09:00:00Z',
        channel: 'meeting',
        note: 'Standup',
        source: 'ics:1',
        attendees: 4,
      });
      expect(touchesOf(nb, b).map((t) => t.id)).toEqual([t1!.id]);
      // Edit by the timeline's form, then by the generic command.
      updateTouch(nb, t1!.id, { at: '2025-11-05', note: '', channel: 'call' });
      expect(withoutId(getTouch(nb, t1!.id)!)).toEqual({
        personIds: [a, b],
        at: '2025-11-05',
        channel: 'call',
        source: 'ics:1',
        attendees: 4,
      });
      editTouch(nb, t1!.id, { personIds: [b] });
      expect(touchesOf(nb, a).map((t) => t.id)).toEqual([t2!.id]);
      um.undo();
      expect(getTouch(nb, t1!.id)?.personIds).toEqual([a, b]);
      um.undo();
      expect(getTouch(nb, t1!.id)?.note).toBe('Standup');
      expect(() => updateTouch(nb, t1!.id, { at: '' })).toThrow(/needs a date/);
      // Removed: hidden, a tombstone raw, and a re-import does not bring it back.
      removeTouch(nb, t2!.id);
      expect(getTouch(nb, t2!.id)).toBeUndefined();
      expect(rawList(nb, 'touches').find((t) => t.id === t2!.id)?.removedAt).toBeDefined();
      expect(() => updateTouch(nb, t2!.id, { note: 'x' })).toThrow(/was removed/);
      expect(importTouches(nb, [touch([a], 'ics:2')])).toBe(0);
      expect(sources(nb)).toEqual(['ics:1']);
      um.undo();
      expect(sources(nb).sort()).toEqual(['ics:1', 'ics:2']);
      // Deleting a person hides them from the touch; merging moves it to the survivor.
      deletePerson(nb, b);
      expect(getTouch(nb, t1!.id)?.personIds).toEqual([a]);
      const c = addPerson(nb, { name: 'Chloe' });
      mergePeople(nb, c, a);
      expect(getTouch(nb, t1!.id)?.personIds).toEqual([c]);
      expect(touchesOf(nb, c)).toHaveLength(2);
    },
  );

  it('exports the same Vitrine JSON records from both layouts (the format is unchanged)', () => {
    const records = (layout: 'old' | 'new') => {
      const nb = testNotebook();
      const a = addPerson(nb, { name: 'Ana' });
      const batch = [
        touch([a], 'ics:1', '2025-11-03', { attendees: 3 }),
        touch([a], 'li-msg:c|2025-11-04', '2025-11-04', { channel: 'message', note: 'Hi' }),
      ];
      if (layout === 'old') oldImport(nb, batch);
      else importTouches(nb, batch);
      removeTouch(nb, listTouches(nb).find((t) => t.source === 'ics:1')!.id);
      return exportJson(nb)
        .touches.map(({ id: _id, ...rest }) => rest)
        .sort((x, y) => String(x.source).localeCompare(String(y.source)));
    };
    const now = records('new');
    expect(now).toEqual(records('old'));
    expect(now[0]).toMatchObject({ source: 'ics:1', attendees: 3 });
    expect(now[0]!.removedAt).toBeDefined();
  });

  it('two devices editing different fields of the same imported touch for the first time keep both', () => {
    const [a, b, ana] = pair();
    importTouches(a, [touch([ana], 'ics:m', '2025-11-03', { note: 'Kickoff' })]);
    sync(a, b);
    const id = touchIdForSource('ics:m');
    updateTouch(a, id, { note: 'Kickoff, moved' });
    updateTouch(b, id, { channel: 'call' });
    sync(a, b);
    for (const nb of [a, b]) {
      expect(getTouch(nb, id)).toMatchObject({ note: 'Kickoff, moved', channel: 'call' });
    }
  });

  it('two devices importing the same mailbox at once end with one copy of each touch', () => {
    const [a, b, ana, ben] = pair();
    const mailbox = Array.from({ length: 30 }, (_, i) =>
      touch(
        [i % 2 ? ana : ben],
        `mail:<m${i}@x>`,
        `2025-10-${String(1 + (i % 28)).padStart(2, '0')}`,
      ),
    );
    expect(applyActivity(a, { touches: mailbox.slice(0, 20) }).touches).toBe(20);
    expect(applyActivity(b, { touches: mailbox.slice(10) }).touches).toBe(20);
    sync(a, b);
    for (const nb of [a, b]) {
      expect(listTouches(nb)).toHaveLength(30);
      expect(new Set(sources(nb)).size).toBe(30);
    }
    expect(listTouches(a)).toEqual(listTouches(b));
    // Re-importing the whole mailbox on either adds nothing.
    expect(applyActivity(b, { touches: mailbox }).touches).toBe(0);
    // An edit on one device applies to the touch both imported.
    updateTouch(a, touchIdForSource('mail:<m15@x>'), { note: 'Re: offer' });
    sync(a, b);
    expect(getTouch(b, touchIdForSource('mail:<m15@x>'))?.note).toBe('Re: offer');
  });

  it('a touch removed on one device stays removed while another re-imports it', () => {
    const [a, b, ana] = pair();
    // c is a device still on the old layout, with the people but none of these imports.
    const c = testNotebook({ doc: new Y.Doc(), prefix: 'c', owner: false });
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(a.doc));
    importTouches(a, [touch([ana], 'mail:<1@x>'), touch([ana], 'mail:<2@x>')]);
    // b imports the same mailbox before it hears of a's import or removal.
    removeTouch(a, touchIdForSource('mail:<1@x>'));
    expect(importTouches(b, [touch([ana], 'mail:<1@x>'), touch([ana], 'mail:<2@x>')])).toBe(2);
    sync(a, b);
    for (const nb of [a, b]) expect(sources(nb)).toEqual(['mail:<2@x>']);
    // …and c imports it too, one map per touch with a random id.
    oldImport(c, [touch([ana], 'mail:<1@x>')]);
    sync(a, b, c);
    for (const nb of [a, b, c]) expect(sources(nb)).toEqual(['mail:<2@x>']);
  });

  it('undo of an import removes exactly that import, not the same touches another device imported', () => {
    const [a, b, ana, ben] = pair();
    const ua = createUndoManager(a);
    importTouches(a, [touch([ana], 'ics:early')]);
    importTouches(a, [touch([ana], 'ics:x'), touch([ben], 'ics:y')]);
    importTouches(b, [touch([ben], 'ics:y'), touch([ben], 'ics:z')]);
    sync(a, b);
    expect(sources(a).sort()).toEqual(['ics:early', 'ics:x', 'ics:y', 'ics:z']);
    ua.undo();
    sync(a, b);
    // ics:x was only in the undone import; ics:y stays, b imported it too.
    for (const nb of [a, b]) expect(sources(nb).sort()).toEqual(['ics:early', 'ics:y', 'ics:z']);
    ua.redo();
    sync(a, b);
    for (const nb of [a, b]) expect(sources(nb)).toHaveLength(4);
  });

  it('purging a person takes them off imported touches and drops the touches left with nobody', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    const b = addPerson(nb, { name: 'Ben' });
    importTouches(nb, [touch([a, b], 'ics:both'), touch([b], 'ics:ben')]);
    deletePerson(nb, b);
    purgePerson(nb, b);
    expect(rawList(nb, 'touches').map((t) => [t.source, t.personIds])).toEqual([['ics:both', [a]]]);
    expect(JSON.stringify(exportJson(nb))).not.toContain(b);
    // The dropped one's source stays seen: a re-import does not add an orphan.
    expect(importTouches(nb, [touch([a], 'ics:ben')])).toBe(0);
  });

  it('reads junk a peer put in the log as diagnostics, never a throw', () => {
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    importTouches(nb, [touch([a], 'ics:good')]);
    const good = touchIdForSource('ics:good');
    nb.doc.transact(() => {
      nb.touchLog.set('junk.0', '{not json');
      nb.touchLog.set('junk.1', 42 as unknown as string);
      nb.touchLog.set('junk.2', JSON.stringify({ v: 99, id: ['x'] }));
      nb.touchLog.set(
        'junk.3',
        JSON.stringify({
          v: 1,
          id: ['r1', 5, 'r3'],
          at: ['2025-02-30', 'x', '2025-01-01'],
          p: [[a], [a], 'x'],
          src: ['s1'],
          ch: [],
        }),
      );
      nb.touchEdits.set(`${good}:at`, 'yesterday');
      nb.touchEdits.set(`${good}:personIds`, new Y.Map());
      nb.touchEdits.set('nocolon', 1);
      nb.touchEdits.set(`${good}:__proto__`, { polluted: true });
    }, 'peer');
    expect(() => readEverything(nb)).not.toThrow();
    const problems = diagnostics(nb).map((d) => `${d.id} ${d.problem}`);
    expect(problems.some((p) => p.startsWith('junk.0 skipped'))).toBe(true);
    expect(problems.some((p) => p.startsWith('junk.2 skipped') && p.includes('version 99'))).toBe(
      true,
    );
    expect(problems.some((p) => p.startsWith('r1 skipped'))).toBe(true);
    // The good touch keeps its stored date; the bad edit is listed, not applied.
    expect(getTouch(nb, good)).toBeUndefined(); // personIds edited to junk: required field
    expect(problems.some((p) => p.startsWith(`${good} skipped`))).toBe(true);
    expect(listTouches(nb).map((t) => t.id)).not.toContain('r1');
  });
});

describe('notebooks in the earlier layout (one map per touch)', () => {
  /** A notebook as the previous version wrote it: hand touches and imported ones, one map each. */
  function oldNotebook(): { nb: Notebook; ana: string; ben: string; hand: string } {
    const nb = testNotebook({ prefix: 'o' });
    const ana = addPerson(nb, { name: 'Ana' });
    const ben = addPerson(nb, { name: 'Ben' });
    const hand = logTouch(nb, {
      personIds: [ana],
      at: '2025-09-01',
      channel: 'coffee',
      note: 'By hand',
    });
    const [first] = oldImport(nb, [
      touch([ana, ben], 'ics:old-1', '2025-09-02T10:00:00Z', { attendees: 5 }),
      touch([ben], 'ics:old-2', '2025-09-03'),
    ]);
    nb.write(() => nb.touches.get(first!)!.set('removedAt', '2025-09-10T00:00:00.000Z'));
    return { nb, ana, ben, hand };
  }

  it('opens and merges unchanged: reading writes nothing, a backup round-trips', () => {
    const { nb, hand } = oldNotebook();
    const before = Y.encodeStateVector(nb.doc);
    const opened = openNotebookFile(saveNotebookFile(nb), 'old.vitrine');
    expect(sources(opened).sort()).toEqual([`hand:${hand}`, 'ics:old-2']);
    expect(exportJson(opened)).toEqual(exportJson(nb));
    expect(Y.encodeStateVector(opened.doc)).toEqual(before);
    expect(opened.touchLog.size).toBe(0);
  });

  it('after the upgrade, edits from a device still on the old layout read right beside the new one', () => {
    const { nb: oldDevice, ana, ben, hand } = oldNotebook();
    // This device upgrades: it opens the same notebook and imports the same calendar again,
    // plus meetings the old device never saw, into the light log.
    const upgraded = testNotebook({ doc: new Y.Doc(), prefix: 'n', owner: false });
    Y.applyUpdate(upgraded.doc, Y.encodeStateAsUpdate(oldDevice.doc));
    upgraded.migrate();
    const r = importTouches(upgraded, [
      touch([ana, ben], 'ics:old-1', '2025-09-02T10:00:00Z'),
      touch([ben], 'ics:old-2', '2025-09-03'),
      touch([ana], 'ics:new-1', '2025-10-01'),
      touch([ben], 'ics:new-2', '2025-10-02'),
    ]);
    expect(r).toBe(2); // old-1 removed and old-2 there: both known
    // Meanwhile the old device, not yet synced, keeps writing its layout: it removes
    // old-2, edits the hand touch and imports new-2 itself (a map with a random id).
    const old2 = oldDevice.touches.get(
      [...oldDevice.touches.entries()].find(([, m]) => m.get('source') === 'ics:old-2')![0],
    )!;
    oldDevice.write(() => old2.set('removedAt', '2025-10-05T00:00:00.000Z'));
    oldDevice.write(() => oldDevice.touches.get(hand)!.set('note', 'By hand, edited'));
    oldImport(oldDevice, [touch([ben], 'ics:new-2', '2025-10-02'), touch([ana], 'ics:old-only')]);
    // Now the upgraded device edits a touch of the log.
    updateTouch(upgraded, touchIdForSource('ics:new-1'), { note: 'Lunch' });
    sync(upgraded, oldDevice);
    const expected = [`hand:${hand}`, 'ics:new-1', 'ics:new-2', 'ics:old-only'];
    expect(sources(upgraded).sort()).toEqual(expected);
    expect(getTouch(upgraded, hand)?.note).toBe('By hand, edited');
    expect(getTouch(upgraded, touchIdForSource('ics:new-1'))?.note).toBe('Lunch');
    // The old device reads its own layout as it always did (it ignores the log).
    expect(oldDevice.touches.size).toBe(5);
    // Both devices' documents are identical after the sync, and both read the same.
    expect(Y.encodeStateAsUpdate(upgraded.doc).length).toBe(
      Y.encodeStateAsUpdate(oldDevice.doc).length,
    );
    expect(listTouches(oldDevice)).toEqual(listTouches(upgraded));
    // ics:new-2 is there twice as data (a map and a log row): listed once, everywhere.
    expect(listTouches(upgraded).filter((t) => t.source === 'ics:new-2')).toHaveLength(1);
  });
});
