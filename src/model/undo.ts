/**
 * Undo/redo over the whole notebook that tracks only {@link LOCAL_ORIGIN}: a change that
 * arrived from another device, a file merge with another origin or a migration is never undone.
 */
import * as Y from 'yjs';
import { LOCAL_ORIGIN, type Notebook } from './notebook.ts';

/**
 * One undo step per command: `captureTimeout: 0` keeps two quick commands apart, so
 * Ctrl+Z after "add person" then "log touch" undoes only the touch.
 */
export function createUndoManager(nb: Notebook): Y.UndoManager {
  return new Y.UndoManager(
    [nb.people, nb.ties, nb.touches, nb.touchLog, nb.touchEdits, nb.intros, nb.meta, nb.reminders],
    {
      trackedOrigins: new Set([LOCAL_ORIGIN]),
      captureTimeout: 0,
    },
  );
}
