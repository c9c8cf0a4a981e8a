/**
 * "Group by organisation" reaches the layout (issue 12 point 7): the cluster-aware layout
 * gets each person's group (catch-all groups: none) and lays each group out as a region;
 * nothing extra is drawn, and without a grouping the layout groups by cluster.
 */
import { expect, it } from 'vitest';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { LayoutRequest, LayoutRunner } from '../../src/graph/layout.ts';
import { person, tie } from '../helpers/graph.ts';

it('lays out by the chosen grouping, and draws no extra edge', async () => {
  const requests: LayoutRequest[] = [];
  const runner: LayoutRunner = {
    run(req) {
      requests.push(req);
      return Promise.resolve({ ids: [...req.nodes], xy: new Float64Array(req.nodes.length * 2) });
    },
    destroy() {},
  };
  const ids = ['a1', 'a2', 'a3', 'b1', 'b2', 'x1'];
  const people = [person('me'), ...ids.map((id) => person(id))];
  const ties = ids.map((id) => tie(`t-${id}`, 'me', id));
  const view = createHeadlessGraphView({ onSelect() {}, layoutRunner: runner });
  view.update({
    people,
    ties,
    ownerId: 'me',
    groupOf: new Map([
      ['a1', 'org:a'],
      ['a2', 'org:a'],
      ['a3', 'org:a'],
      ['b1', 'org:b'],
      ['b2', 'org:b'],
    ]),
  });
  await view.whenLayoutDone();
  expect(requests).toHaveLength(1);
  const req = requests[0]!;
  const groupOf = new Map(req.nodes.map((id, i) => [id, req.groups?.[i] ?? '']));
  expect(Object.fromEntries(groupOf)).toEqual({
    me: '',
    a1: 'org:a',
    a2: 'org:a',
    a3: 'org:a',
    b1: 'org:b',
    b2: 'org:b',
    x1: '',
  });
  // The layout sees the ties alone, and the graph draws the six ties and nothing else.
  expect(req.edges).toHaveLength(6);
  expect(view.cy!.edges().length).toBe(6);

  // Without a grouping the layout groups by cluster.
  const plain = createHeadlessGraphView({ onSelect() {}, layoutRunner: runner });
  plain.update({
    people,
    ties,
    ownerId: 'me',
    clusterOf: new Map([
      ['a1', 'c1'],
      ['b1', 'c1'],
    ]),
  });
  await plain.whenLayoutDone();
  const r2 = requests[1]!;
  expect(r2.groups?.[r2.nodes.indexOf('a1')]).toBe('c1');
  expect(r2.groups?.[r2.nodes.indexOf('b1')]).toBe('c1');
  view.destroy();
  plain.destroy();
});
