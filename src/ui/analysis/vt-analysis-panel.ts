import { LitElement, css, html } from 'lit';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './vt-attention.ts';
import './vt-clusters-panel.ts';

/** Which analysis view the panel shows. */
export type AnalysisPanelMode = 'clusters' | 'attention';

/**
 * The analysis side panel: "Clusters" and "Needs attention" as two tabs, so either is one
 * tap from the other (on a phone the header has room for only one of them).
 *
 * @fires vt-select - from the views inside, when a person's name is clicked.
 */
export class VtAnalysisPanel extends LitElement {
  static override properties = { mode: { type: String } };
  mode: AnalysisPanelMode = 'clusters';
  // Only for the overdue count on the tab.
  private readonly analysis = new AnalysisController(this);

  static override styles = [
    sharedStyles,
    css`
      [role='tablist'] {
        display: flex;
        gap: var(--vt-space-1);
        padding: var(--vt-space-3) var(--vt-space-4) 0;
        border-bottom: 1px solid var(--vt-border);
      }
      [role='tab'] {
        border: 0;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: transparent;
        padding: var(--vt-space-1) var(--vt-space-2);
        color: var(--vt-text-muted);
      }
      [role='tab'][aria-selected='true'] {
        border-bottom-color: var(--vt-accent);
        color: var(--vt-text);
        font-weight: 600;
      }
      .count {
        display: inline-block;
        min-width: 1.4em;
        margin-left: var(--vt-space-1);
        padding: 0 5px;
        border-radius: 999px;
        background: var(--vt-surface-2);
        font-size: var(--vt-text-xs);
        font-weight: 400;
        text-align: center;
      }
    `,
  ];

  override render() {
    const overdue = this.analysis.latest?.neglected.length ?? 0;
    const tab = (mode: AnalysisPanelMode, label: string, extra = '') =>
      html`<button
        role="tab"
        aria-selected=${this.mode === mode ? 'true' : 'false'}
        @click=${() => (this.mode = mode)}
      >
        ${label}${extra ? html` <span class="count">${extra}</span>` : ''}
      </button>`;
    return html`<div role="tablist" aria-label="Analysis">
        ${tab('clusters', 'Clusters')}
        ${tab('attention', 'Needs attention', overdue ? String(overdue) : '')}
      </div>
      ${
        this.mode === 'clusters'
          ? html`<vt-clusters-panel></vt-clusters-panel>`
          : html`<vt-attention></vt-attention>`
      }`;
  }
}

customElements.define('vt-analysis-panel', VtAnalysisPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vt-analysis-panel': VtAnalysisPanel;
  }
}
