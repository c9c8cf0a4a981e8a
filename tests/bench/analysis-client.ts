/**
 * Bench: what the app's analysis client costs on the page's main thread after an edit —
 * building the analysis snapshot with its incremental `SnapshotBuilder` — against the
 * model's `graphSnapshot` after the same kind of edit, measured alternately in one run.
 * (The analysis itself runs in a Web Worker; see `analysis.ts` for its cost.)
 *
 * In the app the builder's work is also cut into slices of ~8 ms (`buildSliced`), so the
 * page never sees it as one long task; this bench times the work in one piece.
 *
 * Run alone: `npx tsx tests/bench/analysis-client.ts [sizes…]` (default 1000 10000).
 */
import { pathToFileURL } from 'node:url';
import { graphSnapshot, logTouch } from '../../src/model/index.ts';
import { SnapshotBuilder } from '../../src/app/analysis-client.ts';
import { generateNotebook } from './gen-notebook.ts';
import { formatTable, row, type Row } from './row.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round1 = (v: number) => Math.round(v * 10) / 10;

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Snapshot after one logged touch and with nothing changed, builder vs `graphSnapshot`. */
export async function benchAnalysisClient(sizes: number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const { nb, ids } = generateNotebook(size, 3);
    const builder = new SnapshotBuilder();
    builder.build(nb);
    graphSnapshot(nb);
    const runs = size >= 5000 ? 9 : 31;
    const afterTouch: number[] = [];
    const modelAfterTouch: number[] = [];
    const unchanged: number[] = [];
    const modelUnchanged: number[] = [];
    for (let r = 0; r < runs; r++) {
      logTouch(nb, { personIds: [ids[(r * 37) % ids.length]!] });
      afterTouch.push(timed(() => builder.build(nb)));
      unchanged.push(timed(() => builder.build(nb)));
      logTouch(nb, { personIds: [ids[(r * 53 + 11) % ids.length]!] });
      modelAfterTouch.push(timed(() => graphSnapshot(nb)));
      modelUnchanged.push(timed(() => graphSnapshot(nb)));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const label = `${size.toLocaleString('en-US')} people`;
    rows.push(
      row(
        `analysis snapshot after one touch (${label})`,
        round1(median(afterTouch)),
        'ms',
        { name: 'graphSnapshot after one touch', value: round1(median(modelAfterTouch)) },
        // The builder exists to be cheaper than rebuilding with graphSnapshot.
        { max: 1 },
      ),
      row(
        `analysis snapshot, nothing changed (${label})`,
        round1(median(unchanged)),
        'ms',
        { name: 'graphSnapshot, nothing changed', value: round1(median(modelUnchanged)) },
        { max: 1 },
      ),
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  console.log(formatTable(await benchAnalysisClient(args.length > 0 ? args : [1000, 10_000])));
}
