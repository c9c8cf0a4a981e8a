import { LitElement, html, nothing } from 'lit';
import type { Notebook } from '../../model/index.ts';
import { downloadBackup } from '../shell/download.ts';
import { hasSampleNetwork, removeSampleNetwork } from '../../app/sample-network.ts';
import { settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';
import { attempt, consumeServices, errorText, states } from '../shell/component.ts';

/** The words the owner types to confirm deleting the notebook. */
export const DELETE_CONFIRMATION = 'delete';

/**
 * Settings → Notebook: remove the sample network (only what the sample created; Undo
 * brings it back) and delete this notebook from this device (its IndexedDB database),
 * each behind a confirmation, with "Save a backup first" offered before either.
 */
export class VtNotebookDanger extends LitElement {
  static override properties = states('confirming', 'typed', 'status', 'error');

  /** Which action waits for confirmation. */
  confirming: 'sample' | 'delete' | undefined = undefined;
  typed = '';
  status = '';
  error = '';
  private readonly services = consumeServices(this);

  static override styles = [sharedStyles, settingsSectionStyles];

  override render() {
    const nb = this.services.value?.nb;
    if (!nb) return nothing;
    const sample = hasSampleNetwork(nb);
    return html`<section aria-labelledby="notebook-h">
      <h3 id="notebook-h">Notebook</h3>
      <div class="row">
        ${
          sample
            ? html`<button @click=${() => this.ask('sample')}>Remove the sample network</button>`
            : nothing
        }
        <button class="danger" @click=${() => this.ask('delete')}>Delete this notebook</button>
      </div>
      ${this.confirming ? this.renderConfirm(nb) : nothing}
      ${this.status ? html`<p role="status">${this.status}</p>` : nothing}
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
    </section>`;
  }

  private renderConfirm(nb: Notebook) {
    const deleting = this.confirming === 'delete';
    return html`<div
      role="group"
      aria-label=${deleting ? 'Confirm delete' : 'Confirm remove sample'}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // Escape cancels the confirmation (not the Settings panel around it).
        e.preventDefault();
        this.confirming = undefined;
      }}
    >
      <p>
        ${
          deleting
            ? html`This deletes every person, tie, touch and introduction stored in this browser for
                this notebook. It cannot be undone. Devices you sync with keep their copy. Type
                <strong>${DELETE_CONFIRMATION}</strong> to confirm.`
            : html`This removes the sample's people with their ties, touches and introductions.
              Everything you added stays. Undo brings the sample back.`
        }
      </p>
      <div class="row">
        <button @click=${() => downloadBackup(nb)}>Save a backup first</button>
        ${
          deleting
            ? html`<label
                >Type ${DELETE_CONFIRMATION} to confirm
                <input
                  .value=${this.typed}
                  @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)}
              /></label>`
            : nothing
        }
        <button
          class="danger"
          ?disabled=${deleting && this.typed.trim().toLowerCase() !== DELETE_CONFIRMATION}
          @click=${() => (deleting ? void this.deleteNotebook() : this.removeSample(nb))}
        >
          ${deleting ? 'Delete this notebook for good' : 'Remove the sample'}
        </button>
        <button class="quiet" @click=${() => (this.confirming = undefined)}>Cancel</button>
      </div>
    </div>`;
  }

  private ask(what: 'sample' | 'delete'): void {
    this.confirming = what;
    this.typed = '';
    this.status = '';
    this.error = '';
  }

  private removeSample(nb: Notebook): void {
    attempt(this, () => {
      const r = removeSampleNetwork(nb);
      this.confirming = undefined;
      this.status = `Removed the sample: ${r.people} people, ${r.ties} ties, ${r.touches} touches, ${r.intros} introductions. Undo brings them back.`;
    });
  }

  /** Stop storing, delete the IndexedDB database, and start again on the first-run screen. */
  private async deleteNotebook(): Promise<void> {
    const storage = this.services.value?.storage;
    const idb = storage?.origin as { clearData?: () => Promise<void> } | undefined;
    if (!idb?.clearData) {
      this.error = 'This notebook is not stored in this browser; there is nothing to delete.';
      return;
    }
    try {
      await idb.clearData();
      location.reload();
    } catch (err) {
      this.error = `Could not delete the notebook: ${errorText(err)}`;
    }
  }
}

customElements.define('vt-notebook-danger', VtNotebookDanger);

declare global {
  interface HTMLElementTagNameMap {
    'vt-notebook-danger': VtNotebookDanger;
  }
}
