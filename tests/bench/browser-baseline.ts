/**
 * The benchmark's baseline page: the least work that can draw the notebook's graph from
 * IndexedDB — a bare `Y.Doc` loaded by y-indexeddb from the app's own database, and a bare
 * Cytoscape instance drawing the same people and ties at the same positions (preset layout,
 * positions handed over by the bench in localStorage). It marks `vitrine:graph-drawn` in
 * the frame after drawing, as `<vt-graph>` does.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import cytoscape from 'cytoscape';

async function run(): Promise<void> {
  const doc = new Y.Doc();
  await new IndexeddbPersistence('vitrine-notebook', doc).whenSynced;
  const positions = JSON.parse(localStorage.getItem('vitrine-bench-positions') ?? '{}') as Record<
    string,
    { x: number; y: number }
  >;
  const people = doc.getMap<Y.Map<unknown>>('people');
  const ties = doc.getMap<Y.Map<unknown>>('ties');
  const elements: cytoscape.ElementDefinition[] = [];
  const alive = new Set<string>();
  for (const [id, m] of people) {
    if (m.get('deletedAt')) continue;
    alive.add(id);
    elements.push({
      group: 'nodes',
      data: { id, label: String(m.get('name') ?? '') },
      position: positions[id] ?? { x: 0, y: 0 },
    });
  }
  for (const [id, m] of ties) {
    const source = m.get('from') as string;
    const target = m.get('to') as string;
    if (source !== target && alive.has(source) && alive.has(target)) {
      elements.push({ group: 'edges', data: { id, source, target } });
    }
  }
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0';
  document.body.append(container);
  cytoscape({
    container,
    elements,
    layout: { name: 'preset' },
    style: [
      {
        selector: 'node',
        style: { label: 'data(label)', 'min-zoomed-font-size': 8, width: 12, height: 12 },
      },
      { selector: 'edge', style: { 'curve-style': 'haystack', width: 1 } },
    ],
  });
  await new Promise((ok) => requestAnimationFrame(ok));
  performance.mark('vitrine:graph-drawn');
  (window as unknown as { __benchDone: boolean }).__benchDone = true;
}

void run();
