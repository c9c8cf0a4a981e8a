/**
 * Inferred ties and imported touches in the model: the owner's word wins (a tie they set,
 * a dismissal, a removed touch), on one device and across two that sync.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  applyActivity,
  confirmInferredTie,
  createUndoManager,
  dismissInferredTie,
  importTouches,
  inferredTieReason,
  linkPeople,
  listTies,
  listTouches,
  recordInferredTies,
  removeTouch,
  type Notebook,
} from '../../src/model/index.ts';
import { graphSnapshot } from '../../src/model/snapshot.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

function three(nb: Notebook) {
  return {
    a: addPerson(nb, { name: 'Ana' }),
    b: addPerson(nb, { name: 'Ben' }),
    c: addPerson(nb, { name: 'Chloe' }),
  };
}

const evidence = (meetings: number, last = '2025-12-01') => ({ meetings, conversations: 0, last });
const inferred = (nb: Notebook) => listTies(nb).filter((t) => t.provenance === 'inferred');

describe('inferred ties', () => {
  it('are made with provenance, a reason and a strength from frequency and recency, and counted by the analysis', () => {
    const nb = testNotebook();
    const { a, b, c } = three(nb);
    recordInferredTies(nb, [
      { a, b, ...evidence(7, '2025-12-20') },
      { a: b, b: c, ...evidence(2, '2024-06-01') },
    ]);
    const [ab, bc] = [a, b].map((x) => inferred(nb).find((t) => t.from === x)!);
    expect(inferredTieReason(ab!)).toBe('met together at 7 meetings, last 2025-12-20');
    expect(ab!.strength).toBe(2);
    expect(bc!.strength).toBe(1); // twice, and long ago
    const snap = graphSnapshot(nb);
    expect(snap.ties.filter((t) => t.provenance === 'inferred')).toHaveLength(2);
  });

  it('never duplicate or override a tie the owner set, and a re-import refreshes rather than doubles', () => {
    const nb = testNotebook();
    const { a, b, c } = three(nb);
    linkPeople(nb, a, b, { kind: 'colleague', strength: 5 });
    expect(
      recordInferredTies(nb, [
        { a, b, ...evidence(9) },
        { a, b: c, ...evidence(2) },
      ]),
    ).toBe(1);
    expect(
      listTies(nb).filter((t) => [t.from, t.to].includes(a) && [t.from, t.to].includes(b)),
    ).toEqual([expect.objectContaining({ kind: 'colleague', strength: 5 })]);
    expect(recordInferredTies(nb, [{ a, b: c, ...evidence(12) }])).toBe(0);
    expect(inferred(nb)).toEqual([
      expect.objectContaining({ evidence: evidence(12), strength: 3 }),
    ]);
  });

  it('a confirmed one becomes an ordinary tie; a dismissed one stays dismissed on the next import', () => {
    const nb = testNotebook();
    const { a, b, c } = three(nb);
    recordInferredTies(nb, [
      { a, b, ...evidence(3) },
      { a, b: c, ...evidence(3) },
    ]);
    const [ab, ac] = inferred(nb);
    confirmInferredTie(nb, ab!.id);
    dismissInferredTie(nb, ac!.id);
    expect(listTies(nb).find((t) => t.id === ab!.id)!.provenance).toBeUndefined();
    expect(listTies(nb).some((t) => t.id === ac!.id)).toBe(false);
    expect(
      recordInferredTies(nb, [
        { a, b, ...evidence(8) },
        { a, b: c, ...evidence(8) },
      ]),
    ).toBe(0);
    expect(inferred(nb)).toEqual([]);
    expect(() => dismissInferredTie(nb, ab!.id)).toThrow(/not an inferred tie/);
  });

  it('a dismissal on one device holds against the same pair inferred on another meanwhile', () => {
    const base = testNotebook({ prefix: 'p' });
    const { a, b } = three(base);
    const nb1 = testNotebook({ doc: new Y.Doc(), prefix: 'x', owner: false });
    const nb2 = testNotebook({ doc: new Y.Doc(), prefix: 'y', owner: false });
    for (const nb of [nb1, nb2]) Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(base.doc));
    recordInferredTies(nb1, [{ a, b, ...evidence(3) }]);
    dismissInferredTie(nb1, inferred(nb1)[0]!.id);
    // Device 2 never saw that tie: it infers the pair with a tie of its own.
    expect(recordInferredTies(nb2, [{ a, b, ...evidence(5) }])).toBe(1);
    Y.applyUpdate(nb1.doc, Y.encodeStateAsUpdate(nb2.doc));
    Y.applyUpdate(nb2.doc, Y.encodeStateAsUpdate(nb1.doc));
    expect(inferred(nb1)).toEqual([]);
    expect(inferred(nb2)).toEqual([]);
  });

  it('two devices inferring the same pair at once list one tie, the same one on both', () => {
    const base = testNotebook({ prefix: 'p' });
    const { a, b } = three(base);
    const nb1 = testNotebook({ doc: new Y.Doc(), prefix: 'x', owner: false });
    const nb2 = testNotebook({ doc: new Y.Doc(), prefix: 'y', owner: false });
    for (const nb of [nb1, nb2]) Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(base.doc));
    recordInferredTies(nb1, [{ a, b, ...evidence(3) }]);
    recordInferredTies(nb2, [{ a, b, ...evidence(4) }]);
    Y.applyUpdate(nb1.doc, Y.encodeStateAsUpdate(nb2.doc));
    Y.applyUpdate(nb2.doc, Y.encodeStateAsUpdate(nb1.doc));
    expect(inferred(nb1).map((t) => t.id)).toEqual(inferred(nb2).map((t) => t.id));
    expect(inferred(nb1)).toHaveLength(1);
  });
});

describe('imported touches', () => {
  const touch = (personIds: string[], source: string, at = '2025-11-03T09:00:00.000Z') => ({
    personIds,
    at,
    channel: 'meeting' as const,
    source,
  });

  it('are added once per source key, and a removed one stays removed', () => {
    const nb = testNotebook();
    const { a, b } = three(nb);
    expect(
      importTouches(nb, [touch([a, b], 'ics:u1'), touch([a], 'ics:u1'), touch([b], 'ics:u2')]),
    ).toBe(2);
    expect(importTouches(nb, [touch([a, b], 'ics:u1')])).toBe(0);
    const t = listTouches(nb).find((x) => x.source === 'ics:u2')!;
    const undo = createUndoManager(nb);
    removeTouch(nb, t.id);
    expect(listTouches(nb).map((x) => x.source)).toEqual(['ics:u1']);
    expect(importTouches(nb, [touch([b], 'ics:u2')])).toBe(0);
    expect(listTouches(nb)).toHaveLength(1);
    undo.undo();
    expect(listTouches(nb)).toHaveLength(2);
  });

  it('a touch removed on one device stays removed when the other imported the same meeting meanwhile', () => {
    const base = testNotebook({ prefix: 'p' });
    const { a } = three(base);
    const people = testNotebook({ doc: new Y.Doc(), prefix: 'q', owner: false });
    Y.applyUpdate(people.doc, Y.encodeStateAsUpdate(base.doc));
    importTouches(base, [touch([a], 'ics:shared')]);
    const nb1 = testNotebook({ doc: new Y.Doc(), prefix: 'x', owner: false });
    const nb2 = testNotebook({ doc: new Y.Doc(), prefix: 'y', owner: false });
    for (const nb of [nb1, nb2]) Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(base.doc));
    removeTouch(nb1, listTouches(nb1)[0]!.id);
    // Device 2 had it already (nothing added); device 3 had only the person, not the touch,
    // and imports the same meeting from another calendar before hearing of the removal.
    const nb3 = testNotebook({ doc: new Y.Doc(), prefix: 'z', owner: false });
    Y.applyUpdate(nb3.doc, Y.encodeStateAsUpdate(people.doc));
    expect(applyActivity(nb2, { touches: [touch([a], 'ics:shared')] }).touches).toBe(0);
    expect(applyActivity(nb3, { touches: [touch([a], 'ics:shared')] }).touches).toBe(1);
    for (const x of [nb1, nb2, nb3])
      for (const y of [nb1, nb2, nb3])
        if (x !== y) Y.applyUpdate(x.doc, Y.encodeStateAsUpdate(y.doc));
    for (const nb of [nb1, nb2, nb3]) expect(listTouches(nb)).toEqual([]);
    // Both imports kept as data (one chunk each in the light log); neither listed.
    expect(nb3.touchLog.size).toBe(2);
  });

  it('refuse bad input before writing anything', () => {
    const nb = testNotebook({ clock: clock() });
    const { a } = three(nb);
    const sv = Y.encodeStateVector(nb.doc);
    expect(() =>
      importTouches(nb, [touch([a], 'ics:ok'), { ...touch([a], 'ics:bad'), at: 'soon' }]),
    ).toThrow(/must be a date/);
    expect(() => importTouches(nb, [{ ...touch([a], ''), source: '' }])).toThrow(/source key/);
    expect(Y.encodeStateVector(nb.doc)).toEqual(sv);
  });
});
