import { LitElement, css, html, nothing, svg } from 'lit';
import { generate } from 'lean-qr';
import { toSvgPath } from 'lean-qr/extras/svg';
import { formatIceServers, parseIceServers } from '../../sync/identity-store.ts';
import { formatSince } from '../../sync/status.ts';
import type { RekeyChoice } from '../../sync/rekey-guard.ts';
import { toTime } from '../../time/dates.ts';
import { controlRowStyles, lineListStyles, sharedStyles } from '../shell/shared-styles.ts';
import { SyncController } from '../controllers/sync-context.ts';
import { attemptBusy, emit, states } from '../shell/component.ts';

/** "last seen 3 days ago", read strictly: another device wrote `lastSeen`. */
function lastSeen(iso: string): string {
  const t = toTime(iso);
  return t === undefined
    ? 'last seen at an unknown time'
    : `last seen ${formatSince(new Date(t), new Date())}`;
}

// Sync servers this page's Content-Security-Policy refused to contact (connect-src), by
// origin. Listened for from the start, since sync may try a server before the panel opens.
const refusedByPolicy = new Set<string>();
const policyListeners = new Set<() => void>();
document.addEventListener('securitypolicyviolation', (e) => {
  if (e.effectiveDirective !== 'connect-src') return;
  const origin = originOf(e.blockedURI);
  if (!origin || refusedByPolicy.has(origin)) return;
  refusedByPolicy.add(origin);
  for (const listener of policyListeners) listener();
});

function originOf(address: string): string | undefined {
  try {
    return new URL(address).origin;
  } catch {
    return undefined;
  }
}

/**
 * Sync settings, for the settings panel: the status and last error in words; when two
 * devices sent different new secrets, which one to follow ("Follow Laptop", "Follow
 * neither"); "Pair a
 * device" (the pairing link in a read-only field with Copy, and its QR code drawn here
 * as SVG, nothing fetched); the paired devices (name, last seen) with "Remove a device";
 * this device's name; the signalling server, relay (on/off) and ICE servers.
 *
 * @fires vt-sync-paired - after "Pair a device" made or showed the link
 */
export class VtSyncSettings extends LitElement {
  static override properties = states('link', 'message', 'error', 'busy');

