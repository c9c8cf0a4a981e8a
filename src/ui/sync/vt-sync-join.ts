import { LitElement, css, html, nothing } from 'lit';
import { settingsFromLink, withoutPairing, type SyncSettings } from '../../sync/identity-store.ts';
import { parsePairingLink, type SyncIdentity } from '../../sync/pairing.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { SyncController } from '../controllers/sync-context.ts';
import { emit, errorText, states } from '../shell/component.ts';

type Ask =
  | { kind: 'join'; identity: SyncIdentity; settings: Partial<SyncSettings> }
  | { kind: 'already' }
  | { kind: 'broken'; message: string }
  | { kind: 'failed'; message: string };

/**
 * Opening a pairing link (`…#pair=…`): asks "Join this notebook?" in a modal dialog, and on
 * "Join" keeps the identity and starts sync (this device's notebook merges in). A broken
 * link gets the parser's sentence instead. The fragment is removed from the address either
 * way (`history.replaceState`), so the secret does not linger in the address bar or in the
 * history. Also reacts to a link pasted into an open tab (`hashchange`).
 *
 * Mounted by `main.ts` beside `<vt-app>`, after local storage has loaded.
 *
 * @fires vt-sync-joined - after joining (detail: nothing)
 */
export class VtSyncJoin extends LitElement {
  static override properties = states('ask', 'busy');

  ask: Ask | undefined;
  busy = false;
  private readonly sync = new SyncController(this);
  private readonly onHash = () => this.read();

  static override styles = [
    sharedStyles,
    css`
      dialog {
        max-width: min(32rem, calc(100vw - 2 * var(--vt-space-4)));
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        background: var(--vt-surface);
        color: var(--vt-text);
        box-shadow: var(--vt-shadow);
        padding: var(--vt-space-5);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      p {
        margin: var(--vt-space-3) 0;
        line-height: 1.45;
      }
      .row {
        display: flex;
        gap: var(--vt-space-2);
        justify-content: flex-end;
        margin-top: var(--vt-space-4);
      }
      code {
        font-family: var(--vt-font-mono);
        font-size: var(--vt-text-sm);
        overflow-wrap: anywhere;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.read();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
  }

  /** Look at the address for a pairing link. */
  read(): void {
    const href = location.href;
    if (!/[#&]pair=/.test(new URL(href).hash)) return;
    try {
      const identity = parsePairingLink(href);
      const settings = settingsFromLink(href);
      this.ask = this.sync.sync?.isCurrent(identity)
        ? { kind: 'already' }
        : { kind: 'join', identity, settings };
    } catch (e) {
      this.ask = { kind: 'broken', message: errorText(e) };
    }
    // The secret has been read; keep it out of the address bar, history and bookmarks.
    history.replaceState(history.state, '', withoutPairing(href));
  }

  override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) dialog.showModal();
  }

  override render() {
    const ask = this.ask;
    if (!ask) return nothing;
    if (ask.kind !== 'join') {
      const title =
        ask.kind === 'already'
          ? 'Already paired'
          : ask.kind === 'broken'
            ? 'This pairing link does not work'
            : 'Joining failed';
      return html`<dialog aria-labelledby="join-h" @cancel=${this.close}>
        <h2 id="join-h">${title}</h2>
        ${
          ask.kind === 'already'
            ? html`<p>
                This device already syncs this notebook with the device that made the link.
              </p>`
            : html`<p role="alert" class="error">${ask.message}</p>`
        }
        <div class="row"><button class="primary" @click=${this.close}>Close</button></div>
      </dialog>`;
    }
    const s = ask.settings;
    const paired = this.sync.sync?.paired ?? false;
    return html`<dialog aria-labelledby="join-h" @cancel=${this.close}>
      <h2 id="join-h">Join this notebook?</h2>
      <p>
        This device will keep the same notebook as the device that made the link, and sync with it.
        What this device already has merges in; nothing is lost.
        ${
          paired
            ? html`This device stops syncing with the devices it was paired with before.`
            : nothing
        }
      </p>
      ${
        s.signaling || s.relay || s.relayEnabled === false
          ? html`<p class="small muted">
              The link names its servers:
              ${s.signaling ? html`signalling <code>${s.signaling}</code>` : nothing}
              ${s.relay ? html`relay <code>${s.relay}</code>` : nothing}
              ${s.relayEnabled === false ? 'no relay' : nothing}.
            </p>`
          : nothing
      }
      <div class="row">
        <button @click=${this.close} ?disabled=${this.busy}>Cancel</button>
        <button class="primary" @click=${() => this.join(ask)} ?disabled=${this.busy}>Join</button>
      </div>
    </dialog>`;
  }

  private close(): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.ask = undefined;
  }

  private async join(ask: Extract<Ask, { kind: 'join' }>): Promise<void> {
    const sync = this.sync.sync;
    if (!sync) return;
    this.busy = true;
    try {
      await sync.join(ask.identity, ask.settings);
      this.close();
      emit(this, 'vt-sync-joined');
    } catch (e) {
      this.renderRoot.querySelector('dialog')?.close();
      this.ask = { kind: 'failed', message: errorText(e) };
    } finally {
      this.busy = false;
    }
  }
}

customElements.define('vt-sync-join', VtSyncJoin);

declare global {
  interface HTMLElementTagNameMap {
    'vt-sync-join': VtSyncJoin;
  }
}
