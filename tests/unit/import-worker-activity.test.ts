/**
 * The import worker plans activity files too: a calendar sent with the notebook's plain
 * snapshot comes back as an activity plan (touches, matched people, inferred ties, the
 * suggested owner address), and a contacts file sent the same way is still planned as
 * contacts. Applying the plan the dialog's way is one undo step.
 */
import { describe, expect, it } from 'vitest';
import {
  Notebook,
  addPerson,
  createUndoManager,
  keepEventTitles,
  listPeople,
  listTies,
  listTouches,
  setKeepEventTitles,
} from '../../src/model/index.ts';
import { activityImportSnapshot, applyActivityImport } from '../../src/io/activity-import.ts';
import {
  handleImportRequest,
  type ImportRequest,
  type ImportResponse,
} from '../../src/app/import.worker.ts';
import { bytes, ics, meeting } from '../helpers/ics.ts';

function notebook() {
  const nb = new Notebook();
  for (const n of ['Ann', 'Ben', 'Cat'])
    addPerson(nb, { name: n, emails: [`${n.toLowerCase()}@x.org`] });
  return nb;
}

const calendar = ics(
  meeting('a@x', '20250105T100000Z', 'me@owner.example', 'ann@x.org', 'ben@x.org'),
  meeting('b@x', '20250112T100000Z', 'me@owner.example', 'ann@x.org', 'ben@x.org'),
  meeting('c@x', '20250119T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org'),
  meeting('d@x', '20250126T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org'),
  meeting('e@x', '20250202T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org'),
);

function run(req: Omit<ImportRequest, 'id'>): ImportResponse[] {
  // Through a structured clone, as a real worker's messages are.
  const sent = structuredClone({ ...req, id: 1 });
  const out: ImportResponse[] = [];
  handleImportRequest(sent, (r) => out.push(structuredClone(r)));
  return out;
}

describe('the import worker with activity', () => {
  it('plans a calendar from the plain snapshot: touches, matches, ties, suggested address', () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const out = run({
      bytes: bytes(calendar),
      name: 'work.ics',
      existing: snap.people,
      activity: snap,
    });
    const last = out.at(-1)!;
    expect(last.type).toBe('activity-plan');
    if (last.type !== 'activity-plan') return;
    const a = last.plan.activity;
    expect(a.touches).toBe(5);
    expect(a.matched.map((m) => m.name).sort()).toEqual(['Ann', 'Ben', 'Cat']);
    expect(a.ties.map((t) => [t.aName, t.bName].sort().join('+'))).toEqual(['Ann+Ben']);
    const dan = a.candidates.find((c) => c.email === 'dan@y.org')!;
    expect(dan.count).toBe(3);
    expect(a.suggestedMe).toBe('me@owner.example');
    expect(out.some((r) => r.type === 'progress')).toBe(true);
    // The plan is plain data the page applies as one undo step, nothing written before.
    expect(listTouches(nb)).toHaveLength(0);
    const undo = createUndoManager(nb);
    nb.write(() => {
      applyActivityImport(nb, last.plan, { add: [dan.key] });
      setKeepEventTitles(nb, true);
    });
    expect(listTouches(nb)).toHaveLength(5);
    expect(listPeople(nb).map((p) => p.name)).toContain('dan');
    undo.undo();
    expect(listTouches(nb)).toHaveLength(0);
    expect(listTies(nb)).toHaveLength(0);
    expect(keepEventTitles(nb)).toBe(false);
  });

  it('keeps titles only when the snapshot says so, and takes the owner address given', () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const req = { bytes: bytes(calendar), name: 'work.ics', existing: snap.people };
    const off = run({ ...req, activity: snap }).at(-1)!;
    const on = run({
      ...req,
      activity: { ...snap, activity: { ...snap.activity, keepTitles: true } },
      me: ['me@owner.example'],
    }).at(-1)!;
    if (off.type !== 'activity-plan' || on.type !== 'activity-plan') throw new Error('no plan');
    expect(off.plan.activity.occurrences.some((o) => o.note)).toBe(false);
    expect(on.plan.activity.occurrences.some((o) => o.note === 'Meeting a@x')).toBe(true);
    expect(on.plan.activity.ownerAddresses).toEqual(['me@owner.example']);
    expect(on.plan.activity.suggestedMe).toBeUndefined();
  });

  it('still plans a contacts file as contacts when a snapshot is sent', () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const csv =
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nEve,Long,,eve@z.org,Z,Dev,01 Jan 2020\n';
    const last = run({
      bytes: bytes(csv),
      name: 'Connections.csv',
      existing: snap.people,
      activity: snap,
    }).at(-1)!;
    expect(last.type).toBe('plan');
  });

  it('refuses a file read as a calendar that is not one, with a sentence', () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const last = run({
      bytes: bytes('hello'),
      name: 'notes.txt',
      format: 'calendar',
      existing: snap.people,
      activity: snap,
    }).at(-1)!;
    expect(last.type).toBe('error');
    if (last.type === 'error') expect(last.refused).toBe(true);
  });
});
