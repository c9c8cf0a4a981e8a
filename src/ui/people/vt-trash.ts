import { LitElement, css, html, nothing } from 'lit';
import { dayOf } from '../../time/dates.ts';
import { emptyTrash, listTrash, restorePerson, type Notebook } from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { lineListStyles, panelStyles, sharedStyles } from '../shell/shared-styles.ts';
import { emit } from '../shell/component.ts';

/**
 * The trash: people moved there, newest first, each with "Restore" (ties and touches come
 * back with them), and "Empty trash" behind a confirmation.
 *
 * @fires vt-select - `detail: { id }` after a person is restored.
 */
export class VtTrash extends LitElement {
  static override properties = { confirming: { state: true } };
  confirming = false;
  private readonly trash = new NotebookController(this, (nb: Notebook) => listTrash(nb));

  static override styles = [
    sharedStyles,
    panelStyles,
    lineListStyles,
    css`
      li span {
        flex: 1;
      }
      .foot {
        display: flex;
        gap: var(--vt-space-2);
        align-items: center;
      }
    `,
  ];

  override render() {
    const nb = this.trash.nb;
    const people = this.trash.value ?? [];
    if (!nb) return nothing;
    return html`<h2>Trash</h2>
      ${
        people.length
          ? html`<ul aria-label="People in the trash">
                ${people.map(
                  (p) =>
                    html`<li>
                      <span
                        >${p.name}
                        <span class="muted small"
                          >${p.org ?? ''} · moved ${dayOf(p.deletedAt)}</span
                        ></span
                      >
                      <button
                        aria-label=${`Restore ${p.name}`}
                        @click=${() => this.restore(nb, p.id)}
                      >
                        Restore
                      </button>
                    </li>`,
                )}
              </ul>
              <div class="foot">
                ${
                  this.confirming
                    ? html`<span class="small"
                          >Remove ${people.length} for good? This cannot be undone.</span
                        >
                        <button class="danger" @click=${() => this.empty(nb)}>
                          Remove for good
                        </button>
                        <button @click=${() => (this.confirming = false)}>Keep</button>`
                    : html`<button class="danger" @click=${() => (this.confirming = true)}>
                        Empty trash
                      </button>`
                }
              </div>`
          : html`<p class="muted">The trash is empty.</p>`
      }`;
  }

  private restore(nb: Notebook, id: string): void {
    restorePerson(nb, id);
    emit(this, 'vt-select', { id });
  }

  private empty(nb: Notebook): void {
    emptyTrash(nb);
    this.confirming = false;
  }
}

customElements.define('vt-trash', VtTrash);

declare global {
  interface HTMLElementTagNameMap {
    'vt-trash': VtTrash;
  }
}
