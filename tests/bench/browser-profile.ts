/**
 * Where the time of "add one person to the drawn graph" goes: seeds a notebook like
 * `browser.ts`, then profiles one added person with the Chrome DevTools profiler and prints
 * the functions with the most self time. `npx tsx tests/bench/browser-profile.ts [people]`.
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

const n = Number(process.argv[2] ?? 1000);
const dist = await mkdtemp(join(tmpdir(), 'vitrine-prof-'));
await buildApp(dist);
await mkdir(join(dist, 'bench'), { recursive: true });
await writeFile(
  join(dist, 'bench', 'nb.bin'),
  Y.encodeStateAsUpdate(generateNotebook(n, 1).nb.doc),
);
const server = await serveStatic({ root: dist, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const READY = `(() => document.querySelector('vt-app')?.shadowRoot?.querySelector('vt-graph')?.dataset.ready === 'true')()`;
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
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
  await page.waitForFunction(READY, undefined, { timeout: 900_000, polling: 200 });
  await page.waitForTimeout(3000);
  await page.reload();
  await page.waitForFunction(READY, undefined, { timeout: 900_000, polling: 200 });
  // Above 5,000 people the app shows clusters as nodes: profile the graph of people.
  await showEveryone(page, n);
  await page.waitForTimeout(3000);
  // Renderer alone: a second view (canvas, then WebGL) fed the same input, one person added.
  const renderers = await page.evaluate(async () => {
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
    const out: Record<string, number> = {};
    for (const webgl of [false, true]) {
      const box = document.createElement('div');
      box.style.cssText = 'position:fixed;left:0;top:0;width:800px;height:600px;z-index:9';
      document.body.append(box);
      const input = () => ({
        people: v.model.listPeople(v.nb),
        ties: v.model.listTies(v.nb),
        ownerId: v.nb.ownerId,
      });
      let t0 = performance.now();
      const view = create(box, { onSelect() {}, positionsKey: 'vitrine-notebook', webgl });
      view.update(input());
      await view.whenLayoutDone();
      await frame();
      out[`${webgl ? 'webgl' : 'canvas'} build`] = Math.round(performance.now() - t0);
      const adds: number[] = [];
      for (let i = 0; i < 3; i++) {
        v.model.addPerson(v.nb, { name: `R ${webgl} ${i}` });
        await frame();
        t0 = performance.now();
        view.update(input());
        await frame();
        adds.push(performance.now() - t0);
      }
      out[`${webgl ? 'webgl' : 'canvas'} add (median)`] = Math.round(
        [...adds].sort((a, b) => a - b)[1]!,
      );
      view.destroy();
      box.remove();
    }
    return out;
  });
  console.log(renderers);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const phases = await page.evaluate(async () => {
    const v = (
      window as unknown as {
        __vitrine: { nb: unknown; model: Record<string, (...a: unknown[]) => unknown> };
      }
    ).__vitrine;
    const el = document
      .querySelector('vt-app')!
      .shadowRoot!.querySelector('vt-graph') as HTMLElement & { updateComplete: Promise<unknown> };
    const out: Record<string, number> = {};
    for (let i = 0; i < 3; i++) {
      await new Promise((ok) => requestAnimationFrame(ok));
      const t0 = performance.now();
      v.model.addPerson(v.nb, { name: `P ${i}` });
      const t1 = performance.now();
      await el.updateComplete;
      const t2 = performance.now();
      await new Promise((ok) => requestAnimationFrame(ok));
      const t3 = performance.now();
      out[`run${i}`] = Math.round(t3 - t0);
      out[`run${i} command+selectors`] = Math.round(t1 - t0);
      out[`run${i} lit updates`] = Math.round(t2 - t1);
      out[`run${i} to next frame`] = Math.round(t3 - t2);
    }
    return out;
  });
  const { profile } = await cdp.send('Profiler.stop');
  console.log(phases);
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  (profile.samples ?? []).forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  console.log(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n'),
  );
} finally {
  await browser.close();
  await server.close();
  await rm(dist, { recursive: true, force: true });
}
