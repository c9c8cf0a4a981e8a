/**
 * What the controllers that follow the app's services share: they register with their
 * host, consume {@link appContext} (following a new value when it is provided again), and
 * attach to the services each time they arrive.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Notebook } from '../../model/index.ts';
import { appContext, type AppServices } from './app-context.ts';

/** A component that hosts controllers. */
export type ControllerHost = ReactiveControllerHost & HTMLElement;

/** Base of {@link NotebookController} and {@link AnalysisController}. */
export abstract class ServicesController implements ReactiveController {
  /** The app's services, once provided. */
  services: AppServices | undefined;

  constructor(protected readonly host: ControllerHost) {
    host.addController(this);
  }

  /** The notebook, once the services are provided. */
  get nb(): Notebook | undefined {
    return this.services?.nb;
  }

  /**
   * Start consuming the services: the last line of a subclass's constructor, so that
   * `attach` never runs on a half-built controller (a connected host answers at once).
   */
  protected consume(): void {
    new ContextConsumer(this.host, {
      context: appContext,
      subscribe: true,
      callback: (services) => this.attach(services),
    });
  }

  /** The services arrived (or changed): follow them and re-render the host. */
  protected abstract attach(services: AppServices): void;

  /** The host is in the page again: follow the services it had. */
  abstract hostConnected(): void;

  /** The host left the page: stop following. */
  abstract hostDisconnected(): void;
}
