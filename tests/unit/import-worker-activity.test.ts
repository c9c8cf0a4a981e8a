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
import { activityImportSnapshot, applyActivityBatch } from '../../src/io/activity-import.ts';
import {
  ImportService,
  PREVIEW_LIMIT,
  type ImportRequest,
  type PlanAnswer,
} from '../../src/app/import.worker.ts';
import type { ImportProgress } from '../../src/io/formats.ts';
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

/** A request as the page sends it: the file as a Blob, the rest cloned as by postMessage. */
type Req = Omit<ImportRequest, 'file'> & { bytes: Uint8Array };

async function run(
  req: Req,
  service = new ImportService(),
): Promise<{ answer: PlanAnswer; progress: ImportProgress[] }> {
  const { bytes: b, ...rest } = req;
  const sent = { ...structuredClone(rest), file: new Blob([b.slice().buffer]) };
  const progress: ImportProgress[] = [];
  const answer = structuredClone(await service.plan(sent, (p) => progress.push(p)));
  return { answer, progress };
}

/** The batch as the dialog fetches it: prepared, then the touches slice by slice. */
function fetchBatch(service: ImportService, add: string[]) {
  const head = structuredClone(service.prepare({ add }));
  const touches = [];
  for (let from = 0; from < head.touches; from += 2)
    touches.push(...structuredClone(service.touches(from, 2)));
  return { ...head, batch: { ...head.batch, touches } };
}

