/**
 * The one way the app talks to its Web Workers (docs/decisions/0019-worker-messaging.md):
 * the worker exposes a plain object with `Comlink.expose`, the page wraps it with
 * {@link connectWorker}, which adds what Comlink leaves out — a worker that fails to load
 * or crashes fails its pending calls instead of leaving them waiting for ever, and
 * `destroy()` ends the worker.
 *
 * Lives in `src/graph` because the layout worker is the lowest layer with a worker; the app
 * services (`src/app`) may import it, `src/graph` may not import them.
 */
import * as Comlink from 'comlink';

/** What {@link connectWorker} needs of a worker: Comlink's endpoint and `terminate()`. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

/** Why a call did not get its answer: the worker failed, or was destroyed first. */
export class WorkerGone extends Error {
  constructor(readonly reason: 'failed' | 'destroyed') {
    super(reason === 'failed' ? 'The worker failed.' : 'The worker was stopped.');
    this.name = 'WorkerGone';
  }
}

/** A Comlink-wrapped worker whose calls settle even when the worker goes away. */
export interface WorkerHandle<T> {
  /**
   * Call into the worker through its Comlink proxy: settles with `fn`'s result, or
   * rejects with a {@link WorkerGone} once the worker failed or was destroyed.
   */
  call<R>(fn: (remote: Comlink.Remote<T>) => Promise<R>): Promise<R>;
  /** The worker failed (an `error` event) or was destroyed: every call now rejects. */
  readonly gone: WorkerGone | undefined;
  /** End the worker; pending and later calls reject with `WorkerGone('destroyed')`. */
  destroy(): void;
}

/**
 * Start a worker with `spawn` and wrap it with Comlink. `undefined` when it cannot start
 * (`spawn` threw, e.g. no `Worker` or a CSP refusing it); a worker that starts but fails
 * to load reports an `error` event, after which its calls reject.
 */
export function connectWorker<T>(spawn: () => WorkerLike): WorkerHandle<T> | undefined {
  let worker: WorkerLike;
  try {
    worker = spawn();
  } catch {
    return undefined;
  }
  const remote = Comlink.wrap<T>(worker);
  let gone: WorkerGone | undefined;
  let fail!: (e: WorkerGone) => void;
  const ended = new Promise<never>((_, reject) => (fail = reject));
  ended.catch(() => undefined);
  const end = (reason: WorkerGone['reason']) => {
    if (gone) return;
    gone = new WorkerGone(reason);
    worker.removeEventListener('error', onError);
    worker.terminate();
    fail(gone);
  };
  const onError = (e: Event) => {
    // Handled here (e.g. a CSP without worker-src): not an uncaught error on the page.
    e.preventDefault();
    end('failed');
  };
  worker.addEventListener('error', onError);
  return {
    call: (fn) => (gone ? Promise.reject(gone) : Promise.race([fn(remote), ended])),
    get gone() {
      return gone;
    },
    destroy: () => end('destroyed'),
  };
}

/**
 * Whether this code runs in a dedicated worker: a worker module that Node (tests) also
 * imports for its plain functions exposes itself only then.
 */
export function inDedicatedWorker(): boolean {
  const scope = (globalThis as { DedicatedWorkerGlobalScope?: abstract new () => unknown })
    .DedicatedWorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}
