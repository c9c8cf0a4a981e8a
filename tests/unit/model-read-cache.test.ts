import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addPerson,
  deletePerson,
  linkPeople,
  listIntros,
  listTies,
  listTouches,
  logTouch,
  mergePeople,
  createIntro,
  touchesOf,
  tiesOf,
  updatePerson,
  restorePerson,
} from '../../src/model/index.ts';
import { testNotebook } from '../helpers/notebook.ts';

function seeded() {
  const nb = testNotebook({ prefix: 'a' });
  const ana = addPerson(nb, { name: 'Ana' });
  const bo = addPerson(nb, { name: 'Bo' });
  const cy = addPerson(nb, { name: 'Cy' });
  linkPeople(nb, ana, bo);
  logTouch(nb, { personIds: [ana, bo] });
  createIntro(nb, { a: ana, b: cy });
  return { nb, ana, bo, cy };
}

describe('derived lists when only people change', () => {
  it('keeps the same ties, touches and intros objects when someone is added or edited', () => {
    const { nb, ana } = seeded();
    const before = [
      listTies(nb),
      listTouches(nb),
      listIntros(nb),
      tiesOf(nb, ana),
      touchesOf(nb, ana),
    ];
    addPerson(nb, { name: 'Dee' });
    updatePerson(nb, ana, { org: 'Acme' });
    const after = [
      listTies(nb),
      listTouches(nb),
      listIntros(nb),
      tiesOf(nb, ana),
      touchesOf(nb, ana),
    ];
    after.forEach((list, i) => expect(list, `list ${i}`).toBe(before[i]));
  });

  it('re-derives them when someone they name is deleted, restored or merged', () => {
    const { nb, ana, bo, cy } = seeded();
    const ties = listTies(nb);
    deletePerson(nb, bo);
    expect(listTies(nb)).not.toBe(ties);
    expect(listTies(nb)).toHaveLength(0);
    expect(listTouches(nb)[0]!.personIds).toEqual([ana]);
    restorePerson(nb, bo);
    expect(listTies(nb)).toHaveLength(1);
    expect(listTouches(nb)[0]!.personIds).toEqual([ana, bo]);
    mergePeople(nb, cy, ana);
    expect(listTouches(nb)[0]!.personIds).toEqual([cy, bo]);
    expect(listTies(nb)[0]).toMatchObject({ from: cy, to: bo });
    expect(touchesOf(nb, cy)).toHaveLength(1);
    expect(touchesOf(nb, ana)).toHaveLength(0);
  });

  it('shows a touch that arrived before its person once the person arrives', () => {
    // Three devices: C adds a person, A logs a touch with them, B hears from A first.
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const docC = new Y.Doc();
    const a = testNotebook({ prefix: 'a', doc: docA });
    const b = testNotebook({ prefix: 'b', doc: docB, owner: false });
    const c = testNotebook({ prefix: 'c', doc: docC, owner: false });
    const late = addPerson(c, { name: 'Late' });
    const fromC = Y.encodeStateAsUpdate(docC);
    Y.applyUpdate(docA, fromC);
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docC)));
    // B has A's owner only; A logs the touch and B gets just that.
    const sv = Y.encodeStateVector(docA);
    logTouch(a, { personIds: [late] });
    linkPeople(a, a.ownerId!, late);
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, sv));
    expect(listTouches(b)).toHaveLength(0);
    expect(listTies(b)).toHaveLength(0);
    Y.applyUpdate(docB, fromC);
    expect(listTouches(b)).toHaveLength(1);
    expect(touchesOf(b, late)).toHaveLength(1);
    expect(listTies(b)).toHaveLength(1);
  });
});
