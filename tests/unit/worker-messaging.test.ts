/**
 * Issue 17, point 3: every worker is reached through Comlink (docs/decisions/0019). In
 * Node a `MessageChannel` stands in for the worker: the worker's body is exposed on one
 * port, the runner wraps the other, so the same messages cross a real structured clone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { Notebook, graphSnapshot } from '../../src/model/index.ts';
import { loadSampleNetwork } from '../../src/app/sample-network.ts';
import { workerAnalysisRunner } from '../../src/app/analysis-client.ts';
import {
  createWorkerBody,
  handleAnalysisRequest,
  type AnalysisWorkerApi,
} from '../../src/app/analysis.worker.ts';
import { WORKER_ABOVE, workerRunner } from '../../src/graph/layout.ts';
import { layoutWorkerBody, type LayoutWorkerApi } from '../../src/graph/layout.worker.ts';
import {
  computeLayout,
  type LayoutRequest,
  type LayoutResult,
} from '../../src/graph/layout-core.ts';
import type { WorkerLike } from '../../src/graph/worker-client.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const open: MessagePort[] = [];

afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

/** A "worker" on a port pair: `body` exposed on one end, the other end handed to the runner. */
function portWorker(body: object): WorkerLike & { terminated: number; fail(): void } {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  Comlink.expose(body, port1);
  const worker = Object.assign(port2, {
    terminated: 0,
    terminate() {
      worker.terminated++;
      port1.close();
    },
    fail() {
      port2.dispatchEvent(new Event('error'));
    },
  });
  return worker;
}

function sampleSnapshot() {
  const nb = new Notebook(undefined, { now: () => NOW });
  loadSampleNetwork(nb, { seed: 7, now: NOW, ownerName: 'Robin' });
  return graphSnapshot(nb);
}

describe('the analysis worker through Comlink', () => {
  it('sends the snapshot in parts, one at a time, and answers as the plain body does', async () => {
    const snapshot = sampleSnapshot();
    const inner = createWorkerBody();
    const sizes: number[] = [];
    let inFlight = 0;
    let most = 0;
    const body: AnalysisWorkerApi = {
      // Each part answers only after a macrotask: a runner that sent the next part before
      // this one's answer came back would have two in flight.
      part: (async (id, key, items) => {
        most = Math.max(most, ++inFlight);
        sizes.push(items.length);
        await new Promise((ok) => setTimeout(ok, 0));
        inner.part(id, key, items);
        inFlight--;
      }) as AnalysisWorkerApi['part'],
      run: (msg) => inner.run(msg),
    };
    const worker = portWorker(body);
    let spawned = 0;
    const runner = workerAnalysisRunner(() => (spawned++, worker), 30);
    const answer = await runner.run({ id: 4, snapshot });
    expect(answer).toEqual({
      ...handleAnalysisRequest({ id: 4, snapshot }),
      ms: expect.any(Number),
    });
    expect(most).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(30);
    const total = snapshot.people.length + snapshot.ties.length + snapshot.intros.length;
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(total / 30));
    // A second run reuses the worker.
    expect((await runner.run({ id: 5, snapshot })).id).toBe(5);
    expect(spawned).toBe(1);
    runner.destroy();
    expect(worker.terminated).toBe(1);
  });

  it('answers a pending run with an error when the worker fails, then runs inline', async () => {
    const snapshot = sampleSnapshot();
    let reached!: () => void;
    const arrived = new Promise<void>((ok) => (reached = ok));
    const worker = portWorker({
      part: () => {
        reached();
        return new Promise(() => {}); // a worker that never answers
      },
      run: () => new Promise(() => {}),
    });
    let spawned = 0;
    const runner = workerAnalysisRunner(() => (spawned++, worker));
    const pending = runner.run({ id: 1, snapshot });
    await arrived;
    worker.fail();
    expect(await pending).toEqual({ id: 1, error: 'The analysis worker failed.' });
    expect(worker.terminated).toBe(1);
    const next = await runner.run({ id: 2, snapshot });
    expect('analysis' in next).toBe(true);
    expect(spawned).toBe(1);
  });

  it('answers a pending run with "stopped" on destroy, and runs no more', async () => {
    const snapshot = sampleSnapshot();
    let reached!: () => void;
    const arrived = new Promise<void>((ok) => (reached = ok));
    const worker = portWorker({
      part: () => {
        reached();
        return new Promise(() => {});
      },
    });
    const runner = workerAnalysisRunner(() => worker);
    const pending = runner.run({ id: 1, snapshot });
    await arrived;
    runner.destroy();
    expect(await pending).toEqual({ id: 1, error: 'The analysis was stopped.' });
    expect(await runner.run({ id: 2, snapshot })).toEqual({
      id: 2,
      error: 'The analysis was stopped.',
    });
    expect(worker.terminated).toBe(1);
  });

  it('runs inline where no worker can start', async () => {
    const snapshot = sampleSnapshot();
    const runner = workerAnalysisRunner(() => {
      throw new Error('no workers');
    });
    const answer = await runner.run({ id: 3, snapshot });
    expect(answer).toEqual({
      ...handleAnalysisRequest({ id: 3, snapshot }),
      ms: expect.any(Number),
    });
  });
});

function ring(n: number): LayoutRequest {
  const nodes = Array.from({ length: n }, (_, i) => `p${i}`);
  const edges = nodes.map((id, i) => [id, nodes[(i + 1) % n]!, 1] as const);
  return { nodes, edges };
}

describe('the layout worker through Comlink', () => {
  it('lays out large graphs in the worker and transfers the positions back', async () => {
    const sent: LayoutResult[] = [];
    const inner = layoutWorkerBody();
    const worker = portWorker({
      async layout(req: LayoutRequest) {
        const res = await inner.layout(req);
        sent.push(res);
        return res;
      },
    } satisfies LayoutWorkerApi);
    const runner = workerRunner(() => worker);
    const req = ring(WORKER_ABOVE + 20);
    const res = await runner.run(req);
    expect(sent).toHaveLength(1);
    expect(res.ids).toEqual(req.nodes);
    expect(res.xy.length).toBe(2 * req.nodes.length);
    expect([...res.xy].every(Number.isFinite)).toBe(true);
    // Transferred, not copied: the worker's buffer is detached.
    expect(sent[0]!.xy.byteLength).toBe(0);
    // Small graphs stay on the main thread.
    await runner.run(ring(WORKER_ABOVE));
    expect(sent).toHaveLength(1);
    runner.destroy();
    expect(worker.terminated).toBe(1);
  });

  it('falls back to the main thread when the worker fails', async () => {
    let reached!: () => void;
    const arrived = new Promise<void>((ok) => (reached = ok));
    const worker = portWorker({
      layout: () => {
        reached();
        return new Promise(() => {});
      },
    });
    let spawned = 0;
    const runner = workerRunner(() => (spawned++, worker));
    const req = ring(WORKER_ABOVE + 5);
    const pending = runner.run(req);
    await arrived;
    worker.fail();
    const res = await pending;
    expect(res).toEqual(await computeLayout(req));
    await runner.run(req);
    expect(spawned).toBe(1);
  });
});
