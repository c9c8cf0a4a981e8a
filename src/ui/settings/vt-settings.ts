import { LitElement, css, html, nothing } from 'lit';
import { LOCAL_ORIGIN, listPeople, listTies, type Notebook } from '../../model/index.ts';
import { mergeNotebookFile } from '../../io/vitrine-file.ts';
import type { StorageReport } from '../../sync/storage.ts';
import { downloadBackup } from '../shell/download.ts';
import { panelStyles, settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';
import type { VtSyncSettings } from '../sync/vt-sync-settings.ts';
import '../sync/vt-sync-settings.ts';
import '../files/vt-import-dialog.ts';
import '../files/vt-export.ts';
import './vt-notebook-danger.ts';
import './vt-owner-addresses.ts';
import '../today/vt-today-digest.ts';
import { consumeServices, errorText, states } from '../shell/component.ts';

function bytes(n: number | undefined): string {
  if (n === undefined) return 'unknown';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

/**
 * Settings: storage usage, quota and persistence; save a `.vitrine` backup; open a
 * `.vitrine` file and merge it (one undoable step) with a summary of what came in.
 */
export class VtSettings extends LitElement {
  static override properties = states('report', 'summary', 'error', 'suggestedMe');

  /** The most frequent organizer of the last calendar previewed (for "Your own addresses"). */
  suggestedMe: string | undefined;
  report: StorageReport | undefined;
  summary = '';
  error = '';
  private readonly services = consumeServices(this);

  static override styles = [
    sharedStyles,
    panelStyles,
    settingsSectionStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: var(--vt-space-1) var(--vt-space-4);
        margin: var(--vt-space-2) 0;
      }
      dt {
        color: var(--vt-text-muted);
      }
      dd {
        margin: 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    await this.updateComplete;
    this.report = await this.services.value?.storage?.report();
  }

  override render() {
    const nb = this.services.value?.nb;
    if (!nb) return nothing;
    const r = this.report;
    return html`<h2>Settings</h2>
      ${nb.readOnlyReason ? html`<p class="error" role="alert">${nb.readOnlyReason}</p>` : nothing}
      <section aria-labelledby="storage-h">
        <h3 id="storage-h">Storage on this device</h3>
        <dl>
          <dt>Used</dt>
          <dd data-testid="usage">${bytes(r?.usage)}</dd>
          <dt>Available</dt>
          <dd>${bytes(r?.quota)}</dd>
          <dt>Persistent</dt>
          <dd data-testid="persisted">
            ${
              r?.persisted === undefined
                ? 'unknown'
                : r.persisted
                  ? 'yes: the browser will not clear it to free space'
                  : 'no: the browser may clear it when space runs low; keep backups'
            }
          </dd>
        </dl>
        ${
          r?.persisted === false
            ? html`<button @click=${this.persist}>Ask to keep data persistent</button>`
            : nothing
        }
      </section>
      <section aria-labelledby="backup-h">
        <h3 id="backup-h">Backups</h3>
        <p class="small muted">
          A <code>.vitrine</code> file holds the whole notebook. Opening one merges it into this
          notebook: nothing on either side is lost, and Undo takes the merge back.
        </p>
        <div class="row">
          <button class="primary" @click=${() => this.save(nb)}>Save backup</button>
          <label for="open-file" class="visually-hidden">Open a .vitrine file</label>
          <button
            @click=${() => (this.renderRoot.querySelector('#open-file') as HTMLInputElement).click()}
          >
            Open a .vitrine file
          </button>
          <input
            id="open-file"
            type="file"
            accept=".vitrine,application/octet-stream"
            hidden
            @change=${(e: Event) => this.open(nb, e)}
          />
        </div>
        ${this.summary ? html`<p role="status" data-testid="merge-summary">${this.summary}</p>` : nothing}
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      </section>
      <vt-import-dialog
        @vt-suggest-owner=${(e: CustomEvent<{ address: string }>) => (this.suggestedMe = e.detail.address)}
      ></vt-import-dialog>
      <vt-owner-addresses .suggested=${this.suggestedMe}></vt-owner-addresses>
      <vt-export></vt-export>
      <section aria-labelledby="digest-h">
        <h3 id="digest-h">Daily digest</h3>
        <vt-today-digest></vt-today-digest>
      </section>
      <vt-sync-settings id="sync"></vt-sync-settings>
      <vt-notebook-danger></vt-notebook-danger>`;
  }

  /** Show the sync section with the keyboard on "Pair a device" (the sync indicator). */
  async showSync(): Promise<void> {
    await this.updateComplete;
    await this.renderRoot.querySelector<VtSyncSettings>('#sync')?.focusPair();
  }

  private async persist(): Promise<void> {
    await this.services.value?.storage?.requestPersistence();
    await this.refresh();
  }

  private save(nb: Notebook): void {
    downloadBackup(nb);
  }

  private async open(nb: Notebook, e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.summary = '';
    this.error = '';
    try {
      const data = new Uint8Array(await file.arrayBuffer());
      const before = { people: listPeople(nb).length, ties: listTies(nb).length };
      // LOCAL_ORIGIN: the merge is one step the user can undo.
      const { waiting } = mergeNotebookFile(nb, data, file.name, LOCAL_ORIGIN);
      const after = { people: listPeople(nb).length, ties: listTies(nb).length };
      this.summary = `Merged ${file.name}: people ${before.people} → ${after.people} (+${after.people - before.people}), ties ${before.ties} → ${after.ties} (+${after.ties - before.ties}).${waiting ? ` ${waiting}` : ''}`;
    } catch (err) {
      this.error = errorText(err);
    }
    void this.refresh();
  }
}

customElements.define('vt-settings', VtSettings);

declare global {
  interface HTMLElementTagNameMap {
    'vt-settings': VtSettings;
  }
}
