/**
 * A reactive controller that keeps a selector's result over the notebook current and
 * re-renders its host when that result changes — modelled on Lit's
 * `labs/observers` MutationController (observe, recompute, `requestUpdate()`).
 *
 * Selectors in `src/model/read.ts` are memoised per collection version, so "changed" is an
 * identity check: a touch logged elsewhere does not re-render the people list.
 */
import type { Notebook } from '../../model/index.ts';
import type { AppServices } from './app-context.ts';
import { ServicesController, type ControllerHost } from './services-controller.ts';

export class NotebookController<T> extends ServicesController {
  /** The selector's latest result; `undefined` until the notebook is provided. */
  value: T | undefined;
  private stop: (() => void) | undefined;

  constructor(
    host: ControllerHost,
    private readonly select: (nb: Notebook) => T,
    /** When two results count as the same (no re-render); identity by default. */
    private readonly equals: (a: T, b: T) => boolean = Object.is,
  ) {
    super(host);
    this.consume();
  }

  hostConnected(): void {
    if (this.services && !this.stop) this.attach(this.services);
  }

  hostDisconnected(): void {
    this.stop?.();
    this.stop = undefined;
  }

  /** Recompute before every render, so a selector that reads host properties stays right. */
  hostUpdate(): void {
    if (this.services) this.value = this.select(this.services.nb);
  }

  protected attach(services: AppServices): void {
    this.stop?.();
    this.services = services;
    // The notebook calls its listeners once its selector caches know about the change.
    this.stop = services.nb.onChange(() => this.check());
    this.value = this.select(services.nb);
    this.host.requestUpdate();
  }

  private check(): void {
    if (!this.services) return;
    const next = this.select(this.services.nb);
    if (this.value === undefined || !this.equals(next, this.value)) {
      this.value = next;
      this.host.requestUpdate();
    }
  }
}
