/**
 * Issue 17, point 1: components reach the notebook through the model — a change
 * subscription (`Notebook.onChange`) and an undo wrapper (`History`) — never through Yjs.
 */
import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import {
  History,
  addPerson,
  getPerson,
  listPeople,
  updatePerson,
  type NotebookChange,
} from '../../src/model/index.ts';
import { testNotebook } from '../helpers/notebook.ts';

describe('Notebook.onChange', () => {
  it('tells local and remote changes apart, after the caches know about them', () => {
    const nb = testNotebook();
    const seen: { change: NotebookChange; names: string[] }[] = [];
    nb.onChange((change) => seen.push({ change, names: listPeople(nb).map((p) => p.name) }));
    addPerson(nb, { name: 'Ana' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.change.local).toBe(true);
    expect(seen[0]!.names).toContain('Ana');

    const other = testNotebook({ prefix: 'o' });
    addPerson(other, { name: 'Bo' });
    Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(other.doc), 'remote');
    expect(seen).toHaveLength(2);
    expect(seen[1]!.change).toEqual({ local: false, origin: 'remote' });
    expect(seen[1]!.names).toContain('Bo');
  });

  it('stays quiet for a transaction that changed nothing, and stops when asked', () => {
    const nb = testNotebook();
    const listener = vi.fn();
    const stop = nb.onChange(listener);
    nb.doc.transact(() => {});
    expect(listener).not.toHaveBeenCalled();
    const ana = addPerson(nb, { name: 'Ana' });
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    updatePerson(nb, ana, { role: 'Dev' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('a listener that throws does not keep the others from hearing', async () => {
    const nb = testNotebook();
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    try {
      nb.onChange(() => {
        throw new Error('boom');
      });
      const second = vi.fn();
      nb.onChange(second);
      addPerson(nb, { name: 'Ana' });
      expect(second).toHaveBeenCalledTimes(1);
      await new Promise((r) => setTimeout(r, 0));
      expect(String(errors[0])).toContain('boom');
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});

describe('History', () => {
  it('undoes and redoes local commands only, and tells its listeners', () => {
    const nb = testNotebook();
    const history = new History(nb);
    const changed = vi.fn();
    history.onChange(changed);
    const ana = addPerson(nb, { name: 'Ana' });
    expect(history.canUndo()).toBe(true);
    expect(changed).toHaveBeenCalled();
    history.undo();
    expect(getPerson(nb, ana)).toBeUndefined();
    expect(history.canRedo()).toBe(true);
    history.redo();
    expect(getPerson(nb, ana)?.name).toBe('Ana');

    const other = testNotebook({ prefix: 'o' });
    addPerson(other, { name: 'Bo' });
    Y.applyUpdate(nb.doc, Y.encodeStateAsUpdate(other.doc), 'remote');
    expect(history.undoDepth).toBe(1);
    history.destroy();
  });

  it('undoes a given step only while it is still the last one', () => {
    const nb = testNotebook();
    const history = new History(nb);
    const ana = addPerson(nb, { name: 'Ana' });
    const step = history.top()!;
    updatePerson(nb, ana, { role: 'Dev' });
    expect(history.undoStep(step)).toBe(false);
    expect(getPerson(nb, ana)?.role).toBe('Dev');
    history.undo();
    expect(history.undoStep(step)).toBe(true);
    expect(getPerson(nb, ana)).toBeUndefined();
  });

  it('joins a change to the last step only when asked', () => {
    const nb = testNotebook();
    const history = new History(nb);
    const ana = addPerson(nb, { name: 'Ana' });
    history.joinLast(() => updatePerson(nb, ana, { role: 'Dev' }));
    expect(history.undoDepth).toBe(1);
    updatePerson(nb, ana, { org: 'ACME' });
    expect(history.undoDepth).toBe(2);
    history.clear();
    expect(history.canUndo()).toBe(false);
  });
});
