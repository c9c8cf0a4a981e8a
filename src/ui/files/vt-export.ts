import { LitElement, css, html, nothing } from 'lit';
import { localDay } from '../../time/dates.ts';
import { getPerson, type Notebook } from '../../model/index.ts';
import type { ExportFormat } from '../../io/formats.ts';
import { downloadBytes } from '../shell/download.ts';
import { settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';
import { attemptBusy, consumeServices, states } from '../shell/component.ts';

/**
 * The export formats as the picker names them. Typed by `ExportFormat`, so a format added
 * to `src/io` fails the type check here until it has a label. Kept local (not read from
 * `EXPORTERS`) so the settings panel does not load the writers before they are needed.
 */
const FORMAT_LABELS: Record<ExportFormat, string> = {
  json: 'Vitrine JSON',
  csv: 'CSV: people',
  'csv-ties': 'CSV: ties',
  vcard: 'vCard 4.0',
  graphml: 'GraphML (Gephi)',
  ics: 'Calendar of reminders (.ics)',
};

/** A file-name-safe form of a name: letters and digits of any script, joined by `-`. */
function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** Today's local date as `YYYY-MM-DD`. */
function today(): string {
  return localDay(new Date());
}

/**
 * The download's name: the notebook (named after its owner, as the app knows it) and the
 * date, e.g. `vitrine-ada-lovelace-2026-11-25.graphml`.
 */
export function exportFileName(nb: Notebook, extension: string): string {
  const owner = nb.ownerId ? getPerson(nb, nb.ownerId)?.name : undefined;
  const who = owner ? slug(owner) : '';
  return `vitrine-${who ? `${who}-` : ''}${today()}.${extension}`;
}

/**
 * "Export": downloads the notebook as Vitrine JSON, CSV (people or ties), vCard 4.0 or
 * GraphML, through the same exporters as `vitrine export`. Renders its own Settings section.
 */
export class VtExport extends LitElement {
  static override properties = states('format', 'busy', 'status', 'error');

  format: ExportFormat = 'json';
  busy = false;
  status = '';
  error = '';
  private readonly services = consumeServices(this);

  static override styles = [
    sharedStyles,
    settingsSectionStyles,
    css`
      select {
        width: auto;
        min-width: 0;
      }
    `,
  ];

  override render() {
    if (!this.services.value?.nb) return nothing;
    return html`<section aria-labelledby="export-h">
      <h3 id="export-h">Export</h3>
      <p class="small muted">
        Download the notebook for a spreadsheet, an address book or a graph tool. Only Vitrine JSON
        carries everything (vetting, touches, introductions).
      </p>
      <div class="row">
        <label for="export-format">Export format</label>
        <select
          id="export-format"
          @change=${(e: Event) =>
            (this.format = (e.target as HTMLSelectElement).value as ExportFormat)}
        >
          ${(Object.keys(FORMAT_LABELS) as ExportFormat[]).map(
            (f) =>
              html`<option value=${f} ?selected=${f === this.format}>${FORMAT_LABELS[f]}</option>`,
          )}
        </select>
        <button ?disabled=${this.busy} @click=${this.download}>
          ${this.busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      ${
        this.status
          ? html`<p role="status" class="small" data-testid="export-status">${this.status}</p>`
          : nothing
      }
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
    </section>`;
  }

  private async download(): Promise<void> {
    const nb = this.services.value?.nb;
    if (!nb || this.busy) return;
    this.status = '';
    this.error = '';
    await attemptBusy(this, async () => {
      const { EXPORTERS } = await import('../../io/formats.ts');
      // Let "Exporting…" paint: a 10,000-person export holds the thread for a moment.
      await this.updateComplete;
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const out = EXPORTERS[this.format](nb);
      const name = exportFileName(nb, out.extension);
      downloadBytes(out.data, name, out.mime);
      this.status = `Downloaded ${name}.`;
    });
  }
}

customElements.define('vt-export', VtExport);

declare global {
  interface HTMLElementTagNameMap {
    'vt-export': VtExport;
  }
}
