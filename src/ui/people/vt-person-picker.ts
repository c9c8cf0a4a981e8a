import { LitElement, css, html } from 'lit';
import { listPeople, type Notebook, type Person } from '../../model/index.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { searchPeople, sortByName } from './people-search.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { emit, states } from '../shell/component.ts';

let nextId = 0;

/**
 * A combobox to pick anyone in the notebook by typing part of their name, organisation or
 * tag (works at 10,000 people: only the first matches are shown).
 *
 * @fires vt-pick - `detail: { id }` when a person is picked (`id` is null when cleared).
 */
export class VtPersonPicker extends LitElement {
  static override properties = {
    label: { type: String },
    value: { attribute: false },
    exclude: { attribute: false },
    ...states('open', 'text', 'active'),
  };

  label = 'Person';
  /** The picked person's id. */
  value: string | null = null;
  /** Ids that cannot be picked (the person themself). */
  exclude: readonly string[] = [];
  open = false;
  text = '';
  active = 0;
  private readonly uid = `picker-${nextId++}`;
  private readonly people = new NotebookController(this, (nb: Notebook) => listPeople(nb));

  static override styles = [
    sharedStyles,
    css`
      :host {
        position: relative;
      }
      ul {
        position: absolute;
        z-index: 5;
        left: 0;
        right: 0;
        margin: 2px 0 0;
        padding: 2px;
        list-style: none;
        background: var(--vt-surface);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius-sm);
        box-shadow: var(--vt-shadow);
      }
      li {
        padding: 4px 8px;
        border-radius: 4px;
        cursor: pointer;
      }
      li[aria-selected='true'] {
        background: var(--vt-accent-soft);
      }
      .org {
        color: var(--vt-text-muted);
        font-size: var(--vt-text-xs);
      }
    `,
  ];

  private suggestions(): readonly Person[] {
    const all = this.people.value ?? [];
    const found = searchPeople(sortByName(all), this.text);
    const out: Person[] = [];
    for (const p of found) {
      if (this.exclude.includes(p.id)) continue;
      out.push(p);
      if (out.length === 8) break;
    }
    return out;
  }

  override willUpdate(): void {
    // Show the picked person's name when not typing.
    if (!this.open && this.value) {
      this.text = (this.people.value ?? []).find((p) => p.id === this.value)?.name ?? '';
    }
  }

  override render() {
    const matches = this.open ? this.suggestions() : [];
    return html`
      <label for="input">${this.label}</label>
      <input
        id="input"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded=${this.open && matches.length > 0 ? 'true' : 'false'}
        aria-controls=${this.uid}
        aria-activedescendant=${matches.length ? `${this.uid}-${this.active}` : ''}
        placeholder="Type a name"
        .value=${this.text}
        @input=${(e: Event) => {
          this.text = (e.target as HTMLInputElement).value;
          this.open = true;
          this.active = 0;
          if (!this.text) this.pick(null);
        }}
        @focus=${() => (this.open = true)}
        @blur=${() => setTimeout(() => (this.open = false), 150)}
        @keydown=${(e: KeyboardEvent) => this.onKey(e, matches)}
      />
      ${
        matches.length
          ? html`<ul role="listbox" id=${this.uid} aria-label=${`${this.label} suggestions`}>
              ${matches.map(
                (p, i) =>
                  html`<li
                    role="option"
                    id=${`${this.uid}-${i}`}
                    aria-selected=${i === this.active ? 'true' : 'false'}
                    @mousedown=${(e: Event) => e.preventDefault()}
                    @click=${() => this.pick(p.id, p.name)}
                  >
                    ${p.name} <span class="org">${p.org ?? ''}</span>
                  </li>`,
              )}
            </ul>`
          : ''
      }
    `;
  }

  private onKey(e: KeyboardEvent, matches: readonly Person[]): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.open = true;
      const n = matches.length || 1;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    } else if (e.key === 'Enter' && this.open && matches[this.active]) {
      // Enter picks the highlighted person instead of submitting the surrounding form.
      e.preventDefault();
      const p = matches[this.active]!;
      this.pick(p.id, p.name);
    } else if (e.key === 'Escape' && this.open && matches.length) {
      // Closing the suggestions is all this Escape does (not the form or panel around it).
      e.preventDefault();
      this.open = false;
    }
  }

  private pick(id: string | null, name = ''): void {
    this.value = id;
    this.text = name;
    this.open = false;
    emit(this, 'vt-pick', { id });
  }

  /** Forget the current pick (after the caller used it). */
  clear(): void {
    this.value = null;
    this.text = '';
  }
}

customElements.define('vt-person-picker', VtPersonPicker);

declare global {
  interface HTMLElementTagNameMap {
    'vt-person-picker': VtPersonPicker;
  }
}
