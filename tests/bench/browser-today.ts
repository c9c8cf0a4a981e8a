/**
 * "Opening Today never blocks the page for more than 50 ms" (issue 13), in headless
 * Chromium against the production build, at 10,000 people / 100,000 touches by default.
 *
 * Seeds the app's IndexedDB with a generated notebook that has every kind of Today item
 * (`addTodayData` from `today.ts`: birthdays, meetings, follow-ups, snoozes), reloads, waits
 * for the graph and for Today's first result (the header badge), then repeatedly switches
 * the side panel from Trash to Today, and from Trash to Settings (the baseline: a panel of
 * forms), recording every main-thread task over 50 ms (PerformanceObserver `longtask`)
 * from the click until the panel has drawn and one second more. After each pair, the same watch
 * with no click at all: the long tasks the page has anyway (the graph drawing at 10,000
 * people), which any opening's window also catches. Then downloads Today's
 * calendar file (.ics) a few times and records the long tasks from the click to the
 * download and half a second more.
 *
 * Rows: the longest task opening Today, opening Settings and making the .ics, each against
 * the 50 ms budget (ratio ≤ 1 at 10,000 people), and the click to Today drawn against the
 * click to Settings drawn (medians).
 *
 *   npx tsx tests/bench/browser-today.ts [sizes…] [--everyone] [--profile]
 *
 * `--everyone` shows every person in the graph first (above 5,000 people the app shows
 * clusters as nodes). `--profile` builds the app unminified and prints, for one more opening
 * of each panel and one download, where the long tasks' time goes: a Chrome performance
 * trace (self time per event: style, layout, paint, script entry points) and the CPU
 * profile's functions with the most self time.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.js';
import { CHROMIUM_ARGS } from '../e2e/browser.ts';
import { buildFor } from './browser-open-person.ts';
import { showEveryone } from './browser.ts';
import { generateNotebook } from './gen-notebook.ts';
import { formatTable, row, type Row } from './row.ts';
import { addTodayData } from './today.ts';

/** The issue's budget for one main-thread task while Today opens. */
const BUDGET_MS = 50;
const OPENINGS = 6;
const DOWNLOADS = 3;

