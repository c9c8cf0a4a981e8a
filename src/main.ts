/**
 * Composition root: open the notebook, load it from IndexedDB, start cross-tab sync,
 * device sync (only once paired) and undo, mount `<vt-app>`. Nothing is drawn from a half-loaded notebook: the app gets its
 * services only after local storage has synced.
 */
import * as Y from 'yjs';
import * as model from './model/index.ts';
import { History, Notebook } from './model/index.ts';
import { openBroadcastSync } from './sync/broadcast.ts';
import { openLocalStorage } from './sync/storage.ts';
import { loadGraphView } from './graph/loader.ts';
import { ContextProvider } from '@lit/context';
import { AppSync } from './app/sync-service.ts';
import { syncContext } from './ui/controllers/sync-context.ts';
import './ui/sync/vt-sync-join.ts';
import type { AppServices } from './ui/controllers/app-context.ts';
import { AnalysisClient } from './app/analysis-client.ts';
import './ui/shell/vt-app.ts';
import '../styles/app.css';

/** One notebook per browser profile for now; the name keys IndexedDB and the channel. */
const NOTEBOOK = 'vitrine-notebook';

async function start(): Promise<void> {
  // Fetch the graph renderer while IndexedDB loads; neither waits for the other.
  void loadGraphView();
  const doc = new Y.Doc();
  const storage = openLocalStorage(NOTEBOOK, doc);
  // Sync state (device, settings, identity) loads from its own small database meanwhile;
  // nothing is contacted until sync starts below, and only if this notebook was paired.
  const syncReady = AppSync.open(doc, NOTEBOOK, () =>
    storage.status === 'error' ? storage.error?.message : undefined,
  );
  const app = document.createElement('vt-app');
  document.body.replaceChildren(app);
  try {
    await storage.whenSynced;
  } catch (err) {
    showFatal(
      `Vitrine could not open its storage on this device (${err instanceof Error ? err.message : String(err)}). ` +
        'Private browsing or blocked site data can cause this.',
    );
    return;
  }
  const nb = new Notebook(doc);
  nb.migrate();
  const broadcast = openBroadcastSync(NOTEBOOK, doc);
  const undo = new History(nb);
  // Reruns the network analysis in a Web Worker after edits (debounced, one run at a time).
  // Its first run waits for the graph's first draw (at most 30 s): building the snapshot of
  // a big notebook on this thread would slow exactly that.
  const analysis = new AnalysisClient(nb, {
    start: performanceMark('vitrine:graph-drawn', 30_000),
  });
  const services: AppServices = { nb, undo, storage, analysis };
  // Sync is an extra: if its small database cannot be read the notebook still opens.
  const sync = await syncReady.catch((err: unknown) => {
    console.warn('Sync is unavailable on this device:', err);
    return undefined;
  });
  if (sync) {
    // On <body>, before the app renders: the header indicator, the settings and the join
    // question (outside <vt-app>) all reach the same sync object.
    new ContextProvider(document.body, { context: syncContext, initialValue: sync });
    document.body.append(document.createElement('vt-sync-join'));
    // After local storage has loaded: the first exchange with other devices then carries
    // the whole local notebook, and a joining device merges in rather than starting empty.
    void sync.startIfPaired();
  }
  app.services = services;
  void storage.requestPersistence();
  registerServiceWorker();
  // A handle for the end-to-end tests and the benchmark (and curious owners in devtools).
  Object.assign(window, {
    __vitrine: {
      nb,
      undo,
      storage,
      broadcast,
      sync,
      app,
      model,
      Y,
      graph: loadGraphView,
      analysis,
    },
  });
  window.addEventListener('pagehide', () => {
    broadcast.destroy();
    analysis.destroy();
    // Releases the relay lock so another open tab takes over relay sync at once.
    sync?.destroy();
  });
}

function showFatal(message: string): void {
  const p = document.createElement('p');
  p.className = 'vt-boot';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  document.body.replaceChildren(p);
}

function registerServiceWorker(): void {
  // Only the production build has a service worker; in `vite dev` it would cache stale modules.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => {
    // Offline start is a bonus, not a reason to stop: log and carry on.
    console.warn('Service worker not registered:', err);
  });
}

void start();

/** Settles when `name` is marked on the performance timeline, or after `maxWaitMs`. */
function performanceMark(name: string, maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (performance.getEntriesByName(name, 'mark').length) return resolve();
    let observer: PerformanceObserver | undefined;
    const done = () => {
      observer?.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    try {
      observer = new PerformanceObserver((list) => {
        if (list.getEntriesByName(name).length) done();
      });
      observer.observe({ type: 'mark', buffered: true });
    } catch {
      // No PerformanceObserver for marks: the timeout starts it.
    }
  });
}
