import { LitElement, css, html, nothing } from 'lit';
import type { NeglectedTie } from '../../analysis/index.ts';
import { logTouch } from '../../model/index.ts';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { analysisPanelStyles, sharedStyles } from '../shell/shared-styles.ts';
import { dueItemStyles, whoButton } from '../today/due-item.ts';

/** How many ties are listed before "Show more". */
const PAGE = 30;

/**
 * "Needs attention": the owner's neglected ties, most urgent first (strong ties and ties
 * that are the only link to a group weigh more), each with its reason in words and a
 * one-click "Log touch" that logs a touch today. A logged tie shows "Touch logged" until
 * the analysis reruns and drops it from the list.
 *
 * @fires vt-select - `detail: { id }` when a person's name is clicked.
 */
export class VtAttention extends LitElement {
  static override properties = { shown: { state: true } };
  shown = PAGE;
  private readonly analysis = new AnalysisController(this);
  /** Ties touched from this list, until a result without them arrives. */
  private logged = new Set<string>();
  private loggedFor: unknown;

  static override styles = [
    sharedStyles,
    analysisPanelStyles,
    dueItemStyles,
    css`
      ol {
        list-style: none;
        margin: var(--vt-space-3) 0 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--vt-space-1) var(--vt-space-3);
        align-items: start;
        padding: var(--vt-space-3) 0;
        border-bottom: 1px solid var(--vt-border);
      }
      .reason {
        grid-column: 1;
        margin: 0;
      }
      .act {
        grid-row: 1 / span 2;
        grid-column: 2;
        align-self: center;
      }
      .badge {
        display: inline-block;
        margin-left: var(--vt-space-1);
        padding: 0 6px;
        border-radius: 999px;
        background: var(--vt-surface-2);
        font-size: var(--vt-text-xs);
        font-weight: 400;
        color: var(--vt-text-muted);
      }
      .done {
        color: var(--vt-accent-strong);
      }
    `,
  ];

  override render() {
    const client = this.analysis.client;
    const nb = this.analysis.nb;
    if (!client || !nb) return nothing;
    const a = client.latest;
    if (a !== this.loggedFor) {
      // A new result has its own list: what was touched is gone from it (or, after an
      // undo, back in it), so nothing is remembered across results.
      this.loggedFor = a;
      this.logged = new Set();
    }
    const list = a?.neglected ?? [];
    return html` <h2 class="visually-hidden">Needs attention</h2>
      <span class="status small muted" role="status"
        >${client.status !== 'idle' ? 'Updating…' : ''}</span
      >

      ${
        !a
          ? html`<p class="muted">Looking at your network…</p>`
          : list.length
            ? html`<p class="small muted">
                  ${list.length} ${list.length === 1 ? 'tie is' : 'ties are'} overdue for a touch,
                  most urgent first: strong ties and your only links into a group count more.
                </p>
                <ol aria-label="Neglected ties">
                  ${list.slice(0, this.shown).map((n) => this.renderItem(n))}
                </ol>
                ${
                  list.length > this.shown
                    ? html`<p>
                        <button @click=${() => (this.shown += PAGE)}>
                          Show more (${list.length - this.shown} left)
                        </button>
                      </p>`
                    : nothing
                }`
            : html`<p class="muted">
                Nothing is overdue. Ties with a keep-in-touch cadence show up here when they go
                cold.
              </p>`
      }`;
  }

  private renderItem(n: NeglectedTie) {
    const done = this.logged.has(n.tieId);
    return html`<li data-tie=${n.tieId}>
      <span>
        ${whoButton(this, n.personId, n.name)}
        ${n.onlyLink ? html`<span class="badge">only link</span>` : nothing}
        ${n.strength >= 4 ? html`<span class="badge">strong tie</span>` : nothing}
      </span>
      <p class="reason small">${n.reason}</p>
      <span class="act">
        ${
          done
            ? html`<span class="done small" role="status">Touch logged</span>`
            : html`<button aria-label=${`Log touch with ${n.name}`} @click=${() => this.touch(n)}>
                Log touch
              </button>`
        }
      </span>
    </li>`;
  }

  private touch(n: NeglectedTie): void {
    const nb = this.analysis.nb;
    if (!nb) return;
    // A touch today; the analysis reruns after its debounce and drops the tie.
    logTouch(nb, { personIds: [n.personId] });
    this.logged.add(n.tieId);
    this.requestUpdate();
  }
}

customElements.define('vt-attention', VtAttention);

declare global {
  interface HTMLElementTagNameMap {
    'vt-attention': VtAttention;
  }
}
