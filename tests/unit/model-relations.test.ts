import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  INTRO_STATES,
  INTRO_TRANSITIONS,
  UnderGlassError,
  addPerson,
  advanceIntro,
  createIntro,
  editTouch,
  getIntro,
  getPerson,
  getTie,
  getTouch,
  graphSnapshot,
  lastTouched,
  linkPeople,
  listIntros,
  listTies,
  listTouches,
  logTouch,
  mergePeople,
  recordIntroOutcome,
  refereeRecord,
  removeTouch,
  setVetting,
  tieLastTouched,
  tiesOf,
  touchesOf,
  underGlassGaps,
  unlinkTie,
  updateIntro,
  updatePerson,
  updateTie,
  VETTING_PARTS,
  type IntroState,
} from '../../src/model/index.ts';
import { clock, testNotebook } from '../helpers/notebook.ts';

describe('ties', () => {
  it('links any two people with kind, strength, since; updates and unlinks', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const t = linkPeople(nb, ana, bo, { kind: 'Colleague', strength: 4, since: '2019-05-01' });
    expect(getTie(nb, t)).toMatchObject({
      from: ana,
      to: bo,
      kind: 'colleague',
      strength: 4,
      since: '2019-05-01',
    });
    expect(tiesOf(nb, bo).map((x) => x.id)).toEqual([t]);
    updateTie(nb, t, { strength: 2, kind: 'mentor' });
    expect(getTie(nb, t)).toMatchObject({ strength: 2, kind: 'mentor', since: '2019-05-01' });
    unlinkTie(nb, t);
    expect(listTies(nb)).toHaveLength(0);
  });

  it('refuses a tie to oneself, to someone missing, or with a bad strength or date', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    expect(() => linkPeople(nb, ana, ana)).toThrow(/two different people/);
    expect(() => linkPeople(nb, ana, 'ghost')).toThrow(/not in this notebook/);
    expect(() => linkPeople(nb, ana, nb.ownerId!, { strength: 9 })).toThrow(/1 \(faint\) to 5/);
    expect(() => linkPeople(nb, ana, nb.ownerId!, { since: 'last spring' })).toThrow(/date like/);
    expect(nb.ties.size).toBe(0);
  });
});

describe('touches', () => {
  it('logs, edits and removes touches; last touched follows the newest', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const t1 = logTouch(nb, {
      personIds: [ana, bo],
      at: '2026-01-05',
      channel: 'event',
      note: 'Meetup',
    });
    const t2 = logTouch(nb, {
      personIds: [ana],
      at: '2026-02-10T12:30:00Z',
      channel: 'favour-given',
    });
    expect(lastTouched(nb, ana)).toBe('2026-02-10T12:30:00Z');
    expect(lastTouched(nb, bo)).toBe('2026-01-05');
    expect(touchesOf(nb, ana).map((t) => t.id)).toEqual([t2, t1]);
    editTouch(nb, t1, { at: '2026-03-01' });
    expect(lastTouched(nb, ana)).toBe('2026-03-01');
    expect(getTouch(nb, t1)!.note).toBe('Meetup');
    removeTouch(nb, t1);
    expect(lastTouched(nb, bo)).toBeUndefined();
    expect(listTouches(nb)).toHaveLength(1);
  });

  it('a touch defaults to now and needs a person and a known channel', () => {
    const c = clock('2026-04-01T08:00:00.000Z');
    const nb = testNotebook({ clock: c });
    const ana = addPerson(nb, { name: 'Ana' });
    const id = logTouch(nb, { personIds: [ana] });
    expect(getTouch(nb, id)).toMatchObject({ at: '2026-04-01T08:00:00.000Z', channel: 'other' });
    expect(() => logTouch(nb, { personIds: [] })).toThrow(/at least one person/);
    expect(() => logTouch(nb, { personIds: [ana], channel: 'pigeon' as never })).toThrow(/channel/);
  });

  it('tie last-touched: the other person for owner ties, both ends otherwise', () => {
    const nb = testNotebook();
    const me = nb.ownerId!;
    const ana = addPerson(nb, { name: 'Ana' });
    const bo = addPerson(nb, { name: 'Bo' });
    const mine = linkPeople(nb, me, ana);
    const theirs = linkPeople(nb, ana, bo);
    logTouch(nb, { personIds: [ana], at: '2026-02-01' });
    logTouch(nb, { personIds: [ana, bo], at: '2026-01-01' });
    expect(tieLastTouched(nb, getTie(nb, mine)!)).toBe('2026-02-01');
    expect(tieLastTouched(nb, getTie(nb, theirs)!)).toBe('2026-01-01');
    const snap = graphSnapshot(nb);
    expect(snap.ties.find((t) => t.id === mine)!.lastTouched).toBe('2026-02-01');
    expect(snap.people).toHaveLength(3);
  });
});

