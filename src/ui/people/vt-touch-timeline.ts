import { LitElement, css, html, nothing } from 'lit';
import { dayOf, localDay } from '../../time/dates.ts';
import {
  TOUCH_CHANNELS,
  getPerson,
  logTouch,
  removeTouch,
  updateTouch,
  touchesOf,
  type Notebook,
  type Touch,
  type TouchChannel,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { VtPersonPicker } from './vt-person-picker.ts';
import './vt-person-picker.ts';
import { announceRemoved, spokenDay } from '../shell/vt-toast.ts';
import { attempt, states } from '../shell/component.ts';

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
 * coffee with the note focused, so `t` then Enter (or two clicks) logs a touch. Clicking a
 * touch opens the same form on it (date, channel, note, who else was there); removing a
 * touch offers Undo through the toast.
 */
export class VtTouchTimeline extends LitElement {
  static override properties = {
    personId: { attribute: false },
    ...states('formOpen', 'editingId', 'withIds', 'error'),
  };

  personId = '';
  formOpen = false;
  /** The touch being edited (its form replaces its row), or null. */
  editingId: string | null = null;
  /** Who else was there, in the open form (ids, not this person). */
  withIds: readonly string[] = [];
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
      form .note,
      form .with-field {
        grid-column: 1 / -1;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-1);
        margin: 0 0 var(--vt-space-1);
        padding: 0;
        list-style: none;
      }
      .chips li {
        padding: 0;
      }
      .chips li::before {
        content: none;
      }
      li > .touch {
        flex: 1;
        display: flex;
        gap: var(--vt-space-2);
        align-items: baseline;
        text-align: left;
        background: transparent;
        border: 0;
        padding: 0;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      li > .touch:hover .what {
        text-decoration: underline;
      }
      li > form {
        flex: 1;
        margin: 0;
      }
    `,
  ];

  /** Open the form with the note field focused. */
  openForm(): void {
    this.formOpen = true;
    this.editingId = null;
    this.withIds = [];
    this.error = '';
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
      ${this.formOpen ? this.renderForm(nb) : nothing}
      ${
        touches.length
          ? html`<ol aria-label="Touch timeline">
              ${touches.slice(0, 200).map((t) => this.renderTouch(nb, t))}
            </ol>`
          : html`<p class="muted small">No touches logged yet.</p>`
      }
    `;
  }

  /** The log form, or with `t` the edit form of that touch. */
  private renderForm(nb: Notebook, t?: Touch) {
    const close = () => this.closeForm();
    const taken = new Set([this.personId, nb.ownerId ?? '', ...this.withIds]);
    return html`<form
      novalidate
      aria-label=${t ? `Edit touch of ${dayOf(t.at)}` : 'Log touch'}
      @submit=${this.save}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // Handled here: the person panel around it stays open.
        e.preventDefault();
        close();
      }}
    >
      <div>
        <label for="touch-date">Date</label>
        <input
          id="touch-date"
          name="date"
          type="date"
          required
          .value=${t ? (dayOf(t.at) ?? '') : today()}
        />
      </div>
      <div>
        <label for="touch-channel">Channel</label>
        <select id="touch-channel" name="channel">
          ${TOUCH_CHANNELS.map((c) => html`<option value=${c} ?selected=${c === (t?.channel ?? 'coffee')}>${CHANNEL_LABELS[c]}</option>`)}
        </select>
      </div>
      <div class="note">
        <label for="touch-note">What about (optional)</label>
        <input id="touch-note" name="note" autocomplete="off" .value=${t?.note ?? ''} />
      </div>
      <div class="with-field">
        ${
          this.withIds.length
            ? html`<ul class="chips" aria-label="With">
                ${this.withIds.map((id) => {
                  const name = getPerson(nb, id)?.name ?? 'someone removed';
                  return html`<li>
                    <button
                      type="button"
                      class="small"
                      aria-label=${`Remove ${name} from this touch`}
                      @click=${() => (this.withIds = this.withIds.filter((w) => w !== id))}
                    >
                      ${name} ✕
                    </button>
                  </li>`;
                })}
              </ul>`
            : nothing
        }
        <vt-person-picker
          label="With (someone else who was there)"
          .exclude=${[...taken]}
          @vt-pick=${(e: CustomEvent<{ id: string | null }>) => {
            const id = e.detail.id;
            if (!id || taken.has(id)) return;
            this.withIds = [...this.withIds, id];
            (e.target as VtPersonPicker).clear();
          }}
        ></vt-person-picker>
      </div>
      <div class="buttons">
        <button class="primary" type="submit">Save touch</button>
        <button type="button" @click=${close}>Cancel</button>
        ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      </div>
    </form>`;
  }

  private closeForm(): void {
    const editing = this.editingId;
    this.formOpen = false;
    this.editingId = null;
    this.withIds = [];
    this.error = '';
    void this.updateComplete.then(() => {
      const back = editing
        ? this.renderRoot.querySelector(`[data-touch="${CSS.escape(editing)}"] .touch`)
        : this.renderRoot.querySelector('.head button');
      (back as HTMLElement | null)?.focus();
    });
  }

  private openEdit(nb: Notebook, t: Touch): void {
    this.formOpen = false;
    this.error = '';
    this.editingId = t.id;
    this.withIds = t.personIds.filter((id) => id !== this.personId && id !== nb.ownerId);
    void this.updateComplete.then(() =>
      (this.renderRoot.querySelector('#touch-date') as HTMLInputElement | null)?.focus(),
    );
  }

  private renderTouch(nb: Notebook, t: Touch) {
    if (t.id === this.editingId) return html`<li>${this.renderForm(nb, t)}</li>`;
    const others = this.othersOf(nb, t);
    return html`<li data-touch=${t.id}>
      <button type="button" class="touch" @click=${() => this.openEdit(nb, t)}>
        <time datetime=${t.at}>${dayOf(t.at)}</time>
        <span class="what">
          ${CHANNEL_LABELS[t.channel]}${t.note ? html` — ${t.note}` : nothing}
          ${others.length ? html`<span class="with">with ${others.join(', ')}</span>` : nothing}
        </span>
      </button>
      <button
        type="button"
        class="quiet small"
        aria-label=${`Remove touch of ${dayOf(t.at)}`}
        @click=${() => this.removeOne(nb, t)}
      >
        ✕
      </button>
    </li>`;
  }

  private othersOf(nb: Notebook, t: Touch): string[] {
    return t.personIds
      .filter((id) => id !== this.personId && id !== nb.ownerId)
      .map((id) => getPerson(nb, id)?.name)
      .filter((n): n is string => !!n);
  }

  /** Remove at once (imported touches become tombstones) and offer Undo in the toast. */
  private removeOne(nb: Notebook, t: Touch): void {
    if (!attempt(this, () => removeTouch(nb, t.id))) return;
    const names = [getPerson(nb, this.personId)?.name, ...this.othersOf(nb, t)].filter(Boolean);
    announceRemoved(this, `Removed touch with ${names.join(', ')} on ${spokenDay(t.at)}`);
  }

  private save(e: SubmitEvent): void {
    e.preventDefault();
    const nb = this.touches.nb;
    if (!nb) return;
    const data = new FormData(e.target as HTMLFormElement);
    const people = [this.personId, ...this.withIds];
    attempt(this, () => {
      if (this.editingId) {
        const was = touchesOf(nb, this.personId).find((t) => t.id === this.editingId);
        // The owner stays on a touch they were on (imports list them); the form hides them.
        if (nb.ownerId && was?.personIds.includes(nb.ownerId)) people.push(nb.ownerId);
        updateTouch(nb, this.editingId, {
          personIds: people,
          at: String(data.get('date') ?? ''),
          channel: String(data.get('channel') || 'coffee') as TouchChannel,
          note: String(data.get('note') ?? ''),
        });
      } else {
        logTouch(nb, {
          personIds: people,
          at: String(data.get('date') || today()),
          channel: String(data.get('channel') || 'coffee') as TouchChannel,
          note: String(data.get('note') ?? '').trim() || undefined,
        });
      }
      this.closeForm();
    });
  }
}

customElements.define('vt-touch-timeline', VtTouchTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'vt-touch-timeline': VtTouchTimeline;
  }
}
