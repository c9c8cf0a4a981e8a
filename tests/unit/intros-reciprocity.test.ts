/**
 * Reputation, reciprocity and suggestions on a small hand-built notebook whose figures
 * can be counted by eye.
 */
import { describe, expect, it } from 'vitest';
import {
  VETTING_PARTS,
  addPerson,
  advanceIntro,
  balance,
  createIntro,
  deletePerson,
  getPerson,
  introSuggestions,
  introsDue,
  linkPeople,
  logTouch,
  ownerTrackRecord,
  reciprocityOf,
  reciprocityTable,
  recordIntroOutcome,
  refereeRecord,
  setVetting,
  updateIntro,
  vettingLevel,
  type Notebook,
  type VettingPart,
} from '../../src/model/index.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

function made(nb: Notebook, a: string, b: string): string {
  const id = createIntro(nb, { a, b });
  advanceIntro(nb, id, 'asked-a');
  advanceIntro(nb, id, 'asked-b');
  advanceIntro(nb, id, 'introduced');
  return id;
}

/**
 * Me, Ana, Bo, Cy, Dee. I introduced Ana to Bo (great) and Ana to Cy (flaked), Bo to Dee
 * (no outcome yet); Dee introduced me to Cy (inbound); I asked Cy about Dee (asked-a);
 * Bo declined a second one. Favours: 2 given to Ana, 1 received from Ana, 1 received
 * from Dee.
 */
function network() {
  const c = clock('2026-03-01T09:00:00.000Z');
  const nb = testNotebook({ clock: c });
  const me = nb.ownerId!;
  const ana = addPerson(nb, { name: 'Ana' });
  const bo = addPerson(nb, { name: 'Bo' });
  const cy = addPerson(nb, { name: 'Cy' });
  const dee = addPerson(nb, { name: 'Dee' });
  const anaBo = made(nb, ana, bo);
  recordIntroOutcome(nb, anaBo, 'great');
  c.advance(1);
  const anaCy = made(nb, ana, cy);
  recordIntroOutcome(nb, anaCy, 'flaked');
  const boDee = made(nb, bo, dee);
  const inbound = createIntro(nb, { a: me, b: cy, by: dee, state: 'introduced' });
  const cyDee = createIntro(nb, { a: cy, b: dee });
  advanceIntro(nb, cyDee, 'asked-a');
  const declined = createIntro(nb, { a: bo, b: cy });
  advanceIntro(nb, declined, 'asked-a');
  advanceIntro(nb, declined, 'declined', { declinedBy: bo });
  logTouch(nb, { personIds: [ana], channel: 'favour-given', at: '2026-01-02' });
  logTouch(nb, { personIds: [ana, me], channel: 'favour-given', at: '2026-01-03' });
  logTouch(nb, { personIds: [ana], channel: 'favour-received', at: '2026-01-04' });
  logTouch(nb, { personIds: [dee], channel: 'favour-received', at: '2026-01-05' });
  logTouch(nb, { personIds: [bo], channel: 'coffee', at: '2026-01-06' });
  return { nb, c, me, ana, bo, cy, dee, anaBo, anaCy, boDee, inbound, cyDee, declined };
}

describe('reciprocity', () => {
  it('counts favours and introductions given vs received per person', () => {
    const { nb, ana, bo, cy, dee, me } = network();
    expect(reciprocityOf(nb, ana)).toEqual({
      personId: ana,
      favoursGiven: 2,
      favoursReceived: 1,
      introsGiven: 2,
      introsReceived: 0,
    });
    // Bo: introduced to Ana and to Dee; the declined one is not an introduction given.
    expect(reciprocityOf(nb, bo)).toMatchObject({ introsGiven: 2, favoursGiven: 0 });
    // Cy: introduced to Ana by me; Cy being introduced to me by Dee is Dee's give.
    expect(reciprocityOf(nb, cy)).toMatchObject({ introsGiven: 1, introsReceived: 0 });
    expect(reciprocityOf(nb, dee)).toEqual({
      personId: dee,
      favoursGiven: 0,
      favoursReceived: 1,
      introsGiven: 1,
      introsReceived: 1,
    });
    expect(balance(reciprocityOf(nb, ana))).toBe(3);
    expect(balance(reciprocityOf(nb, dee))).toBe(-1);
    // The owner is never a row of their own table.
    expect(reciprocityTable(nb).map((r) => r.personId)).not.toContain(me);
    expect(reciprocityTable(nb)[0]!.personId).toBe(ana);
  });

  it('follows edits and drops people moved to the trash', () => {
    const { nb, ana, dee } = network();
    logTouch(nb, { personIds: [dee], channel: 'favour-received', at: '2026-02-01' });
    expect(reciprocityOf(nb, dee).favoursReceived).toBe(2);
    deletePerson(nb, ana);
    expect(reciprocityTable(nb).map((r) => r.personId)).not.toContain(ana);
  });
});

