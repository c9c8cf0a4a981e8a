/**
 * Web Worker that runs the force layout off the main thread, so a 10,000-person layout
 * never freezes the page. Exposed with Comlink ({@link LayoutWorkerApi},
 * docs/decisions/0019); the positions' buffer is transferred back, not copied.
 */
import * as Comlink from 'comlink';
import { computeLayout, type LayoutRequest, type LayoutResult } from './layout-core.ts';
import { inDedicatedWorker } from './worker-client.ts';

/** What the layout worker exposes. */
export interface LayoutWorkerApi {
  /** The layout of `req`; its `xy` buffer is transferred to the caller. */
  layout(req: LayoutRequest): Promise<LayoutResult>;
}

/** The worker's body as a plain object (tests expose it on a `MessagePort`). */
export function layoutWorkerBody(): LayoutWorkerApi {
  return {
    async layout(req) {
      const res = await computeLayout(req);
      return Comlink.transfer(res, [res.xy.buffer]);
    },
  };
}

// Only inside a dedicated worker: Node (tests) imports this file for the body.
if (inDedicatedWorker()) Comlink.expose(layoutWorkerBody());
