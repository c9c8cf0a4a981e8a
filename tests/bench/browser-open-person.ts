/**
 * Opening a person (issue 14 point 14), in headless Chromium against the production build:
 * a notebook of N people (about 5 ties and 10 touches each: 10,000 people, 50,000 ties,
 * 100,000 touches) seeded into the app, the graph of people shown, then several people
 * clicked with real mouse events — rows of the people list and nodes of the graph — and
 * for each click
 *
 * - click to panel painted: from the `pointerup` of the click (its event timestamp) to the
 *   first task after the frame in which the person panel, their touch timeline and their
 *   ties had all rendered that person;
 * - every main-thread task over 50 ms (PerformanceObserver `longtask`) that ended after the
 *   `pointerup` and started within two seconds of it (centring the graph on them, the
 *   list scrolling to them, anything the selection set off).
 *
 * Acceptance at 10,000 people: no long task over 100 ms — reported against that budget.
 *
 *   npx tsx tests/bench/browser-open-person.ts [sizes…] [--profile] [--layout]
 *
 * People are drawn at cached grid positions (as after a first layout; the e2e tests do the
 * same): laying out 10,000 people takes minutes on a loaded machine and is not what is
 * measured. `--layout` lets the app lay them out first instead.
 *
 * `--profile` builds the app unminified and prints where each click's main-thread time goes
 * (Chrome DevTools CPU profile of that click: inclusive and self time per function).
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.js';
import { buildApp, E2E_CONNECT_SRC } from '../e2e/global-setup.ts';
import { CHROMIUM_ARGS } from '../e2e/browser.ts';
import { CONNECT_SRC_ENV } from '../../src/server/csp.ts';
import { generateNotebook } from './gen-notebook.ts';
import { listPeople } from '../../src/model/index.ts';
import { showEveryone } from './browser.ts';
import { formatTable, row, type Row } from './row.ts';

/** The budget for one main-thread task while a person opens. */
const BUDGET_MS = 100;
const LIST_CLICKS = 6;
const GRAPH_CLICKS = 6;

const log = (what: string) =>
  console.error(`${new Date().toISOString().slice(11, 19)} open-person: ${what}`);

/** The production build, unminified when profiling (names in the profile). */
export async function buildFor(dist: string, profile: boolean): Promise<void> {
  if (!profile) return buildApp(dist);
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  process.env[CONNECT_SRC_ENV] = E2E_CONNECT_SRC.join(' ');
  try {
    await build({
      root: process.cwd(),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: dist, emptyOutDir: true, sourcemap: false, minify: false },
    });
  } finally {
    process.env.NODE_ENV = env;
    delete process.env[CONNECT_SRC_ENV];
  }
}

/** Recorded in the page from its first script: long tasks and the last pointerup. */
const RECORDER = `(() => {
  globalThis.__name = (f) => f;
  const w = window;
  w.__longTasks = [];
  w.__lastUp = 0;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  addEventListener('pointerup', (e) => { w.__lastUp = e.timeStamp; }, true);
})();`;

