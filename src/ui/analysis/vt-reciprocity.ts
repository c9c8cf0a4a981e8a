import { LitElement, css, html, nothing } from 'lit';
import {
  INTRO_OUTCOMES,
  balance,
  getPerson,
  ownerTrackRecord,
  reciprocityTable,
  type Notebook,
  type Reciprocity,
  type TrackRecord,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { OUTCOME_LABELS } from '../intros/vt-intro-card.ts';
import { emit } from '../shell/component.ts';

/** Rows shown before "Show all". */
const FIRST_ROWS = 12;

/**
 * Give and take: the owner's own track record as an introducer (outcome counts, success
 * rate, open and awaiting), and per person the favours and introductions given vs
 * received, the most lopsided first.
 *
 * @fires vt-select - `detail: { id }` when a person's name is clicked.
 */
export class VtReciprocity extends LitElement {
  static override properties = { all: { state: true } };

  all = false;
  // A version key, not the figures: they are computed once per render, and only the
  // collections they read (people, touches, intros) trigger one.
  private readonly versions = new NotebookController(
    this,
    (nb: Notebook) => `${nb.versions.people}:${nb.versions.touches}:${nb.versions.intros}`,
  );

  static override styles = [
    sharedStyles,
    css`
      h3 {
        margin-top: var(--vt-space-3);
      }
      .record {
        display: grid;
        grid-template-columns: repeat(5, 1fr);
        gap: var(--vt-space-1);
        margin: var(--vt-space-2) 0;
        text-align: center;
      }
      .record div {
        background: var(--vt-surface-2);
        border-radius: var(--vt-radius-sm);
        padding: var(--vt-space-1);
      }
      .record b {
        display: block;
        font-size: var(--vt-text-lg);
        font-variant-numeric: tabular-nums;
      }
      .record span {
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--vt-text-sm);
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: var(--vt-space-1) var(--vt-space-1);
        border-bottom: 1px solid var(--vt-border);
        text-align: right;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      th {
        font-weight: 600;
        font-size: var(--vt-text-xs);
        color: var(--vt-text-muted);
      }
      td button {
        border: 0;
        background: transparent;
        padding: 0;
        text-align: left;
      }
      td button:hover {
        text-decoration: underline;
      }
      .owed {
        color: var(--vt-warn);
      }
      .ahead {
        color: var(--vt-accent);
      }
    `,
  ];

  override render() {
    const nb = this.versions.nb;
    if (!nb) return nothing;
    return html`${this.renderRecord(ownerTrackRecord(nb))}
    ${this.renderTable(nb, reciprocityTable(nb, 500))}`;
  }

  private renderRecord(r: TrackRecord) {
    const rated = INTRO_OUTCOMES.reduce((s, o) => s + r.outcomes[o], 0);
    return html`<section aria-label="Your track record">
      <h3>Your track record</h3>
      <p class="small muted">
        ${r.made} introduction${r.made === 1 ? '' : 's'}
        made${
          r.successRate !== undefined
            ? html`, <strong>${Math.round(r.successRate * 100)}%</strong> went well (${rated} with
                an outcome)`
            : nothing
        };
        ${r.open} open, ${r.awaitingOutcome} awaiting an outcome, ${r.declined} declined.
      </p>
      <div class="record">
        ${INTRO_OUTCOMES.map(
          (o) => html`<div><b>${r.outcomes[o]}</b><span>${OUTCOME_LABELS[o]}</span></div>`,
        )}
      </div>
    </section>`;
  }

  private renderTable(nb: Notebook, rows: readonly Reciprocity[]) {
    if (!rows.length) {
      return html`<h3>Give and take</h3>
        <p class="small muted">
          No favours or introductions yet. Log a touch as “Favour given” or “Favour received”.
        </p>`;
    }
    const shown = this.all ? rows : rows.slice(0, FIRST_ROWS);
    return html`<h3>Give and take</h3>
      <table aria-label="Give and take per person">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col" title="Favours you gave / received">Favours</th>
            <th scope="col" title="Introductions you made for them / they made">Intros</th>
            <th scope="col" title="Given minus received">Balance</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map((r) => {
            const p = getPerson(nb, r.personId);
            if (!p) return nothing;
            const bal = balance(r);
            return html`<tr>
              <td>
                <button @click=${() => emit(this, 'vt-select', { id: p.id })}>${p.name}</button>
              </td>
              <td aria-label=${`${r.favoursGiven} favours given, ${r.favoursReceived} received`}>
                ${r.favoursGiven} / ${r.favoursReceived}
              </td>
              <td
                aria-label=${`${r.introsGiven} introductions given, ${r.introsReceived} received`}
              >
                ${r.introsGiven} / ${r.introsReceived}
              </td>
              <td
                class=${bal < 0 ? 'owed' : bal > 0 ? 'ahead' : ''}
                title=${bal < 0 ? 'You owe them' : bal > 0 ? 'They owe you' : 'Even'}
              >
                ${bal > 0 ? `+${bal}` : bal}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      <p class="small muted">Given / received. Positive balance: you have given more.</p>
      ${
        rows.length > FIRST_ROWS
          ? html`<button class="quiet" @click=${() => (this.all = !this.all)}>
              ${this.all ? 'Show fewer' : `Show all ${rows.length}`}
            </button>`
          : nothing
      }`;
  }
}

customElements.define('vt-reciprocity', VtReciprocity);

declare global {
  interface HTMLElementTagNameMap {
    'vt-reciprocity': VtReciprocity;
  }
}
