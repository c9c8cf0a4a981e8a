import { LitElement, css, html, nothing } from 'lit';
import {
  OWNER_ADDRESSES_KEY,
  getOwner,
  setOwnerAddresses,
  type Notebook,
} from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { settingsSectionStyles, sharedStyles } from '../shell/shared-styles.ts';
import { attempt, states } from '../shell/component.ts';

/** The addresses stored in Settings (not the owner's own person's emails), one string. */
function stored(nb: Notebook): string {
  const v = nb.meta.get(OWNER_ADDRESSES_KEY);
  return Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string').join('\n') : '';
}

/** An email (`me@example.org`, `mailto:` allowed) or a profile URL (`https://…`). */
function looksLikeAddress(a: string): boolean {
  return /^(mailto:)?[^\s@]+@[^\s@]+\.[^\s@]+$/i.test(a) || /^https?:\/\/\S+\.\S+$/i.test(a);
}

/**
 * Settings, "Your own addresses": the emails and profile URLs that are the owner's, never
 * matched as a contact by an import (a calendar's organizer, the archive's profile). Edit
 * the list, one per line; a calendar preview's most frequent organizer is offered when
 * the list is empty (`suggested`).
 */
export class VtOwnerAddresses extends LitElement {
  static override properties = { suggested: { attribute: false }, ...states('error', 'saved') };

  /** The most frequent organizer of the last calendar previewed, if any. */
  suggested: string | undefined;
  error = '';
  saved = '';
  private readonly list = new NotebookController(this, stored);

  static override styles = [
    sharedStyles,
    settingsSectionStyles,
    css`
      textarea {
        width: 100%;
        min-height: 4.5rem;
        font-family: var(--vt-font-mono);
        font-size: var(--vt-text-sm);
      }
    `,
  ];

  override render() {
    const nb = this.list.nb;
    if (!nb) return nothing;
    const current = this.list.value ?? '';
    const personal = [...(getOwner(nb)?.emails ?? [])];
    const offer =
      this.suggested && !current.split('\n').includes(this.suggested.toLowerCase())
        ? this.suggested
        : undefined;
    return html`<section aria-labelledby="me-h">
      <h3 id="me-h">Your own addresses</h3>
      <p class="small muted">
        Emails and profile links that are yours. Imports never take them for a contact: the
        organizer of your meetings is you. One per line.
        ${personal.length ? html`Your own person’s emails count too: ${personal.join(', ')}.` : nothing}
      </p>
      <label for="me-list" class="visually-hidden">Your own addresses</label>
      <textarea
        id="me-list"
        .value=${current}
        ?disabled=${!!nb.readOnlyReason}
        placeholder="me@example.org"
        @input=${() => (this.saved = '')}
      ></textarea>
      <div class="row">
        <button ?disabled=${!!nb.readOnlyReason} @click=${() => this.save(nb)}>
          Save addresses
        </button>
        ${
          offer
            ? html`<button data-testid="use-suggested-me" @click=${() => this.save(nb, offer)}>
                Add ${offer} (organised the most events)
              </button>`
            : nothing
        }
      </div>
      ${this.saved ? html`<p role="status" class="small">${this.saved}</p>` : nothing}
      ${this.error ? html`<p role="alert" class="small error">${this.error}</p>` : nothing}
    </section>`;
  }

  private save(nb: Notebook, extra?: string): void {
    const area = this.renderRoot.querySelector('#me-list') as HTMLTextAreaElement;
    const list = area.value
      .split(/[\n,;]+/)
      .map((a) => a.trim())
      .filter(Boolean);
    if (extra) list.push(extra);
    const bad = list.filter((a) => !looksLikeAddress(a));
    if (bad.length) {
      this.error = `“${bad[0]}” is not an email address or a profile link (https://…). Correct it or remove that line; nothing was saved.`;
      this.saved = '';
      return;
    }
    attempt(this, () => {
      setOwnerAddresses(nb, list);
      this.error = '';
      this.saved = list.length
        ? `Saved ${list.length === 1 ? 'one address' : `${list.length} addresses`}.`
        : 'No addresses of yours are kept now.';
    });
  }
}

customElements.define('vt-owner-addresses', VtOwnerAddresses);

declare global {
  interface HTMLElementTagNameMap {
    'vt-owner-addresses': VtOwnerAddresses;
  }
}
