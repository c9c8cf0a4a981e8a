/**
 * Where layouts run: a Web Worker in the browser (built by Vite from `layout.worker.ts`),
 * the main thread where there is no `Worker` (Node tests, the bench).
 */
import { computeLayout, type LayoutRequest, type LayoutResult } from './layout-core.ts';

export type { LayoutRequest, LayoutResult } from './layout-core.ts';

/** Runs layouts; `dispose()` ends any worker it started. */
export interface LayoutRunner {
  run(req: LayoutRequest): Promise<LayoutResult>;
  dispose(): void;
}

/** Below this many nodes the main thread is faster than starting a worker. */
export const WORKER_ABOVE = 60;

/** Runs every layout on the calling thread. */
export function mainThreadRunner(): LayoutRunner {
  return { run: computeLayout, dispose() {} };
}

/**
 * Runs large layouts in one lazily started module worker and small ones on the main
 * thread; falls back to the main thread if the worker cannot start or fails.
 */
export function workerRunner(): LayoutRunner {
  let worker: Worker | undefined;
  let broken = false;
  let seq = 0;
  const waiting = new Map<
    number,
    { resolve: (r: LayoutResult) => void; reject: (e: Error) => void }
  >();

  const start = (): Worker | undefined => {
    if (worker || broken) return worker;
    if (typeof Worker === 'undefined') return undefined;
    try {
      // Written literally so Vite sees it and bundles the worker with its imports.
      worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      broken = true;
      return undefined;
    }
    worker.onmessage = (
      e: MessageEvent<{ id: number; ids?: string[]; xy?: Float64Array; error?: string }>,
    ) => {
      const w = waiting.get(e.data.id);
      if (!w) return;
      waiting.delete(e.data.id);
      if (e.data.error !== undefined || !e.data.ids || !e.data.xy) {
        w.reject(new Error(e.data.error ?? 'The layout worker sent no positions.'));
      } else {
        w.resolve({ ids: e.data.ids, xy: e.data.xy });
      }
    };
    worker.onerror = (e) => {
      // A worker that fails to load (e.g. a CSP without worker-src) must not leave the
      // graph unlaid: fail the pending layouts over to the main thread.
      e.preventDefault();
      broken = true;
      worker?.terminate();
      worker = undefined;
      const pending = [...waiting.values()];
      waiting.clear();
      for (const w of pending) w.reject(new Error('layout worker failed'));
    };
    return worker;
  };

  return {
    run(req) {
      const w = req.nodes.length > WORKER_ABOVE ? start() : undefined;
      if (!w) return computeLayout(req);
      const id = ++seq;
      return new Promise<LayoutResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, req });
      }).catch(() => computeLayout(req));
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      waiting.clear();
    },
  };
}