describe('introductions', () => {
  function setup() {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana', org: 'Acme' });
    const bo = addPerson(nb, { name: 'Bo', org: 'Globex' });
    return { nb, ana, bo };
  }

  it('walks the double opt-in lifecycle and creates the tie with provenance', () => {
    const { nb, ana, bo } = setup();
    const id = createIntro(nb, {
      a: ana,
      b: bo,
      purpose: 'Hiring',
      stakes: 'high',
      expectations: '30 min call',
    });
    expect(getIntro(nb, id)).toMatchObject({ state: 'idea', by: nb.ownerId, stakes: 'high' });
    advanceIntro(nb, id, 'asked-a');
    advanceIntro(nb, id, 'asked-b');
    expect(listTies(nb)).toHaveLength(0);
    advanceIntro(nb, id, 'introduced');
    const intro = getIntro(nb, id)!;
    expect(intro.history.map((h) => h.state)).toEqual(['idea', 'asked-a', 'asked-b', 'introduced']);
    const tie = getTie(nb, intro.tieId!)!;
    expect(tie).toMatchObject({ from: ana, to: bo, introId: id, introducedBy: nb.ownerId });
    recordIntroOutcome(nb, id, 'great', { note: 'They hired her', followUpAt: '2026-06-01' });
    expect(getIntro(nb, id)).toMatchObject({
      outcome: 'great',
      outcomeNote: 'They hired her',
      followUpAt: '2026-06-01',
    });
  });

  it('allows exactly the lifecycle transitions and refuses every other one', () => {
    for (const from of INTRO_STATES) {
      for (const to of INTRO_STATES) {
        const { nb, ana, bo } = setup();
        const id = createIntro(nb, { a: ana, b: bo });
        const path: Record<IntroState, IntroState[]> = {
          idea: [],
          'asked-a': ['asked-a'],
          'asked-b': ['asked-a', 'asked-b'],
          introduced: ['asked-a', 'asked-b', 'introduced'],
          declined: ['asked-a', 'declined'],
          cancelled: ['cancelled'],
        };
        for (const step of path[from]) advanceIntro(nb, id, step, { declinedBy: bo });
        const allowed = INTRO_TRANSITIONS[from].includes(to);
        const attempt = () => advanceIntro(nb, id, to, { declinedBy: ana });
        if (allowed) {
          attempt();
          expect(getIntro(nb, id)!.state).toBe(to);
        } else {
          expect(attempt, `${from} → ${to}`).toThrow(/can move to|already/);
          expect(getIntro(nb, id)!.state).toBe(from);
        }
      }
    }
  });

  it('declining needs to say who declined; an outcome needs an introduction', () => {
    const { nb, ana, bo } = setup();
    const id = createIntro(nb, { a: ana, b: bo });
    expect(() => recordIntroOutcome(nb, id, 'great')).toThrow(/once the two are introduced/);
    advanceIntro(nb, id, 'asked-a');
    expect(() => advanceIntro(nb, id, 'declined')).toThrow(/which of the two/);
    advanceIntro(nb, id, 'declined', { declinedBy: ana });
    expect(getIntro(nb, id)).toMatchObject({ state: 'declined', declinedBy: ana });
  });

  it('the under-glass guard needs an override with a reason, and records it', () => {
    const { nb, ana, bo } = setup();
    updatePerson(nb, ana, { underGlass: true });
    setVetting(nb, bo, 'intention', { status: 'first-hand' });
    expect(underGlassGaps(nb, ana, bo)).toHaveLength(3);
    let err: unknown;
    try {
      createIntro(nb, { a: ana, b: bo });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnderGlassError);
    expect((err as UnderGlassError).missing.join('\n')).toMatch(
      /Bo: working style not vetted first-hand/,
    );
    expect(listIntros(nb)).toHaveLength(0);
    const id = createIntro(nb, { a: ana, b: bo, overrideReason: 'Ana asked for this herself' });
    expect(getIntro(nb, id)!.overrideReason).toBe('Ana asked for this herself');
    for (const part of VETTING_PARTS) setVetting(nb, bo, part, { status: 'first-hand' });
    expect(underGlassGaps(nb, ana, bo)).toEqual([]);
    const clean = createIntro(nb, { a: bo, b: ana });
    expect(getIntro(nb, clean)!.overrideReason).toBeUndefined();
  });

  it('inbound introductions start introduced and count for the introducer', () => {
    const { nb, ana, bo } = setup();
    const id = createIntro(nb, { a: nb.ownerId!, b: bo, by: ana, state: 'introduced' });
    expect(getIntro(nb, id)!.tieId).toBeDefined();
    recordIntroOutcome(nb, id, 'flaked');
    const rec = refereeRecord(nb, ana);
    expect(rec.asIntroducer.flaked).toBe(1);
    expect(rec.lastBad).toEqual({ introId: id, outcome: 'flaked' });
    expect(refereeRecord(nb, bo).asIntroduced.flaked).toBe(1);
  });

  it('does not create a second tie when the two already knew each other', () => {
    const { nb, ana, bo } = setup();
    const existing = linkPeople(nb, ana, bo, { kind: 'friend' });
    const id = createIntro(nb, { a: ana, b: bo });
    advanceIntro(nb, id, 'asked-a');
    advanceIntro(nb, id, 'asked-b');
    advanceIntro(nb, id, 'introduced');
    expect(listTies(nb).map((t) => t.id)).toEqual([existing]);
    updateIntro(nb, id, { purpose: 'Reconnect' });
    expect(getIntro(nb, id)!.purpose).toBe('Reconnect');
  });
});

