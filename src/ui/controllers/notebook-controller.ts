/**
 * A reactive controller that keeps a selector's result over the notebook current and
 * re-renders its host when that result changes — modelled on Lit's
 * `labs/observers` MutationController (observe, recompute, `requestUpdate()`).
 *
 * Selectors in `src/model/read.ts` are memoised per collection version, so "changed" is an
 * identity check: a touch logged elsewhere does not re-render the people list.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Notebook } from '../../model/index.ts';
import { appContext, type AppServices } from './app-context.ts';

type Host = ReactiveControllerHost & HTMLElement;

export class NotebookController<T> implements ReactiveController {
  /** The selector's latest result; `undefined` until the notebook is provided. */
  value: T | undefined;
  services: AppServices | undefined;
  private stop: (() => void) | undefined;

  constructor(
    private readonly host: Host,
    private readonly select: (nb: Notebook) => T,
    /** When two results count as the same (no re-render); identity by default. */
    private readonly equals: (a: T, b: T) => boolean = Object.is,
  ) {
    host.addController(this);
    new ContextConsumer(host, {
      context: appContext,
      subscribe: true,
      callback: (services) => this.attach(services),
    });
  }

  get nb(): Notebook | undefined {
    return this.services?.nb;
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

  private attach(services: AppServices): void {
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
