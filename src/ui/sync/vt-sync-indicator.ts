import { LitElement, css, html } from 'lit';
import type { SyncState } from '../../sync/status.ts';
import { sharedStyles, visuallyHidden } from '../shell/shared-styles.ts';
import { SyncController } from '../controllers/sync-context.ts';
import { emit } from '../shell/component.ts';

const SHORT: Record<SyncState, string> = {
  'this-device': 'This device only',
  offline: 'Offline',
  connecting: 'Connecting…',
  'up-to-date': 'Up to date',
};

/**
 * The sync indicator for the header: a button with a coloured dot and the short sync state
 * ("Up to date", "Offline"; on a phone the dot alone) that opens the sync settings, and the
 * full summary in words ("This device only — pair a device to sync", "Up to date with 2
 * devices · last synced 3 min ago", …) with the last sync error in a `role="status"`
 * region beside it (and as the button's tooltip).
 *
 * @fires vt-sync-open - when the button is pressed (pointer or keyboard): the app opens the
 *   sync settings at "Pair a device"
 * @csspart status - the status text
 */
export class VtSyncIndicator extends LitElement {
  private readonly sync = new SyncController(this);
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    sharedStyles,
    css`
      :host {
        position: relative;
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
        ${visuallyHidden}
      }
      .short {
        white-space: nowrap;
      }
      @media (max-width: 720px) {
        .box {
          padding: 5px 4px;
          min-width: 44px;
          min-height: 44px;
          justify-content: center;
        }
      }
      /* Too narrow for words beside the header's tools: the dot only, the words still its
         name. */
      @media (max-width: 420px) {
        .short {
          ${visuallyHidden}
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
    // The button is named by what it shows plus where it goes ("Up to date · sync settings");
    // the full sentence is a status region beside it, announced as it changes.
    return html`<span role="status" part="status" class="text"
        >${summary.text}${error ? html`<span class="error"> · ${error}</span>` : ''}</span
      ><button
        class="box quiet"
        data-state=${summary.state}
        ?data-error=${!!error}
        title=${error ? `${summary.text}. ${error}` : summary.text}
        @click=${() => emit(this, 'vt-sync-open')}
      >
        <span class="dot" aria-hidden="true"></span>
        <span class="short">${SHORT[summary.state]}</span>${
          error ? html`<span aria-hidden="true"> ⚠</span>` : ''
        }<span class="visually-hidden"> · sync settings</span>
      </button>`;
  }
}

customElements.define('vt-sync-indicator', VtSyncIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'vt-sync-indicator': VtSyncIndicator;
  }
}
