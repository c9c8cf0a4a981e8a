import { LitElement, css, html, nothing } from 'lit';
import { getPerson, listPeople } from '../model/index.ts';
import { OVERVIEW_ABOVE, clusterLabel } from './analysis-client.ts';
import { AnalysisController } from './analysis-controller.ts';
import { sharedStyles } from './shared-styles.ts';

/**
 * The analysis toggles that sit on the graph: "Without me" (hide the owner and see what
 * remains), "Brokers and bridges" (draw them large), "Clusters as nodes" (the overview),
 * and, while the graph is filtered to one cluster, its name with "Show everyone".
 * Everything here is session state in the client's `AnalysisView`.
 */
export class VtAnalysisBar extends LitElement {
  private readonly analysis = new AnalysisController(this);

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: var(--vt-space-1);
        pointer-events: none;
      }
      :host > * {
        pointer-events: auto;
      }
      button {
        background: var(--vt-surface);
        box-shadow: var(--vt-shadow);
        font-size: var(--vt-text-sm);
        padding: 3px 10px;
      }
      button[aria-pressed='true'] {
        background: var(--vt-accent-soft);
        border-color: var(--vt-accent);
      }
      .filter {
        display: inline-flex;
        align-items: center;
        gap: var(--vt-space-2);
        background: var(--vt-accent-soft);
        border: 1px solid var(--vt-accent);
        border-radius: var(--vt-radius-sm);
        padding: 2px 2px 2px 10px;
        font-size: var(--vt-text-sm);
        box-shadow: var(--vt-shadow);
      }
      .filter button {
        box-shadow: none;
        padding: 1px 8px;
      }
    `,
  ];

  override render() {
    const client = this.analysis.client;
    const nb = this.analysis.nb;
    if (!client || !nb) return nothing;
    const view = client.view;
    const a = client.latest;
    const cluster = view.clusterId ? a?.clusters.find((c) => c.id === view.clusterId) : undefined;
    // The same rule as the graph's input (`analysisGraphInput`).
    const big = listPeople(nb).length > OVERVIEW_ABOVE;
    const overviewOn = view.overview === 'on' || (view.overview === 'auto' && big);
    return html`${
        cluster
          ? html`<span class="filter" role="status"
              >Showing ${clusterLabel(cluster, (id) => getPerson(nb, id)?.name ?? id)}
              <button @click=${() => view.set({ clusterId: null })}>Show everyone</button></span
            >`
          : nothing
      }
      <button
        aria-pressed=${view.withoutMe ? 'true' : 'false'}
        title="Hide yourself and see which groups still hold together"
        @click=${() => view.set({ withoutMe: !view.withoutMe })}
      >
        Without me
      </button>
      <button
        aria-pressed=${view.highlight ? 'true' : 'false'}
        title="Draw the people who link groups, and the ends of ties that alone hold groups together, large"
        @click=${() => view.set({ highlight: !view.highlight })}
      >
        Brokers and bridges
      </button>
      <button
        aria-pressed=${overviewOn ? 'true' : 'false'}
        ?disabled=${!a?.clusters.length}
        title="Draw each cluster as one node"
        @click=${() => view.set({ overview: overviewOn ? 'off' : 'on', clusterId: null })}
      >
        Clusters as nodes
      </button>`;
  }
}

customElements.define('vt-analysis-bar', VtAnalysisBar);

declare global {
  interface HTMLElementTagNameMap {
    'vt-analysis-bar': VtAnalysisBar;
  }
}
