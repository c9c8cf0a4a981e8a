/**
 * What the app's components share through `@lit/context`: the notebook, its undo manager
 * and the local storage object. Provided by `<vt-app>`, consumed with
 * {@link NotebookController} or a `ContextConsumer`.
 */
import { createContext } from '@lit/context';
import type { History, HistoryStep } from '../../model/index.ts';
import type { AppServices } from '../../app/services.ts';

export type { AppServices };

/** Context key for {@link AppServices}. */
export const appContext = createContext<AppServices>(Symbol('vitrine-app'));

/**
 * One undo step per field edit for fields that save as they are typed: the saves of one
 * field, while it keeps the keyboard, merge into a single undo step; leaving the field
 * ({@link FieldEdits.end}), editing another field, or any other change in between starts
 * a new step. The app's undo manager keeps `captureTimeout: 0` (one step per command);
 * only these saves are merged, and only into the step they made themselves.
 */
export class FieldEdits {
  private key: string | undefined;
  private item: HistoryStep | undefined;

  constructor(private readonly undo: () => History | undefined) {}

  /** Run `save` (one model command) as part of the edit of field `key`. */
  run(key: string, save: () => void): void {
    const u = this.undo();
    if (!u) return save();
    const before = u.top();
    const merge = key === this.key && !!this.item && before === this.item;
    if (merge) u.joinLast(save);
    else {
      u.stopCapturing();
      save();
    }
    const after = u.top();
    if (merge || after !== before) [this.key, this.item] = [key, after];
    else [this.key, this.item] = [undefined, undefined];
  }

  /** The field lost the keyboard (or its edit is done): the next save is a new step. */
  end(): void {
    this.key = undefined;
    this.item = undefined;
    this.undo()?.stopCapturing();
  }
}
