/**
 * The calendar file of Today's reminders (.ics) for the running app, made in a Web Worker
 * (`reminders-ics.worker.ts`) from the notebook stored on this device. Where no worker can
 * run, or the notebook is not stored (no IndexedDB), it is made here, on the page's thread.
 */
import { connectWorker } from '../graph/worker-client.ts';
import type { Notebook } from '../model/index.ts';
import type { IcsWorkerApi } from './reminders-ics.worker.ts';

/** The .ics text of `nb` at its clock's now; `storage` names its IndexedDB database. */
export async function remindersIcs(nb: Notebook, storage: string | undefined): Promise<string> {
  const now = nb.now();
  const worker =
    storage && typeof Worker !== 'undefined'
      ? connectWorker<IcsWorkerApi>(
          // Written literally so Vite sees it and bundles the worker with its imports.
          () =>
            new Worker(new URL('./reminders-ics.worker.ts', import.meta.url), { type: 'module' }),
        )
      : undefined;
  if (worker && storage) {
    try {
      return await worker.call((w) => w.ics(storage, now.toISOString()));
    } catch (err) {
      // A worker that cannot load (a CSP without worker-src) or fails: make it here.
      console.warn('Making the calendar file on the page instead:', err);
    } finally {
      worker.destroy();
    }
  }
  // Loaded on first use: the calendar library is not part of opening the app.
  const { exportIcs } = await import('../io/ics-export.ts');
  return exportIcs(nb, now);
}