describe('reputation', () => {
  it("the owner's track record counts the owner's introductions only", () => {
    const { nb } = network();
    const rec = ownerTrackRecord(nb);
    expect(rec.outcomes).toEqual({ great: 1, fine: 0, 'no-response': 0, flaked: 1, difficult: 0 });
    expect(rec).toMatchObject({ made: 3, awaitingOutcome: 1, open: 1, declined: 1, cancelled: 0 });
    expect(rec.successRate).toBe(0.5);
  });

  it('a referee record warns after a flake, and counts inbound ones for the introducer', () => {
    const { nb, ana, dee, inbound, anaCy } = network();
    const anaRec = refereeRecord(nb, ana);
    expect(anaRec.asIntroduced.great).toBe(1);
    expect(anaRec.asIntroduced.flaked).toBe(1);
    expect(anaRec.lastBad).toEqual({ introId: anaCy, outcome: 'flaked' });
    recordIntroOutcome(nb, inbound, 'difficult');
    expect(refereeRecord(nb, dee).asIntroducer.difficult).toBe(1);
    expect(refereeRecord(nb, dee).lastBad?.outcome).toBe('difficult');
  });
});

describe('what is due', () => {
  it('lists asks waiting, ideas, follow-ups that came, and outcomes to record', () => {
    const { nb, c, cyDee, boDee, anaBo } = network();
    c.advance(20);
    updateIntro(nb, anaBo, { followUpAt: '2026-03-10' });
    const due = introsDue(nb);
    const reasons = new Map(due.map((d) => [d.intro.id, d.reason]));
    expect(reasons.get(cyDee)).toBe('ask-waiting');
    expect(reasons.get(boDee)).toBe('outcome');
    expect(reasons.get(anaBo)).toBe('follow-up');
    // The declined one and the flaked one (outcome recorded, no follow-up) are done.
    expect(due).toHaveLength(3);
    expect(due.find((d) => d.intro.id === cyDee)!.days).toBe(20);
    // Before the follow-up date it is not due.
    expect(introsDue(nb, new Date('2026-03-05T00:00:00Z')).map((d) => d.intro.id)).not.toContain(
      anaBo,
    );
  });
});

describe('people I could introduce', () => {
  it('pairs vetted people who share a tag and are not tied or already introduced', () => {
    const nb = testNotebook();
    const vet = (
      id: string,
      status: 'first-hand' | 'heard',
      parts: readonly VettingPart[] = VETTING_PARTS,
    ) => {
      for (const part of parts) setVetting(nb, id, part, { status });
    };
    const ana = addPerson(nb, { name: 'Ana', tags: ['climate', 'founders'] });
    const bo = addPerson(nb, { name: 'Bo', tags: ['climate', 'founders'] });
    const cy = addPerson(nb, { name: 'Cy', tags: ['climate'] });
    const dee = addPerson(nb, { name: 'Dee', tags: ['climate'] }); // not vetted
    const eve = addPerson(nb, { name: 'Eve', tags: ['design'] });
    const fay = addPerson(nb, { name: 'Fay', tags: ['climate'] });
    const gus = addPerson(nb, { name: 'Gus', tags: ['family'] });
    const hal = addPerson(nb, { name: 'Hal', tags: ['family'] });
    vet(ana, 'first-hand');
    vet(bo, 'first-hand');
    vet(cy, 'heard', ['intention']);
    vet(eve, 'first-hand');
    vet(fay, 'first-hand', ['character']);
    vet(gus, 'first-hand');
    vet(hal, 'first-hand');
    expect(vettingLevel(getPerson(nb, ana)!)).toBe('vetted');
    expect(vettingLevel(getPerson(nb, fay)!)).toBe('partly');
    expect(vettingLevel(getPerson(nb, cy)!)).toBe('heard');
    expect(vettingLevel(getPerson(nb, dee)!)).toBe('unknown');
    linkPeople(nb, cy, fay);
    createIntro(nb, { a: bo, b: cy });

    const s = introSuggestions(nb);
    const pairs = s.map((x) => [x.a, x.b].sort().join('-'));
    // Two shared tags and both fully vetted: first.
    expect(pairs[0]).toBe([ana, bo].sort().join('-'));
    expect(s[0]!.sharedTags).toEqual(['climate', 'founders']);
    expect(pairs).toContain([ana, cy].sort().join('-'));
    expect(pairs).toContain([ana, fay].sort().join('-'));
    expect(pairs).not.toContain([cy, fay].sort().join('-')); // tied
    expect(pairs).not.toContain([bo, cy].sort().join('-')); // already an introduction
    expect(pairs.some((p) => p.includes(dee))).toBe(false); // unknown
    expect(pairs.some((p) => p.includes(eve))).toBe(false); // no shared tag
    expect(pairs).not.toContain([gus, hal].sort().join('-')); // family is no common ground
    expect(introSuggestions(nb, { limit: 2 })).toHaveLength(2);
  });

  it('stays bounded on a big tag', () => {
    const nb = testNotebook();
    for (let i = 0; i < 600; i++) {
      const id = addPerson(nb, { name: `P${i}`, tags: ['founders'] });
      setVetting(nb, id, 'intention', { status: 'heard' });
    }
    const s = introSuggestions(nb, { limit: 1000, perTag: 10 });
    // Only the 10 best-vetted members of the tag are paired: 45 pairs, not 179,700.
    expect(s).toHaveLength(45);
  });
});
