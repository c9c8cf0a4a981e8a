/**
 * Notebook core benchmark (issue 2): open time, stored size, time per command, heap.
 * Run alone: `npx tsx tests/bench/model.ts`, or with the others: `npm run bench`.
 */
import * as Y from 'yjs';
import {
  Notebook,
  addPerson,
  createUndoManager,
  deletePerson,
  linkPeople,
  listPeople,
  listTies,
  listTouches,
  logTouch,
  updatePerson,
} from '../../src/model/index.ts';
import { exportJson } from '../../src/io/json.ts';
import { generateNotebook } from './gen-notebook.ts';
import { formatTable, row, time, timePair, type Row } from './row.ts';

function commandTimes(size: number): Record<string, number> {
  const { nb, ids } = generateNotebook(size, 7);
  const um = createUndoManager(nb);
  listPeople(nb);
  listTies(nb);
  let k = 0;
  const next = () => ids[(k = (k + 7919) % ids.length)]!;
  return {
    addPerson: time(() => addPerson(nb, { name: `New ${k++}`, org: 'Bench' }), 50),
    updatePerson: time(() => updatePerson(nb, next(), { role: `Role ${k++}` }), 50),
    linkPeople: time(() => linkPeople(nb, next(), next(), { strength: 3 }), 50),
    logTouch: time(
      () => logTouch(nb, { personIds: [next()], at: '2026-05-01', channel: 'call' }),
      50,
    ),
    'deletePerson + undo': time(() => {
      deletePerson(nb, next());
      um.undo();
    }, 50),
  };
}

/** Open, size, per-command and memory figures for each notebook size. */
export async function benchModel(sizes: number[] = [1_000, 10_000]): Promise<Row[]> {
  const rows: Row[] = [];
  let small: Record<string, number> | undefined;
  for (const size of sizes) {
    const label = size >= 1000 ? `${size / 1000}k` : String(size);
    const { nb } = generateNotebook(size, 1);
    const v1 = Y.encodeStateAsUpdate(nb.doc);
    const v2 = Y.encodeStateAsUpdateV2(nb.doc);
    const json = JSON.stringify(exportJson(nb));
    const jsonBytes = new TextEncoder().encode(json).length;
    const counts = `${listPeople(nb).length} people, ${listTies(nb).length} ties, ${listTouches(nb).length} touches`;
    const [open, bare] = timePair(
      () => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, v1);
        const opened = new Notebook(doc);
        opened.migrate();
        if (listPeople(opened).length !== size + 1) throw new Error('open lost people');
      },
      () => Y.applyUpdate(new Y.Doc(), v1),
      size >= 10_000 ? 5 : 9,
    );
    const openAll = time(() => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, v1);
      const opened = new Notebook(doc);
      listPeople(opened);
      listTies(opened);
      listTouches(opened);
    }, 3);
    rows.push(
      row(
        `open ${label} (${counts}): decode + read every person`,
        open,
        'ms',
        { name: 'bare Y.applyUpdate', value: bare },
        { max: 1.5 },
      ),
      row(`open ${label}: decode + read people, ties and touches`, openAll, 'ms', {
        name: 'bare Y.applyUpdate',
        value: bare,
      }),
      row(
        `stored size ${label}, Yjs update v1`,
        v1.length / 1024,
        'KiB',
        { name: 'Vitrine JSON', value: jsonBytes / 1024 },
        { max: 2 },
      ),
      row(
        `stored size ${label}, Yjs update v2`,
        v2.length / 1024,
        'KiB',
        { name: 'Vitrine JSON', value: jsonBytes / 1024 },
        { max: 2 },
      ),
    );
    const cmds = commandTimes(size);
    for (const [name, ms] of Object.entries(cmds)) {
      rows.push(
        row(
          `command ${label}: ${name}`,
          ms,
          'ms',
          small ? { name: `same at ${sizes[0]! / 1000}k`, value: small[name]! } : undefined,
        ),
      );
    }
    small ??= cmds;
    // Heap: a notebook opened and fully read, against the bare document, each measured
    // from its own garbage-collected baseline and kept alive until measured.
    const heap = () => (globalThis.gc?.(), process.memoryUsage().heapUsed);
    const keep: unknown[] = [];
    let h0 = heap();
    const bareDoc = new Y.Doc();
    Y.applyUpdate(bareDoc, v1);
    keep.push(bareDoc);
    const bareHeap = heap() - h0;
    keep.length = 0;
    bareDoc.destroy();
    h0 = heap();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, v1);
    const opened = new Notebook(doc);
    keep.push(opened, listPeople(opened), listTies(opened), listTouches(opened));
    const openHeap = heap() - h0;
    keep.length = 0;
    rows.push(
      row(`heap ${label}: notebook opened and fully read`, openHeap / 2 ** 20, 'MiB', {
        name: 'bare Y.Doc',
        value: bareHeap / 2 ** 20,
      }),
    );
    nb.destroy();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatTable(await benchModel()));
}
