/**
 * Web Worker that makes the calendar file of Today's reminders (`exportIcs`), so the page's
 * thread never ranks the whole network twice over (now, and 30 days on) while the owner
 * waits for a download: at 10,000 people that is seconds of work.
 *
 * The worker reads the notebook from this device's IndexedDB (y-indexeddb, the database the
 * page keeps current) rather than being sent it: copying a 10,000-person notebook out of the
 * page would itself be a long task there. IndexedDB runs a read after the writes issued
 * before it, so every change made before the click is in the file.
 *
 * API (comlink): {@link IcsWorkerApi}.
 */
import * as Y from 'yjs';
import { expose } from 'comlink';
import { IndexeddbPersistence } from 'y-indexeddb';
import { Notebook } from '../model/notebook.ts';
import { exportIcs } from '../io/ics-export.ts';

/** What the worker offers. */
export interface IcsWorkerApi {
  /** The .ics text of the notebook stored in IndexedDB as `storage`, at `now` (ISO). */
  ics(storage: string, now: string): Promise<string>;
}

const api: IcsWorkerApi = {
  async ics(storage, now) {
    const doc = new Y.Doc();
    const idb = new IndexeddbPersistence(storage, doc);
    try {
      await idb.whenSynced;
      const at = new Date(now);
      return exportIcs(new Notebook(doc, { now: () => at }), at);
    } finally {
      await idb.destroy();
      doc.destroy();
    }
  },
};

expose(api);
