import { LitElement, css, html } from 'lit';
import type { SyncState } from '../sync/status.ts';
import { sharedStyles } from './shared-styles.ts';
import { SyncController } from './vt-sync-context.ts';

const SHORT: Record<SyncState, string> = {
  'this-device': 'This device only',
  offline: 'Offline',
  connecting: 'Connecting…',
  'up-to-date': 'Up to date',
};

/**
 * The sync indicator for the header: a coloured dot and the sync summary in words
 * ("This device only — pair a device to sync", "Up to date with 2 devices · last synced
 * 3 min ago", …) in a `role="status"` region, with the last sync error after it. The
 * header shows a short form ("Up to date", "Offline") and, on a phone, the dot alone; the
 * full sentence stays the accessible text and the tooltip.
 *
 * @fires vt-sync-open - when clicked (pointer): the app opens the sync settings
 * @csspart status - the status text
 */
export class VtSyncIndicator extends LitElement {
  private readonly sync = new SyncController(this);
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-flex;
        min-width: 0;
      }
      .box {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: var(--vt-space-2);
        min-width: 0;
        max-width: 22rem;
        padding: 5px 8px;
        font-size: var(--vt-text-sm);
        color: var(--vt-text-muted);
        cursor: pointer;
      }
      .dot {
        flex: none;
        width: 9px;
        height: 9px;
        border-radius: 50%;
        background: var(--vt-border);
      }
      [data-state='up-to-date'] .dot {
        background: var(--vt-accent);
      }
      [data-state='connecting'] .dot {
        background: var(--vt-warn);
      }
      [data-state='offline'] .dot {
        background: var(--vt-text-muted);
      }
      [data-error] .dot {
        background: var(--vt-danger);
      }
      /* The full sentence is the status region (screen readers, tooltip); the header shows
         the short form so the search field keeps its room. */
      .text {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      .short {
        white-space: nowrap;
      }
      .error {
        color: var(--vt-danger);
      }
      @media (max-width: 720px) {
        .box {
          padding: 5px 4px;
        }
      }
      /* Too narrow for words beside the header's tools: the dot (and the title) only. */
      @media (max-width: 420px) {
        .short {
          display: none;
        }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    // "last synced 3 min ago" ages without any sync event.
    this.timer = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    const summary = this.sync.sync?.summary;
    if (!summary) return html``;
    const error = summary.lastError;
    // Not a button: its name would be the whole status sentence. A click (pointer users)
    // opens the sync settings; keyboard users reach them through the Settings button.
    return html`<div
      class="box"
      data-state=${summary.state}
      ?data-error=${!!error}
      title=${error ? `${summary.text}. ${error}` : summary.text}
      @click=${() =>
        this.dispatchEvent(new CustomEvent('vt-sync-open', { bubbles: true, composed: true }))}
    >
      <span class="dot" aria-hidden="true"></span>
      <span role="status" part="status" class="text"
        >${summary.text}${error ? html`<span class="error"> · ${error}</span>` : ''}</span
      >
      <span class="short" aria-hidden="true">${SHORT[summary.state]}${error ? ' ⚠' : ''}</span>
    </div>`;
  }
}

customElements.define('vt-sync-indicator', VtSyncIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'vt-sync-indicator': VtSyncIndicator;
  }
}
