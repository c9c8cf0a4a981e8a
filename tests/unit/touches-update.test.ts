/**
 * Issue 14, point 3 (model): `updateTouch`, what the timeline's edit form calls — strict
 * dates, at least one person, never a removed touch, one undo step, nothing written when
 * a value is refused.
 */
import { describe, expect, it } from 'vitest';
import {
  LOCAL_ORIGIN,
  ValidationError,
  addPerson,
  createUndoManager,
  getTouch,
  lastTouched,
  logTouch,
  removeTouch,
  updateTouch,
} from '../../src/model/index.ts';
import { testNotebook } from '../helpers/notebook.ts';

function setup() {
  const nb = testNotebook();
  const ana = addPerson(nb, { name: 'Ana' });
  const bo = addPerson(nb, { name: 'Bo' });
  const t = logTouch(nb, { personIds: [ana], at: '2026-03-02', channel: 'coffee', note: 'Hi' });
  return { nb, ana, bo, t };
}

describe('updateTouch', () => {
  it('changes date, channel, note and who was there in one undo step', () => {
    const { nb, ana, bo, t } = setup();
    const undo = createUndoManager(nb);
    const origins: unknown[] = [];
    nb.doc.on('afterTransaction', (tr) => origins.push(tr.origin));
    updateTouch(nb, t, {
      at: '2026-03-05',
      channel: 'call',
      note: 'Catch-up',
      personIds: [ana, bo],
    });
    expect(origins).toEqual([LOCAL_ORIGIN]);
    expect(getTouch(nb, t)).toMatchObject({
      at: '2026-03-05',
      channel: 'call',
      note: 'Catch-up',
      personIds: [ana, bo],
    });
    expect(lastTouched(nb, bo)).toBe('2026-03-05');
    undo.undo();
    expect(getTouch(nb, t)).toMatchObject({ at: '2026-03-02', channel: 'coffee', note: 'Hi' });
    expect(getTouch(nb, t)!.personIds).toEqual([ana]);
  });

  it('refuses an empty or impossible date, no people, or an unknown channel, writing nothing', () => {
    const { nb, t } = setup();
    const before = JSON.stringify(getTouch(nb, t));
    expect(() => updateTouch(nb, t, { at: '', note: 'x' })).toThrow(/needs a date/);
    expect(() => updateTouch(nb, t, { at: '2026-02-30', note: 'x' })).toThrow(ValidationError);
    expect(() => updateTouch(nb, t, { at: '2026-02-30' })).toThrow(/2026-02-30/);
    expect(() => updateTouch(nb, t, { personIds: [], note: 'x' })).toThrow(/at least one person/);
    expect(() => updateTouch(nb, t, { personIds: ['nobody'], note: 'x' })).toThrow(/nobody/);
    expect(() => updateTouch(nb, t, { channel: 'telepathy' as never, note: 'x' })).toThrow(
      /channel must be one of/,
    );
    expect(JSON.stringify(getTouch(nb, t))).toBe(before);
  });

  it('refuses to edit a removed imported touch (its tombstone stays a tombstone)', () => {
    const { nb, t } = setup();
    nb.doc.transact(() => nb.touches.get(t)!.set('source', 'ics:abc'), LOCAL_ORIGIN);
    removeTouch(nb, t);
    expect(() => updateTouch(nb, t, { note: 'back?' })).toThrow(/was removed/);
    expect(nb.touches.get(t)!.get('note')).toBe('Hi');
  });
});
