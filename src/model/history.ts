/**
 * The notebook's undo history as the app sees it: undo, redo, "did that step happen", and
 * one undo step per field edit — without handing Yjs types to the components.
 *
 * Wraps the {@link createUndoManager} manager (local origin only, one step per command).
 */
import type * as Y from 'yjs';
import type { Notebook } from './notebook.ts';
import { createUndoManager } from './undo.ts';

/** One undo step, opaque: compare it with {@link History.top} to see whether it is still last. */
export type HistoryStep = object & { readonly __historyStep?: never };

const STACK_EVENTS = [
  'stack-item-added',
  'stack-item-popped',
  'stack-item-updated',
  'stack-cleared',
] as const;

/** Undo and redo of the owner's model commands, so components never touch `Y.UndoManager`. */
export class History {
  private readonly manager: Y.UndoManager;
  private readonly listeners = new Set<() => void>();
  private readonly onStack = () => {
    for (const listener of [...this.listeners]) listener();
  };

  constructor(nb: Notebook) {
    this.manager = createUndoManager(nb);
    for (const e of STACK_EVENTS) this.manager.on(e, this.onStack);
  }

  canUndo(): boolean {
    return this.manager.canUndo();
  }

  canRedo(): boolean {
    return this.manager.canRedo();
  }

  undo(): void {
    this.manager.undo();
  }

  redo(): void {
    this.manager.redo();
  }

  /** Forget every step (after setting up a notebook there is nothing to undo into). */
  clear(): void {
    this.manager.clear();
  }

  /** How many steps there are to undo. */
  get undoDepth(): number {
    return this.manager.undoStack.length;
  }

  /** The last undo step, if any. */
  top(): HistoryStep | undefined {
    const stack = this.manager.undoStack;
    return stack[stack.length - 1];
  }

  /** Undo `step` if it is still the last step; false (and nothing undone) otherwise. */
  undoStep(step: HistoryStep): boolean {
    if (this.top() !== step) return false;
    this.manager.undo();
    return true;
  }

  /** The next change starts a new undo step, however soon it comes. */
  stopCapturing(): void {
    this.manager.stopCapturing();
  }

  /**
   * Run `fn` (one or more commands) so that what it changes joins the last undo step
   * instead of starting a new one.
   */
  joinLast(fn: () => void): void {
    const timeout = this.manager.captureTimeout;
    this.manager.captureTimeout = Number.MAX_SAFE_INTEGER;
    try {
      fn();
    } finally {
      this.manager.captureTimeout = timeout;
    }
  }

  /** Call `listener` whenever the undo or redo stack changes. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop tracking the notebook. */
  destroy(): void {
    for (const e of STACK_EVENTS) this.manager.off(e, this.onStack);
    this.listeners.clear();
    this.manager.destroy();
  }
}
