/**
 * The light touch log (issue 15, docs/decisions/0012): a notebook of 10,000 people, 50,000
 * ties and 200,000 touches (190,000 of them imported from mail and calendars, 10,000 logged
 * by hand), each figure against a baseline measured in the same run:
 *
 * - heap of the notebook opened and read (people, ties, touches) against the same data as
 *   plain JavaScript objects parsed from its Vitrine JSON (acceptance: at most 4×), and the
 *   same for the layout before 0012 (one map per touch) beside it;
 * - open time (decode the bytes, migrate, read every person) against `JSON.parse` of the
 *   Vitrine JSON (reported) and against bare `Y.applyUpdate` of the same bytes (at most 1.2×).
 *
 * Run alone (one at a time on a shared machine):
 * `node --expose-gc --import tsx tests/bench/touch-log.ts [--log | --maps]` (one layout
 * only with a flag); with the others: `npm run bench -- --only touch-log`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { Notebook, listPeople, listTies, listTouches } from '../../src/model/index.ts';
import { exportJson } from '../../src/io/json.ts';
import { generateNotebook } from './gen-notebook.ts';
import { formatTable, row, type Row } from './row.ts';

const MiB = 2 ** 20;

function heapUsed(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap held by what `make` returns, from a garbage-collected baseline. */
function heapOf(make: () => unknown): number {
  const h0 = heapUsed();
  const kept = make();
  const h1 = heapUsed();
  // Keep `kept` alive until measured.
  if (kept === undefined) throw new Error('nothing kept');
  return h1 - h0;
}

function open(bytes: Uint8Array): Notebook {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, bytes);
  const nb = new Notebook(doc);
  nb.migrate();
  return nb;
}

/** Medians of `fns` run in turn (a b c a b c …), so load from elsewhere weighs on all alike. */
function timeAll(fns: (() => unknown)[], runs: number): number[] {
  const times = fns.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      times[i]!.push(performance.now() - t0);
    });
  }
  return times.map((xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!);
}

export async function benchTouchLog(
  sizes: number[] = [10_000],
  only?: 'log' | 'maps',
  report: (r: Row) => void = () => {},
): Promise<Row[]> {
  if (!globalThis.gc) console.warn('Run with node --expose-gc for the heap figures.');
  const people = sizes.includes(10_000) ? 10_000 : Math.min(...sizes);
  const label = `${people / 1000}k people, ${(people * 5) / 1000}k ties, ${(people * 20) / 1000}k touches`;
  const rows: Row[] = [];
  const layouts = [
    ['light touch log', 'log'],
    ['one map per touch (before 0012)', 'maps'],
  ] as const;
  for (const [name, layout] of layouts) {
    if (only && layout !== only) continue;
    const { nb } = generateNotebook(people, 1, { perPerson: 20, importedPerPerson: 19, layout });
    const bytes = Y.encodeStateAsUpdate(nb.doc);
    const text = JSON.stringify(exportJson(nb));
    const counts = [listPeople(nb).length, listTies(nb).length, listTouches(nb).length];
    nb.destroy();
    if (counts[2]! < people * 19) throw new Error(`generated only ${counts[2]} touches`);
    const plain = heapOf(() => JSON.parse(text) as unknown);
    const opened = heapOf(() => {
      const o = open(bytes);
      return [o, listPeople(o)];
    });
    const read = heapOf(() => {
      const o = open(bytes);
      return [o, listPeople(o), listTies(o), listTouches(o)];
    });
    const base = { name: 'plain objects from Vitrine JSON', value: plain / MiB };
    const at = rows.length;
    rows.push(
      row(`heap ${label}, ${name}: opened, people read`, opened / MiB, 'MiB', base),
      row(
        `heap ${label}, ${name}: opened, people, ties and touches read`,
        read / MiB,
        'MiB',
        base,
        layout === 'log' ? { max: 4 } : undefined,
      ),
    );
    rows.slice(at).forEach(report);
    const at2 = rows.length;
    const openPeople = () => {
      const o = open(bytes);
      if (listPeople(o).length !== people + 1) throw new Error('open lost people');
    };
    openPeople(); // warm-up
    const [openT, parseT, bareT] = timeAll(
      [openPeople, () => JSON.parse(text), () => Y.applyUpdate(new Y.Doc(), bytes)],
      3,
    );
    rows.push(
      row(`open ${label}, ${name}: decode + read every person`, openT!, 'ms', {
        name: 'JSON.parse of its Vitrine JSON',
        value: parseT!,
      }),
      row(
        `open ${label}, ${name}: decode + read every person`,
        openT!,
        'ms',
        { name: 'bare Y.applyUpdate', value: bareT! },
        layout === 'log' ? { max: 1.2 } : undefined,
      ),
      row(`stored size ${label}, ${name}, Yjs update v1`, bytes.length / MiB, 'MiB', {
        name: 'Vitrine JSON',
        value: new TextEncoder().encode(text).length / MiB,
      }),
    );
    rows.slice(at2).forEach(report);
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const only = process.argv.includes('--maps')
    ? 'maps'
    : process.argv.includes('--log')
      ? 'log'
      : undefined;
  const rows = await benchTouchLog([10_000], only, (r) => console.log(formatTable([r])));
  console.log(`\n${formatTable(rows)}`);
}