describe('the import worker with activity', () => {
  it('plans a calendar from the plain snapshot: the preview, then the batch in slices', async () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const service = new ImportService();
    const { answer, progress } = await run(
      { bytes: bytes(calendar), name: 'work.ics', existing: snap.people, activity: snap },
      service,
    );
    expect(answer.type).toBe('activity');
    if (answer.type !== 'activity') return;
    const a = answer.preview.activity;
    // Only what the preview shows crosses over: no occurrences.
    expect('occurrences' in a).toBe(false);
    expect(a.meetings).toBe(true);
    expect(a.touches).toBe(5);
    expect(a.matched.map((m) => m.name).sort()).toEqual(['Ann', 'Ben', 'Cat']);
    expect(a.ties.map((t) => [t.aName, t.bName].sort().join('+'))).toEqual(['Ann+Ben']);
    const dan = a.candidates.find((c) => c.email === 'dan@y.org')!;
    expect(dan.count).toBe(3);
    expect(a.suggestedMe).toBe('me@owner.example');
    expect(progress.length).toBeGreaterThan(0);
    // Nothing written while planning; the batch the dialog fetches is one undo step.
    expect(listTouches(nb)).toHaveLength(0);
    const undo = createUndoManager(nb);
    const { batch, contacts } = fetchBatch(service, [dan.key]);
    expect(batch.touches).toHaveLength(5);
    nb.write(() => {
      applyActivityBatch(nb, batch, contacts);
      setKeepEventTitles(nb, true);
    });
    expect(listTouches(nb)).toHaveLength(5);
    expect(listPeople(nb).map((p) => p.name)).toContain('dan');
    undo.undo();
    expect(listTouches(nb)).toHaveLength(0);
    expect(listTies(nb)).toHaveLength(0);
    expect(keepEventTitles(nb)).toBe(false);
  });

  it('shows and applies the ties of the people ticked "add as people"', async () => {
    // Dan and Eve are not in the notebook; they meet Cat, and each other, three times.
    const nb = notebook();
    const cal = ics(
      meeting('c@x', '20250119T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org', 'eve@y.org'),
      meeting('d@x', '20250126T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org', 'eve@y.org'),
      meeting('e@x', '20250202T100000Z', 'me@owner.example', 'cat@x.org', 'dan@y.org', 'eve@y.org'),
    );
    const snap = activityImportSnapshot(nb);
    const service = new ImportService();
    const { answer } = await run(
      { bytes: bytes(cal), name: 'work.ics', existing: snap.people, activity: snap },
      service,
    );
    if (answer.type !== 'activity') throw new Error(answer.type);
    const pairs = (ties: { aName: string; bName: string }[]) =>
      ties.map((t) => [t.aName, t.bName].sort().join('+')).sort();
    expect(pairs(answer.preview.activity.ties)).toEqual([]);
    // (The organizer, the owner's address not given, is a candidate too: left unticked.)
    const keys = answer.preview.activity.candidates
      .filter((c) => c.email?.endsWith('@y.org'))
      .map((c) => c.key);
    expect(keys).toHaveLength(2);
    const dan = keys.find((k) => k.includes('dan'))!;
    // Dan ticked: his tie with Cat is shown …
    const one = structuredClone(service.preview({ add: [dan] })).activity;
    expect(pairs(one.ties)).toEqual(['Cat+dan']);
    expect(one.totals.ties).toBe(1);
    expect(one.ties[0]).toMatchObject({ meetings: 3, last: '2025-02-02T10:00:00.000Z' });
    // … both ticked: the tie between them too.
    const both = structuredClone(service.preview({ add: keys })).activity;
    expect(pairs(both.ties)).toEqual(['Cat+dan', 'Cat+eve', 'dan+eve']);
    // And applied as shown.
    const { batch } = fetchBatch(service, keys);
    applyActivityBatch(nb, batch);
    const names = new Map(listPeople(nb).map((p) => [p.id, p.name]));
    const applied = listTies(nb).map((t) => ({
      aName: names.get(t.from) ?? '',
      bName: names.get(t.to) ?? '',
    }));
    expect(pairs(applied)).toEqual(['Cat+dan', 'Cat+eve', 'dan+eve']);
  });

  it('counts the touches of the people ticked "add as people" in the preview, as Apply writes them', async () => {
    // Dan and Eve are not in the notebook and meet only each other (and the owner).
    const nb = notebook();
    const cal = ics(
      meeting('f@x', '20250119T100000Z', 'me@owner.example', 'dan@y.org', 'eve@y.org'),
      meeting('g@x', '20250126T100000Z', 'me@owner.example', 'dan@y.org', 'eve@y.org'),
      meeting('h@x', '20250202T100000Z', 'me@owner.example', 'dan@y.org', 'eve@y.org'),
      meeting('i@x', '20250209T100000Z', 'me@owner.example', 'cat@x.org'),
    );
    const snap = activityImportSnapshot(nb);
    const service = new ImportService();
    const { answer } = await run(
      { bytes: bytes(cal), name: 'work.ics', existing: snap.people, activity: snap },
      service,
    );
    if (answer.type !== 'activity') throw new Error(answer.type);
    expect(answer.preview.activity.touches).toBe(1);
    const dan = answer.preview.activity.candidates.find((c) => c.email === 'dan@y.org')!.key;
    const ticked = structuredClone(service.preview({ add: [dan] })).activity;
    expect(ticked.touches).toBe(4);
    expect(fetchBatch(service, [dan]).batch.touches).toHaveLength(4);
  });

  it('sends the preview lists cut short, with their full lengths', async () => {
    const nb = new Notebook();
    const people = Array.from({ length: PREVIEW_LIMIT + 20 }, (_, i) => `p${i}@x.org`);
    for (const e of people) addPerson(nb, { name: e.split('@')[0]!, emails: [e] });
    const cal = ics(
      ...people.map((e, i) =>
        meeting(
          `m${i}@x`,
          `202501${String((i % 28) + 1).padStart(2, '0')}T100000Z`,
          'me@o.example',
          e,
        ),
      ),
    );
    const snap = activityImportSnapshot(nb);
    const { answer } = await run({
      bytes: bytes(cal),
      name: 'big.ics',
      existing: snap.people,
      activity: snap,
    });
    if (answer.type !== 'activity') throw new Error(answer.type);
    expect(answer.preview.activity.matched).toHaveLength(PREVIEW_LIMIT);
    expect(answer.preview.activity.totals.matched).toBe(PREVIEW_LIMIT + 20);
    expect(answer.preview.activity.touches).toBe(PREVIEW_LIMIT + 20);
  });

  it('keeps titles only when the snapshot says so, and takes the owner address given', async () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const req = { bytes: bytes(calendar), name: 'work.ics', existing: snap.people };
    const offService = new ImportService();
    const onService = new ImportService();
    const off = (await run({ ...req, activity: snap }, offService)).answer;
    const on = (
      await run(
        {
          ...req,
          activity: { ...snap, activity: { ...snap.activity, keepTitles: true } },
          me: ['me@owner.example'],
        },
        onService,
      )
    ).answer;
    if (off.type !== 'activity' || on.type !== 'activity') throw new Error('no plan');
    expect(fetchBatch(offService, []).batch.touches.some((t) => t.note)).toBe(false);
    expect(fetchBatch(onService, []).batch.touches.some((t) => t.note === 'Meeting a@x')).toBe(
      true,
    );
    expect(on.preview.activity.ownerAddresses).toEqual(['me@owner.example']);
    expect(on.preview.activity.suggestedMe).toBeUndefined();
  });

  it('still plans a contacts file as contacts when a snapshot is sent', async () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const csv =
      'First Name,Last Name,URL,Email Address,Company,Position,Connected On\nEve,Long,,eve@z.org,Z,Dev,01 Jan 2020\n';
    const { answer } = await run({
      bytes: bytes(csv),
      name: 'Connections.csv',
      existing: snap.people,
      activity: snap,
    });
    expect(answer.type).toBe('plan');
  });

  it('refuses a file read as a calendar that is not one, with a sentence', async () => {
    const nb = notebook();
    const snap = activityImportSnapshot(nb);
    const { answer } = await run({
      bytes: bytes('hello'),
      name: 'notes.txt',
      format: 'calendar',
      existing: snap.people,
      activity: snap,
    });
    expect(answer.type).toBe('error');
    if (answer.type === 'error') expect(answer.refused).toBe(true);
  });
});
