/**
 * Web Worker that runs the force layout off the main thread, so a 10,000-person layout
 * never freezes the page. Protocol: `{ id, req: LayoutRequest }` in,
 * `{ id, ids, xy }` or `{ id, error }` out (`xy` is transferred, not copied).
 */
import { computeLayout, type LayoutRequest } from './layout-core.ts';

interface Incoming {
  readonly id: number;
  readonly req: LayoutRequest;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Incoming>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, req } = e.data;
  computeLayout(req).then(
    (res) => scope.postMessage({ id, ids: res.ids, xy: res.xy }, [res.xy.buffer]),
    (err: unknown) => scope.postMessage({ id, error: String(err) }),
  );
};
