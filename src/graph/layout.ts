/**
 * Where layouts run: a Web Worker in the browser (built by Vite from `layout.worker.ts`,
 * reached through Comlink, docs/decisions/0019), the main thread where there is no `Worker`
 * (Node tests, the bench).
 */
import { computeLayout, type LayoutRequest, type LayoutResult } from './layout-core.ts';
import type { LayoutWorkerApi } from './layout.worker.ts';
import { connectWorker, WorkerGone, type WorkerHandle, type WorkerLike } from './worker-client.ts';

export type { LayoutRequest, LayoutResult } from './layout-core.ts';

/** Runs layouts; `destroy()` ends any worker it started. */
export interface LayoutRunner {
  run(req: LayoutRequest): Promise<LayoutResult>;
  destroy(): void;
}

/** Below this many nodes the main thread is faster than starting a worker. */
export const WORKER_ABOVE = 60;

/** Runs every layout on the calling thread. */
export function mainThreadRunner(): LayoutRunner {
  return { run: computeLayout, destroy() {} };
}

/** The layout worker, bundled by Vite from `layout.worker.ts`. */
function spawnLayoutWorker(): WorkerLike {
  if (typeof Worker === 'undefined') throw new Error('No Web Workers here.');
  // Written literally so Vite sees it and bundles the worker with its imports.
  return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Runs large layouts in one lazily started module worker and small ones on the main
 * thread; falls back to the main thread if the worker cannot start or fails. `spawn`
 * starts the worker (tests pass a `MessagePort`).
 */
export function workerRunner(spawn: () => WorkerLike = spawnLayoutWorker): LayoutRunner {
  let worker: WorkerHandle<LayoutWorkerApi> | undefined;
  let broken = false;
  return {
    run(req) {
      if (req.nodes.length <= WORKER_ABOVE || broken) return computeLayout(req);
      worker ??= connectWorker(spawn);
      if (!worker) {
        broken = true;
        return computeLayout(req);
      }
      return worker
        .call((w) => w.layout(req))
        .catch((e: unknown) => {
          // Ended by destroy(): the view is gone and wants no positions.
          if (e instanceof WorkerGone && e.reason === 'destroyed') return new Promise(() => {});
          // A worker that fails to load (e.g. a CSP without worker-src) must not leave
          // the graph unlaid: lay out on the main thread from now on.
          if (e instanceof WorkerGone) broken = true;
          return computeLayout(req);
        });
    },
    destroy() {
      worker?.destroy();
      worker = undefined;
    },
  };
}