describe('merging duplicate people', () => {
  it('keeps all ties, touches, notes and fields of both', () => {
    const nb = testNotebook();
    const me = nb.ownerId!;
    const keep = addPerson(nb, {
      name: 'Ana Silva',
      emails: ['ana@acme.com'],
      notes: 'Met at Web Summit.',
    });
    const drop = addPerson(nb, {
      name: 'Ana S.',
      emails: ['ana@gmail.com'],
      org: 'Acme',
      tags: ['design'],
      notes: 'Loves climbing.',
      vetting: { character: { status: 'first-hand' } },
    });
    const bo = addPerson(nb, { name: 'Bo' });
    const cy = addPerson(nb, { name: 'Cy' });
    linkPeople(nb, me, keep, { strength: 2 });
    linkPeople(nb, me, drop, { strength: 5, since: '2015-01-01' });
    linkPeople(nb, drop, bo, { kind: 'colleague' });
    linkPeople(nb, keep, drop);
    logTouch(nb, { personIds: [drop, cy], at: '2026-01-01' });
    const intro = createIntro(nb, { a: drop, b: cy });
    setVetting(nb, cy, 'intention', { status: 'heard', vouchedBy: drop });
    mergePeople(nb, keep, drop);
    const p = getPerson(nb, keep)!;
    expect(p.emails).toEqual(['ana@acme.com', 'ana@gmail.com']);
    expect(p.org).toBe('Acme');
    expect(p.tags).toEqual(['design']);
    expect(p.notes).toBe('Met at Web Summit.\n\nLoves climbing.');
    expect(p.vetting.character.status).toBe('first-hand');
    expect(getPerson(nb, drop)!.id).toBe(keep);
    const ties = listTies(nb);
    expect(ties).toHaveLength(2);
    const toMe = ties.find((t) => t.from === me || t.to === me)!;
    expect(toMe).toMatchObject({ strength: 5, since: '2015-01-01' });
    expect(
      ties.some((t) => (t.from === keep && t.to === bo) || (t.from === bo && t.to === keep)),
    ).toBe(true);
    expect(touchesOf(nb, keep)).toHaveLength(1);
    expect(getIntro(nb, intro)!.a).toBe(keep);
    expect(getPerson(nb, cy)!.vetting.intention.vouchedBy).toBe(keep);
  });

  it("a peer's concurrent tie to the merged-away person resolves to the survivor", () => {
    const nb = testNotebook();
    const keep = addPerson(nb, { name: 'Ana' });
    const drop = addPerson(nb, { name: 'Ana dup' });
    const bo = addPerson(nb, { name: 'Bo' });
    mergePeople(nb, keep, drop);
    // As if a peer wrote this before seeing the merge.
    nb.doc.transact(() => {
      const tie = new Y.Map<unknown>();
      nb.ties.set('late', tie);
      tie.set('from', drop);
      tie.set('to', bo);
    }, 'peer');
    expect(getTie(nb, 'late')).toMatchObject({ from: keep, to: bo });
  });
});