const log = (what: string) =>
  console.error(`${new Date().toISOString().slice(11, 19)} open-today: ${what}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function graphReady(): boolean {
  const g = document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph');
  return (g as HTMLElement | null | undefined)?.dataset.ready === 'true';
}

function todayReady(): boolean {
  const root = document.querySelector('vt-app')?.shadowRoot;
  return [...(root?.querySelectorAll('header button') ?? [])].some((b) =>
    /^Today \d+ due$/.test(b.getAttribute('aria-label') ?? ''),
  );
}

/** Start collecting long tasks afresh (in the page). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __obs?: PerformanceObserver };
    w.__long = [];
    w.__obs?.disconnect();
    w.__obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    });
    w.__obs.observe({ type: 'longtask' });
  });
}

const longTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __long: number[] }).__long);

/** Let the page go quiet: what the previous step set off has run. */
async function quiet(page: Page): Promise<void> {
  await page.waitForTimeout(1500);
  await page.evaluate(async () => {
    for (let i = 0; i < 3; i++) await new Promise((ok) => requestAnimationFrame(ok));
  });
}

interface Opening {
  ms: number;
  longTasks: number[];
}

/**
 * Switch the side panel from `from` to `to` (header buttons) and record the long tasks
 * from the click until `to`'s content (`ready`, a selector in its shadow root) is drawn,
 * and one second more.
 */
async function openPanel(
  page: Page,
  from: string,
  to: string,
  tag: string,
  ready: string,
): Promise<Opening> {
  await page.getByRole('button', { name: from, exact: true }).click();
  await quiet(page);
  await watchLongTasks(page);
  const ms = await page.evaluate(
    ({ to, tag, ready }) =>
      new Promise<number>((resolve) => {
        const root = document.querySelector('vt-app')!.shadowRoot!;
        const button = [...root.querySelectorAll<HTMLButtonElement>('header button')].find((b) =>
          (b.getAttribute('aria-label') ?? b.textContent ?? '').trim().startsWith(to),
        )!;
        const t0 = performance.now();
        button.click();
        const check = () => {
          const list = root.querySelector(tag)?.shadowRoot?.querySelector(ready);
          if (list) requestAnimationFrame(() => resolve(performance.now() - t0));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { to, tag, ready },
  );
  await page.waitForTimeout(1000);
  return { ms, longTasks: await longTasks(page) };
}

const openToday = (page: Page) => openPanel(page, 'Trash', 'Today', 'vt-today', 'li[data-key]');
const openSettings = (page: Page) => openPanel(page, 'Trash', 'Settings', 'vt-settings', 'section');

/**
 * The same watch with no click: the long tasks the page has anyway (the graph drawing, an
 * analysis result arriving), so that what opening a panel adds can be told from them.
 */
async function idleWindow(page: Page, ms: number): Promise<Opening> {
  await quiet(page);
  await watchLongTasks(page);
  await page.waitForTimeout(ms + 1000);
  return { ms: 0, longTasks: await longTasks(page) };
}

/** Today is open: download its calendar file and record the long tasks until it arrives. */
async function downloadIcs(page: Page): Promise<Opening> {
  await quiet(page);
  await watchLongTasks(page);
  const t0 = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600_000 }),
    page.getByRole('button', { name: 'Download calendar (.ics)' }).click(),
  ]);
  const ms = Date.now() - t0;
  await download.delete();
  await page.waitForTimeout(500);
  return { ms, longTasks: await longTasks(page) };
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: {
    name?: string;
    data?: { functionName?: string; url?: string; lineNumber?: number };
  };
}

/**
 * The long tasks of a performance trace and where each one's time goes: self time per
 * trace event (script entry points named by function and file), the largest first.
 */
function summariseTrace(events: TraceEvent[]): string {
  const mains = events.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  const count = (m: TraceEvent) =>
    events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length;
  const main = mains.sort((a, b) => count(b) - count(a))[0];
  if (!main) return '(no renderer main thread in the trace)';
  const xs = events
    .filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const label = (e: TraceEvent) => {
    const d = e.args?.data;
    return d?.functionName || d?.url
      ? `${e.name} ${d.functionName || '(anon)'} ${(d.url ?? '').split('/').pop()}:${d.lineNumber ?? ''}`
      : e.name;
  };
  const out: string[] = [];
  const tops = xs.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  for (const task of tops) {
    if (task.dur! < BUDGET_MS * 1000) continue;
    const end = task.ts + task.dur!;
    const inside = xs.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
    const self = new Map<string, number>();
    const stack: { e: TraceEvent; self: number }[] = [{ e: task, self: task.dur! }];
    const pop = (until: number) => {
      while (stack.length > 1 && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= until) {
        const s = stack.pop()!;
        self.set(label(s.e), (self.get(label(s.e)) ?? 0) + s.self);
      }
    };
    for (const e of inside) {
      pop(e.ts);
      stack.at(-1)!.self -= e.dur!;
      stack.push({ e, self: e.dur! });
    }
    pop(Infinity);
    self.set('(task, not in an event)', stack[0]!.self);
    out.push(
      `  task of ${(task.dur! / 1000).toFixed(0)} ms:\n${[...self]
        .sort((a, b) => b[1] - a[1])
        .filter(([, us]) => us >= 1000)
        .slice(0, 14)
        .map(([k, us]) => `    ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`)
        .join('\n')}`,
    );
  }
  return out.length ? out.join('\n') : '  (no task over 50 ms)';
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions with the most self time in a CPU profile. */
function topSelf(profile: CpuProfile, n = 20): string {
  const byId = new Map(profile.nodes.map((x) => [x.id, x.callFrame]));
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)!;
    const k = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    if (k.startsWith('(idle)')) return;
    self.set(k, (self.get(k) ?? 0) + (dt[i + 1] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `    ${ms.toFixed(1).padStart(7)} ms  ${k}`)
    .join('\n');
}

/** One more of `step`, under a performance trace and the CPU profiler; the summaries. */
async function profiled(
  browser: Browser,
  context: BrowserContext,
  page: Page,
  what: string,
  step: () => Promise<unknown>,
): Promise<string> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      'blink.user_timing',
    ],
  });
  await cdp.send('Profiler.start');
  await step();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: TraceEvent[];
  };
  await cdp.detach();
  return `${what}\n${summariseTrace(trace.traceEvents)}\n  CPU profile, self time:\n${topSelf(profile)}`;
}

async function measureSize(
  browser: Browser,
  url: string,
  n: number,
  opts: { everyone: boolean; profile: boolean },
): Promise<{
  today: Opening[];
  settings: Opening[];
  idle: Opening[];
  ics: Opening[];
  count: string;
}> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
    acceptDownloads: true,
  });
  // tsx (esbuild keepNames) wraps named functions in page.evaluate callbacks with __name.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  page.setDefaultTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => '__vitrine' in window, undefined, { timeout: 120_000 });
    await page.evaluate(async (file) => {
      const v = (window as unknown as { __vitrine: { nb: { doc: Y.Doc }; Y: typeof Y } }).__vitrine;
      v.Y.applyUpdate(v.nb.doc, new Uint8Array(await (await fetch(file)).arrayBuffer()), 'seed');
    }, `/bench/today-${n}.bin`);
    await page.waitForFunction(graphReady, undefined, { timeout: 1_800_000, polling: 500 });
    log(`${n}: seeded and drawn`);
    // Let y-indexeddb finish writing, then open the notebook as a user would.
    await page.waitForTimeout(3000);
    await page.reload();
    await page.waitForFunction(graphReady, undefined, { timeout: 1_800_000, polling: 500 });
    await page.waitForFunction(todayReady, undefined, { timeout: 1_800_000, polling: 500 });
    if (opts.everyone) await showEveryone(page, n);
    const count = await page.evaluate(() =>
      [...document.querySelector('vt-app')!.shadowRoot!.querySelectorAll('header button')]
        .map((b) => b.getAttribute('aria-label') ?? '')
        .find((l) => l.startsWith('Today')),
    );
    log(`${n}: reopened; ${count}`);
    await page.waitForTimeout(3000);
    const today: Opening[] = [];
    const settings: Opening[] = [];
    const idle: Opening[] = [];
    for (let i = 0; i < OPENINGS; i++) {
      today.push(await openToday(page));
      settings.push(await openSettings(page));
      idle.push(await idleWindow(page, today.at(-1)!.ms));
      log(
        `${n}: idle [${idle.at(-1)!.longTasks.map((d) => d.toFixed(0))}]; Today [${today.at(-1)!.longTasks.map((d) => d.toFixed(0))}] ${today.at(-1)!.ms.toFixed(0)} ms; Settings [${settings.at(-1)!.longTasks.map((d) => d.toFixed(0))}] ${settings.at(-1)!.ms.toFixed(0)} ms`,
      );
    }
    await openToday(page);
    const ics: Opening[] = [];
    for (let i = 0; i < DOWNLOADS; i++) {
      ics.push(await downloadIcs(page));
      log(`${n}: .ics [${ics.at(-1)!.longTasks.map((d) => d.toFixed(0))}] ${ics.at(-1)!.ms} ms`);
    }
    if (opts.profile) {
      const parts = [
        await profiled(browser, context, page, 'Opening Today:', () => openToday(page)),
        await profiled(browser, context, page, 'Opening Settings:', () => openSettings(page)),
      ];
      await openToday(page);
      parts.push(await profiled(browser, context, page, '.ics download:', () => downloadIcs(page)));
      console.log(`\nWhere the time goes, ${n} people:\n${parts.join('\n\n')}\n`);
    }
    if (errors.length) throw new Error(`console errors in the page:\n${errors.join('\n')}`);
    return { today, settings, idle, ics, count: count ?? '' };
  } finally {
    await context.close();
  }
}

/** Run the benchmark for each size (people besides the owner); returns the rows. */
export async function benchOpenToday(
  sizes: number[],
  opts: { everyone?: boolean; profile?: boolean } = {},
): Promise<Row[]> {
  const o = { everyone: opts.everyone ?? false, profile: opts.profile ?? false };
  const dist = await mkdtemp(join(tmpdir(), 'vitrine-today-'));
  const rows: Row[] = [];
  try {
    await buildFor(dist, o.profile);
    await mkdir(join(dist, 'bench'), { recursive: true });
    for (const n of sizes) {
      const { nb, ids } = generateNotebook(n, 7);
      addTodayData(nb, ids, new Date());
      await writeFile(join(dist, 'bench', `today-${n}.bin`), Y.encodeStateAsUpdate(nb.doc));
    }
    log('built and generated');
    const server = await serveStatic({ root: dist, port: 0 });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      for (const n of sizes) {
        const label = `${n >= 1000 ? `${n / 1000}k` : n}${o.everyone ? ', every person drawn' : ''}`;
        const m = await measureSize(browser, server.url, n, o);
        const longest = (xs: Opening[]) => Math.max(0, ...xs.flatMap((x) => x.longTasks));
        const budget = { name: 'budget (issue 13)', value: BUDGET_MS };
        const limit = n >= 10_000 ? { max: 1 } : undefined;
        const settingsMs = median(m.settings.map((x) => x.ms));
        rows.push(
          row(
            `open Today, ${label}: longest main-thread task`,
            longest(m.today),
            'ms',
            budget,
            limit,
          ),
          row(
            `nothing opened, ${label} (as long, no click): longest main-thread task`,
            longest(m.idle),
            'ms',
            budget,
          ),
          row(
            `open Settings, ${label}: longest main-thread task`,
            longest(m.settings),
            'ms',
            budget,
          ),
          row(
            `open Today, ${label} (${m.count}): click to list drawn, median`,
            median(m.today.map((x) => x.ms)),
            'ms',
            { name: 'the same for Settings', value: settingsMs },
          ),
          row(
            `download Today's .ics, ${label}: longest main-thread task`,
            longest(m.ics),
            'ms',
            budget,
            limit,
          ),
        );
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
  const sizes = args.map(Number).filter((x) => x > 0);
  const rows = await benchOpenToday(sizes.length ? sizes : [10_000], {
    everyone: args.includes('--everyone'),
    profile: args.includes('--profile'),
  });
  console.log(formatTable(rows));
}
