/**
 * `npm run bench`: every benchmark, each figure against a baseline measured in the same run.
 *
 *   npm run bench                    all suites, 1k and 10k people, a table
 *   npm run bench -- --json          the same rows as JSON (for machines)
 *   npm run bench -- --only model,analysis
 *   npm run bench -- --quick         1k people only
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatTable, type Row } from './row.ts';

type Suite = (sizes: number[]) => Promise<Row[]>;

const SUITES: Record<string, { file: string; fn: string }> = {
  model: { file: './model.ts', fn: 'benchModel' },
  'touch-log': { file: './touch-log.ts', fn: 'benchTouchLog' },
  analysis: { file: './analysis.ts', fn: 'benchAnalysis' },
  'analysis-client': { file: './analysis-client.ts', fn: 'benchAnalysisClient' },
  graph: { file: './graph.ts', fn: 'benchGraph' },
  import: { file: './import.ts', fn: 'benchImport' },
  calendar: { file: './calendar.ts', fn: 'benchCalendar' },
  mail: { file: './mail.ts', fn: 'benchMail' },
  sync: { file: './sync.ts', fn: 'benchSync' },
  today: { file: './today.ts', fn: 'benchToday' },
  browser: { file: './browser.ts', fn: 'benchBrowser' },
  'open-person': { file: './browser-open-person.ts', fn: 'benchOpenPerson' },
  'open-today': { file: './browser-today.ts', fn: 'benchOpenToday' },
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',')
  : Object.keys(SUITES);
const sizes = quick ? [1_000] : [1_000, 10_000];

const all: (Row & { suite: string })[] = [];
let failed = false;
for (const name of only) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`Unknown bench suite "${name}"; choose from ${Object.keys(SUITES).join(', ')}.`);
    process.exit(2);
  }
  if (!existsSync(fileURLToPath(new URL(suite.file, import.meta.url)))) continue;
  const mod = (await import(suite.file)) as Record<string, Suite>;
  if (!json) console.log(`\n## ${name}`);
  try {
    const rows = await mod[suite.fn]!(sizes);
    for (const r of rows) all.push({ suite: name, ...r });
    if (!json) console.log(formatTable(rows));
  } catch (e) {
    failed = true;
    console.error(`bench ${name} failed: ${(e as Error).stack ?? String(e)}`);
  }
}
if (json) console.log(JSON.stringify(all, null, 2));
const over = all.filter(
  (r) =>
    r.limit &&
    r.ratio !== undefined &&
    ((r.limit.max !== undefined && r.ratio > r.limit.max) ||
      (r.limit.min !== undefined && r.ratio < r.limit.min)),
);
if (!json && over.length) console.log(`\n${over.length} figure(s) outside their limit.`);
process.exitCode = failed ? 1 : 0;
