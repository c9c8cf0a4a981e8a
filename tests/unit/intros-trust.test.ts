/** Issue 14, points 5–9: outcomes held against the right person, drafts, owner ties, due asks. */
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  createUndoManager,
  listIntros,
  advanceIntro,
  ASK_WAIT_DAYS,
  introsDue,
  createIntro,
  getIntro,
  graphSnapshot,
  listPeople,
  listTies,
  recordIntroOutcome,
  updatePerson,
  refereeRecord,
  VETTING_PARTS,
  setVetting,
  type Notebook,
} from '../../src/model/index.ts';
import {
  hasSampleNetwork,
  loadSampleNetwork,
  removeSampleNetwork,
} from '../../src/app/sample-network.ts';
import { neglectedTies } from '../../src/analysis/neglect.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

function made(nb: Notebook, a: string, b: string, overrideReason?: string): string {
  const id = createIntro(nb, { a, b, overrideReason });
  advanceIntro(nb, id, 'asked-a');
  advanceIntro(nb, id, 'asked-b');
  advanceIntro(nb, id, 'introduced');
  return id;
}

describe('who flaked (issue 14, point 5)', () => {
  it('a flake is held only against the side that flaked, not a blameless one under glass', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana', underGlass: true });
    const bo = addPerson(nb, { name: 'Bo' });
    for (const part of VETTING_PARTS) setVetting(nb, bo, part, { status: 'first-hand' });
    const id = made(nb, ana, bo);
    recordIntroOutcome(nb, id, 'flaked', { blame: 'b' });
    expect(getIntro(nb, id)!.blame).toBe('b');
    expect(refereeRecord(nb, ana).lastBad).toBeUndefined();
    expect(refereeRecord(nb, ana).asIntroduced.flaked).toBe(0);
    expect(refereeRecord(nb, bo).lastBad).toEqual({ introId: id, outcome: 'flaked' });
    expect(refereeRecord(nb, bo).asIntroduced.flaked).toBe(1);
  });

  it('both, neither, and an inbound introducer', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const cy = addPerson(nb, { name: 'Cy' });
    const both = made(nb, ana, bo);
    recordIntroOutcome(nb, both, 'difficult', { blame: 'both' });
    expect(refereeRecord(nb, ana).lastBad?.introId).toBe(both);
    expect(refereeRecord(nb, bo).lastBad?.introId).toBe(both);
    recordIntroOutcome(nb, both, 'difficult', { blame: 'neither' });
    expect(refereeRecord(nb, ana).lastBad).toBeUndefined();
    expect(refereeRecord(nb, bo).lastBad).toBeUndefined();
    // Cy introduced me to Ana; Ana flaked: Cy's record counts it, but warns only about Ana.
    const inbound = createIntro(nb, { a: nb.ownerId!, b: ana, by: cy, state: 'introduced' });
    recordIntroOutcome(nb, inbound, 'flaked', { blame: 'b' });
    expect(refereeRecord(nb, cy).asIntroducer.flaked).toBe(1);
    expect(refereeRecord(nb, cy).lastBad).toBeUndefined();
    expect(refereeRecord(nb, ana).lastBad?.introId).toBe(inbound);
  });

  it('an outcome recorded before blame existed keeps its old reading: held against both', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const id = made(nb, ana, bo);
    recordIntroOutcome(nb, id, 'flaked');
    expect(getIntro(nb, id)!.blame).toBeUndefined();
    expect(refereeRecord(nb, ana).lastBad?.introId).toBe(id);
    expect(refereeRecord(nb, bo).lastBad?.introId).toBe(id);
  });

  it('refuses blame that is not one of the four, or on a good outcome, changing nothing', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const id = made(nb, ana, bo);
    recordIntroOutcome(nb, id, 'flaked', { blame: 'a' });
    expect(() => recordIntroOutcome(nb, id, 'flaked', { blame: 'ana' as unknown as 'a' })).toThrow(
      /held against is one of a, b, both, neither/,
    );
    expect(() => recordIntroOutcome(nb, id, 'great', { blame: 'a' })).toThrow(
      /Only a flaked or difficult outcome/,
    );
    expect(getIntro(nb, id)!.blame).toBe('a');
    recordIntroOutcome(nb, id, 'great');
    expect(getIntro(nb, id)!.blame).toBeUndefined();
  });
});

describe('people added by hand are tied to the owner (issue 14, point 8)', () => {
  it('a person added with tieToOwner gets one tie to the owner noting how they met', () => {
    const c = clock();
    const nb = testNotebook({ clock: c });
    const ana = addPerson(nb, { name: 'Ana', howWeMet: 'Met at PyCon 2024' }, { tieToOwner: true });
    const ties = listTies(nb);
    expect(ties).toHaveLength(1);
    expect(new Set([ties[0]!.from, ties[0]!.to])).toEqual(new Set([nb.ownerId, ana]));
    expect(ties[0]!.note).toBe('Met at PyCon 2024');
    // With a cadence and time passing, Needs attention lists Ana (it only looks at owner ties).
    updatePerson(nb, ana, { cadenceDays: 30 });
    c.advance(60);
    const due = neglectedTies(graphSnapshot(nb));
    expect(due.map((n) => n.personId)).toEqual([ana]);
  });

  it('refuses a bad field without adding the person or a tie', () => {
    const nb = testNotebook();
    expect(() =>
      addPerson(nb, { name: 'Bo', birthday: 'someday' }, { tieToOwner: true }),
    ).toThrow();
    expect(listTies(nb)).toHaveLength(0);
    expect(listPeople(nb)).toHaveLength(1);
  });
});

describe('asks are due only after a wait (issue 14, point 9)', () => {
  it('an ask sent today is not due; a week later it is', () => {
    const c = clock();
    const nb = testNotebook({ clock: c });
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const id = createIntro(nb, { a: ana, b: bo });
    advanceIntro(nb, id, 'asked-a');
    expect(introsDue(nb)).toEqual([]);
    c.advance(ASK_WAIT_DAYS - 1);
    expect(introsDue(nb)).toEqual([]);
    c.advance(1);
    expect(introsDue(nb).map((d) => [d.intro.id, d.reason, d.days])).toEqual([
      [id, 'ask-waiting', ASK_WAIT_DAYS],
    ]);
  });
});

describe('removing the sample network (issue 14, point 7)', () => {
  it('removes only what the sample created, keeps the owner and what they added; undo restores', () => {
    const nb = testNotebook({ owner: false });
    loadSampleNetwork(nb, { now: new Date('2026-03-01T00:00:00Z') });
    const owner = nb.ownerId!;
    const samplePeople = listPeople(nb).length;
    expect(hasSampleNetwork(nb)).toBe(true);
    const mine = addPerson(nb, { name: 'Zoë Real' }, { tieToOwner: true });
    const undo = createUndoManager(nb);
    const r = removeSampleNetwork(nb);
    expect(r.people).toBe(samplePeople - 1);
    expect(r.intros).toBeGreaterThan(0);
    expect(
      listPeople(nb)
        .map((p) => p.id)
        .sort(),
    ).toEqual([owner, mine].sort());
    expect(listTies(nb)).toHaveLength(1);
    expect(listIntros(nb)).toHaveLength(0);
    expect(hasSampleNetwork(nb)).toBe(false);
    undo.undo();
    expect(listPeople(nb)).toHaveLength(samplePeople + 1);
  });
});
