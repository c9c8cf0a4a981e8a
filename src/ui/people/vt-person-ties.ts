import { LitElement, css, html, nothing } from 'lit';
import {
  TIE_KINDS,
  confirmInferredTie,
  dismissInferredTie,
  getPerson,
  inferredTieReason,
  linkPeople,
  tiesOf,
  unlinkTie,
  updateTie,
  type Notebook,
  type Tie,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { VtPersonPicker } from './vt-person-picker.ts';
import { announceRemoved } from '../shell/vt-toast.ts';
import './vt-person-picker.ts';
import { attempt, emit, states } from '../shell/component.ts';

const STRENGTHS = [
  [1, '1 · faint'],
  [2, '2 · light'],
  [3, '3 · steady'],
  [4, '4 · strong'],
  [5, '5 · very strong'],
] as const;

/**
 * A person's ties: to whom, what kind, how strong; change kind and strength in place,
 * remove a tie, or add a tie to anyone in the notebook. A tie inferred from meetings or
 * conversations together shows why ("met together at 7 meetings, last …") with Confirm
 * (it becomes the owner's own tie) and Dismiss (never inferred again).
 *
 * @fires vt-select - `detail: { id }` when the other end of a tie is clicked.
 */
export class VtPersonTies extends LitElement {
  static override properties = { personId: { attribute: false }, ...states('pickedId', 'error') };

  personId = '';
  pickedId: string | null = null;
  error = '';
  private readonly ties = new NotebookController(this, (nb: Notebook) => tiesOf(nb, this.personId));
  // Names of the other ends change rarely; re-render when people change too.
  private readonly peopleVersion = new NotebookController(
    this,
    (nb: Notebook) => nb.versions.people,
  );

  static override styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: var(--vt-space-2) 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr 1fr auto;
        gap: 2px var(--vt-space-2);
        align-items: center;
        padding: var(--vt-space-2) 0;
        border-bottom: 1px solid var(--vt-border);
      }
      .who {
        grid-column: 1 / -1;
        text-align: left;
        border: 0;
        background: transparent;
        padding: 2px 0;
        font-weight: 550;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .who:hover {
        text-decoration: underline;
      }
      .intro {
        color: var(--vt-accent);
        font-size: var(--vt-text-xs);
        font-weight: 400;
        margin-left: var(--vt-space-1);
      }
      .add {
        display: grid;
        grid-template-columns: 1fr 1fr auto;
        gap: var(--vt-space-2);
        align-items: end;
        margin-top: var(--vt-space-2);
      }
      .add vt-person-picker {
        grid-column: 1 / -1;
      }
      .error {
        font-size: var(--vt-text-sm);
      }
      .inferred {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vt-space-1) var(--vt-space-2);
        font-size: var(--vt-text-sm);
        color: var(--vt-text-muted);
      }
      .inferred .why {
        flex: 1 1 12rem;
      }
    `,
  ];

  override render() {
    const nb = this.ties.nb;
    const ties = this.ties.value ?? [];
    if (!nb) return nothing;
    void this.peopleVersion.value;
    return html`
      <h3>Ties (${ties.length})</h3>
      ${
        ties.length
          ? html`<ul aria-label="Ties">
              ${ties.map((t) => this.renderTie(nb, t))}
            </ul>`
          : html`<p class="muted small">No ties yet.</p>`
      }
      <div class="add">
        <vt-person-picker
          label="Add a tie to"
          .exclude=${[this.personId]}
          @vt-pick=${(e: CustomEvent<{ id: string | null }>) => (this.pickedId = e.detail.id)}
        ></vt-person-picker>
        <div>
          <label for="new-kind">Kind</label>
          <select id="new-kind">
            ${TIE_KINDS.map((k) => html`<option ?selected=${k === 'acquaintance'}>${k}</option>`)}
          </select>
        </div>
        <div>
          <label for="new-strength">Strength</label>
          <select id="new-strength">
            ${STRENGTHS.map(([v, l]) => html`<option value=${v} ?selected=${v === 3}>${l}</option>`)}
          </select>
        </div>
        <button type="button" ?disabled=${!this.pickedId} @click=${this.add}>Add tie</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    `;
  }

  private renderTie(nb: Notebook, t: Tie) {
    const otherId = t.from === this.personId ? t.to : t.from;
    const other = getPerson(nb, otherId);
    const name = other?.name ?? 'Someone';
    const introducer = t.introducedBy ? getPerson(nb, t.introducedBy)?.name : undefined;
    const kinds: readonly string[] = TIE_KINDS.includes(t.kind as (typeof TIE_KINDS)[number])
      ? TIE_KINDS
      : [...TIE_KINDS, t.kind];
    return html`<li>
      <button class="who" type="button" @click=${() => emit(this, 'vt-select', { id: otherId })}>
        ${name}
        ${t.introId ? html`<span class="intro">introduced${introducer ? ` by ${introducer}` : ''}</span>` : nothing}
      </button>
      <select
        aria-label=${`Kind of tie to ${name}`}
        @change=${(e: Event) => this.edit(t.id, { kind: (e.target as HTMLSelectElement).value })}
      >
        ${kinds.map((k) => html`<option ?selected=${k === t.kind}>${k}</option>`)}
      </select>
      <select
        aria-label=${`Strength of tie to ${name}`}
        @change=${(e: Event) => this.edit(t.id, { strength: Number((e.target as HTMLSelectElement).value) })}
      >
        ${STRENGTHS.map(([v, l]) => html`<option value=${v} ?selected=${v === t.strength}>${l}</option>`)}
      </select>
      <button
        type="button"
        class="quiet danger"
        aria-label=${`Remove tie to ${name}`}
        @click=${() => this.removeTie(t.id, name)}
      >
        Remove
      </button>
      ${
        t.provenance === 'inferred'
          ? html`<div class="inferred" data-testid="inferred-tie">
              <span class="why">Inferred: ${inferredTieReason(t) ?? 'from imported activity'}</span>
              <button
                type="button"
                aria-label=${`Confirm tie to ${name}`}
                @click=${() => this.run((n) => confirmInferredTie(n, t.id))}
              >
                Confirm
              </button>
              <button
                type="button"
                class="quiet"
                aria-label=${`Dismiss tie to ${name}`}
                @click=${() => this.run((n) => dismissInferredTie(n, t.id))}
              >
                Dismiss
              </button>
            </div>`
          : nothing
      }
    </li>`;
  }

  private edit(id: string, patch: { kind?: string; strength?: number }): void {
    this.run((nb) => updateTie(nb, id, patch));
  }

  private removeTie(id: string, name: string): void {
    this.run((nb) => (unlinkTie(nb, id), announceRemoved(this, `Removed tie to ${name}`)));
  }

  private add(): void {
    const root = this.renderRoot;
    const kind = (root.querySelector('#new-kind') as HTMLSelectElement).value;
    const strength = Number((root.querySelector('#new-strength') as HTMLSelectElement).value);
    const picked = this.pickedId;
    if (!picked) return;
    this.run((nb) => linkPeople(nb, this.personId, picked, { kind, strength }));
    (root.querySelector('vt-person-picker') as VtPersonPicker | null)?.clear();
    this.pickedId = null;
  }

  private run(fn: (nb: Notebook) => void): void {
    const nb = this.ties.nb;
    if (!nb) return;
    if (attempt(this, () => fn(nb))) this.error = '';
  }
}

customElements.define('vt-person-ties', VtPersonTies);

declare global {
  interface HTMLElementTagNameMap {
    'vt-person-ties': VtPersonTies;
  }
}
