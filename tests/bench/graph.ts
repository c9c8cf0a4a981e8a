/**
 * Graph adapter bench, in Node on headless Cytoscape (no drawing; the app's in-browser
 * bench measures drawing). Run alone with `npx tsx tests/bench/graph.ts [sizes...]`.
 *
 * - "add one person": `update()` with one new person and two ties on a drawn graph,
 *   against building the whole graph from scratch with the same elements and stylesheet
 *   (acceptance at 10,000 people / 50,000 ties: at least 20× faster, ratio ≤ 0.05).
 * - "open from cache": a view's first `update()` with every position cached (no layout),
 *   against the same bare build: what the adapter adds on top of Cytoscape itself.
 */
import cytoscape from 'cytoscape';
import type { Person, Tie } from '../../src/model/index.ts';
import { createHeadlessGraphView } from '../../src/graph/headless.ts';
import type { GraphInput, GraphView } from '../../src/graph/graph-view.ts';
import { graphStyle, LARGE_GRAPH } from '../../src/graph/style.ts';
import { generateSnapshot } from './gen-snapshot.ts';
import { formatTable, row, type Row } from './row.ts';

export type { Row };

const UNKNOWN = { status: 'unknown' } as const;
const VETTING = {
  intention: UNKNOWN,
  treatsOthers: UNKNOWN,
  workingStyle: UNKNOWN,
  character: UNKNOWN,
};

/** The model's people and ties for a generated network of `n` people (plus the owner). */
function modelInput(n: number): GraphInput {
  const snap = generateSnapshot({ people: n, seed: 7 });
  const people: Person[] = snap.people.map((p) => ({
    id: p.id,
    name: p.name,
    org: p.org,
    emails: [],
    phones: [],
    links: [],
    tags: p.tags,
    notes: '',
    vetting: VETTING,
    underGlass: false,
    createdAt: '2025-01-01T00:00:00.000Z',
  }));
  const ties: Tie[] = snap.ties.map((t) => ({
    id: t.id,
    from: t.from,
    to: t.to,
    kind: t.kind,
    strength: t.strength,
    introId: t.introId,
    createdAt: t.createdAt,
  }));
  return { people, ties, ownerId: snap.owner };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v);
  }
}

/** Time `benchGraph` rows for each size (people; ties ≈ 5 per person). */
export async function benchGraph(sizes: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of sizes) {
    const input = modelInput(n);
    const storage = new MemoryStorage();
    const key = `bench:${n}`;

    // Lay out once (draft quality above 300 people) so later opens read the cache.
    const seed = createHeadlessGraphView({ onSelect() {}, storage, positionsKey: key });
    seed.update(input);
    await seed.whenLayoutDone();
    const elements = seed.cy!.elements().jsons() as unknown as cytoscape.ElementDefinition[];
    seed.destroy();
    const large = input.people.length > LARGE_GRAPH;

    // Baseline: the whole graph built from scratch with the same elements and style.
    // Interleaved with the adapter's open from cache, so load on a shared machine hits
    // both alike.
    const builds: number[] = [];
    const opens: number[] = [];
    let view: GraphView | undefined;
    for (let i = 0; i < 3; i++) {
      let t0 = performance.now();
      const cy = cytoscape({
        headless: true,
        styleEnabled: true,
        style: graphStyle({ large }),
        layout: { name: 'preset' },
        elements,
      });
      builds.push(performance.now() - t0);
      cy.destroy();

      view?.destroy();
      view = createHeadlessGraphView({ onSelect() {}, storage, positionsKey: key });
      t0 = performance.now();
      view.update(input);
      opens.push(performance.now() - t0);
      if (view.stats!.layouts !== 0) throw new Error('open from cache ran a layout');
    }
    const build = median(builds);
    const open = median(opens);

    // One added person (two ties) at a time, on the drawn graph.
    const v = view!;
    let people = input.people;
    let ties = input.ties;
    const adds: number[] = [];
    for (let i = 0; i < 9; i++) {
      const id = `bench-new-${i}`;
      const a = people[(i * 7919) % people.length]!;
      const b = people[(i * 104729) % people.length]!;
      people = [...people, { ...a, id, name: `Newcomer ${i}` }];
      ties = [
        ...ties,
        { id: `${id}-t1`, from: id, to: a.id, kind: 'friend', strength: 4, createdAt: '' },
        { id: `${id}-t2`, from: id, to: b.id, kind: 'friend', strength: 2, createdAt: '' },
      ];
      const next = { ...input, people, ties };
      const before = v.nodeCount();
      const t0 = performance.now();
      v.update(next);
      adds.push(performance.now() - t0);
      if (v.nodeCount() !== before + 1) throw new Error('the added person was not drawn');
    }
    if (v.stats!.builds !== 1 || v.stats!.layouts !== 0) {
      throw new Error('adding one person rebuilt or re-laid out the graph');
    }
    v.destroy();
    const add = median(adds);

    const label = `${n} people, ${input.ties.length} ties`;
    const rebuild = { name: 'full rebuild, same elements', value: build };
    // Issue 3: one added person at least 20× faster than a full rebuild.
    rows.push(row(`graph: add one person (${label})`, add, 'ms', rebuild, { max: 0.05 }));
    rows.push(row(`graph: open from cached positions (${label})`, open, 'ms', rebuild));
  }
  return rows;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  const rows = await benchGraph(sizes.length ? sizes : [1000, 10000]);
  console.log(formatTable(rows));
  // Cytoscape's headless instances can leave timers behind; the bench is done.
  process.exit(0);
}
