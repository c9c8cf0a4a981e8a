/**
 * "One added person" in the drawn graph, alone and taken apart (issue 3): seeds a notebook
 * like `browser.ts`, then in the app's own drawn graph measures
 *
 * - one added person, from the command to the frame after Cytoscape drew it, split into
 *   command, Lit update and draw, and whether the new node lies inside the viewport (a node
 *   off screen is not drawn at all, which would flatter the figure);
 * - a full rebuild of the graph view with cached positions (as `browser.ts`);
 * - diagnostic variants applied to the app's instance at run time (edges hidden, zoomed
 *   in), to show where the draw time goes; they are not the app's settings;
 * - a CPU profile of one add (functions with the most self time).
 *
 *   npx tsx tests/bench/browser-add.ts [people]      (default 10000)
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/serve.js';
import { buildApp } from '../e2e/global-setup.ts';
import { CHROMIUM_ARGS } from '../e2e/browser.ts';
import { generateNotebook } from './gen-notebook.ts';
import { showEveryone } from './browser.ts';

const n = Number(process.argv[2] ?? 10_000);
/** Progress on stderr: a 10k seed and layout take minutes on a loaded machine. */
const log = (what: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${what}`);
const dist = await mkdtemp(join(tmpdir(), 'vitrine-add-'));
await buildApp(dist);
await mkdir(join(dist, 'bench'), { recursive: true });
await writeFile(
  join(dist, 'bench', 'nb.bin'),
  Y.encodeStateAsUpdate(generateNotebook(n, 1).nb.doc),
);
log('built');
const server = await serveStatic({ root: dist, port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
const READY = `(() => document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph')?.dataset.ready === 'true')()`;
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
  // tsx (esbuild keepNames) wraps named functions in page.evaluate callbacks with __name.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => '__vitrine' in window);
  await page.evaluate(async () => {
    const v = (window as unknown as { __vitrine: { nb: { doc: Y.Doc }; Y: typeof Y } }).__vitrine;
    v.Y.applyUpdate(
      v.nb.doc,
      new Uint8Array(await (await fetch('/bench/nb.bin')).arrayBuffer()),
      'seed',
    );
  });
  log('seeded');
  await page.waitForFunction(READY, undefined, { timeout: 900_000, polling: 200 });
  log('laid out');
  await page.waitForTimeout(3000);
  await page.reload();
  await page.waitForFunction(READY, undefined, { timeout: 900_000, polling: 200 });
  log('reopened');
  await showEveryone(page, n);
  log('people graph drawn');
  await page.waitForTimeout(2000);

  const measure = async (variant: string) =>
    page.evaluate(
      async ({ variant, reps }) => {
        type Cy = {
          zoom(): number;
          extent(): { x1: number; x2: number; y1: number; y2: number };
          getElementById(id: string): { position(): { x: number; y: number }; empty(): boolean };
          style(): {
            selector(s: string): { style(o: object): unknown };
            update(): void;
          };
          zoom(o: object): void;
          width(): number;
          height(): number;
        };
        const v = (
          window as unknown as {
            __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
          }
        ).__vitrine;
        const el = document
          .querySelector('vt-app')!
          .shadowRoot!.querySelector('vt-graph') as HTMLElement & {
          updateComplete: Promise<unknown>;
          graphView: { cy: Cy };
        };
        const cy = el.graphView.cy;
        const app = document.querySelector('vt-app') as HTMLElement & {
          select(id: string | null): void;
        };
        const frame = () => new Promise((ok) => requestAnimationFrame(ok));
        if (variant === 'no edges') {
          (cy.style().selector('edge').style({ display: 'none' }) as { update(): void }).update();
        } else if (variant === 'zoom 4x') {
          cy.zoom({
            level: cy.zoom() * 4,
            renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
          });
        }
        await frame();
        await frame();
        await new Promise((ok) => setTimeout(ok, 500));
        const rows: number[][] = [];
        let inView = 0;
        for (let i = 0; i < reps; i++) {
          await frame();
          const t0 = performance.now();
          const id = v.model.addPerson!(v.nb, { name: `Bench ${variant} ${i}` }) as string;
          // What "Save" in the person form does next: open the new person, which selects
          // them in the graph and brings them into view.
          app.select(id);
          const t1 = performance.now();
          await el.updateComplete;
          const t2 = performance.now();
          // Two frames: the second cannot start before the first one's drawing finished.
          await frame();
          await frame();
          const t3 = performance.now();
          const p = cy.getElementById(id).position();
          const e = cy.extent();
          if (p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2) inView++;
          rows.push([t3 - t0, t1 - t0, t2 - t1, t3 - t2]);
          await new Promise((ok) => setTimeout(ok, 300));
        }
        rows.sort((a, b) => a[0]! - b[0]!);
        const med = rows[Math.floor(rows.length / 2)]!.map(Math.round);
        return {
          variant,
          total: med[0],
          command: med[1],
          lit: med[2],
          draw: med[3],
          inView,
          reps,
          zoom: cy.zoom(),
        };
      },
      { variant, reps: 3 },
    );
  console.log(await measure('app'));
  const rebuild = await page.evaluate(async () => {
    type View = { update(i: object): void; whenLayoutDone(): Promise<void>; destroy(): void };
    const v = (
      window as unknown as {
        __vitrine: {
          nb: { ownerId?: string };
          model: Record<string, (...a: unknown[]) => unknown>;
          graph(): Promise<(c: HTMLElement, o: object) => View>;
        };
      }
    ).__vitrine;
    const create = await v.graph();
    const frame = () => new Promise((ok) => requestAnimationFrame(ok));
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      const box = document.createElement('div');
      box.style.cssText = 'position:fixed;left:0;top:0;width:800px;height:600px';
      document.body.append(box);
      await frame();
      const t0 = performance.now();
      const view = create(box, { onSelect() {}, positionsKey: 'vitrine-notebook' });
      view.update({
        people: v.model.listPeople!(v.nb),
        ties: v.model.listTies!(v.nb),
        ownerId: v.nb.ownerId,
      });
      await view.whenLayoutDone();
      await frame();
      await frame();
      out.push(Math.round(performance.now() - t0));
      view.destroy();
      box.remove();
    }
    return out;
  });
  console.log({ rebuild });

  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  console.log(await measure('app (profiled)'));
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  (profile.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n'),
  );
  if (process.env.VARIANTS) {
    console.log(await measure('zoom 4x'));
    console.log(await measure('no edges'));
  }
  if (errors.length) console.log('console errors:', errors);
} finally {
  await browser.close();
  await server.close();
  await rm(dist, { recursive: true, force: true });
}