  /** The pairing link, once "Pair a device" was pressed. */
  link = '';
  message = '';
  error = '';
  busy = false;
  private readonly sync = new SyncController(this);
  private readonly onPolicyRefusal = () => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    policyListeners.add(this.onPolicyRefusal);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    policyListeners.delete(this.onPolicyRefusal);
  }

  static override styles = [
    sharedStyles,
    controlRowStyles,
    lineListStyles,
    css`
      section {
        margin: var(--vt-space-4) 0;
      }
      h4 {
        margin: var(--vt-space-4) 0 0;
        font-weight: 600;
      }
      p {
        margin: var(--vt-space-2) 0;
        line-height: 1.45;
      }
      .pair {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--vt-space-3);
        align-items: start;
        margin: var(--vt-space-3) 0;
        padding: var(--vt-space-3);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        background: var(--vt-surface-2);
      }
      .pair input {
        font-family: var(--vt-font-mono);
        font-size: var(--vt-text-xs);
      }
      .qr {
        width: 148px;
        height: 148px;
        background: #fff;
        border-radius: var(--vt-radius-sm);
      }
      .qr path {
        fill: #000;
      }
      @media (max-width: 420px) {
        .pair {
          grid-template-columns: 1fr;
          justify-items: center;
        }
        .pair > div {
          width: 100%;
        }
      }
      ul {
        margin: var(--vt-space-2) 0;
      }
      li .who {
        flex: 1;
        min-width: 0;
      }
      li .who span {
        display: block;
      }
      form {
        display: grid;
        gap: var(--vt-space-2);
        margin-top: var(--vt-space-3);
      }
      .check {
        display: flex;
        gap: var(--vt-space-2);
        align-items: center;
        color: var(--vt-text);
      }
      .choice {
        margin: var(--vt-space-3) 0;
        padding: var(--vt-space-3);
        border: 1px solid var(--vt-danger);
        border-radius: var(--vt-radius);
      }
      .state {
        font-weight: 600;
      }
    `,
  ];

  override render() {
    const sync = this.sync.sync;
    if (!sync) return nothing;
    const summary = sync.summary;
    const settings = sync.session.settings;
    const others = summary.devices.filter((d) => !d.self);
    return html`<section aria-labelledby="sync-h">
      <h3 id="sync-h">Sync between your devices</h3>
      <p><span class="state">${summary.text}</span></p>
      ${summary.choice ? this.renderChoice(summary.choice) : nothing}
      ${summary.lastError ? html`<p role="alert" class="error">${summary.lastError}</p>` : nothing}
      ${[settings.signaling, settings.relayEnabled ? settings.relay : '']
        .filter((server) => refusedByPolicy.has(originOf(server) ?? ''))
        .map(
          (server) =>
            html`<p role="alert" class="error">
              This copy of Vitrine is not allowed to contact ${server}: its security policy lists
              only the sync servers it was started with. Start it with
              VITRINE_CONNECT_SRC=${originOf(server)} (or ask whoever hosts it to add that server),
              or choose an allowed server.
            </p>`,
        )}
      <p class="small muted">
        Pairing makes a secret that only your devices hold; the link carries it. Until you pair a
        device nothing leaves this one. The relay stores only encrypted data.
      </p>
      <div class="row">
        <button
          id="pair"
          class="primary"
          @click=${this.pair}
          aria-disabled=${this.busy ? 'true' : 'false'}
        >
          Pair a device
        </button>
        ${
          sync.session.identity
            ? sync.session.active
              ? html`<button @click=${() => sync.pause()}>Pause sync</button>`
              : html`<button @click=${() => void sync.resume()}>Resume sync</button>`
            : nothing
        }
      </div>
      ${this.link ? this.renderPairing(this.link) : nothing}
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${
        sync.paired
          ? html`<h4 class="small muted">Devices</h4>
              <ul aria-label="Paired devices">
                ${summary.devices.map(
                  (d) =>
                    html`<li>
                      <span class="who">
                        <span>${d.name}${d.self ? ' (this device)' : ''}</span>
                        <span class="small muted"
                          >${
                            d.self ? 'here' : d.live ? 'connected now' : lastSeen(d.lastSeen)
                          }</span
                        >
                      </span>
                      ${
                        d.self
                          ? nothing
                          : html`<button
                              class="danger"
                              aria-label=${`Remove a device: ${d.name}`}
                              ?disabled=${this.busy}
                              @click=${() => this.removeDevice(d.id, d.name)}
                            >
                              Remove
                            </button>`
                      }
                    </li>`,
                )}
              </ul>
              ${
                others.length === 0
                  ? html`<p class="small muted">No other device has synced yet.</p>`
                  : nothing
              }`
          : nothing
      }
      <form @submit=${this.save} aria-label="Sync settings">
        <label for="sync-device">Device name</label>
        <input id="sync-device" name="device" .value=${sync.session.device.name} required />
        <label for="sync-signaling">Signalling server</label>
        <input
          id="sync-signaling"
          name="signaling"
          .value=${settings.signaling}
          placeholder="ws://127.0.0.1:4444"
          spellcheck="false"
        />
        <label for="sync-relay">Relay</label>
        <input
          id="sync-relay"
          name="relay"
          .value=${settings.relay}
          placeholder="ws://127.0.0.1:4445"
          spellcheck="false"
        />
        <label class="check"
          ><input type="checkbox" name="relayEnabled" .checked=${settings.relayEnabled} /> Sync
          through the relay when devices are apart</label
        >
        <label for="sync-ice">ICE servers (STUN/TURN), one per line</label>
        <textarea
          id="sync-ice"
          name="ice"
          placeholder="none: devices on the same network only"
          spellcheck="false"
          .value=${formatIceServers(settings.iceServers)}
        ></textarea>
        <div class="row">
          <button type="submit" ?disabled=${this.busy}>Save sync settings</button>
        </div>
      </form>
    </section>`;
  }

  /** Two devices sent different new secrets: the owner says which one they still have. */
  private renderChoice(choice: RekeyChoice) {
    return html`<div class="choice" role="alert" aria-labelledby="rekey-h">
      <h4 id="rekey-h">Which device do you still have?</h4>
      <p>
        Your devices sent this one different new sync secrets. One of them may be a lost or stolen
        device. Follow the one you still have:
      </p>
      <div class="row">
        ${choice.options.map(
          (o) =>
            html`<button
                class="primary"
                ?disabled=${this.busy}
                @click=${() => this.choose(o.sender, o.senderName)}
              >
                Follow ${o.senderName}
              </button>
              <span class="small muted"
                >${o.removedNames.length ? `removes ${o.removedNames.join(', ')}` : 'removes nobody'}</span
              >`,
        )}
        <button ?disabled=${this.busy} @click=${() => this.choose(null, '')}>Follow neither</button>
      </div>
      <p class="small muted">
        "Follow neither" keeps this device where it is; pair it again by link from a device you
        still use.
      </p>
    </div>`;
  }

  private async choose(sender: string | null, name: string): Promise<void> {
    const sync = this.sync.sync;
    if (!sync) return;
    this.error = '';
    this.message = '';
    await attemptBusy(this, async () => {
      await sync.chooseRekey(sender);
      this.message = sender ? `This device now follows ${name}.` : '';
    });
  }

  private renderPairing(link: string) {
    const code = generate(link);
    const size = code.size;
    return html`<div class="pair">
      <div>
        <label for="pair-link">Pairing link</label>
        <input id="pair-link" readonly .value=${link} @focus=${this.selectLink} />
        <div class="row">
          <button @click=${this.copy}>Copy</button>
        </div>
        <p class="small muted">
          Open it on your other device, or scan the code. Anyone with this link can read and change
          this notebook: send it only to yourself.
        </p>
      </div>
      <svg
        class="qr"
        role="img"
        aria-label="QR code of the pairing link"
        viewBox=${`-2 -2 ${size + 4} ${size + 4}`}
      >
        ${svg`<path d=${toSvgPath(code)} />`}
      </svg>
    </div>`;
  }

  /** Bring "Pair a device" into view and give it the keyboard (the sync indicator's target). */
  async focusPair(): Promise<void> {
    await this.updateComplete;
    const button = this.renderRoot.querySelector<HTMLButtonElement>('#pair');
    button?.scrollIntoView({ block: 'center' });
    button?.focus();
  }

  private selectLink(e: Event): void {
    (e.target as HTMLInputElement).select();
  }

  private async pair(): Promise<void> {
    const sync = this.sync.sync;
    // aria-disabled, not disabled, while busy: a disabled button would drop the keyboard.
    if (!sync || this.busy) return;
    this.error = '';
    await attemptBusy(this, async () => {
      this.link = await sync.pair(location.href);
      emit(this, 'vt-sync-paired');
    });
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.link);
      this.message = 'Pairing link copied.';
    } catch {
      // No clipboard permission (or no secure context): the field is selected instead.
      const input = this.renderRoot.querySelector<HTMLInputElement>('#pair-link');
      input?.focus();
      input?.select();
      this.message = 'Copying is not allowed here: the link is selected, copy it with Ctrl+C.';
    }
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const sync = this.sync.sync;
    if (!sync) return;
    const form = new FormData(e.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    this.error = '';
    this.message = '';
    await attemptBusy(this, async () => {
      if (text('device') !== sync.session.device.name) await sync.rename(text('device'));
      await sync.saveSettings({
        signaling: text('signaling'),
        relay: text('relay'),
        relayEnabled: form.get('relayEnabled') !== null,
        iceServers: parseIceServers(String(form.get('ice') ?? '')),
      });
      if (this.link) this.link = sync.link(location.href) ?? '';
      this.message = 'Sync settings saved.';
    });
  }

  private async removeDevice(id: string, name: string): Promise<void> {
    const sync = this.sync.sync;
    if (!sync) return;
    if (
      !confirm(
        `Remove "${name}"? Vitrine makes a new secret and hands it to your other devices; ${name} keeps what it has but gets nothing new.`,
      )
    ) {
      return;
    }
    this.error = '';
    this.message = '';
    // Taken now: after the move to the new secret the list starts empty again.
    const known = new Map(sync.summary.devices.map((d) => [d.id, d.name]));
    await attemptBusy(this, async () => {
      const result = await sync.removeDevice(id);
      const names = (ids: readonly string[]) => ids.map((i) => known.get(i) ?? i).join(', ');
      this.message =
        `Removed ${name}. ` +
        (result.unreachable.length
          ? `These devices could not be reached and need pairing again by link: ${names(result.unreachable)}.`
          : 'Your other devices were given the new secret.');
      if (this.link) this.link = sync.link(location.href) ?? '';
    });
  }
}

customElements.define('vt-sync-settings', VtSyncSettings);

declare global {
  interface HTMLElementTagNameMap {
    'vt-sync-settings': VtSyncSettings;
  }
}
