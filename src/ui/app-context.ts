/**
 * What the app's components share through `@lit/context`: the notebook, its undo manager
 * and the local storage object. Provided by `<vt-app>`, consumed with
 * {@link NotebookController} or a `ContextConsumer`.
 */
import { createContext } from '@lit/context';
import type * as Y from 'yjs';
import type { Notebook } from '../model/index.ts';
import type { LocalStorage } from '../sync/storage.ts';
import type { AnalysisClient } from './analysis-client.ts';

/** The services a running app hands to its components. */
export interface AppServices {
  readonly nb: Notebook;
  readonly undo: Y.UndoManager;
  readonly storage?: LocalStorage;
  /** The network analysis, kept current in a Web Worker. */
  readonly analysis?: AnalysisClient;
}

/** Context key for {@link AppServices}. */
export const appContext = createContext<AppServices>(Symbol('vitrine-app'));
