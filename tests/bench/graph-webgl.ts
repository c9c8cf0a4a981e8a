/**
 * Does Cytoscape's WebGL renderer (`renderer: { name: 'canvas', webgl: true }`) help at
 * 10,000 people in headless Chromium (SwiftShader, no GPU)? Draws the same graph with the
 * same stylesheet both ways, then pans the view in steps and times each frame.
 * Run with `npx tsx tests/bench/graph-webgl.ts [people]`; prints one line per renderer.
 * Used for docs/decisions/0003-graph-rendering.md; not part of `npm run bench`.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { launchBrowser } from '../e2e/browser.ts';
import { graphStyle } from '../../src/graph/style.ts';
import { generateSnapshot } from './gen-snapshot.ts';
import { clusterColor } from '../../src/graph/elements.ts';

const people = Number(process.argv[2] ?? 10000);
const snap = generateSnapshot({ people, seed: 3 });
const elements = [
  ...snap.people.map((p, i) => ({
    group: 'nodes',
    data: {
      id: p.id,
      label: p.name,
      importance: (i % 10) / 10,
      color: clusterColor(p.org ?? ''),
      owner: p.id === snap.owner ? 1 : 0,
    },
    position: { x: Math.cos(i) * Math.sqrt(i) * 30, y: Math.sin(i) * Math.sqrt(i) * 30 },
  })),
  ...snap.ties.map((t) => ({
    group: 'edges',
    data: { id: t.id, source: t.from, target: t.to, strength: t.strength, overdue: 0, intro: 0 },
  })),
];
const cyJs = readFileSync(
  new URL('../../node_modules/cytoscape/dist/cytoscape.min.js', import.meta.url),
);
const page = `<!doctype html><html><body style="margin:0"><div id="cy" style="width:1200px;height:800px"></div>
<script src="/cy.js"></script></body></html>`;
const server = createServer((req, res) => {
  if (req.url === '/cy.js') res.end(cyJs);
  else if (req.url === '/data.json')
    res.end(JSON.stringify({ elements, style: graphStyle({ large: true }) }));
  else res.end(page);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const browser = await launchBrowser();
try {
  for (const webgl of [false, true]) {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const tab = await ctx.newPage();
    const errors: string[] = [];
    tab.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    tab.on('pageerror', (e) => void errors.push(e.message));
    await tab.goto(`http://127.0.0.1:${port}/`);
    const result = (await tab.evaluate(
      // Plain JavaScript text: tsx would inject helpers (__name) into a compiled function.
      `(async (webgl) => {
      const { elements, style } = await (await fetch('/data.json')).json();
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
      const t0 = performance.now();
      const cy = window.cytoscape({
        container: document.getElementById('cy'),
        elements,
        style,
        layout: { name: 'preset' },
        pixelRatio: 1,
        textureOnViewport: !webgl,
        hideEdgesOnViewport: !webgl,
        ...(webgl ? { renderer: { name: 'canvas', webgl: true } } : {}),
      });
      await frame();
      await frame();
      const firstDraw = performance.now() - t0;
      const gl = document.querySelector('canvas[data-id$="webgl"]');
      const times = [];
      for (let i = 0; i < 30; i++) {
        const s = performance.now();
        cy.panBy({ x: 7, y: 3 });
        if (i % 5 === 0) cy.zoom({ level: cy.zoom() * 1.05, renderedPosition: { x: 600, y: 400 } });
        await frame();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      return { firstDraw, frame: times[15], webglCanvas: !!gl, nodes: cy.nodes().length };
})(${webgl})`,
    )) as { firstDraw: number; frame: number; webglCanvas: boolean; nodes: number };
    console.log(
      `${webgl ? 'webgl ' : 'canvas'}: ${result.nodes} nodes, first draw ${result.firstDraw.toFixed(0)} ms, ` +
        `median pan/zoom frame ${result.frame!.toFixed(1)} ms, webgl canvas present: ${result.webglCanvas}, ` +
        `errors: ${errors.length ? errors.join(' | ') : 'none'}`,
    );
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}
