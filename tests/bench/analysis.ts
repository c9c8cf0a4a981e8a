/**
 * Bench: the full `analyze` against graphology's Louvain alone on the same notebook graph.
 *
 * Two baselines, measured in the same run, interleaved with `analyze`, in CPU time:
 * - "Louvain on a prebuilt graph": graphology-communities-louvain only, on a graphology
 *   graph of the notebook built beforehand (a node per person, `mergeEdge` per tie,
 *   weight = strength). The budget — the whole analysis, from snapshot to
 *   result, in at most 2× this at 10,000 people — applies here.
 * - "graphology graph + Louvain": the same plus building that graph, i.e. what getting
 *   communities out of a snapshot with graphology alone costs. Shown for scale.
 *
 * Run alone: `npx tsx tests/bench/analysis.ts [sizes…]` (default 1000 10000).
 */
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../src/analysis/index.ts';
import type { GraphSnapshot } from '../../src/analysis/snapshot.ts';
import { mulberry32 } from '../../src/analysis/util.ts';
import { generateSnapshot } from './gen-snapshot.ts';
import { formatTable, row, type Row } from './row.ts';

function buildGraph(snapshot: GraphSnapshot): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const p of snapshot.people) graph.mergeNode(p.id);
  for (const t of snapshot.ties) {
    if (t.from !== t.to) graph.mergeEdge(t.from, t.to, { weight: t.strength });
  }
  return graph;
}

function runLouvain(graph: UndirectedGraph): void {
  louvain(graph, { getEdgeWeight: 'weight', rng: mulberry32(1) });
}

/**
 * CPU time of `fn` in milliseconds (this process, user + system). CPU time rather than
 * wall time: on a shared machine, wall time mostly measures the neighbours, and the two
 * sides of a ratio get hit unevenly.
 */
function time(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Median times of `analyze` and its baselines at each size (people besides the owner). */
export async function benchAnalysis(sizes: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const snapshot = generateSnapshot({ people: size, seed: 7 });
    const runs = size >= 5000 ? 21 : 41;
    const analyzeMs: number[] = [];
    const buildAndLouvainMs: number[] = [];
    const louvainMs: number[] = [];
    // One warm-up round so the JIT has seen every path.
    analyze({ ...snapshot });
    runLouvain(buildGraph(snapshot));
    for (let r = 0; r < runs; r++) {
      // A fresh snapshot object each time: analyze caches per snapshot object.
      analyzeMs.push(time(() => analyze({ ...snapshot })));
      let graph: UndirectedGraph | undefined;
      const build = time(() => (graph = buildGraph(snapshot)));
      const run = time(() => runLouvain(graph!));
      buildAndLouvainMs.push(build + run);
      louvainMs.push(run);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const value = median(analyzeMs);
    const people = `${size.toLocaleString('en-US')} people, ${snapshot.ties.length.toLocaleString('en-US')} ties`;
    rows.push(
      row(
        `analyze (${people})`,
        round1(value),
        'ms CPU',
        { name: 'Louvain on a prebuilt graph', value: round1(median(louvainMs)) },
        // The budget is set at 10k people; smaller sizes are shown for the trend.
        size >= 10_000 ? { max: 2 } : undefined,
      ),
      row(`analyze (${people})`, round1(value), 'ms CPU', {
        name: 'graphology graph + Louvain',
        value: round1(median(buildAndLouvainMs)),
      }),
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = await benchAnalysis(args.length > 0 ? args : [1000, 10_000]);
  console.log(formatTable(rows));
}
