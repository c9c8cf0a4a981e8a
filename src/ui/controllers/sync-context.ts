/**
 * Sync for the app's components: the `@lit/context` key the app's {@link AppSync} service
 * (`src/app/sync-service.ts`) is provided under, and {@link SyncController}, which
 * re-renders a component whenever the sync summary changes.
 *
 * Provided by `main.ts` on `document.body` (a plain element can host a context provider),
 * so both `<vt-app>` and the join question outside it reach the same object.
 */
import { ContextConsumer, createContext } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppSync } from '../../app/sync-service.ts';

export type { AppSync };

/** Context key for {@link AppSync}. */
export const syncContext = createContext<AppSync>(Symbol('vitrine-sync'));

type Host = ReactiveControllerHost & HTMLElement;

/** Gives a component the app's sync and re-renders it on every summary change. */
export class SyncController implements ReactiveController {
  /** The app's sync, once provided. */
  sync: AppSync | undefined;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: Host) {
    host.addController(this);
    new ContextConsumer(host, {
      context: syncContext,
      subscribe: true,
      callback: (sync) => this.attach(sync),
    });
  }

  hostConnected(): void {
    this.sync?.session.on('change', this.onChange);
  }

  hostDisconnected(): void {
    this.sync?.session.off('change', this.onChange);
  }

  private attach(sync: AppSync): void {
    if (sync === this.sync) return;
    this.sync?.session.off('change', this.onChange);
    this.sync = sync;
    if (this.host.isConnected) sync.session.on('change', this.onChange);
    this.host.requestUpdate();
  }
}
