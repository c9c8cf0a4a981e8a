import { LitElement, css, html, nothing } from 'lit';
import { states } from '../shell/component.ts';
import {
  DEFAULT_DIGEST,
  parseDigestTime,
  type DigestSettings,
} from '../../app/reminders-digest.ts';
import { reminders } from '../../app/reminders-app.ts';
import { settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';

type Permission = NotificationPermission | 'unsupported';

function permission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * The daily digest's settings (this device only): on or off, and the time. Turning it on
 * asks the browser for permission to notify; the background check (Periodic Background
 * Sync) is registered where the browser has it. Shown in Today and in Settings.
 */
export class VtTodayDigest extends LitElement {
  static override properties = states('settings', 'status', 'perm', 'background');

  settings: DigestSettings = DEFAULT_DIGEST;
  status = '';
  perm: Permission = permission();
  background = '';

  static override styles = [
    sharedStyles,
    settingsSectionStyles,
    css`
      :host {
        display: block;
      }
      .row input[type='time'] {
        width: auto;
      }
      label.check {
        display: inline-flex;
        gap: var(--vt-space-2);
        align-items: center;
        color: var(--vt-text);
        font-size: var(--vt-text-md);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void reminders()
      ?.store.get<DigestSettings>('digest-settings')
      .then((s) => {
        if (s) this.settings = s;
      });
  }

  override render() {
    const s = this.settings;
    const r = reminders();
    return html`<p class="small muted">
        A notification once a day, at the time you choose, of what Today lists: while Vitrine is
        open (or installed and running), and from the background where your browser allows it. It
        stays on this device; nothing is sent anywhere.
      </p>
      <div class="row">
        <label class="check"
          ><input
            type="checkbox"
            .checked=${s.enabled}
            ?disabled=${!r || this.perm === 'unsupported' || this.perm === 'denied'}
            @change=${(e: Event) => this.toggle((e.target as HTMLInputElement).checked)}
          />Daily digest</label
        >
        <label for="digest-time">at</label>
        <input
          id="digest-time"
          type="time"
          .value=${s.time}
          @change=${(e: Event) => this.setTime((e.target as HTMLInputElement).value)}
        />
      </div>
      ${
        this.perm === 'denied'
          ? html`<p class="small" role="alert">
              This browser blocks Vitrine's notifications; allow them in the site settings first.
            </p>`
          : this.perm === 'unsupported'
            ? html`<p class="small">This browser cannot show notifications.</p>`
            : nothing
      }
      <p class="small" role="status">${this.status}${this.background}</p>`;
  }

  private async save(next: DigestSettings): Promise<void> {
    const r = reminders();
    if (!r) return;
    this.settings = next;
    await r.store.set('digest-settings', next);
    const sent = await r.scheduler.check();
    const bg = await r.background(next.enabled);
    this.background =
      next.enabled && bg === 'registered'
        ? ' It is also checked in the background.'
        : next.enabled && bg === 'unavailable'
          ? ' (No background checks in this browser: it comes while Vitrine runs.)'
          : '';
    this.status = next.enabled
      ? `Daily digest on, at ${next.time}.${sent.length ? ` Sent today's: ${sent.length} ${sent.length === 1 ? 'item' : 'items'}.` : ''}`
      : 'Daily digest off.';
  }

  private async toggle(on: boolean): Promise<void> {
    if (on && this.perm !== 'granted') {
      this.perm = await Notification.requestPermission();
      if (this.perm !== 'granted') {
        this.status = 'Without permission to notify, there can be no digest.';
        this.requestUpdate();
        return;
      }
    }
    await this.save({ ...this.settings, enabled: on });
  }

  private async setTime(value: string): Promise<void> {
    if (!parseDigestTime(value)) {
      this.status = `"${value}" is not a time of day; use hours and minutes, like 08:30.`;
      return;
    }
    await this.save({ ...this.settings, time: value });
  }
}

customElements.define('vt-today-digest', VtTodayDigest);

declare global {
  interface HTMLElementTagNameMap {
    'vt-today-digest': VtTodayDigest;
  }
}
