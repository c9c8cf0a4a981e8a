/**
 * The services a running app builds once (in `main.ts` and `<vt-app>`) and hands to its
 * components through `@lit/context` (`src/ui/controllers/app-context.ts`).
 */
import type { History, Notebook } from '../model/index.ts';
import type { LocalStorage } from '../sync/storage.ts';
import type { AnalysisClient } from './analysis-client.ts';

/** The services a running app hands to its components. */
export interface AppServices {
  readonly nb: Notebook;
  readonly undo: History;
  readonly storage?: LocalStorage;
  /** The network analysis, kept current in a Web Worker. */
  readonly analysis?: AnalysisClient;
}
