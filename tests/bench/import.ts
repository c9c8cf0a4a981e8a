/**
 * Import benchmark (issue 6 acceptance): a generated 10,000-row LinkedIn Connections.csv,
 * full import into an empty notebook (plan + apply: parse, match, one Yjs transaction)
 * against the bare papaparse parse of the same text, in the same run. Acceptance: ≤ 3×.
 *
 * Also reported, so the ratio can be read: planning alone (everything but the Yjs writes)
 * and the bare Yjs writes of the same people and ties with no parsing at all (the floor
 * any importer writing this schema pays).
 *
 * Run alone: `npx tsx tests/bench/import.ts`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import * as Y from 'yjs';
import { Notebook } from '../../src/model/index.ts';
import { applyImport, planImport } from '../../src/io/formats.ts';
import { formatTable, row, type Row } from './row.ts';

export type { Row };

const FIRST = ['Ana', 'Jürgen', 'Priya', 'Tomás', 'Mei', 'Sam', 'Lena', 'Hugo', 'Noor', 'Kai'];
const LAST = ['Lima', 'Müller', 'Raman', "O'Connor", 'Chen', 'Okafor', 'Fischer', 'Bernard'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A LinkedIn export with `n` distinct connections (deterministic). */
export function linkedInCsv(n: number): string {
  const lines = [
    'Notes:',
    '"Generated for the import benchmark in the layout of LinkedIn\'s Connections.csv; every person is invented."',
    '',
    'First Name,Last Name,URL,Email Address,Company,Position,Connected On',
  ];
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = `${LAST[(i * 7) % LAST.length]!}-${i}`;
    const company = i % 5 === 0 ? `"Company ${i % 300}, Inc."` : `Company ${i % 300}`;
    const email = i % 10 === 0 ? `${first.toLowerCase()}.${i}@example.com` : '';
    const date = `${String((i % 28) + 1).padStart(2, '0')} ${MONTHS[i % 12]} ${2010 + (i % 15)}`;
    lines.push(
      `${first},${last},https://www.linkedin.com/in/${first.toLowerCase()}-${i},${email},${company},Role ${i % 40},${date}`,
    );
  }
  return lines.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * Run the benchmark for each size (default 10,000 rows). Every figure is a median of
 * `runs` rounds, and each round times the bare parse, the full import, planning alone and
 * the bare Yjs writes back to back, so load from elsewhere on the machine weighs on all.
 */
export async function benchImport(sizes: number[] = [10_000], runs = 7): Promise<Row[]> {
  const out: Row[] = [];
  for (const rows of sizes) {
    const text = linkedInCsv(rows);
    const bytes = new TextEncoder().encode(text);
    const parse: number[] = [];
    const full: number[] = [];
    const plan: number[] = [];
    const yjs: number[] = [];
    const oneValue: number[] = [];
    for (let r = -1; r < runs; r++) {
      const p = time(() => {
        Papa.parse<string[]>(text, { skipEmptyLines: true });
      });
      const nb = new Notebook();
      nb.migrate();
      let people = 0;
      const f = time(() => {
        people = applyImport(nb, planImport(nb, bytes, 'Connections.csv')).added;
      });
      if (people !== rows) throw new Error(`expected ${rows} people, imported ${people}`);
      const pl = time(() => {
        planImport(new Notebook(), bytes, 'Connections.csv');
      });
      const y = time(() => bareYjs(rows));
      const o = time(() => bareYjsOneValue(rows));
      // Round -1 is the warm-up (JIT).
      if (r >= 0) {
        parse.push(p);
        full.push(f);
        plan.push(pl);
        yjs.push(y);
        oneValue.push(o);
      }
    }
    const base = { name: 'bare papaparse parse', value: median(parse) };
    out.push(
      row(`import ${rows} LinkedIn rows: plan + apply`, median(full), 'ms', base, { max: 3 }),
      row(`plan ${rows} LinkedIn rows (read, match; no writes)`, median(plan), 'ms', base),
      row(`bare Yjs writes of ${rows} people + ties`, median(yjs), 'ms', base),
      row(`bare Yjs writes, one value per entity (no field merges)`, median(oneValue), 'ms', base),
    );
  }
  return out;
}

/** The same entities written straight into a Y.Doc: the floor for this schema. */
function bareYjs(n: number): void {
  const doc = new Y.Doc();
  const people = doc.getMap('people');
  const ties = doc.getMap('ties');
  doc.transact(() => {
    for (let i = 0; i < n; i++) {
      const p = new Y.Map<unknown>();
      people.set(`p${i}`, p);
      p.set('createdAt', '2025-12-07T00:00:00.000Z');
      p.set('notes', new Y.Text());
      p.set('name', `Ana Lima-${i}`);
      p.set('org', `Company ${i % 300}`);
      p.set('role', `Role ${i % 40}`);
      p.set('links', [`https://www.linkedin.com/in/ana-${i}`]);
      const t = new Y.Map<unknown>();
      ties.set(`t${i}`, t);
      t.set('from', 'me');
      t.set('to', `p${i}`);
      t.set('createdAt', '2025-12-07T00:00:00.000Z');
      t.set('kind', 'acquaintance');
      t.set('strength', 3);
      t.set('since', '2025-12-07');
      t.set('note', 'LinkedIn connection');
    }
  });
}

/**
 * The same people and ties as one plain value each (no per-field keys, no notes text): the
 * floor of a layout that gave up field-level merging, shown to size that trade-off.
 */
function bareYjsOneValue(n: number): void {
  const doc = new Y.Doc();
  const people = doc.getMap('people');
  const ties = doc.getMap('ties');
  doc.transact(() => {
    for (let i = 0; i < n; i++) {
      people.set(`p${i}`, {
        createdAt: '2025-12-07T00:00:00.000Z',
        name: `Ana Lima-${i}`,
        org: `Company ${i % 300}`,
        role: `Role ${i % 40}`,
        links: [`https://www.linkedin.com/in/ana-${i}`],
      });
      ties.set(`t${i}`, {
        from: 'me',
        to: `p${i}`,
        createdAt: '2025-12-07T00:00:00.000Z',
        kind: 'acquaintance',
        strength: 3,
        since: '2025-12-07',
        note: 'LinkedIn connection',
      });
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const rows = await benchImport();
  console.log(formatTable(rows));
  console.log(JSON.stringify(rows));
}
