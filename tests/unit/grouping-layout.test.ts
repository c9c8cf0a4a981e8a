/**
 * The layout hook of "group by organisation" (issue 12 point 7): until the cluster-aware
 * layout takes a person → group map, a full layout gets layout-only pulls between members
 * of one group; nothing is drawn for them, and the catch-all groups are not gathered.
 */
import { expect, it } from 'vitest';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { LayoutRequest, LayoutRunner } from '../../src/graph/layout.ts';
import { person, tie } from '../helpers/graph.ts';

it('pulls the members of each group together in the layout, and draws no extra edge', async () => {
  const requests: LayoutRequest[] = [];
  const runner: LayoutRunner = {
    run(req) {
      requests.push(req);
      return Promise.resolve({ ids: [...req.nodes], xy: new Float64Array(req.nodes.length * 2) });
    },
    dispose() {},
  };
  const ids = ['a1', 'a2', 'a3', 'b1', 'b2', 'x1'];
  const people = [person('me'), ...ids.map((id) => person(id))];
  const ties = ids.map((id) => tie(`t-${id}`, 'me', id));
  const view = createHeadlessGraphView({ onSelect() {}, layoutRunner: runner });
  view.update({
    people,
    ties,
    ownerId: 'me',
    layoutGroups: new Map([
      ['a1', 'org:a'],
      ['a2', 'org:a'],
      ['a3', 'org:a'],
      ['b1', 'org:b'],
      ['b2', 'org:b'],
    ]),
  });
  await view.whenLayoutDone();
  expect(requests).toHaveLength(1);
  const pulls = requests[0]!.edges.filter(([s, t]) => s !== 'me' && t !== 'me');
  expect(pulls.map(([s, t]) => `${s}-${t}`).sort()).toEqual(['a1-a2', 'a1-a3', 'b1-b2']);
  // Pulls are for the layout only: the graph still draws the six ties and nothing else.
  expect(view.cy!.edges().length).toBe(6);

  // Without groups the layout sees the ties alone.
  const plain = createHeadlessGraphView({ onSelect() {}, layoutRunner: runner });
  plain.update({ people, ties, ownerId: 'me' });
  await plain.whenLayoutDone();
  expect(requests[1]!.edges).toHaveLength(6);
  view.destroy();
  plain.destroy();
});