interface Click {
  where: 'list' | 'graph';
  id: string;
  openMs: number;
  longTasks: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

/** Wait (in the page) until the panel shows `id` (or whoever the graph selected) painted. */
async function waitOpened(
  page: Page,
  expected: string | null,
  prev: string | undefined,
): Promise<{ id: string; t: number }> {
  return page.evaluate(
    async ({ expected, prev }) => {
      type Lit = HTMLElement & { personId?: string | null; isUpdatePending: boolean };
      const app = document.querySelector('vt-app')!;
      const graph = app.shadowRoot!.querySelector('vt-graph') as HTMLElement;
      const opened = (): string | undefined => {
        const id = expected ?? graph.dataset.selected;
        if (!id || (expected === null && id === prev)) return undefined;
        const panel = app.shadowRoot!.querySelector('vt-person-panel') as Lit | null;
        if (!panel || panel.personId !== id || panel.isUpdatePending) return undefined;
        const parts = ['vt-touch-timeline', 'vt-person-ties'].map(
          (tag) => panel.shadowRoot!.querySelector(tag) as Lit | null,
        );
        if (parts.some((p) => !p || p.personId !== id || p.isUpdatePending)) return undefined;
        return panel.shadowRoot!.querySelector('h2') ? id : undefined;
      };
      for (let f = 0; f < 2000; f++) {
        await new Promise((ok) => requestAnimationFrame(ok));
        const id = opened();
        // Checked in a frame's callbacks: that frame paints it; the next task runs after.
        if (id)
          return new Promise<{ id: string; t: number }>((ok) =>
            setTimeout(() => ok({ id, t: performance.now() }), 0),
          );
      }
      throw new Error(`the person panel never showed ${expected ?? 'the selected person'}`);
    },
    { expected, prev },
  );
}

/** Let the page go quiet: what the previous click set off has run. */
async function quiet(page: Page): Promise<void> {
  await page.waitForTimeout(1500);
  await page.evaluate(async () => {
    for (let i = 0; i < 3; i++) await new Promise((ok) => requestAnimationFrame(ok));
  });
}

/** CPU profiling of one click at a time (`--profile`): start, then stop and summarise. */
interface ClickProfiler {
  start(): Promise<void>;
  stop(): Promise<string>;
}

async function clickAndMeasure(
  page: Page,
  where: Click['where'],
  doClick: () => Promise<void>,
  expected: string | null,
  profiler?: ClickProfiler,
): Promise<Click> {
  await quiet(page);
  await profiler?.start();
  await page.evaluate(() => {
    (window as unknown as { __lastUp: number }).__lastUp = 0;
  });
  const prev = await page.evaluate(
    () =>
      (document.querySelector('vt-app')!.shadowRoot!.querySelector('vt-graph') as HTMLElement)
        .dataset.selected,
  );
  await doClick();
  const { id, t } = await waitOpened(page, expected, prev);
  // Whatever the selection set off after the panel painted (centring, scrolling) counts too.
  await page.waitForTimeout(2000);
  const { up, tasks } = await page.evaluate(() => {
    const w = window as unknown as {
      __lastUp: number;
      __longTasks: { start: number; duration: number }[];
    };
    return { up: w.__lastUp, tasks: w.__longTasks };
  });
  if (!up) throw new Error('the click was not seen by the page');
  const longTasks = tasks
    .filter((x) => x.start + x.duration > up && x.start < up + 2000)
    .map((x) => x.duration);
  const click = { where, id, openMs: t - up, longTasks };
  log(
    `${where} ${id}: open ${click.openMs.toFixed(0)} ms, long tasks [${longTasks.map((d) => d.toFixed(0)).join(', ')}]`,
  );
  if (profiler)
    console.log(`\nCPU profile of the ${where} click on ${id}:\n${await profiler.stop()}\n`);
  return click;
}

/** Rows of the people list currently drawn, and graph nodes on screen, to click. */
async function targets(
  page: Page,
): Promise<{ rows: string[]; nodes: { id: string; x: number; y: number; room: number }[] }> {
  return page.evaluate(() => {
    const app = document.querySelector('vt-app')!.shadowRoot!;
    const list = app.querySelector('vt-people-list')!.shadowRoot!;
    const listBox = list.host.getBoundingClientRect();
    const rows = [...list.querySelectorAll<HTMLElement>('button.row[data-id]')]
      .filter((b) => {
        const r = b.getBoundingClientRect();
        return r.top >= listBox.top && r.bottom <= listBox.bottom && r.height > 0;
      })
      .map((b) => b.dataset.id!);
    type Node = {
      id(): string;
      renderedPosition(): { x: number; y: number };
      degree(b: boolean): number;
    };
    const graph = app.querySelector('vt-graph') as HTMLElement & {
      graphView: { cy: { nodes(): { toArray(): Node[] }; width(): number; height(): number } };
    };
    const cy = graph.graphView.cy;
    const box = graph.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
    const w = cy.width();
    const h = cy.height();
    // Nodes well inside the view, the most isolated first (whoever a click hits is opened).
    const all = cy.nodes().toArray();
    const pos = all.map((n) => n.renderedPosition());
    const inside = all
      .map((n, i) => ({ n, p: pos[i]! }))
      .filter(({ p }) => p.x > w * 0.15 && p.x < w * 0.85 && p.y > h * 0.15 && p.y < h * 0.85)
      .slice(0, 400);
    const room = (p: { x: number; y: number }) =>
      Math.min(...pos.map((q) => (q === p ? Infinity : Math.hypot(q.x - p.x, q.y - p.y))));
    const nodes = inside
      .map(({ n, p }) => ({ id: n.id(), x: box.left + p.x, y: box.top + p.y, room: room(p) }))
      .sort((a, b) => b.room - a.room)
      .slice(0, 40);
    return { rows, nodes };
  });
}

async function measureSize(
  browser: Browser,
  url: string,
  n: number,
  profile: boolean,
  positions: Record<string, [number, number]> | undefined,
): Promise<{ clicks: Click[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
  await context.addInitScript(RECORDER);
  const page = await context.newPage();
  // A loaded machine stretches every step; the figures come from the page, not from these.
  page.setDefaultTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const ready = () =>
    document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph')?.dataset.ready ===
    'true';
  try {
    await page.goto(url);
    await page.waitForFunction(() => '__vitrine' in window, undefined, { timeout: 60_000 });
    if (positions) {
      // Cached positions (as after a first layout), so the first draw needs no layout.
      await page.evaluate((p) => {
        localStorage.setItem('vitrine-notebook', JSON.stringify({ v: 1, p }));
      }, positions);
    }
    await page.evaluate(async (file) => {
      const v = (window as unknown as { __vitrine: { nb: { doc: Y.Doc }; Y: typeof Y } }).__vitrine;
      v.Y.applyUpdate(v.nb.doc, new Uint8Array(await (await fetch(file)).arrayBuffer()), 'seed');
    }, `/bench/notebook-${n}.bin`);
    log(`${n}: seeded`);
    await page.waitForFunction(ready, undefined, { timeout: 900_000, polling: 200 });
    // Let y-indexeddb and the position cache finish writing, then open it as a user would.
    await page.waitForTimeout(3000);
    await page.reload();
    await page.waitForFunction(ready, undefined, { timeout: 900_000, polling: 200 });
    await showEveryone(page, n);
    log(`${n}: people graph drawn`);
    await page.waitForTimeout(3000);

    const cdp = profile ? await context.newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    // Each click profiled on its own: the first clicks and the later ones differ.
    const profiler: ClickProfiler | undefined = cdp && {
      start: async () => void (await cdp.send('Profiler.start')),
      stop: async () => summarise((await cdp.send('Profiler.stop')).profile, 12, 8),
    };
    const clicks: Click[] = [];
    const { rows } = await targets(page);
    if (rows.length < 3) throw new Error(`only ${rows.length} rows of the list are on screen`);
    for (let i = 0; i < LIST_CLICKS; i++) {
      const id = rows[(i * 3 + 1) % rows.length]!;
      clicks.push(
        await clickAndMeasure(
          page,
          'list',
          () => page.locator(`vt-people-list button.row[data-id="${id}"]`).click(),
          id,
          profiler,
        ),
      );
    }
    for (let i = 0; i < GRAPH_CLICKS; i++) {
      // The graph pans to each opened person: pick from what is on screen now.
      const { nodes } = await targets(page);
      const open = await page.evaluate(
        () =>
          (document.querySelector('vt-app')!.shadowRoot!.querySelector('vt-graph') as HTMLElement)
            .dataset.selected,
      );
      const node = nodes.filter((x) => x.id !== open)[(i * 7) % Math.max(1, nodes.length - 1)];
      if (!node) throw new Error('no person of the graph is on screen to click');
      // Whoever the click hits is opened (a crowded graph has no node alone under a pixel).
      clicks.push(
        await clickAndMeasure(
          page,
          'graph',
          () => page.mouse.click(node.x, node.y),
          null,
          profiler,
        ),
      );
    }
    if (errors.length) throw new Error(`console errors in the page:\n${errors.join('\n')}`);
    return { clicks };
  } finally {
    await context.close();
  }
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self and inclusive time per function over the profile, the top `inclusive` and `own`. */
function summarise(profile: CpuProfile, inclusive = 45, own = 30): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const ms = (dt[i + 1] ?? 0) / 1000;
    const k = key(id);
    if (k.startsWith('(idle)') || k.startsWith('(program)')) return;
    self.set(k, (self.get(k) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(cur);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + ms);
    }
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${v.toFixed(1).padStart(9)} ms  ${k}`)
      .join('\n');
  return `inclusive:\n${top(total, inclusive)}\n\nself:\n${top(self, own)}`;
}

/** Run the benchmark for each size (people besides the owner); returns the rows. */
export async function benchOpenPerson(
  sizes: number[],
  profile = false,
  layout = false,
): Promise<Row[]> {
  const grids = new Map<number, Record<string, [number, number]>>();
  const dist = await mkdtemp(join(tmpdir(), 'vitrine-open-'));
  const rows: Row[] = [];
  try {
    await buildFor(dist, profile);
    await mkdir(join(dist, 'bench'), { recursive: true });
    for (const n of sizes) {
      const { nb } = generateNotebook(n, 1);
      await writeFile(join(dist, 'bench', `notebook-${n}.bin`), Y.encodeStateAsUpdate(nb.doc));
      // Unless asked to lay out (minutes at 10,000 people on a loaded machine): a grid.
      if (!layout) {
        const grid: Record<string, [number, number]> = {};
        const side = Math.ceil(Math.sqrt(n + 1));
        listPeople(nb).forEach((p, i) => {
          grid[p.id] = [(i % side) * 60, Math.floor(i / side) * 60];
        });
        grids.set(n, grid);
      }
    }
    log('built');
    const server = await serveStatic({ root: dist, port: 0 });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      for (const n of sizes) {
        const label = n >= 1000 ? `${n / 1000}k` : String(n);
        const { clicks } = await measureSize(browser, server.url, n, profile, grids.get(n));
        for (const c of clicks)
          log(
            `${label} ${c.where} ${c.id}: open ${c.openMs.toFixed(0)} ms, long tasks [${c.longTasks.map((d) => d.toFixed(0)).join(', ')}]`,
          );
        for (const where of ['list', 'graph'] as const) {
          const mine = clicks.filter((c) => c.where === where);
          const open = mine.map((c) => c.openMs);
          const longest = Math.max(0, ...mine.flatMap((c) => c.longTasks));
          rows.push(
            row(
              `open a person from the ${where}, ${label}: longest main-thread task`,
              longest,
              'ms',
              { name: 'budget (issue 14)', value: BUDGET_MS },
              n >= 10_000 ? { max: 1 } : undefined,
            ),
            row(
              `open a person from the ${where}, ${label}: click to panel painted, median`,
              median(open),
              'ms',
            ),
            row(
              `open a person from the ${where}, ${label}: click to panel painted, p95`,
              p95(open),
              'ms',
            ),
          );
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dist, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const sizes = args.map(Number).filter((n) => n > 0);
  const rows = await benchOpenPerson(
    sizes.length ? sizes : [1_000, 10_000],
    args.includes('--profile'),
    args.includes('--layout'),
  );
  console.log(formatTable(rows));
}
