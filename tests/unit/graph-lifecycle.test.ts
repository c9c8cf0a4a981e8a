import { describe, expect, it } from 'vitest';
import { addPerson, linkPeople, listPeople, listTies } from '../../src/model/index.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { LayoutRunner } from '../../src/graph/layout.ts';
import { testNotebook } from '../helpers/notebook.ts';

describe('graph view lifecycle', () => {
  it('whenLayoutDone settles when the view is destroyed mid-layout (a worker that never answers)', async () => {
    let started = 0;
    // Like a worker ended by destroy(): the pending run never settles.
    const stuck: LayoutRunner = {
      run: () => {
        started++;
        return new Promise(() => {});
      },
      destroy() {},
    };
    const nb = testNotebook();
    const a = addPerson(nb, { name: 'Ana' });
    linkPeople(nb, nb.ownerId!, a);
    const view = createHeadlessGraphView({
      onSelect: () => {},
      storage: { getItem: () => null, setItem: () => {} },
      positionsKey: 'lifecycle',
      layoutRunner: stuck,
    });
    view.update({ people: listPeople(nb), ties: listTies(nb), ownerId: nb.ownerId });
    expect(started).toBe(1);
    const done = view.whenLayoutDone();
    view.destroy();
    await expect(done).resolves.toBeUndefined();
  });
});
