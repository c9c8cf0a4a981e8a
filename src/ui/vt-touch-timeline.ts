import { LitElement, css, html, nothing } from 'lit';
import { dayOf, localDay } from '../time/dates.ts';
import {
  TOUCH_CHANNELS,
  getPerson,
  logTouch,
  removeTouch,
  touchesOf,
  type Notebook,
  type Touch,
  type TouchChannel,
} from '../model/index.ts';
import { NotebookController } from './notebook-controller.ts';
import { sharedStyles } from './shared-styles.ts';

const CHANNEL_LABELS: Record<TouchChannel, string> = {
  coffee: 'Coffee',
  call: 'Call',
  email: 'Email',
  message: 'Message',
  meeting: 'Meeting',
  event: 'Event',
  intro: 'Introduction',
  'favour-given': 'Favour given',
  'favour-received': 'Favour received',
  other: 'Other',
};

function today(): string {
  // The local calendar day, not the UTC one: a coffee at 00:30 is today's.
  return localDay(new Date());
}

/**
 * A person's touch timeline, newest first, and the "Log touch" form: it opens on today and
 * coffee with the note focused, so `t` then Enter (or two clicks) logs a touch.
 */
export class VtTouchTimeline extends LitElement {
  static override properties = {
    personId: { attribute: false },
    formOpen: { state: true },
    error: { state: true },
  };

  personId = '';
  formOpen = false;
  error = '';
  private readonly touches = new NotebookController(this, (nb: Notebook) =>
    touchesOf(nb, this.personId),
  );

  static override styles = [
    sharedStyles,
    css`
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
      }
      form {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--vt-space-2);
        align-items: end;
        margin: var(--vt-space-2) 0;
        padding: var(--vt-space-3);
        background: var(--vt-surface-2);
        border-radius: var(--vt-radius);
      }
      form .buttons {
        grid-column: 1 / -1;
        display: flex;
        gap: var(--vt-space-2);
      }
      ol {
        list-style: none;
        margin: var(--vt-space-2) 0 0;
        padding: 0 0 0 var(--vt-space-3);
        border-left: 2px solid var(--vt-border);
      }
      li {
        position: relative;
        padding: var(--vt-space-1) 0 var(--vt-space-2);
        display: flex;
        gap: var(--vt-space-2);
        align-items: baseline;
      }
      li::before {
        content: '';
        position: absolute;
        left: calc(-1 * var(--vt-space-3) - 5px);
        top: 0.75em;
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--vt-accent);
      }
      time {
        font-variant-numeric: tabular-nums;
        font-size: var(--vt-text-sm);
        color: var(--vt-text-muted);
        min-width: 6.5em;
      }
      .what {
        flex: 1;
      }
      .with {
        color: var(--vt-text-muted);
        font-size: var(--vt-text-sm);
      }
      .error {
        color: var(--vt-danger);
      }
      form .note {
        grid-column: 1 / -1;
      }
    `,
  ];

  /** Open the form with the note field focused. */
  openForm(): void {
    this.formOpen = true;
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('#touch-note') as HTMLInputElement | null)?.focus(),
    );
  }

  override render() {
    const nb = this.touches.nb;
    const touches = this.touches.value ?? [];
    if (!nb) return nothing;
    return html`
      <div class="head">
        <h3>Touches (${touches.length})</h3>
        <button
          type="button"
          class="primary"
          aria-keyshortcuts="t"
          ?hidden=${this.formOpen}
          @click=${this.openForm}
        >
          Log touch
        </button>
      </div>
      ${this.formOpen ? this.renderForm() : nothing}
      ${
        touches.length
          ? html`<ol aria-label="Touch timeline">
              ${touches.slice(0, 200).map((t) => this.renderTouch(nb, t))}
            </ol>`
          : html`<p class="muted small">No touches logged yet.</p>`
      }
    `;
  }

  private renderForm() {
    return html`<form
      @submit=${this.save}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.formOpen = false)}
    >
      <div>
        <label for="touch-date">Date</label>
        <input id="touch-date" name="date" type="date" required .value=${today()} />
      </div>
      <div>
        <label for="touch-channel">Channel</label>
        <select id="touch-channel" name="channel">
          ${TOUCH_CHANNELS.map((c) => html`<option value=${c} ?selected=${c === 'coffee'}>${CHANNEL_LABELS[c]}</option>`)}
        </select>
      </div>
      <div class="note">
        <label for="touch-note">What about (optional)</label>
        <input id="touch-note" name="note" autocomplete="off" />
      </div>
      <div class="buttons">
        <button class="primary" type="submit">Save touch</button>
        <button type="button" @click=${() => (this.formOpen = false)}>Cancel</button>
        ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      </div>
    </form>`;
  }

  private renderTouch(nb: Notebook, t: Touch) {
    const others = t.personIds
      .filter((id) => id !== this.personId && id !== nb.ownerId)
      .map((id) => getPerson(nb, id)?.name)
      .filter(Boolean);
    return html`<li>
      <time datetime=${t.at}>${dayOf(t.at)}</time>
      <span class="what">
        ${CHANNEL_LABELS[t.channel]}${t.note ? html` — ${t.note}` : nothing}
        ${others.length ? html`<span class="with">with ${others.join(', ')}</span>` : nothing}
      </span>
      <button
        type="button"
        class="quiet small"
        aria-label=${`Remove touch of ${dayOf(t.at)}`}
        @click=${() => removeTouch(nb, t.id)}
      >
        ✕
      </button>
    </li>`;
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    const nb = this.touches.nb;
    if (!nb) return;
    const data = new FormData(e.target as HTMLFormElement);
    try {
      logTouch(nb, {
        personIds: [this.personId],
        at: String(data.get('date') || today()),
        channel: String(data.get('channel') || 'coffee') as TouchChannel,
        note: String(data.get('note') ?? '').trim() || undefined,
      });
      this.formOpen = false;
      this.error = '';
      void this.updateComplete.then(() =>
        (this.renderRoot.querySelector('.head button') as HTMLElement | null)?.focus(),
      );
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }
}

customElements.define('vt-touch-timeline', VtTouchTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'vt-touch-timeline': VtTouchTimeline;
  }
}
