/**
 * A reactive controller that gives a component the app's analysis client and keeps it
 * rendering the newest result.
 */
import type { AppAnalysis } from '../../app/analysis.worker.ts';
import type { AnalysisClient } from '../../app/analysis-client.ts';
import type { AppServices } from './app-context.ts';
import { ServicesController, type ControllerHost } from './services-controller.ts';

/**
 * Gives a component the app's {@link AnalysisClient} (from the `appContext` services) and
 * re-renders it when a new result arrives, the run status changes or the analysis view
 * (cluster filter, "Without me", highlights) changes.
 */
export class AnalysisController extends ServicesController {
  client: AnalysisClient | undefined;
  private readonly update = () => this.host.requestUpdate();

  constructor(
    host: ControllerHost,
    /** Client events that re-render the host (the view's `change` always does). */
    private readonly events: readonly ('result' | 'status' | 'error')[] = [
      'result',
      'status',
      'error',
    ],
  ) {
    super(host);
    this.consume();
  }

  /** The newest result, if any. */
  get latest(): AppAnalysis | undefined {
    return this.client?.latest;
  }

  hostConnected(): void {
    if (this.services) this.attach(this.services);
  }

  hostDisconnected(): void {
    this.listen(false);
  }

  protected attach(services: AppServices): void {
    this.listen(false);
    this.services = services;
    // `analysis` is optional in the services: the app works (without analysis) when absent.
    this.client = (services as AppServices & { analysis?: AnalysisClient }).analysis;
    this.listen(true);
    this.host.requestUpdate();
  }

  private listen(on: boolean): void {
    const c = this.client;
    if (!c) return;
    const method = on ? 'addEventListener' : 'removeEventListener';
    for (const type of this.events) c[method](type, this.update);
    c.view[method]('change', this.update);
  }
}
