/**
 * The calendar file of Today's reminders (.ics) for the running app, made in a Web Worker
 * (`reminders-ics.worker.ts`) from the notebook stored on this device. Where no worker can
 * run, or the notebook is not stored (no IndexedDB), it is made here, on the page's thread.
 */
import { wrap } from 'comlink';
import type { Notebook } from '../model/index.ts';
import type { IcsWorkerApi } from './reminders-ics.worker.ts';

/** The .ics text of `nb` at its clock's now; `storage` names its IndexedDB database. */
export async function remindersIcs(nb: Notebook, storage: string | undefined): Promise<string> {
  const now = nb.now();
  if (storage && typeof Worker !== 'undefined') {
    let worker: Worker | undefined;
    try {
      // Written literally so Vite sees it and bundles the worker with its imports.
      worker = new Worker(new URL('./reminders-ics.worker.ts', import.meta.url), {
        type: 'module',
      });
      const w = worker;
      // A worker that cannot load (a CSP without worker-src) reports only an error event.
      const failed = new Promise<never>((_, reject) =>
        w.addEventListener('error', (e) => {
          e.preventDefault();
          reject(new Error('The calendar worker failed to start.'));
        }),
      );
      return await Promise.race([wrap<IcsWorkerApi>(w).ics(storage, now.toISOString()), failed]);
    } catch (err) {
      console.warn('Making the calendar file on the page instead:', err);
    } finally {
      worker?.terminate();
    }
  }
  // Loaded on first use: the calendar library is not part of opening the app.
  const { exportIcs } = await import('../io/ics-export.ts');
  return exportIcs(nb, now);
}
