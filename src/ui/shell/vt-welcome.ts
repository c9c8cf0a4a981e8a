import { LitElement, css, html } from 'lit';
import { sharedStyles } from './shared-styles.ts';
import { emit } from './component.ts';

/**
 * First run: the notebook has no owner yet. Offers the sample network or an empty notebook
 * with "me" set up.
 *
 * @fires vt-start - `detail: { sample: boolean, name: string }`.
 */
export class VtWelcome extends LitElement {
  static override properties = { busy: { state: true } };
  busy = false;

  static override styles = [
    sharedStyles,
    css`
      :host {
        /* Fill every row of the app's grid, not only the header row. */
        grid-row: 1 / -1;
        display: grid;
        place-items: center;
        min-height: 100%;
        padding: var(--vt-space-5);
        overflow: auto;
      }
      .card {
        max-width: 34rem;
        background: var(--vt-surface);
        border: 1px solid var(--vt-border);
        border-radius: 14px;
        padding: var(--vt-space-6);
        box-shadow: var(--vt-shadow);
      }
      h1 {
        margin: 0 0 var(--vt-space-2);
        font-size: var(--vt-text-xl);
      }
      p {
        color: var(--vt-text-muted);
      }
      .field {
        margin: var(--vt-space-4) 0;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
      }
      button {
        padding: 8px 16px;
      }
    `,
  ];

  override render() {
    // The whole first-run screen is the page's main landmark (axe: every content in one).
    return html`<main class="card" aria-labelledby="welcome-h">
      <h1 id="welcome-h">Welcome to Vitrine</h1>
      <p>
        A notebook for the people you know, the ties between them, every touch and every
        introduction. It lives on this device and works offline; nothing leaves it unless you pair
        another device.
      </p>
      <div class="field">
        <label for="owner">What should Vitrine call you?</label>
        <input id="owner" value="Me" autocomplete="name" />
      </div>
      <div class="buttons">
        <button class="primary" ?disabled=${this.busy} @click=${() => this.start(true)}>
          Load the sample network
        </button>
        <button ?disabled=${this.busy} @click=${() => this.start(false)}>Start empty</button>
      </div>
      <p class="small">
        The sample is about a hundred invented people in six circles; delete it any time by starting
        a new profile.
      </p>
    </main>`;
  }

  private start(sample: boolean): void {
    this.busy = true;
    const name = (this.renderRoot.querySelector('#owner') as HTMLInputElement).value.trim() || 'Me';
    emit(this, 'vt-start', { sample, name });
  }
}

customElements.define('vt-welcome', VtWelcome);

declare global {
  interface HTMLElementTagNameMap {
    'vt-welcome': VtWelcome;
  }
}
