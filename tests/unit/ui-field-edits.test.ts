/**
 * Issue 14, point 2 (undo model): details saved as they are typed make one undo step per
 * field edit, never merged with another field or another command.
 */
import { describe, expect, it } from 'vitest';
import {
  addPerson,
  History,
  getPerson,
  logTouch,
  touchesOf,
  updatePerson,
} from '../../src/model/index.ts';
import { FieldEdits } from '../../src/ui/controllers/app-context.ts';
import { testNotebook } from '../helpers/notebook.ts';

describe('FieldEdits', () => {
  it('merges the saves of one field edit into one undo step', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana', role: 'Dev' });
    const undo = new History(nb);
    const edits = new FieldEdits(() => undo);
    for (const role of ['M', 'Math', 'Mathematician']) {
      edits.run('role', () => updatePerson(nb, ana, { role }));
    }
    edits.end();
    expect(undo.undoDepth).toBe(1);
    undo.undo();
    expect(getPerson(nb, ana)!.role).toBe('Dev');
  });

  it('keeps two fields, a field and a command, and two edits of one field apart', () => {
    const nb = testNotebook();
    const ana = addPerson(nb, { name: 'Ana' });
    const undo = new History(nb);
    const edits = new FieldEdits(() => undo);
    edits.run('org', () => updatePerson(nb, ana, { org: 'ACME' }));
    edits.run('role', () => updatePerson(nb, ana, { role: 'Dev' }));
    logTouch(nb, { personIds: [ana], at: '2026-03-02' });
    edits.run('role', () => updatePerson(nb, ana, { role: 'Lead' }));
    edits.end();
    edits.run('role', () => updatePerson(nb, ana, { role: 'CTO' }));
    undo.undo();
    expect(getPerson(nb, ana)!.role).toBe('Lead');
    undo.undo();
    expect(getPerson(nb, ana)!.role).toBe('Dev');
    expect(touchesOf(nb, ana)).toHaveLength(1);
    undo.undo();
    expect(touchesOf(nb, ana)).toHaveLength(0);
    expect(getPerson(nb, ana)!.role).toBe('Dev');
    undo.undo();
    expect(getPerson(nb, ana)!.role).toBeUndefined();
    expect(getPerson(nb, ana)!.org).toBe('ACME');
  });
});
